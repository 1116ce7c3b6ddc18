/**
 * `oci:Function`: a function in an OCI Functions application. Like applications, functions have no
 * work requests: changes are followed by a wait on `lifecycleState`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ClientContext } from "../../sdk/core/client";
import { ValidationError } from "../../sdk/core/errors";
import * as fm from "../../sdk/oci/clients/functions-management";
import { waitForDeletion, waitForLifecycleState } from "../../sdk/oci/lifecycle";
import type { FunctionResource } from "../../sdk/oci/types/functions";
import type { Props, ResourceHandler } from "../handler";
import { partialFailure } from "../partial-failure";
import {
  createOnce,
  deleteWhenSettled,
  isNotFound,
  ociContexts,
  type OciContexts,
  timeoutFor,
} from "./common";
import {
  checkFunction,
  createFunctionDetails,
  diffFunction,
  functionImmutableMismatches,
  functionInputKeys,
  functionOutputs,
  readInputs,
  updateFunctionDetails,
} from "./function-model";

/** Builds the `oci:Function` handler. */
export function functionHandler(): ResourceHandler {
  return {
    async check(_olds, news) {
      const failures = checkFunction(news);
      return failures.length > 0 ? { inputs: news, failures } : { inputs: news };
    },
    async diff(_id, olds, news) {
      return diffFunction(olds, news) as pulumi.dynamic.DiffResult;
    },
    create: createFunction,
    read: readFunction,
    update: updateFunction,
    delete: deleteFunction,
  };
}

function waitActive(ctxs: OciContexts, id: string, timeoutMs: number): Promise<FunctionResource> {
  return waitForLifecycleState(
    async (signal) => (await fm.getFunction(ctxs.functions, id, { signal })).value,
    ["ACTIVE"],
    {
      description: `function ${id} to become ACTIVE`,
      timeoutMs,
      ...ctxs.poll,
    },
  );
}

async function findByName(
  ctx: ClientContext,
  applicationId: string,
  displayName: string,
): Promise<FunctionResource | undefined> {
  for await (const summary of fm.listFunctions(ctx, { applicationId, displayName })) {
    if (
      summary.displayName === displayName &&
      summary.lifecycleState !== "DELETED" &&
      summary.lifecycleState !== "DELETING"
    ) {
      return (await fm.getFunction(ctx, summary.id)).value;
    }
  }
  return undefined;
}

async function createFunction(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  const ctxs = await ociContexts();
  const timeoutMs = timeoutFor(inputs, "create");
  if (typeof inputs.adoptId === "string") return adoptFunction(ctxs, inputs.adoptId, inputs, timeoutMs);
  const details = createFunctionDetails(inputs);
  const created = await createOnce(
    ctxs.functions,
    async () => (await fm.createFunction(ctxs.functions, details)).value,
    () => findByName(ctxs.functions, details.applicationId, details.displayName),
    `CreateFunction ${details.displayName}`,
  );
  try {
    const fn = await waitActive(ctxs, created.id, timeoutMs);
    return { id: fn.id, outs: functionOutputs(fn, inputs) };
  } catch (err) {
    throw partialFailure(err, created.id, functionOutputs(created, inputs), inputs);
  }
}

async function adoptFunction(
  ctxs: OciContexts,
  id: string,
  inputs: Props,
  timeoutMs: number,
): Promise<pulumi.dynamic.CreateResult> {
  const fn = await waitActive(ctxs, id, timeoutMs);
  const held = functionOutputs(fn, inputs);
  const mismatches = functionImmutableMismatches(held, inputs);
  if (mismatches.length > 0) {
    throw new ValidationError(
      mismatches.map((property) => ({
        property,
        reason: `function ${id} (adoptId) has ${JSON.stringify(held[property])}, which cannot change in place; write the existing value or drop adoptId to create a new function`,
      })),
    );
  }
  try {
    return { id, outs: await applyChanges(ctxs, id, held, inputs, timeoutMs) };
  } catch (err) {
    throw partialFailure(err, id, held, inputs);
  }
}

async function readFunction(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  const ctxs = await ociContexts();
  let fn: FunctionResource;
  try {
    fn = (await fm.getFunction(ctxs.functions, id)).value;
  } catch (err) {
    if (isNotFound(err)) return { id: "", props: {} };
    throw err;
  }
  if (fn.lifecycleState === "DELETED") return { id: "", props: {} };
  const outs = functionOutputs(fn, props);
  return { id, props: outs, inputs: readInputs(outs, functionInputKeys) };
}

async function applyChanges(
  ctxs: OciContexts,
  id: string,
  olds: Props,
  news: Props,
  timeoutMs: number,
): Promise<Props> {
  const details = updateFunctionDetails(olds, news);
  if (Object.keys(details).length > 0) await fm.updateFunction(ctxs.functions, id, details);
  const fn = await waitActive(ctxs, id, timeoutMs);
  return functionOutputs(fn, news);
}

async function updateFunction(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  const ctxs = await ociContexts();
  try {
    return { outs: await applyChanges(ctxs, id, olds, news, timeoutFor(news, "update")) };
  } catch (err) {
    const current = await fm.getFunction(ctxs.functions, id).then(
      (r) => functionOutputs(r.value, olds),
      () => olds,
    );
    throw partialFailure(err, id, current, news);
  }
}

async function deleteFunction(id: string, props: Props): Promise<void> {
  const ctxs = await ociContexts();
  const timeoutMs = timeoutFor(props, "delete");
  const deleted = await deleteWhenSettled(
    () => fm.deleteFunction(ctxs.functions, id),
    () =>
      waitForLifecycleState(
        async (signal) => (await fm.getFunction(ctxs.functions, id, { signal })).value,
        ["ACTIVE", "INACTIVE", "FAILED"],
        {
          description: `function ${id} to settle before deleting it`,
          timeoutMs,
          ...ctxs.poll,
        },
      ),
  );
  if (!deleted) return;
  await waitForDeletion(async (signal) => (await fm.getFunction(ctxs.functions, id, { signal })).value, {
    description: `function ${id} to be deleted`,
    timeoutMs,
    ...ctxs.poll,
  });
}
