import type { EmulatorResponse } from "../service";
import { type OperationContext, uuidFrom } from "./context";
import { badRequest, fssError } from "./errors";
import { type Target, resolve, targetVersionName } from "./functions";
import { type FunctionState, type Json, isObject } from "./model";

/** Largest synchronous event, bytes (6 MB). */
export const maxSyncEventBytes = 6 * 1024 * 1024;
/** Largest asynchronous event, bytes (256 KB). */
export const maxAsyncEventBytes = 256 * 1024;

function eventText(ctx: OperationContext, limit: number): string {
  const body = ctx.request.body;
  if (body.length > limit) throw fssError(413, "FSS.0413", `The event exceeds ${limit} bytes`);
  const text = body.length === 0 ? "{}" : body.toString("utf8");
  try {
    JSON.parse(text);
  } catch {
    throw badRequest("The event must be JSON");
  }
  return text;
}

/**
 * A function with no instances allowed cannot run: `strategy_config.concurrency` (= max instances) 0, set
 * by `config-max-instance` 0 or left behind by a partial PUT config, → 429 `FSS.0429 "Function Disabled"`, as the service answers.
 */
function requireEnabled(fn: FunctionState, target: Target): void {
  const config =
    target.kind === "version"
      ? target.version.config
      : target.kind === "alias" && target.resolved !== "latest"
        ? target.resolved.config
        : fn.config;
  const strategy = isObject(config["strategy_config"]) ? config["strategy_config"] : {};
  if (strategy["concurrency"] === 0) {
    throw fssError(429, "FSS.0429", "Function Disabled");
  }
}

/**
 * `POST /fgs/functions/{urn}/invocations`. Deterministic: the function "returns" its event. The answer
 * (`X-CFF-Request-Version: v1`, the default here) is `{request_id, result, log, status}` with `result` the
 * event's JSON text as sent; `v0` answers the result text alone. `X-Cff-Log-Type: tail` adds the log
 * (base64) in `X-Cff-Function-Log` and in `log`.
 */
export function invokeFunction(ctx: OperationContext): EmulatorResponse {
  const { fn, target } = resolve(ctx, ctx.params["function_urn"] ?? "");
  const event = eventText(ctx, maxSyncEventBytes);
  requireEnabled(fn, target);
  const requestId = uuidFrom(ctx.newId);
  const version = targetVersionName(target);
  const memory = typeof fn.config["memory_size"] === "number" ? fn.config["memory_size"] : 128;
  const started = new Date(ctx.now).toISOString();
  const log =
    `${started} Start invoke request '${requestId}', version: ${version}\n` +
    `${started} Finish invoke request '${requestId}'(invoke Success), duration: 1.000ms, billing duration: 1ms, memory used: 32.000MB, billing memory: ${memory}MB\n`;
  const tail = (ctx.request.headers["x-cff-log-type"] ?? "").toLowerCase() === "tail";
  const summary = {
    funcDigest: fn.code.digest.slice(0, 32),
    duration: 1,
    billingDuration: 1,
    memorySize: memory,
    memoryUsed: 32,
  };
  const headers: Record<string, string> = {
    "x-cff-request-id": requestId,
    "x-cff-invoke-summary": JSON.stringify(summary),
    "x-cff-billing-duration": "1",
    "x-func-err-code": "0",
    "x-is-func-err": "false",
  };
  if (tail) headers["x-cff-function-log"] = Buffer.from(log).toString("base64");
  if ((ctx.request.headers["x-cff-request-version"] ?? "").toLowerCase() === "v0") {
    headers["x-cff-response-version"] = "v0";
    headers["content-type"] = "application/json";
    return { status: 200, headers, body: Buffer.from(event) };
  }
  headers["x-cff-response-version"] = "v1";
  const body: Json = { request_id: requestId, result: event, log: tail ? log : "", status: 200 };
  return { status: 200, headers, body };
}

/** `POST /fgs/functions/{urn}/invocations-async` → 202 `{request_id}`; the event is accepted and dropped. */
export function invokeFunctionAsync(ctx: OperationContext): EmulatorResponse {
  const { fn, target } = resolve(ctx, ctx.params["function_urn"] ?? "");
  eventText(ctx, maxAsyncEventBytes);
  requireEnabled(fn, target);
  const requestId = uuidFrom(ctx.newId);
  return { status: 202, headers: { "x-cff-request-id": requestId }, body: { request_id: requestId } };
}
