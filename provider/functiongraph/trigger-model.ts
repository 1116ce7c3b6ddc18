/**
 * The Trigger resource's pure logic: typed event data per trigger type (validated before any request),
 * the camelCase ↔ snake_case mapping of event data, write-only secrets, and the diff rule (status and
 * the four pull settings update in place; any other event data change replaces).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { TriggerRef } from "../../sdk/functiongraph/clients/triggers";
import type { FunctionTrigger } from "../../sdk/functiongraph/types/trigger";
import type { CallScope, Props } from "../handler";
import { project } from "./function-model";
import {
  camelCase,
  changedKeys,
  compact,
  type Checker,
  fromWire,
  isPlainObject,
  type Plain,
  qualifiedFuncUrnPattern,
  sameValue,
  startCheck,
  toWire,
  unknown,
} from "./common";
import { cronRangeProblem } from "./input-rules";

/** Trigger types this provider knows. */
export const triggerTypes = [
  "TIMER",
  "APIG",
  "DEDICATEDGATEWAY",
  "OBS",
  "SMN",
  "DMS",
  "KAFKA",
  "OPENSOURCEKAFKA",
  "ROCKETMQ",
  "RABBITMQ",
  "LTS",
  "CTS",
  "DDS",
  "DIS",
  "APIC",
  "GAUSSMONGO",
  "EVENTGRID",
] as const;

/** Types that can be DISABLED (OTC create doc; TF-HW adds DMS). */
export const disableableTypes = ["TIMER", "DDS", "LTS", "KAFKA", "DMS"];

/** Event data keys the update API can change; every other change replaces the trigger. */
export const mutableEventKeys = ["isSerial", "maxFetchBytes", "pollingInterval", "pollingUnit"] as const;

/**
 * Write-only event data keys: never returned (the emulator strips the same wire keys), kept from the
 * inputs and output as secrets. `accessKey`/`token` carry the credentials of message-queue triggers
 * (e.g. ROCKETMQ); without them here every read showed them gone and replaced the trigger (issue 10,
 * defect 5).
 */
export const secretEventKeys = [
  "kafkaPassword",
  "dbPassword",
  "secretKey",
  "password",
  "accessKey",
  "token",
] as const;

/** Event data keys of API gateway triggers (shared and dedicated gateways take the same). */
const apiGatewayKeys = [
  "groupId",
  "envId",
  "envName",
  "name",
  "path",
  "protocol",
  "reqMethod",
  "matchMode",
  "auth",
  "backendType",
  "type",
  "slDomain",
  "instanceId",
  "funcInfo",
] as const;

/** Known keys of each typed event data (camelCase). Types not listed take any object. */
export const eventDataKeys: Readonly<Record<string, readonly string[]>> = {
  TIMER: ["name", "scheduleType", "schedule", "userEvent"],
  OBS: ["bucket", "events", "prefix", "suffix", "name"],
  SMN: ["topicUrn"],
  APIG: apiGatewayKeys,
  DEDICATEDGATEWAY: apiGatewayKeys,
  KAFKA: [
    "instanceId",
    "topicIds",
    "batchSize",
    "kafkaUser",
    "kafkaPassword",
    "kafkaConnectAddress",
    "kafkaSslEnable",
    ...mutableEventKeys,
  ],
  LTS: ["logGroupId", "logTopicId"],
  CTS: ["name", "operations"],
  DMS: ["queueId", "consumerGroupId", ...mutableEventKeys],
  DDS: ["instanceId", "collectionName", "dbName", "dbPassword", "batchSize", ...mutableEventKeys],
  DIS: ["streamName", "sharditeratorType", ...mutableEventKeys],
};

const inputKeys = [
  "funcUrn",
  "triggerTypeCode",
  "status",
  "eventTypeCode",
  "eventData",
  "adoptId",
  "timeouts",
] as const;
/** Inputs whose change replaces the trigger. */
export const triggerReplaceKeys = [
  "funcUrn",
  "triggerTypeCode",
  "eventTypeCode",
  "eventData",
  "eventDataSecrets",
] as const;

/** Function URN, optionally qualified with a version or `!alias` (the trigger binds to it). */
export const triggerFuncUrnPattern = qualifiedFuncUrnPattern;

const nameRule = {
  max: 64,
  pattern: /^[A-Za-z][A-Za-z0-9_-]*$/,
  describe: "must be 1–64 letters, digits, '-', '_', starting with a letter",
};

