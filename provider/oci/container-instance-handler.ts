/**
 * `oci:ContainerInstance`: an OCI container instance. Every mutation runs a work request; the
 * instance's id comes back with the create answer and is recorded before the work request ends, so a
 * failed create is never lost.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { OciResult } from "../../sdk/oci/clients/common";
import * as ci from "../../sdk/oci/clients/container-instances";
import { getVnic, updateVnic } from "../../sdk/oci/clients/vnics";
import { waitForDeletion, waitForLifecycleState } from "../../sdk/oci/lifecycle";
import type { Container, ContainerInstance } from "../../sdk/oci/types/container-instances";
import type { Vnic } from "../../sdk/oci/types/vnics";
import { containerInstancesWorkRequests, waitForWorkRequest } from "../../sdk/oci/work-requests";
import type { CallScope, Props, ResourceHandler } from "../handler";
import { retryTokenFor, taggedWith } from "../identity";
import { partialFailure } from "../partial-failure";
import { withProgress, workRequestProgress } from "../progress";
import {
  createOnce,
  deleteWhenSettled,
  failedCreateOutputs,
  isNotFound,
  ociContexts,
  type OciContexts,
  settledForDelete,
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
  const source = workRequestProgress(description, containerInstancesWorkRequests(ctxs.containerInstances));
  await waitForWorkRequest(source, workRequestId, {
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
    withProgress(
      `container instance ${id}`,
      async (signal) => (await ci.getContainerInstance(ctxs.containerInstances, id, { signal })).value,
      (instance) => instance.lifecycleState,
    ),
    targets,
    {
      description: `container instance ${id} to become ${targets.join(" or ")}`,
      timeoutMs: deadline.remaining(),
      ...ctxs.poll,
    },
  );
}

/** `get`'s value, or undefined when the resource is gone (a 404). */
function unlessGone<T>(get: Promise<{ value: T }>): Promise<T | undefined> {
  return get.then(
    (r) => r.value,
    (err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    },
  );
}

/**
 * Reads the instance's containers and VNICs (the instance answers only their ids) into outputs. A VNIC
 * not there yet (the instance still CREATING) keeps what was known of it.
 */
async function currentOutputs(
  ctxs: OciContexts,
  instance: ContainerInstance,
  previous: Props,
): Promise<Props> {
  const [containers, vnics] = await Promise.all([
    Promise.all(
      instance.containers.map((ref) =>
        unlessGone<Container>(ci.getContainer(ctxs.containerInstances, ref.containerId)),
      ),
    ),
    Promise.all(
      (instance.vnics ?? []).map((ref) =>
        ref.vnicId === undefined
          ? Promise.resolve(undefined)
          : unlessGone<Vnic>(getVnic(ctxs.core, ref.vnicId)),
      ),
    ),
  ]);
  return containerInstanceOutputs(instance, containers, previous, vnics);
}

async function createContainerInstance(
  inputs: Props,
  call?: CallScope,
): Promise<pulumi.dynamic.CreateResult> {
  const ctxs = await ociContexts(call);
  const deadline = new Deadline(timeoutFor(inputs, "create"));
  if (typeof inputs.adoptId === "string")
    return adoptContainerInstance(ctxs, inputs.adoptId, inputs, deadline);
  const details = createContainerInstanceDetails(inputs);
  const created = await createContainerInstanceOnce(ctxs, details, call?.identity);
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
    // Record what the cloud holds now, FAILED when the create work request failed: the next `up` then
    // replaces the instance, as Terraform taints it, instead of an update that can only fail again.
    const current = await ci.getContainerInstance(ctxs.containerInstances, id).then(
      (r) => containerInstanceOutputs(r.value, [], inputs),
      () => known,
    );
    throw partialFailure(err, id, failedCreateOutputs(current, err), inputs);
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
  identity: string | undefined,
): Promise<OciResult<ContainerInstance>> {
  const ctx = ctxs.containerInstances;
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

async function readContainerInstance(
  id: string,
  props: Props,
  _inputs?: Props,
  call?: CallScope,
): Promise<pulumi.dynamic.ReadResult> {
  const ctxs = await ociContexts(call);
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
  // UpdateVnic is synchronous (no work request) and idempotent: a PUT of the same details.
  for (const { vnicId, details } of changes.vnics) await updateVnic(ctxs.core, vnicId, details);
  if (changes.state !== undefined) await setState(ctxs, id, changes.state, deadline);
  const instance = await waitState(ctxs, id, ["ACTIVE", "INACTIVE"], deadline);
  return currentOutputs(ctxs, instance, news);
}

async function updateContainerInstance(
  id: string,
  olds: Props,
  news: Props,
  call?: CallScope,
): Promise<pulumi.dynamic.UpdateResult> {
  const ctxs = await ociContexts(call);
  return updateOrRecord(
    id,
    olds,
    news,
    () => applyChanges(ctxs, id, olds, news, new Deadline(timeoutFor(news, "update"))),
    () => ci.getContainerInstance(ctxs.containerInstances, id),
    (r) => currentOutputs(ctxs, r.value, olds),
  );
}

async function deleteContainerInstance(id: string, props: Props, call?: CallScope): Promise<void> {
  const ctxs = await ociContexts(call);
  const deadline = new Deadline(timeoutFor(props, "delete"));
  let workRequestId: string | undefined;
  const deleted = await deleteWhenSettled(
    async () => {
      workRequestId = (await ci.deleteContainerInstance(ctxs.containerInstances, id)).workRequestId;
    },
    () => waitState(ctxs, id, [...settledForDelete], deadline),
    async () => (await ci.getContainerInstance(ctxs.containerInstances, id)).value,
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
