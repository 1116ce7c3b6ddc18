/**
 * `functiongraph:Invocation`: invokes a function when created and whenever its inputs change, and keeps
 * the result as outputs. There is nothing to read back or delete: refresh keeps the recorded result and
 * delete only forgets it.
 */
import { randomUUID } from "node:crypto";
import { ServiceError } from "../../sdk/core/errors";
import * as invocations from "../../sdk/functiongraph/clients/invocations";
import type { CallScope, Props, ResourceHandler } from "../handler";
import { functionGraphContext } from "./context";
import { assertValid, compact } from "./common";

import { checkInvocation, diffInvocation, invocationInputKeys } from "./invocation-model";

/** Runs the invocation and maps the answer to outputs (the one place for this resource's mapping). */
export async function invoke(inputs: Props, call: CallScope | undefined): Promise<Props> {
  const ctx = await functionGraphContext(call);
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

export function invocationHandler(): ResourceHandler {
  return {
    check: (_olds, news, call) => Promise.resolve(checkInvocation(news, call)),
    diff: (_id, olds, news) => Promise.resolve(diffInvocation(olds, news)),
    async create(raw, call) {
      const outs = await invoke(assertValid(checkInvocation(raw, call)), call);
      return {
        id: typeof outs.requestId === "string" && outs.requestId ? outs.requestId : randomUUID(),
        outs,
      };
    },
    async read(id, props) {
      const inputs: Props = {};
      for (const k of invocationInputKeys) if (props[k] !== undefined) inputs[k] = props[k];
      return { id, props, inputs };
    },
    async update(_id, _olds, news, call) {
      return { outs: await invoke(assertValid(checkInvocation(news, call)), call) };
    },
    async delete() {
      // An invocation cannot be undone; forgetting it is all delete means.
    },
  };
}
