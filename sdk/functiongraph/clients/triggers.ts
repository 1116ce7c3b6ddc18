import type { ClientContext as CoreContext } from "../../core/client";
import { FnstackError, NotFoundError } from "../../core/errors";
import { send } from "../../core/send";
import type { CreateTriggerRequest, FunctionTrigger, UpdateTriggerRequest } from "../types/trigger";
import { getFunctionConfig } from "./functions";
import { asNotFound, type CallOptions, type ClientContext, isServiceError, pathParam } from "./common";

/** Identifies one trigger: the function URN it is bound to (maybe qualified), its type and its id. */
export interface TriggerRef {
  readonly funcUrn: string;
  readonly triggerTypeCode: string;
  readonly triggerId: string;
}

function triggerPath(ref: TriggerRef): string {
  return `/fgs/triggers/${pathParam(ref.funcUrn)}/${pathParam(ref.triggerTypeCode)}/${pathParam(ref.triggerId)}`;
}

function describe(ref: TriggerRef): string {
  return `${ref.triggerTypeCode} trigger ${ref.triggerId} of ${ref.funcUrn}`;
}

/** Creates a trigger (`POST /fgs/triggers/{function_urn}`, 201). The URN may carry a version or alias. */
export async function createTrigger(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly body: CreateTriggerRequest },
  options: CallOptions = {},
): Promise<FunctionTrigger> {
  const res = await send<FunctionTrigger>(
    ctx,
    {
      operation: "CreateFunctionTrigger",
      method: "POST",
      path: `/fgs/triggers/${pathParam(input.funcUrn)}`,
      body: input.body,
      resource: `${input.body.trigger_type_code} trigger of ${input.funcUrn}`,
    },
    options,
  );
  return res.body;
}

/** Lists the triggers of a function (`GET /fgs/triggers/{urn}`); the API answers a bare JSON array. */
export async function* listTriggers(
  ctx: ClientContext,
  input: { readonly funcUrn: string },
  options: CallOptions = {},
): AsyncGenerator<FunctionTrigger, void, undefined> {
  const res = await send<FunctionTrigger[] | undefined>(
    ctx,
    {
      operation: "ListFunctionTriggers",
      method: "GET",
      path: `/fgs/triggers/${pathParam(input.funcUrn)}`,
      resource: `triggers of ${input.funcUrn}`,
    },
    options,
  );
  yield* res.body ?? [];
}

/**
 * Reads one trigger. The API answers a missing trigger with 500 `FSS.0500` (peers convert it); since a
 * 500 would otherwise be retried, the first attempt goes out alone and a `FSS.0500` is settled by listing
 * the function's triggers: absent → NotFoundError, present → the listed trigger.
 */
export async function getTrigger(
  ctx: ClientContext,
  input: TriggerRef,
  options: CallOptions = {},
): Promise<FunctionTrigger> {
  const request = {
    operation: "ShowFunctionTrigger",
    method: "GET" as const,
    path: triggerPath(input),
    resource: describe(input),
  };
  const single: CoreContext = { ...ctx, retry: { ...ctx.retry, maxAttempts: 1 } };
  try {
    return (await send<FunctionTrigger>(single, request, options)).body;
  } catch (err) {
    if (isServiceError(err, 500, "FSS.0500")) {
      for await (const t of listTriggers(ctx, { funcUrn: input.funcUrn }, options)) {
        if (t.trigger_id === input.triggerId) return t;
      }
      throw asNotFound(err, describe(input));
    }
    if (err instanceof FnstackError && err.retryable) {
      return (await send<FunctionTrigger>(ctx, request, options)).body;
    }
    throw err;
  }
}

/** Updates a trigger's status and its pull settings (`PUT .../{type}/{id}`). */
export async function updateTrigger(
  ctx: ClientContext,
  input: TriggerRef & { readonly body: UpdateTriggerRequest },
  options: CallOptions = {},
): Promise<FunctionTrigger | undefined> {
  const res = await send<FunctionTrigger | undefined>(
    ctx,
    {
      operation: "UpdateTrigger",
      method: "PUT",
      path: triggerPath(input),
      body: input.body,
      resource: describe(input),
    },
    options,
  );
  return res.body;
}

/**
 * Deletes a trigger (`DELETE .../{type}/{id}`, 204). When the function is gone the API answers 401
 * `FSS.0401`; that is turned into a NotFoundError only after confirming the function is gone, so a real
 * credential failure still surfaces.
 */
export async function deleteTrigger(
  ctx: ClientContext,
  input: TriggerRef,
  options: CallOptions = {},
): Promise<void> {
  try {
    await send(
      ctx,
      {
        operation: "DeleteFunctionTrigger",
        method: "DELETE",
        path: triggerPath(input),
        resource: describe(input),
      },
      options,
    );
  } catch (err) {
    if (isServiceError(err, 401, "FSS.0401")) {
      try {
        await getFunctionConfig(ctx, { funcUrn: input.funcUrn }, options);
      } catch (probe) {
        if (probe instanceof NotFoundError) throw asNotFound(err, describe(input));
      }
    }
    throw err;
  }
}

/** Deletes every trigger of a function, or of one version/alias when the URN is qualified (204). */
export async function deleteAllTriggers(
  ctx: ClientContext,
  input: { readonly funcUrn: string },
  options: CallOptions = {},
): Promise<void> {
  await send(
    ctx,
    {
      operation: "BatchDeleteFunctionTriggers",
      method: "DELETE",
      path: `/fgs/triggers/${pathParam(input.funcUrn)}`,
      resource: `triggers of ${input.funcUrn}`,
    },
    options,
  );
}
