/** FunctionGraph v2 resources: Function, Version, Alias, Trigger, DependencyVersion, Invocation. */
export {
  Function,
  type FunctionArgs,
  type FunctionVpcArgs,
  type FunctionMountConfigArgs,
  type FunctionCustomImageArgs,
} from "./function";
export { Version, type VersionArgs } from "./version";
export { Alias, type AliasArgs, type AliasStrategyRuleArgs } from "./alias";
export {
  Trigger,
  type TriggerArgs,
  type TriggerEventData,
  type TimerEventData,
  type ObsEventData,
  type SmnEventData,
  type ApigEventData,
  type KafkaEventData,
  type LtsEventData,
  type CtsEventData,
  type DmsEventData,
  type DdsEventData,
} from "./trigger";
export { DependencyVersion, type DependencyVersionArgs } from "./dependency-version";
export { Invocation, type InvocationArgs } from "./invocation";
export type {
  FunctionGraphConnectionArgs as ConnectionArgs,
  FunctionGraphConnectionRecord as ConnectionRecord,
} from "./connection";
