/** OCI resources: Functions (Application, Function, InvokeFunction) and Container Instances. */
export { Application, type ApplicationArgs } from "./application";
export { Function, type FunctionArgs, type FunctionDestinationArgs } from "./function";
export { InvokeFunction, type InvokeFunctionArgs } from "./invoke-function";
export {
  ContainerInstance,
  type ContainerInstanceArgs,
  type ContainerArgs,
  type ContainerVnicArgs,
  type ContainerVnicOutput,
  type ImagePullSecretArgs,
} from "./container-instance";
export type { TimeoutsArgs } from "./shared-args";
export type {
  OciConnectionArgs as ConnectionArgs,
  OciConnectionRecord as ConnectionRecord,
} from "./connection";
