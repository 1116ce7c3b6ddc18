import { send } from "../../core/send";
import type { AsyncInvocationResult, SyncInvocationResult } from "../types/invocation";
import { type CallOptions, type ClientContext, pathParam } from "./common";

/** Input of {@link invokeFunction} and {@link invokeFunctionAsync}. */
export interface InvokeInput {
  /** Function URN, optionally qualified with a version or `!alias`. */
  readonly funcUrn: string;
  /** The event, sent as the JSON body. */
  readonly event: unknown;
  /** Ask for the last 4 KB of the log (`X-Cff-Log-Type: tail`). Sync only. */
  readonly tailLog?: boolean;
}

/**
 * Invokes a function and waits for its result (`POST .../invocations`, `X-CFF-Request-Version: v1` so
 * the answer is JSON `{request_id, result, log, status}`). Not retried after it reached the server:
 * an invocation is not idempotent.
 */
export async function invokeFunction(
  ctx: ClientContext,
  input: InvokeInput,
  options: CallOptions = {},
): Promise<SyncInvocationResult & { readonly requestIdHeader?: string; readonly summary?: string }> {
  const res = await send<SyncInvocationResult | string | undefined>(
    ctx,
    {
      operation: "InvokeFunction",
      method: "POST",
      path: `/fgs/functions/${pathParam(input.funcUrn)}/invocations`,
      headers: {
        "x-cff-request-version": "v1",
        ...(input.tailLog ? { "x-cff-log-type": "tail" } : {}),
      },
      body: input.event ?? {},
      resource: `function ${input.funcUrn}`,
    },
    options,
  );
  const body: SyncInvocationResult =
    typeof res.body === "object" && res.body !== null ? res.body : { result: res.body ?? undefined };
  return { ...body, requestIdHeader: res.requestId, summary: res.headers["x-cff-invoke-summary"] };
}

/** Queues an asynchronous invocation (`POST .../invocations-async`, 202) and returns its request id. */
export async function invokeFunctionAsync(
  ctx: ClientContext,
  input: InvokeInput,
  options: CallOptions = {},
): Promise<AsyncInvocationResult> {
  const res = await send<AsyncInvocationResult>(
    ctx,
    {
      operation: "AsyncInvokeFunction",
      method: "POST",
      path: `/fgs/functions/${pathParam(input.funcUrn)}/invocations-async`,
      body: input.event ?? {},
      resource: `function ${input.funcUrn}`,
    },
    options,
  );
  return res.body;
}
