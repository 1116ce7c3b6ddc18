/** Wire types of the FunctionGraph v2 API (snake_case, as sent and received). */
export * from "./function";
export * from "./version";
export * from "./alias";
export * from "./trigger";
export * from "./dependency";
export * from "./invocation";
