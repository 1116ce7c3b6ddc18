/**
 * fnstack: Pulumi dynamic providers for serverless compute on Oracle Cloud Infrastructure and on
 * FunctionGraph (Open Telekom Cloud, Huawei Cloud).
 *
 * ```ts
 * import { oci, functiongraph } from "fnstack";
 * const app = new oci.Application("app", { ... });
 * const fn = new functiongraph.Function("hello", { ... });
 * ```
 */
export * as oci from "./provider/oci";
export * as functiongraph from "./provider/functiongraph";
