import type { EmulatorResponse } from "../service";
import { type OperationContext, uuidFrom } from "./context";
import { badRequest, fssError, triggerNotFound } from "./errors";
import { qualifierOf, resolve, findFunction } from "./functions";
import {
  type FunctionState,
  type Json,
  type TriggerState,
  clone,
  formatTime,
  isObject,
  parseJsonObject,
} from "./model";

/** Trigger types of OTC and the Huawei Cloud SDK enum. */
export const triggerTypes: readonly string[] = [
  "TIMER",
  "APIG",
  "DEDICATEDGATEWAY",
  "CTS",
  "DDS",
  "DMS",
  "DIS",
  "LTS",
  "OBS",
  "SMN",
  "KAFKA",
  "OPENSOURCEKAFKA",
  "RABBITMQ",
  "ROCKETMQ",
  "APIC",
  "GAUSSMONGO",
  "EVENTGRID",
  "IOTDA",
];

/** The only types that can be DISABLED (create-trigger doc: "Only timer, DDS, DMS, Kafka, and LTS triggers can be disabled"). */
const disableable = new Set(["TIMER", "DDS", "DMS", "KAFKA", "LTS"]);
/** Types created DISABLED unless a status is sent (OTC create doc). */
const createdDisabled = new Set(["DDS", "KAFKA"]);
/** The only `event_data` keys an update may change (OTC-API update doc). */
const updatableEventKeys = new Set(["is_serial", "max_fetch_bytes", "polling_interval", "polling_unit"]);
/** Write-only `event_data` keys: accepted, never returned. */
const secretEventKeys = new Set([
  "password",
  "kafka_password",
  "db_password",
  "secret_key",
  "access_key",
  "token",
]);

function requireString(data: Json, key: string, type: string): void {
  if (typeof data[key] !== "string" || data[key] === "")
    throw badRequest(`${type} trigger: event_data.${key} is required`);
}

function validateEventData(type: string, data: Json): void {
  switch (type) {
    case "TIMER": {
      requireString(data, "name", type);
      const scheduleType = data["schedule_type"];
      const schedule = data["schedule"];
      if (scheduleType !== "Rate" && scheduleType !== "Cron")
        throw badRequest("TIMER trigger: schedule_type must be Rate or Cron");
      if (typeof schedule !== "string" || schedule === "")
        throw badRequest("TIMER trigger: schedule is required");
      if (scheduleType === "Rate") {
        const m = /^(\d+)([mhd])$/.exec(schedule);
        const limit = { m: 60, h: 24, d: 30 } as const;
        if (!m || Number(m[1]) < 1 || Number(m[1]) > limit[m[2] as "m" | "h" | "d"]) {
          throw badRequest(
            `TIMER trigger: invalid Rate schedule ${schedule} (e.g. 3m; m <= 60, h <= 24, d <= 30)`,
          );
        }
      } else {
        const expr = schedule.replace(/^CRON_TZ=\S+\s+/, "");
        const fields = expr.trim().split(/\s+/);
        if (!expr.startsWith("@every ") && (fields.length < 5 || fields.length > 6)) {
          throw badRequest(`TIMER trigger: invalid Cron schedule ${schedule}`);
        }
      }
      break;
    }
    case "OBS":
      requireString(data, "bucket", type);
      if (!Array.isArray(data["events"]) || data["events"].length === 0)
        throw badRequest("OBS trigger: events is required");
      break;
    case "SMN":
      requireString(data, "topic_urn", type);
      break;
    case "LTS":
      requireString(data, "log_group_id", type);
      requireString(data, "log_topic_id", type);
      break;
    case "KAFKA":
      requireString(data, "instance_id", type);
      if (!Array.isArray(data["topic_ids"]) || data["topic_ids"].length === 0)
        throw badRequest("KAFKA trigger: topic_ids is required");
      break;
    case "DDS":
      requireString(data, "instance_id", type);
      requireString(data, "collection_name", type);
      requireString(data, "db_name", type);
      break;
    case "APIG":
    case "DEDICATEDGATEWAY":
      requireString(data, "group_id", type);
      requireString(data, "name", type);
      break;
    default:
      break;
  }
}

