import * as pulumi from "@pulumi/pulumi";
import type { FunctionGraphConnectionArgs, FunctionGraphConnectionRecord } from "./connection";
import type { TimeoutsArgs } from "../framework/timeouts-args";
import { stackIdentity } from "../identity";
import { makeProvider } from "../stub";

/** TIMER event data. */
export interface TimerEventData {
  name: pulumi.Input<string>;
  /** `Rate` (`"3m"`, `"2h"`, `"1d"`) or `Cron` (`"0 0/5 * * * *"`, `"@every 1h"`, `"CRON_TZ=Europe/Berlin 0 0 8 * * *"`). */
  scheduleType: pulumi.Input<"Rate" | "Cron">;
  schedule: pulumi.Input<string>;
  /** String passed to the function in the event. */
  userEvent?: pulumi.Input<string>;
}
/** OBS event data. */
export interface ObsEventData {
  bucket: pulumi.Input<string>;
  /** e.g. `s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`. */
  events: pulumi.Input<pulumi.Input<string>[]>;
  prefix?: pulumi.Input<string>;
  suffix?: pulumi.Input<string>;
  name?: pulumi.Input<string>;
}
/** SMN event data. */
export interface SmnEventData {
  topicUrn: pulumi.Input<string>;
}
/** APIG / DEDICATEDGATEWAY event data. */
export interface ApigEventData {
  groupId: pulumi.Input<string>;
  envId: pulumi.Input<string>;
  envName: pulumi.Input<string>;
  name: pulumi.Input<string>;
  path?: pulumi.Input<string>;
  protocol?: pulumi.Input<"HTTP" | "HTTPS">;
  reqMethod?: pulumi.Input<string>;
  matchMode?: pulumi.Input<"SWA" | "NORMAL">;
  auth?: pulumi.Input<"IAM" | "APP" | "NONE">;
  backendType?: pulumi.Input<"FUNCTION">;
  /** 1 public, 2 private. */
  type?: pulumi.Input<number>;
  slDomain?: pulumi.Input<string>;
  /** Gateway id (DEDICATEDGATEWAY). */
  instanceId?: pulumi.Input<string>;
  funcInfo?: pulumi.Input<{
    functionUrn?: pulumi.Input<string>;
    invocationType?: pulumi.Input<"sync" | "async">;
    /** Milliseconds, 1–60000. */
    timeout: pulumi.Input<number>;
    version?: pulumi.Input<string>;
  }>;
}
/** KAFKA event data. `kafkaPassword` is write-only and kept as a secret. */
export interface KafkaEventData {
  instanceId: pulumi.Input<string>;
  topicIds: pulumi.Input<pulumi.Input<string>[]>;
  batchSize?: pulumi.Input<number>;
  kafkaUser?: pulumi.Input<string>;
  kafkaPassword?: pulumi.Input<string>;
  kafkaConnectAddress?: pulumi.Input<string>;
  kafkaSslEnable?: pulumi.Input<boolean>;
}
/** LTS event data. */
export interface LtsEventData {
  logGroupId: pulumi.Input<string>;
  logTopicId: pulumi.Input<string>;
}
/** CTS event data. */
export interface CtsEventData {
  name: pulumi.Input<string>;
  operations: pulumi.Input<pulumi.Input<string>[]>;
}
/** DMS event data. */
export interface DmsEventData {
  queueId: pulumi.Input<string>;
  consumerGroupId: pulumi.Input<string>;
  pollingInterval?: pulumi.Input<number>;
}
/** DDS event data. `dbPassword` is write-only and kept as a secret. */
export interface DdsEventData {
  instanceId: pulumi.Input<string>;
  collectionName: pulumi.Input<string>;
  dbName: pulumi.Input<string>;
  dbPassword: pulumi.Input<string>;
  batchSize?: pulumi.Input<number>;
}

/** Event data by trigger type. */
export type TriggerEventData =
  | TimerEventData
  | ObsEventData
  | SmnEventData
  | ApigEventData
  | KafkaEventData
  | LtsEventData
  | CtsEventData
  | DmsEventData
  | DdsEventData
  | Record<string, pulumi.Input<unknown>>;

/** Inputs of a {@link Trigger}. */
export interface TriggerArgs {
  /** Function URN, optionally `:<version>` or `:!<alias>`. Replaces on change. */
  funcUrn: pulumi.Input<string>;
  /** `TIMER`, `APIG`, `DEDICATEDGATEWAY`, `OBS`, `SMN`, `DMS`, `KAFKA`, `LTS`, `CTS`, `DDS`, ... Replaces on change. */
  triggerTypeCode: pulumi.Input<string>;
  /** `ACTIVE` (default) or `DISABLED` (TIMER, DDS, LTS, KAFKA, DMS). Updates in place. */
  status?: pulumi.Input<"ACTIVE" | "DISABLED">;
  /** Event data of the type, camelCase. Only the pull settings update in place; other changes replace. */
  eventData: pulumi.Input<TriggerEventData>;
  eventTypeCode?: pulumi.Input<string>;
  /** Id of an existing trigger of this function and type to adopt. */
  adoptId?: pulumi.Input<string>;
  /**
   * Where this resource lives: region, project and account (clouds.yaml cloud entry), overriding the stack configuration for it alone.
   * A change of region or account replaces the resource. Names only; credentials are read at each call.
   */
  connection?: pulumi.Input<FunctionGraphConnectionArgs>;
  /**
   * Deadlines of the waits: `create`/`update` until the trigger is ACTIVE or DISABLED (default 5 min),
   * `delete` until it is gone (default 3 min), as the Terraform providers wait. Never a change.
   */
  timeouts?: pulumi.Input<TimeoutsArgs>;
}

/** A trigger. Writes wait until it is ACTIVE or DISABLED; delete waits until it is gone. */
export class Trigger extends pulumi.dynamic.Resource {
  /** Where the resource was created: region and account identity (never a secret). */
  declare readonly connection: pulumi.Output<FunctionGraphConnectionRecord>;
  /** `<project>/<stack>/<name>`: how fnstack finds this resource again after a lost answer or a crash. */
  declare readonly stackIdentity: pulumi.Output<string>;
  declare readonly funcUrn: pulumi.Output<string>;
  declare readonly triggerTypeCode: pulumi.Output<string>;
  declare readonly triggerId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  /** Event data as the service holds it (write-only secrets removed). */
  declare readonly eventData: pulumi.Output<Record<string, unknown>>;
  /** Write-only event data (passwords), kept from the inputs; secret. */
  declare readonly eventDataSecrets: pulumi.Output<Record<string, string> | undefined>;
  /** Fields the service added (e.g. `invokeUrl`, `apiId` of API Gateway triggers). */
  declare readonly computedEventData: pulumi.Output<Record<string, unknown> | undefined>;
  declare readonly createdTime: pulumi.Output<string | undefined>;
  declare readonly lastUpdatedTime: pulumi.Output<string | undefined>;

  constructor(name: string, args: TriggerArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      makeProvider("functiongraph:Trigger"),
      name,
      {
        connection: undefined,
        status: undefined,
        ...args,
        stackIdentity: stackIdentity(name),
        triggerId: undefined,
        eventDataSecrets: undefined,
        computedEventData: undefined,
        createdTime: undefined,
        lastUpdatedTime: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["eventDataSecrets"] }),
      "fnstack/functiongraph",
      "Trigger",
    );
  }

  /** Looks up an existing trigger by `<funcUrn>/<type>/<triggerId>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Trigger {
    return new Trigger(name, {} as TriggerArgs, { ...opts, id });
  }
}
