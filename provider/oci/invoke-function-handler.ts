/**
 * `oci:InvokeFunction`: invokes a function on create (and again when its inputs change, by
 * replacement) and records the answer as `content`. Deleting it only forgets the result.
 */
import { randomUUID } from "node:crypto";
import { ValidationError } from "../../sdk/core/errors";
import { retry } from "../../sdk/core/retry";
import * as fm from "../../sdk/oci/clients/functions-management";
import type { StreamedBody } from "../../sdk/core/request";
import { invokeContext, invokeFunction, measureBodyFile } from "../../sdk/oci/clients/functions-invoke";
import type { CallScope, Props, ResourceHandler } from "../handler";
import { compact, isNotFound, ociContexts, pick, timeoutFor } from "./common";
import {
  bodyFileSha256,
  checkInvokeFunction,
  diffInvokeFunction,
  invokeBody,
  invokeFunctionInputKeys,
} from "./invoke-function-model";
import { checkAndDiff } from "./handler-steps";

/** Builds the `oci:InvokeFunction` handler. */
export function invokeFunctionHandler(): ResourceHandler {
  const { check, diff } = checkAndDiff(checkInvokeFunction, diffInvokeFunction);
  return {
    async check(olds, news) {
      const result = await check(olds, news);
      if (result.failures !== undefined && result.failures.length > 0) return result;
      const sha = bodyFileSha256(news);
      return sha === undefined ? result : { inputs: { ...news, inputBodySourceSha256: sha } };
    },
    diff,
    async create(inputs, call) {
      return { id: `invoke-${randomUUID()}`, outs: await invoke(inputs, "create", call) };
    },
    async read(id, props, _inputs, call) {
      // The invocation itself has no cloud state; it is gone when its function is.
      if (typeof props.functionId !== "string") return { id, props };
      const ctxs = await ociContexts(call);
      try {
        await fm.getFunction(ctxs.functions, props.functionId);
      } catch (err) {
        if (isNotFound(err)) return { id: "", props: {} };
        throw err;
      }
      return { id, props, inputs: pick(props, invokeFunctionInputKeys) };
    },
    async update(_id, _olds, news, call) {
      return { outs: await invoke(news, "update", call) };
    },
    async delete() {
      // Nothing to delete in the cloud: the result is simply forgotten.
    },
  };
}

async function invoke(
  inputs: Props,
  phase: "create" | "update",
  call: CallScope | undefined,
): Promise<Props> {
  const ctxs = await ociContexts(call);
  const functionId = inputs.functionId as string;
  const signal = AbortSignal.timeout(timeoutFor(inputs, phase));
  const fn = (await fm.getFunction(ctxs.functions, functionId, { signal })).value;
  if (fn.invokeEndpoint === undefined)
    throw new Error(`function ${functionId} has no invokeEndpoint yet (it is ${fn.lifecycleState})`);
  const ctx = invokeContext(ctxs.functions, fn.invokeEndpoint);
  const body =
    typeof inputs.inputBodySourcePath === "string"
      ? await measureFile(inputs.inputBodySourcePath, signal)
      : invokeBody(inputs);
  const invokeOnce = () =>
    invokeFunction(
      ctx,
      {
        functionId,
        body,
        fnIntent: inputs.fnIntent as "httprequest" | "cloudevent" | undefined,
        fnInvokeType: inputs.fnInvokeType as "sync" | "detached" | undefined,
        isDryRun: inputs.isDryRun as boolean | undefined,
      },
      { signal },
    );
  // Invoke is not retried after it may have reached the function (the SDK never retries it); a user
  // who knows the function is idempotent can allow it.
  const result =
    inputs.idempotent === true
      ? (
          await retry(invokeOnce, {
            policy: ctx.retry,
            idempotent: true,
            signal,
            description: `InvokeFunction ${functionId}`,
          })
        ).value
      : await invokeOnce();
  const content =
    inputs.base64EncodeContent === true ? result.body.toString("base64") : result.body.toString("utf8");
  return compact({
    ...pick(inputs, invokeFunctionInputKeys),
    content,
    statusCode: result.statusCode,
    invokeEndpoint: fn.invokeEndpoint,
    timeInvoked: new Date().toISOString(),
  });
}

/**
 * Measures the body file (length and SHA-256, one chunk in memory at a time) so it can be streamed
 * on the wire; it may have grown past the service's 6 MB since `check`, which is refused here, before
 * any request. Each attempt re-opens the file; a file changed after this pass fails OCI's signature
 * check rather than invoking with unsigned bytes.
 */
async function measureFile(path: string, signal: AbortSignal): Promise<StreamedBody> {
  try {
    return await measureBodyFile(path, { signal });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new ValidationError([{ property: "inputBodySourcePath", reason: error.message }]);
  }
}