/** Validates a timer schedule: Rate `<n>m|h|d` (m ≤ 60, h ≤ 24, d ≤ 30) or Cron (`@every`, 5–6 fields, `CRON_TZ=`). */
export function scheduleProblem(scheduleType: string, schedule: string): string | undefined {
  if (scheduleType === "Rate") {
    const m = /^([1-9][0-9]*)([mhd])$/.exec(schedule);
    if (!m) return 'a Rate schedule is "<n>m", "<n>h" or "<n>d", e.g. "3m"';
    const limit = { m: 60, h: 24, d: 30 }[m[2] as "m" | "h" | "d"];
    if (Number(m[1]) > limit) return `a Rate of ${m[2]} is at most ${limit}`;
    return undefined;
  }
  let expr = schedule.trim();
  const tz = /^CRON_TZ=(\S+)\s+(.*)$/.exec(expr);
  if (tz) expr = tz[2] ?? "";
  if (/^@every\s+[1-9][0-9]*(s|m|h|d)$/.test(expr)) return undefined;
  const fields = expr.split(/\s+/);
  if (fields.length < 5 || fields.length > 6)
    return "a Cron schedule has 5 or 6 fields (sec min hour dom month [dow]) or is @every <N><unit>";
  if (!fields.every((f) => /^[0-9*?/,\-LW#A-Za-z]+$/.test(f)))
    return "a Cron field may hold digits, letters and * ? / , - L W #";
  return cronRangeProblem(fields);
}

const obsEvents = [
  "s3:ObjectCreated:*",
  "s3:ObjectCreated:Put",
  "s3:ObjectCreated:Post",
  "s3:ObjectCreated:Copy",
  "s3:ObjectCreated:CompleteMultipartUpload",
  "s3:ObjectRemoved:*",
  "s3:ObjectRemoved:Delete",
  "s3:ObjectRemoved:DeleteMarkerCreated",
];

function checkEventData(c: Checker, type: string, data: Plain): void {
  const p = (k: string): string => `eventData.${k}`;
  const known = eventDataKeys[type];
  if (known) c.noUnknownKeys("eventData", data, known);
  // Keys are sent as snake_case and read back as camelCase: a snake_case input key would never match
  // its read-back and replace the trigger on every `up` (defect 5), for untyped trigger types too.
  else
    for (const key of Object.keys(data))
      if (key.includes("_"))
        c.fail(p(key), `event data keys are camelCase (sent as snake_case): write ${camelCase(key)}`);
  switch (type) {
    case "TIMER": {
      if (c.required(p("name"), data.name)) c.string(p("name"), data.name, nameRule);
      if (c.required(p("scheduleType"), data.scheduleType))
        c.oneOf(p("scheduleType"), data.scheduleType, ["Rate", "Cron"]);
      c.string(p("schedule"), data.schedule);
      if (
        c.required(p("schedule"), data.schedule) &&
        typeof data.schedule === "string" &&
        !unknown(data.scheduleType)
      ) {
        const problem = scheduleProblem(String(data.scheduleType), data.schedule);
        if (problem) c.fail(p("schedule"), problem);
      }
      c.string(p("userEvent"), data.userEvent, { max: 4096 });
      return;
    }
    case "OBS": {
      if (c.required(p("bucket"), data.bucket))
        c.string(p("bucket"), data.bucket, {
          min: 1,
          max: 64,
          pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
          describe: "must be an OBS bucket name",
        });
      c.required(p("events"), data.events);
      c.array(p("events"), data.events, { min: 1 })?.forEach((e, i) =>
        c.oneOf(`${p("events")}[${i}]`, e, obsEvents),
      );
      c.string(p("prefix"), data.prefix, { max: 1024 });
      c.string(p("suffix"), data.suffix, { max: 1024 });
      c.string(p("name"), data.name, nameRule);
      return;
    }
    case "SMN":
      if (c.required(p("topicUrn"), data.topicUrn))
        c.string(p("topicUrn"), data.topicUrn, {
          min: 1,
          max: 255,
          pattern: /^urn:smn:/,
          describe: "must be an SMN topic URN (urn:smn:...)",
        });
      return;
    case "APIG":
    case "DEDICATEDGATEWAY": {
      for (const k of ["groupId", "envId", "envName", "name"]) c.required(p(k), data[k]);
      c.string(p("name"), data.name, {
        max: 64,
        pattern: /^[A-Za-z][A-Za-z0-9_]*$/,
        describe: "must be letters, digits, '_', starting with a letter",
      });
      if (type === "DEDICATEDGATEWAY") c.required(p("instanceId"), data.instanceId);
      c.string(p("path"), data.path, { pattern: /^\//, describe: "must start with /" });
      c.oneOf(p("protocol"), data.protocol, ["HTTP", "HTTPS"]);
      c.oneOf(p("reqMethod"), data.reqMethod, [
        "GET",
        "POST",
        "PUT",
        "DELETE",
        "HEAD",
        "PATCH",
        "OPTIONS",
        "ANY",
      ]);
      c.oneOf(p("matchMode"), data.matchMode, ["SWA", "NORMAL"]);
      c.oneOf(p("auth"), data.auth, ["IAM", "APP", "NONE"]);
      c.oneOf(p("backendType"), data.backendType, ["FUNCTION"]);
      c.oneOf(p("type"), data.type, [1, 2]);
      const fi = c.object(p("funcInfo"), data.funcInfo);
      if (fi) {
        if (c.required(p("funcInfo.timeout"), fi.timeout))
          c.integer(p("funcInfo.timeout"), fi.timeout, 1, 60000, "ms");
        c.oneOf(p("funcInfo.invocationType"), fi.invocationType, ["sync", "async"]);
      }
      return;
    }
    case "KAFKA":
      c.required(p("instanceId"), data.instanceId);
      c.required(p("topicIds"), data.topicIds);
      c.array(p("topicIds"), data.topicIds, { min: 1 })?.forEach((t, i) =>
        c.string(`${p("topicIds")}[${i}]`, t, { min: 1 }),
      );
      c.integer(p("batchSize"), data.batchSize, 1, 1000);
      c.boolean(p("kafkaSslEnable"), data.kafkaSslEnable);
      if (data.kafkaUser !== undefined && data.kafkaPassword === undefined)
        c.fail(p("kafkaPassword"), "is required with kafkaUser");
      return;
    case "LTS":
      c.required(p("logGroupId"), data.logGroupId);
      c.required(p("logTopicId"), data.logTopicId);
      return;
    case "CTS":
      if (c.required(p("name"), data.name)) c.string(p("name"), data.name, nameRule);
      c.required(p("operations"), data.operations);
      c.array(p("operations"), data.operations, { min: 1 });
      return;
    case "DMS":
      c.required(p("queueId"), data.queueId);
      c.required(p("consumerGroupId"), data.consumerGroupId);
      c.integer(p("pollingInterval"), data.pollingInterval, 1, 3600, "seconds");
      return;
    case "DDS":
      for (const k of ["instanceId", "collectionName", "dbName", "dbPassword"]) c.required(p(k), data[k]);
      c.integer(p("batchSize"), data.batchSize, 1, 10000);
      return;
    default:
      return;
  }
}

/** Validates Trigger inputs; fills the default status (ACTIVE); never sends a request. */
export function checkTrigger(news: Props, call?: CallScope): pulumi.dynamic.CheckResult {
  const { c, inputs } = startCheck(news, inputKeys, { qualified: true }, call);
  if (c.required("triggerTypeCode", inputs.triggerTypeCode))
    c.oneOf("triggerTypeCode", inputs.triggerTypeCode, triggerTypes);
  if (inputs.status === undefined) inputs.status = "ACTIVE";
  c.oneOf("status", inputs.status, ["ACTIVE", "DISABLED"]);
  if (
    inputs.status === "DISABLED" &&
    typeof inputs.triggerTypeCode === "string" &&
    !disableableTypes.includes(inputs.triggerTypeCode)
  )
    c.fail(
      "status",
      `${inputs.triggerTypeCode} triggers cannot be disabled (only ${disableableTypes.join(", ")})`,
    );
  c.string("eventTypeCode", inputs.eventTypeCode, { max: 64 });
  c.timeouts("timeouts", inputs.timeouts);
  if (c.required("eventData", inputs.eventData)) {
    const data = c.object("eventData", inputs.eventData);
    if (data && typeof inputs.triggerTypeCode === "string") checkEventData(c, inputs.triggerTypeCode, data);
  }
  c.string("adoptId", inputs.adoptId, {
    min: 1,
    max: 128,
    pattern: /^[A-Za-z0-9_-]+$/,
    describe: "must be the id of an existing trigger of this function and type",
  });
  return c.result(inputs);
}

/** Splits event data into the write-only secrets and the rest. */
export function splitSecrets(data: unknown): { plain: Plain; secrets: Plain } {
  const plain: Plain = {};
  const secrets: Plain = {};
  if (!isPlainObject(data)) return { plain, secrets };
  for (const [k, v] of Object.entries(data)) {
    if ((secretEventKeys as readonly string[]).includes(k)) secrets[k] = v;
    else plain[k] = v;
  }
  return { plain, secrets };
}

/** Event data to the wire (keys snake_case, values as given). */
export function eventDataToWire(data: unknown): Plain {
  return toWire<Plain>(data);
}

/** Event data from the wire, in input shape, without any secret the service might echo. */
export function eventDataFromWire(data: unknown): Plain {
  return splitSecrets(fromWire<Plain>(data ?? {})).plain;
}

function pick(data: Plain, keys: readonly string[], keep: boolean): Plain {
  const out: Plain = {};
  for (const [k, v] of Object.entries(data)) if (keys.includes(k) === keep) out[k] = v;
  return out;
}

/** The engine's DiffResult: status and pull settings in place, everything else (secrets too) replaces. */
export function diffTrigger(olds: Props, news: Props): pulumi.dynamic.DiffResult {
  const changed = changedKeys(olds, news, ["funcUrn", "triggerTypeCode", "eventTypeCode", "status"]);
  if (unknown(news.eventData)) {
    changed.push("eventData");
  } else {
    const n = splitSecrets(news.eventData);
    const o = isPlainObject(olds.eventData) ? (olds.eventData as Plain) : {};
    if (!sameValue(pick(n.plain, mutableEventKeys, false), pick(o, mutableEventKeys, false)))
      changed.push("eventData");
    else if (!sameValue(pick(n.plain, mutableEventKeys, true), pick(o, mutableEventKeys, true)))
      changed.push("eventDataPull");
    const oldSecrets = isPlainObject(olds.eventDataSecrets) ? olds.eventDataSecrets : {};
    if (!sameValue(n.secrets, oldSecrets)) changed.push("eventDataSecrets");
  }
  const replaces = changed.filter((k) => (triggerReplaceKeys as readonly string[]).includes(k));
  // Trigger names (timers, APIs) are unique per function: the old one goes first.
  return { changes: changed.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 };
}

/** The pull settings of the inputs in wire form (for the update body), or undefined when none. */
export function pullSettingsToWire(data: unknown): Plain | undefined {
  if (!isPlainObject(data)) return undefined;
  const pull = pick(data, mutableEventKeys, true);
  return Object.keys(pull).length > 0 ? toWire<Plain>(pull) : undefined;
}

/** Splits `<funcUrn>/<type>/<triggerId>`. */
export function parseTriggerId(id: string): TriggerRef {
  const parts = id.split("/");
  if (parts.length !== 3 || parts.some((p) => p.length === 0))
    throw new TypeError(`not a trigger id (<funcUrn>/<type>/<triggerId>): ${id}`);
  const [funcUrn = "", triggerTypeCode = "", triggerId = ""] = parts;
  return { funcUrn, triggerTypeCode, triggerId };
}

/** Outputs: live event data trimmed to what the user set, secrets from the inputs, computed fields. */
export function triggerOutputs(
  t: FunctionTrigger,
  ref: TriggerRef,
  inputs: Props,
  everything = false,
): Props {
  const live = eventDataFromWire(t.event_data);
  const template = splitSecrets(inputs.eventData).plain;
  const eventData = everything ? live : (project(live, template) as Plain);
  const secrets = splitSecrets(inputs.eventData).secrets;
  const computed: Plain = {};
  for (const [k, v] of Object.entries(live)) if (!(k in eventData)) computed[k] = v;
  return compact({
    funcUrn: ref.funcUrn,
    triggerTypeCode: t.trigger_type_code ?? ref.triggerTypeCode,
    triggerId: t.trigger_id ?? ref.triggerId,
    status: t.trigger_status,
    eventTypeCode: inputs.eventTypeCode,
    eventData,
    eventDataSecrets: Object.keys(secrets).length > 0 ? secrets : undefined,
    computedEventData: Object.keys(computed).length > 0 ? computed : undefined,
    lastUpdatedTime: t.last_updated_time,
    createdTime: t.created_time,
    adoptId: inputs.adoptId,
    timeouts: inputs.timeouts,
  });
}
