/**
 * `oci:ContainerInstance`: an OCI container instance. Every mutation runs a work request; the
 * instance's id comes back with the create answer and is recorded before the work request ends, so a
 * failed create is never lost.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { OciResult } from "../../sdk/oci/clients/common";
import * as ci from "../../sdk/oci/clients/container-instances";
import { waitForDeletion, waitForLifecycleState } from "../../sdk/oci/lifecycle";
import type { Container, ContainerInstance } from "../../sdk/oci/types/container-instances";
import { containerInstancesWorkRequests, waitForWorkRequest } from "../../sdk/oci/work-requests";
import type { Props, ResourceHandler } from "../handler";
import { currentIdentity, retryTokenFor, taggedWith } from "../identity";
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
  checkContainerInstance,
  containerInstanceChanges,
  containerInstanceImmutableMismatches,
  containerInstanceInputKeys,
  containerInstanceOutputs,
  createContainerInstanceDetails,
  diffContainerInstance,
} from "./container-instance-model";
import { assertAdoptable, checkAndDiff, readOrGone, updateOrRecord } from "./handler-steps";

/** Builds the `oci:ContainerInstance` handler. */
export function containerInstanceHandler(): ResourceHandler {
  return {
    ...checkAndDiff(checkContainerInstance, diffContainerInstance),
    create: createContainerInstance,
    read: readContainerInstance,
    update: updateContainerInstance,
    delete: deleteContainerInstance,
  };
}

/** A deadline shared by every step of one handler call. */
class Deadline {
  private readonly end: number;
  constructor(readonly totalMs: number) {
    this.end = Date.now() + totalMs;
  }
  /** What is left, at least 1 ms so the next wait times out at once rather than throwing a TypeError. */
  remaining(): number {
    return Math.max(1, this.end - Date.now());
  }
}

async function waitWorkRequest(
  ctxs: OciContexts,
  workRequestId: string | undefined,
  description: string,
  deadline: Deadline,
): Promise<void> {
  if (workRequestId === undefined) return;
  await waitForWorkRequest(containerInstancesWorkRequests(ctxs.containerInstances), workRequestId, {
    description,
    timeoutMs: deadline.remaining(),
    ...ctxs.poll,
  });
}

function waitState(
  ctxs: OciContexts,
  id: string,
  targets: string[],
  deadline: Deadline,
): Promise<ContainerInstance> {
  return waitForLifecycleState(
    async (signal) => (await ci.getContainerInstance(ctxs.containerInstances, id, { signal })).value,
    targets,
    {
      description: `container instance ${id} to become ${targets.join(" or ")}`,
      timeoutMs: deadline.remaining(),
      ...ctxs.poll,
    },
  );
}

/** Reads the instance and each of its containers into outputs. */
async function currentOutputs(
  ctxs: OciContexts,
  instance: ContainerInstance,
  previous: Props,
): Promise<Props> {
  const containers: (Container | undefined)[] = await Promise.all(
    instance.containers.map((ref) =>
      ci.getContainer(ctxs.containerInstances, ref.containerId).then(
        (r) => r.value,
        (err: unknown) => {
          if (isNotFound(err)) return undefined;
          throw err;
        },
      ),
    ),
  );
  return containerInstanceOutputs(instance, containers, previous);
}

async function createContainerInstance(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  const ctxs = await ociContexts();
  const deadline = new Deadline(timeoutFor(inputs, "create"));
  if (typeof inputs.adoptId === "string")
    return adoptContainerInstance(ctxs, inputs.adoptId, inputs, deadline);
  const created = await createContainerInstanceOnce(ctxs, createContainerInstanceDetails(inputs));
  const instance = created.value;
  const id = instance.id;
  let known = containerInstanceOutputs(instance, [], inputs);
  try {
    await waitWorkRequest(ctxs, created.workRequestId, `creating container instance ${id}`, deadline);
    let current = await waitState(ctxs, id, ["ACTIVE", "INACTIVE"], deadline);
    known = containerInstanceOutputs(current, [], inputs);
    if (inputs.state === "INACTIVE" && current.lifecycleState !== "INACTIVE")
      current = await setState(ctxs, id, "INACTIVE", deadline);
    if (inputs.state === "ACTIVE" && current.lifecycleState !== "ACTIVE")
      current = await setState(ctxs, id, "ACTIVE", deadline);
    return { id, outs: await currentOutputs(ctxs, current, inputs) };
  } catch (err) {
    throw partialFailure(err, id, known, inputs);
  }
}

/**
 * CreateContainerInstance at most once per identity (issue 11): an instance tagged with this resource's
 * identity that is not being deleted is adopted (a lost answer, a killed run); otherwise the create is
 * sent with a retry token derived from the identity, the body and the earlier instances of the identity,
 * so repeats of this create are one create and a re-created stack still gets a new instance.
 */
async function createContainerInstanceOnce(
  ctxs: OciContexts,
  details: ReturnType<typeof createContainerInstanceDetails>,
): Promise<OciResult<ContainerInstance>> {
  const ctx = ctxs.containerInstances;
  const identity = currentIdentity();
  const earlier: string[] = [];
  const find = async (): Promise<OciResult<ContainerInstance> | undefined> => {
    if (identity === undefined) return undefined;
    earlier.length = 0;
    let live: string | undefined;
    for await (const summary of ci.listContainerInstances(ctx, {
      compartmentId: details.compartmentId,
      ...(details.displayName === undefined ? {} : { displayName: details.displayName }),
    })) {
      if (!taggedWith(summary.freeformTags, identity)) continue;
      earlier.push(summary.id);
      if (!["DELETING", "DELETED", "FAILED"].includes(summary.lifecycleState)) live = summary.id;
    }
    return live === undefined ? undefined : { value: (await ci.getContainerInstance(ctx, live)).value };
  };
  return createOnce<OciResult<ContainerInstance>>(
    ctx,
    (once) =>
      ci.createContainerInstance(once, details, {
        retryToken: identity === undefined ? ci.newRetryToken() : retryTokenFor(identity, details, earlier),
      }),
    find,
    `CreateContainerInstance ${details.displayName ?? ""}`.trim(),
    identity !== undefined,
  );
}

