import { ServiceError } from "../../core/errors";
import { type SendRequest, type SendResponse, send } from "../../core/send";
import type { ClientContext as CoreContext } from "../../core/client";
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
 * The error of invoking a function that may run no instance: the service answers 429 `FSS.0429`
 * "Function Disabled" (its maximum number of instances, `strategy_config.concurrency`, is 0). The error
 * body parser marks that answer final, so it is never retried nor taken for throttling (issue 10,
 * defect 13); this class says what to do about it.
 */
export class FunctionDisabledError extends ServiceError {}

/** True for the service's "Function Disabled" answer (429 `FSS.0429`, marked final by the parser). */
export function isFunctionDisabled(error: unknown): error is ServiceError {
  return (
    error instanceof ServiceError &&
    !(error instanceof FunctionDisabledError) &&
    error.code === "FSS.0429" &&
    /function disabled/i.test(error.message)
  );
}

/** Sends an invocation, turning a "Function Disabled" answer into a {@link FunctionDisabledError}. */
async function sendInvocation<T>(
  ctx: CoreContext,
  request: SendRequest,
  options: CallOptions,
): Promise<SendResponse<T>> {
  try {
    return await send<T>(ctx, request, options);
  } catch (err) {
    if (!isFunctionDisabled(err)) throw err;
    throw new FunctionDisabledError(
      `${request.operation} on ${request.resource ?? "the function"} failed: the function is disabled ` +
        `(HTTP 429 FSS.0429 "Function Disabled"): its maximum number of instances ` +
        `(maxInstanceNum, strategy_config.concurrency) is 0. Set maxInstanceNum to -1 or a positive ` +
        `number and run the update again. (request id ${err.requestId ?? "unknown"})`,
      { code: err.code, requestId: err.requestId, retryable: false, cause: err },
    );
  }
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
  const res = await sendInvocation<SyncInvocationResult | string | undefined>(
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
  const res = await sendInvocation<AsyncInvocationResult>(
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
