/** FunctionGraph v2 clients: one module per API group, small typed functions `(ctx, input, {signal})`. */
export * as functions from "./functions";
export * as versions from "./versions";
export * as aliases from "./aliases";
export * as triggers from "./triggers";
export * as dependencies from "./dependencies";
export * as invocations from "./invocations";
export * from "./common";