async function adoptContainerInstance(
  ctxs: OciContexts,
  id: string,
  inputs: Props,
  deadline: Deadline,
): Promise<pulumi.dynamic.CreateResult> {
  const instance = await waitState(ctxs, id, ["ACTIVE", "INACTIVE"], deadline);
  const held = await currentOutputs(ctxs, instance, inputs);
  assertAdoptable(
    containerInstanceImmutableMismatches(held, inputs),
    () =>
      `container instance ${id} (adoptId) holds a different value, which cannot change in place; write the existing value or drop adoptId to create a new instance`,
  );
  try {
    return { id, outs: await applyChanges(ctxs, id, held, inputs, deadline) };
  } catch (err) {
    throw partialFailure(err, id, held, inputs);
  }
}

async function setState(
  ctxs: OciContexts,
  id: string,
  state: "ACTIVE" | "INACTIVE",
  deadline: Deadline,
): Promise<ContainerInstance> {
  const ctx = ctxs.containerInstances;
  const action = state === "ACTIVE" ? ci.startContainerInstance : ci.stopContainerInstance;
  // Start/stop are POSTs without a retry token: after an ambiguous failure, look before repeating.
  const result = await createOnce<OciResult<undefined>>(
    ctx,
    (once) => action(once, id),
    async () => {
      const now = (await ci.getContainerInstance(ctx, id)).value.lifecycleState;
      return now === state || now === "UPDATING" ? { value: undefined } : undefined;
    },
    `${state === "ACTIVE" ? "Start" : "Stop"}ContainerInstance ${id}`,
  );
  await waitWorkRequest(
    ctxs,
    result.workRequestId,
    `${state === "ACTIVE" ? "starting" : "stopping"} container instance ${id}`,
    deadline,
  );
  return waitState(ctxs, id, [state], deadline);
}

async function readContainerInstance(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  const ctxs = await ociContexts();
  return readOrGone(
    id,
    async () => (await ci.getContainerInstance(ctxs.containerInstances, id)).value,
    (instance) => currentOutputs(ctxs, instance, props),
    containerInstanceInputKeys,
  );
}

async function applyChanges(
  ctxs: OciContexts,
  id: string,
  olds: Props,
  news: Props,
  deadline: Deadline,
): Promise<Props> {
  const ctx = ctxs.containerInstances;
  const changes = containerInstanceChanges(olds, news);
  if (changes.compartmentId !== undefined) {
    const target = changes.compartmentId;
    const moved = await createOnce<OciResult<undefined>>(
      ctx,
      (once) => ci.changeContainerInstanceCompartment(once, id, target),
      async () =>
        (await ci.getContainerInstance(ctx, id)).value.compartmentId === target
          ? { value: undefined }
          : undefined,
      `ChangeContainerInstanceCompartment ${id}`,
    );
    await waitWorkRequest(
      ctxs,
      moved.workRequestId,
      `moving container instance ${id} to ${target}`,
      deadline,
    );
  }
  if (changes.instance !== undefined) {
    const updated = await ci.updateContainerInstance(ctx, id, changes.instance);
    await waitWorkRequest(ctxs, updated.workRequestId, `updating container instance ${id}`, deadline);
  }
  for (const { containerId, details } of changes.containers) {
    const updated = await ci.updateContainer(ctx, containerId, details);
    await waitWorkRequest(ctxs, updated.workRequestId, `updating container ${containerId}`, deadline);
  }
  if (changes.state !== undefined) await setState(ctxs, id, changes.state, deadline);
  const instance = await waitState(ctxs, id, ["ACTIVE", "INACTIVE"], deadline);
  return currentOutputs(ctxs, instance, news);
}

async function updateContainerInstance(
  id: string,
  olds: Props,
  news: Props,
): Promise<pulumi.dynamic.UpdateResult> {
  const ctxs = await ociContexts();
  return updateOrRecord(
    id,
    olds,
    news,
    () => applyChanges(ctxs, id, olds, news, new Deadline(timeoutFor(news, "update"))),
    () => ci.getContainerInstance(ctxs.containerInstances, id),
    (r) => currentOutputs(ctxs, r.value, olds),
  );
}

async function deleteContainerInstance(id: string, props: Props): Promise<void> {
  const ctxs = await ociContexts();
  const deadline = new Deadline(timeoutFor(props, "delete"));
  let workRequestId: string | undefined;
  const deleted = await deleteWhenSettled(
    async () => {
      workRequestId = (await ci.deleteContainerInstance(ctxs.containerInstances, id)).workRequestId;
    },
    () => waitState(ctxs, id, ["ACTIVE", "INACTIVE", "FAILED"], deadline),
  );
  if (!deleted) return;
  await waitWorkRequest(ctxs, workRequestId, `deleting container instance ${id}`, deadline);
  await waitForDeletion(
    async (signal) => (await ci.getContainerInstance(ctxs.containerInstances, id, { signal })).value,
    {
      description: `container instance ${id} to be deleted`,
      timeoutMs: deadline.remaining(),
      ...ctxs.poll,
    },
  );
}
