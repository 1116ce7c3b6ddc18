/** The wire core: transport, errors, classification, retry and waiting. */
export * from "./client";
export * from "./classify";
export * from "./config-lookup";
export * from "./errors";
export * from "./request";
export * from "./retry";
export * from "./send";
export * from "./version";
export * from "./wait";
export * from "./clock";
export * from "./rate-limiter";
