/**
 * `functiongraph:Invocation`: invokes a function when created and whenever its inputs change, and keeps
 * the result as outputs. There is nothing to read back or delete: refresh keeps the recorded result and
 * delete only forgets it.
 */
import { randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { ServiceError } from "../../sdk/core/errors";
import * as invocations from "../../sdk/functiongraph/clients/invocations";
import type { Props, ResourceHandler } from "../handler";
import { functionGraphContext } from "./context";
import { assertValid, changedKeys, compact, isPlainObject, startCheck } from "./common";

const inputKeys = ["funcUrn", "event", "mode", "tailLog", "allowFailure", "triggers"] as const;
/** Largest event accepted, in bytes of JSON (the API's synchronous body limit is 6 MB). */
export const maxEventBytes = 6 * 1024 * 1024;

/** Validates Invocation inputs; never sends a request. */
export function checkInvocation(news: Props): pulumi.dynamic.CheckResult {
  const { c, inputs } = startCheck(news, inputKeys, { qualified: true });
  if (inputs.mode === undefined) inputs.mode = "sync";
  c.oneOf("mode", inputs.mode, ["sync", "async"]);
  if (inputs.event === undefined) inputs.event = {};
  if (!c.skip(inputs.event)) {
    if (!isPlainObject(inputs.event)) c.fail("event", "must be a JSON object (the function's event)");
    else if (Buffer.byteLength(JSON.stringify(inputs.event)) > maxEventBytes)
      c.fail("event", `must encode to at most ${maxEventBytes} bytes`);
  }
  c.boolean("tailLog", inputs.tailLog);
  if (inputs.tailLog === true && inputs.mode === "async")
    c.fail("tailLog", "only applies to synchronous invocations");
  c.boolean("allowFailure", inputs.allowFailure);
  c.stringMap("triggers", inputs.triggers);
  return c.result(inputs);
}

/** Runs the invocation and maps the answer to outputs (the one place for this resource's mapping). */
export async function invoke(inputs: Props): Promise<Props> {
  const ctx = await functionGraphContext();
  const funcUrn = String(inputs.funcUrn);
  const base = compact({ ...inputs, invokedAt: new Date().toISOString() });
  if (inputs.mode === "async") {
    const r = await invocations.invokeFunctionAsync(ctx, { funcUrn, event: inputs.event });
    return { ...base, requestId: r.request_id };
  }
  const r = await invocations.invokeFunction(ctx, {
    funcUrn,
    event: inputs.event,
    tailLog: inputs.tailLog === true,
  });
  // v1 answers carry `status` 200 (some regions 0) on success and an `error_code` on failure.
  const failed = Boolean(r.error_code) || (r.status !== undefined && r.status !== 0 && r.status !== 200);
  if (failed && inputs.allowFailure !== true) {
    throw new ServiceError(
      `function ${funcUrn} failed (status ${r.status}${r.error_code ? `, ${r.error_code}` : ""}): ${String(r.result ?? "").slice(0, 1024)}`,
      {
        code: r.error_code ?? "FunctionError",
        requestId: r.request_id,
      },
    );
  }
  let resultJson: unknown;
  if (typeof r.result === "string") {
    try {
      resultJson = JSON.parse(r.result);
    } catch {
      resultJson = undefined;
    }
  } else if (r.result !== undefined) resultJson = r.result;
  return compact({
    ...base,
    requestId: r.request_id ?? r.requestIdHeader,
    result: typeof r.result === "string" ? r.result : JSON.stringify(r.result ?? null),
    resultJson,
    status: r.status ?? 200,
    errorCode: r.error_code,
    log: r.log,
  });
}

/** Any input change means "invoke again": an update, never a replacement. */
export function diffInvocation(olds: Props, news: Props): pulumi.dynamic.DiffResult {
  const changed = changedKeys(olds, news, inputKeys);
  return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
}

/** The handler of `functiongraph:Invocation`. */
export function invocationHandler(): ResourceHandler {
  return {
    check: (_olds, news) => Promise.resolve(checkInvocation(news)),
    diff: (_id, olds, news) => Promise.resolve(diffInvocation(olds, news)),
    async create(raw) {
      const outs = await invoke(assertValid(checkInvocation(raw)));
      return {
        id: typeof outs.requestId === "string" && outs.requestId ? outs.requestId : randomUUID(),
        outs,
      };
    },
    async read(id, props) {
      const inputs: Props = {};
      for (const k of inputKeys) if (props[k] !== undefined) inputs[k] = props[k];
      return { id, props, inputs };
    },
    async update(_id, _olds, news) {
      return { outs: await invoke(assertValid(checkInvocation(news))) };
    },
    async delete() {
      // An invocation cannot be undone; forgetting it is all delete means.
    },
  };
}
