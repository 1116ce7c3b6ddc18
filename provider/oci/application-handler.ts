/**
 * `oci:Application`: an OCI Functions application. Functions has no work requests, so every change is
 * followed by a wait on `lifecycleState` (ACTIVE; DELETED or 404 on delete).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ClientContext } from "../../sdk/core/client";
import { ValidationError } from "../../sdk/core/errors";
import * as fm from "../../sdk/oci/clients/functions-management";
import { waitForDeletion, waitForLifecycleState } from "../../sdk/oci/lifecycle";
import type { Application } from "../../sdk/oci/types/functions";
import type { Props, ResourceHandler } from "../handler";
import { partialFailure } from "../partial-failure";
import {
  applicationOutputs,
  applicationInputKeys,
  checkApplication,
  createApplicationDetails,
  diffApplication,
  immutableMismatches,
  updateApplicationDetails,
} from "./application-model";
import {
  createOnce,
  deleteWhenSettled,
  isNotFound,
  ociContexts,
  type OciContexts,
  timeoutFor,
} from "./common";
import { readInputs } from "./function-model";

/** Builds the `oci:Application` handler. */
export function applicationHandler(): ResourceHandler {
  return {
    async check(_olds, news) {
      const failures = checkApplication(news);
      return failures.length > 0 ? { inputs: news, failures } : { inputs: news };
    },
    async diff(_id, olds, news) {
      return diffApplication(olds, news) as pulumi.dynamic.DiffResult;
    },
    create: createApplication,
    read: readApplication,
    update: updateApplication,
    delete: deleteApplication,
  };
}

function waitActive(ctxs: OciContexts, id: string, timeoutMs: number): Promise<Application> {
  return waitForLifecycleState(
    async (signal) => (await fm.getApplication(ctxs.functions, id, { signal })).value,
    ["ACTIVE"],
    {
      description: `application ${id} to become ACTIVE`,
      timeoutMs,
      ...ctxs.poll,
    },
  );
}

async function findByName(
  ctx: ClientContext,
  compartmentId: string,
  displayName: string,
): Promise<Application | undefined> {
  for await (const summary of fm.listApplications(ctx, { compartmentId, displayName })) {
    if (
      summary.displayName === displayName &&
      summary.lifecycleState !== "DELETED" &&
      summary.lifecycleState !== "DELETING"
    ) {
      return (await fm.getApplication(ctx, summary.id)).value;
    }
  }
  return undefined;
}

async function createApplication(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  const ctxs = await ociContexts();
  const timeoutMs = timeoutFor(inputs, "create");
  if (typeof inputs.adoptId === "string") return adoptApplication(ctxs, inputs.adoptId, inputs, timeoutMs);
  const details = createApplicationDetails(inputs);
  const created = await createOnce(
    ctxs.functions,
    async () => (await fm.createApplication(ctxs.functions, details)).value,
    () => findByName(ctxs.functions, details.compartmentId, details.displayName),
    `CreateApplication ${details.displayName}`,
  );
  try {
    const app = await waitActive(ctxs, created.id, timeoutMs);
    return { id: app.id, outs: applicationOutputs(app, inputs) };
  } catch (err) {
    throw partialFailure(err, created.id, applicationOutputs(created, inputs), inputs);
  }
}

async function adoptApplication(
  ctxs: OciContexts,
  id: string,
  inputs: Props,
  timeoutMs: number,
): Promise<pulumi.dynamic.CreateResult> {
  const app = await waitActive(ctxs, id, timeoutMs);
  const held = applicationOutputs(app, inputs);
  const mismatches = immutableMismatches(held, inputs);
  if (mismatches.length > 0) {
    throw new ValidationError(
      mismatches.map((property) => ({
        property,
        reason: `application ${id} (adoptId) has ${JSON.stringify(held[property])}, which cannot change in place; write the existing value or drop adoptId to create a new application`,
      })),
    );
  }
  try {
    const outs = await applyChanges(ctxs, id, held, inputs, timeoutMs);
    return { id, outs };
  } catch (err) {
    throw partialFailure(err, id, held, inputs);
  }
}

async function readApplication(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  const ctxs = await ociContexts();
  let app: Application;
  try {
    app = (await fm.getApplication(ctxs.functions, id)).value;
  } catch (err) {
    if (isNotFound(err)) return { id: "", props: {} };
    throw err;
  }
  if (app.lifecycleState === "DELETED") return { id: "", props: {} };
  const outs = applicationOutputs(app, props);
  return { id, props: outs, inputs: readInputs(outs, applicationInputKeys) };
}

/** Moves the compartment and applies the mutable fields that differ; answers the new outputs. */
async function applyChanges(
  ctxs: OciContexts,
  id: string,
  olds: Props,
  news: Props,
  timeoutMs: number,
): Promise<Props> {
  const ctx = ctxs.functions;
  if (typeof news.compartmentId === "string" && news.compartmentId !== olds.compartmentId) {
    const target = news.compartmentId;
    // ChangeCompartment is a POST without a retry token: after an ambiguous failure, look before repeating.
    await createOnce(
      ctx,
      () => fm.changeApplicationCompartment(ctx, id, target),
      async () =>
        (await fm.getApplication(ctx, id)).value.compartmentId === target ? { value: undefined } : undefined,
      `ChangeApplicationCompartment ${id}`,
    );
  }
  const details = updateApplicationDetails(olds, news);
  if (Object.keys(details).length > 0) await fm.updateApplication(ctx, id, details);
  const app = await waitActive(ctxs, id, timeoutMs);
  return applicationOutputs(app, news);
}

async function updateApplication(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  const ctxs = await ociContexts();
  try {
    return { outs: await applyChanges(ctxs, id, olds, news, timeoutFor(news, "update")) };
  } catch (err) {
    // The update may have been partly applied: record what the cloud holds now, if it answers.
    const current = await fm.getApplication(ctxs.functions, id).then(
      (r) => applicationOutputs(r.value, olds),
      () => olds,
    );
    throw partialFailure(err, id, current, news);
  }
}

async function deleteApplication(id: string, props: Props): Promise<void> {
  const ctxs = await ociContexts();
  const timeoutMs = timeoutFor(props, "delete");
  const deleted = await deleteWhenSettled(
    () => fm.deleteApplication(ctxs.functions, id),
    () =>
      waitForLifecycleState(
        async (signal) => (await fm.getApplication(ctxs.functions, id, { signal })).value,
        ["ACTIVE", "INACTIVE", "FAILED"],
        {
          description: `application ${id} to settle before deleting it`,
          timeoutMs,
          ...ctxs.poll,
        },
      ),
  );
  if (!deleted) return;
  await waitForDeletion(async (signal) => (await fm.getApplication(ctxs.functions, id, { signal })).value, {
    description: `application ${id} to be deleted`,
    timeoutMs,
    ...ctxs.poll,
  });
}
