/** Clients of the OCI services fnstack calls: one module per service. */
export * as functionsManagement from "./functions-management";
export * as functionsInvoke from "./functions-invoke";
export * as containerInstances from "./container-instances";
export * as workRequests from "./work-requests";
export * as vnics from "./vnics";
export { type CallOptions, type ListOptions, type OciResult, collect, parseRetryAfter } from "./common";