/** The trigger as the API returns it: write-only secrets removed. */
export function renderTrigger(trigger: TriggerState): Json {
  const eventData = Object.fromEntries(
    Object.entries(trigger.event_data).filter(([k]) => !secretEventKeys.has(k)),
  );
  const rendered: Json = {
    trigger_id: trigger.trigger_id,
    trigger_type_code: trigger.trigger_type_code,
    trigger_status: trigger.trigger_status,
    event_data: clone(eventData),
    last_updated_time: formatTime(trigger.last_updated_time),
    created_time: formatTime(trigger.created_time),
  };
  if (trigger.event_type_code !== undefined) rendered["event_type_code"] = trigger.event_type_code;
  return rendered;
}

function triggersOf(fn: FunctionState, qualifier: string): TriggerState[] {
  return fn.triggers.filter((t) => t.qualifier === qualifier);
}

/**
 * `POST /fgs/triggers/{urn}` → 201. Triggers settle at once: no transitional status is documented
 * (peers poll until ACTIVE/DISABLED without naming one), so GET shows the final status immediately.
 */
export function createTrigger(ctx: OperationContext): EmulatorResponse {
  const { ref, fn } = resolve(ctx, ctx.params["function_urn"] ?? "");
  const body = parseJsonObject(ctx.request.body);
  const type = body["trigger_type_code"];
  if (typeof type !== "string" || !triggerTypes.includes(type)) {
    throw badRequest(`trigger_type_code must be one of ${triggerTypes.join(", ")}`);
  }
  const eventData = body["event_data"];
  if (!isObject(eventData)) throw badRequest("event_data is required and must be an object");
  validateEventData(type, eventData);
  let status = body["trigger_status"];
  if (status === undefined || status === null) status = createdDisabled.has(type) ? "DISABLED" : "ACTIVE";
  if (status !== "ACTIVE" && status !== "DISABLED")
    throw badRequest("trigger_status must be ACTIVE or DISABLED");
  if (status === "DISABLED" && !disableable.has(type))
    throw badRequest(`A ${type} trigger cannot be disabled`);
  const eventType = body["event_type_code"];
  const qualifier = qualifierOf(ref);
  if (
    type === "TIMER" &&
    fn.triggers.some(
      (t) =>
        t.trigger_type_code === "TIMER" &&
        t.qualifier === qualifier &&
        t.event_data["name"] === eventData["name"],
    )
  ) {
    throw fssError(409, "FSS.1141", `A timer trigger named ${String(eventData["name"])} already exists`);
  }
  const id = uuidFrom(ctx.newId);
  const stored: Json = clone(eventData);
  if (type === "APIG" || type === "DEDICATEDGATEWAY") {
    // Server-side additions (OTC trigger model): the API id, its URL and the trigger id.
    stored["api_id"] = uuidFrom(ctx.newId).replace(/-/g, "");
    stored["invoke_url"] = `${ctx.request.origin}/${String(eventData["name"])}`;
    stored["triggerid"] = id;
  }
  const trigger: TriggerState = {
    trigger_id: id,
    trigger_type_code: type,
    trigger_status: status,
    event_type_code: typeof eventType === "string" ? eventType : undefined,
    event_data: stored,
    qualifier,
    created_time: ctx.now,
    last_updated_time: ctx.now,
  };
  fn.triggers.push(trigger);
  return { status: 201, body: renderTrigger(trigger) };
}

/** `GET /fgs/triggers/{urn}` → a bare JSON array of the triggers bound to that qualifier. */
export function listTriggers(ctx: OperationContext): EmulatorResponse {
  const { ref, fn } = resolve(ctx, ctx.params["function_urn"] ?? "");
  return { status: 200, body: triggersOf(fn, qualifierOf(ref)).map(renderTrigger) };
}

/** `DELETE /fgs/triggers/{urn}` → 204: every trigger of that qualifier. */
export function deleteAllTriggers(ctx: OperationContext): EmulatorResponse {
  const { ref, fn } = resolve(ctx, ctx.params["function_urn"] ?? "");
  const qualifier = qualifierOf(ref);
  fn.triggers = fn.triggers.filter((t) => t.qualifier !== qualifier);
  return { status: 204 };
}

function findTrigger(fn: FunctionState, type: string, id: string): TriggerState | undefined {
  return fn.triggers.find((t) => t.trigger_id === id && t.trigger_type_code === type);
}

/**
 * `GET /fgs/triggers/{urn}/{type}/{id}`. A missing trigger (or function) answers **500 `FSS.0500`**, as the
 * service does (TF-HW converts it to 404).
 */
export function showTrigger(ctx: OperationContext): EmulatorResponse {
  let trigger: TriggerState | undefined;
  try {
    const { fn } = findFunction(ctx, ctx.params["function_urn"] ?? "");
    trigger = findTrigger(fn, ctx.params["trigger_type_code"] ?? "", ctx.params["trigger_id"] ?? "");
  } catch {
    trigger = undefined;
  }
  if (trigger === undefined)
    throw fssError(500, "FSS.0500", "Internal server error: the trigger does not exist");
  return { status: 200, body: renderTrigger(trigger) };
}

/**
 * `PUT /fgs/triggers/{urn}/{type}/{id}`: only `trigger_status` and the four pull settings of `event_data`
 * (`is_serial`, `max_fetch_bytes`, `polling_interval`, `polling_unit`) can change.
 */
export function updateTrigger(ctx: OperationContext): EmulatorResponse {
  const { fn } = findFunction(ctx, ctx.params["function_urn"] ?? "");
  const id = ctx.params["trigger_id"] ?? "";
  const trigger = findTrigger(fn, ctx.params["trigger_type_code"] ?? "", id);
  if (trigger === undefined) throw triggerNotFound(id);
  const body = parseJsonObject(ctx.request.body);
  const status = body["trigger_status"];
  if (status !== undefined && status !== null) {
    if (status !== "ACTIVE" && status !== "DISABLED")
      throw badRequest("trigger_status must be ACTIVE or DISABLED");
    if (status === "DISABLED" && !disableable.has(trigger.trigger_type_code)) {
      throw badRequest(`A ${trigger.trigger_type_code} trigger cannot be disabled`);
    }
  }
  const eventData = body["event_data"];
  if (eventData !== undefined && eventData !== null) {
    if (!isObject(eventData)) throw badRequest("event_data must be an object");
    for (const [key, value] of Object.entries(eventData)) {
      if (!updatableEventKeys.has(key) && JSON.stringify(value) !== JSON.stringify(trigger.event_data[key])) {
        throw badRequest(
          `event_data.${key} cannot be updated; only ${[...updatableEventKeys].join(", ")} can`,
        );
      }
    }
    for (const key of updatableEventKeys) {
      if (eventData[key] !== undefined) trigger.event_data[key] = clone(eventData[key]);
    }
  }
  if (typeof status === "string") trigger.trigger_status = status;
  trigger.last_updated_time = ctx.now;
  return { status: 200, body: renderTrigger(trigger) };
}

/**
 * `DELETE /fgs/triggers/{urn}/{type}/{id}` → 204; 404 `FSS.1131` when the trigger is gone, and **401
 * `FSS.0401`** when the function itself is gone, as the service answers (TF-HW converts it to 404).
 */
export function deleteTrigger(ctx: OperationContext): EmulatorResponse {
  let fn: FunctionState;
  try {
    fn = findFunction(ctx, ctx.params["function_urn"] ?? "").fn;
  } catch {
    throw fssError(401, "FSS.0401", "Unauthorized: the function of this trigger does not exist");
  }
  const id = ctx.params["trigger_id"] ?? "";
  const trigger = findTrigger(fn, ctx.params["trigger_type_code"] ?? "", id);
  if (trigger === undefined) throw triggerNotFound(id);
  fn.triggers = fn.triggers.filter((t) => t !== trigger);
  return { status: 204 };
}
