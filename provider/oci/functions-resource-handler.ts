/**
 * The handler of an OCI Functions resource (application, function). Functions has no work requests,
 * so every change is followed by a wait on `lifecycleState` (ACTIVE; DELETED or 404 on delete), and
 * its creates take no retry token, so a create whose answer was lost is found again by its unique name.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ClientContext } from "../../sdk/core/client";
import type { CallOptions, OciResult } from "../../sdk/oci/clients/common";
import { waitForDeletion, waitForLifecycleState, type HasLifecycle } from "../../sdk/oci/lifecycle";
import type { Props, ResourceHandler } from "../handler";
import { taggedWith } from "../identity";
import { partialFailure } from "../partial-failure";
import { withProgress } from "../progress";
import {
  createOnce,
  deleteWhenSettled,
  failedCreateOutputs,
  ociContexts,
  type OciContexts,
  settledForDelete,
  timeoutFor,
} from "./common";
import { assertAdoptable, checkAndDiff, readOrGone, updateOrRecord } from "./handler-steps";
import type { Failures } from "./validate";

/** What sets one Functions resource apart from the other: its model and its client operations. */
export interface FunctionsResourceSpec<T extends HasLifecycle & { readonly id: string }, D> {
  /** The resource in messages: `application`, `function`. */
  readonly noun: string;
  /** The create operation's name, for messages: `CreateApplication`. */
  readonly createOperation: string;
  /** Input names, for the inputs `read` reports. */
  readonly inputKeys: readonly string[];
  /** Validates the inputs (see `checkAndDiff`). */
  check(news: Props): Failures;
  /** Compares old and new inputs (see `checkAndDiff`). */
  diff(olds: Props, news: Props): object;
  /** The create request's body. */
  createDetails(inputs: Props): D & { readonly displayName: string };
  /** The outputs of the resource as the cloud holds it; `previous` keeps input-only properties. */
  outputs(resource: T, previous: Props): Props;
  /** Properties the inputs want different from `held` that cannot change in place. */
  immutableMismatches(held: Props, inputs: Props): string[];
  /** GET of the resource. */
  get(ctx: ClientContext, id: string, options?: CallOptions): Promise<OciResult<T>>;
  /** The create call. */
  create(ctx: ClientContext, details: D): Promise<OciResult<T>>;
  /** The resources that could be an earlier attempt at `details` (listed by its display name). */
  listNamed(
    ctx: ClientContext,
    details: D & { readonly displayName: string },
  ): AsyncIterable<
    HasLifecycle & { readonly id: string; readonly displayName: string; readonly freeformTags?: unknown }
  >;
  /** Sends the changes from `olds` to `news`, without waiting for them to settle. */
  applyChanges(ctx: ClientContext, id: string, olds: Props, news: Props): Promise<void>;
  /** The delete call. */
  remove(ctx: ClientContext, id: string): Promise<unknown>;
}

/** Builds the handler of a Functions resource from its `spec`. */
export function functionsResourceHandler<T extends HasLifecycle & { readonly id: string }, D>(
  spec: FunctionsResourceSpec<T, D>,
): ResourceHandler {
  const { noun } = spec;

  const getter = (ctxs: OciContexts, id: string) => (signal: AbortSignal) =>
    spec.get(ctxs.functions, id, { signal }).then((result) => result.value);

  function waitActive(ctxs: OciContexts, id: string, timeoutMs: number): Promise<T> {
    const get = withProgress(`${noun} ${id}`, getter(ctxs, id), (r) => r.lifecycleState);
    return waitForLifecycleState(get, ["ACTIVE"], {
      description: `${noun} ${id} to become ACTIVE`,
      timeoutMs,
      ...ctxs.poll,
    });
  }

  async function findByName(
    ctx: ClientContext,
    details: D & { readonly displayName: string },
    identity: string | undefined,
  ): Promise<T | undefined> {
    for await (const summary of spec.listNamed(ctx, details)) {
      if (
        summary.displayName === details.displayName &&
        // A same-named resource of another stack (or made by hand) is never adopted.
        (identity === undefined || taggedWith(summary.freeformTags, identity)) &&
        summary.lifecycleState !== "DELETED" &&
        summary.lifecycleState !== "DELETING"
      ) {
        return (await spec.get(ctx, summary.id)).value;
      }
    }
    return undefined;
  }

  /** Applies the changes and waits for ACTIVE; answers the new outputs. */
  async function applyChanges(
    ctxs: OciContexts,
    id: string,
    olds: Props,
    news: Props,
    timeoutMs: number,
  ): Promise<Props> {
    await spec.applyChanges(ctxs.functions, id, olds, news);
    return spec.outputs(await waitActive(ctxs, id, timeoutMs), news);
  }

  async function adopt(
    ctxs: OciContexts,
    id: string,
    inputs: Props,
    timeoutMs: number,
  ): Promise<pulumi.dynamic.CreateResult> {
    const held = spec.outputs(await waitActive(ctxs, id, timeoutMs), inputs);
    assertAdoptable(
      spec.immutableMismatches(held, inputs),
      (property) =>
        `${noun} ${id} (adoptId) has ${JSON.stringify(held[property])}, which cannot change in place; write the existing value or drop adoptId to create a new ${noun}`,
    );
    try {
      return { id, outs: await applyChanges(ctxs, id, held, inputs, timeoutMs) };
    } catch (err) {
      throw partialFailure(err, id, held, inputs);
    }
  }

  return {
    ...checkAndDiff(spec.check, spec.diff),

    async create(inputs, call) {
      const ctxs = await ociContexts(call);
      const timeoutMs = timeoutFor(inputs, "create");
      if (typeof inputs.adoptId === "string") return adopt(ctxs, inputs.adoptId, inputs, timeoutMs);
      const details = spec.createDetails(inputs);
      // Keyed by the resource's identity (issue 11): a live resource carrying it is adopted, before the
      // first attempt and after an ambiguous failure, so a lost answer or a killed run makes no second one.
      const identity = call?.identity;
      const created = await createOnce(
        ctxs.functions,
        (once) => spec.create(once, details).then((result) => result.value),
        () => findByName(ctxs.functions, details, identity),
        `${spec.createOperation} ${details.displayName}`,
        identity !== undefined,
      );
      try {
        const resource = await waitActive(ctxs, created.id, timeoutMs);
        return { id: resource.id, outs: spec.outputs(resource, inputs) };
      } catch (err) {
        // Record what the cloud holds now (FAILED, not the CREATING of the create answer), so the next
        // `up` replaces a failed resource instead of retrying an update that cannot succeed.
        const current = await spec.get(ctxs.functions, created.id).then(
          (r) => spec.outputs(r.value, inputs),
          () => spec.outputs(created, inputs),
        );
        throw partialFailure(err, created.id, failedCreateOutputs(current, err), inputs);
      }
    },

    async read(id, props, _inputs, call) {
      const ctxs = await ociContexts(call);
      return readOrGone(
        id,
        async () => (await spec.get(ctxs.functions, id)).value,
        (resource) => spec.outputs(resource, props),
        spec.inputKeys,
      );
    },

    async update(id, olds, news, call) {
      const ctxs = await ociContexts(call);
      return updateOrRecord(
        id,
        olds,
        news,
        () => applyChanges(ctxs, id, olds, news, timeoutFor(news, "update")),
        () => spec.get(ctxs.functions, id),
        (r) => spec.outputs(r.value, olds),
      );
    },

    async delete(id, props, call) {
      const ctxs = await ociContexts(call);
      const timeoutMs = timeoutFor(props, "delete");
      const deleted = await deleteWhenSettled(
        () => spec.remove(ctxs.functions, id),
        () =>
          waitForLifecycleState(getter(ctxs, id), settledForDelete, {
            description: `${noun} ${id} to settle before deleting it`,
            timeoutMs,
            ...ctxs.poll,
          }),
        async () => (await spec.get(ctxs.functions, id)).value,
      );
      if (!deleted) return;
      await waitForDeletion(getter(ctxs, id), {
        description: `${noun} ${id} to be deleted`,
        timeoutMs,
        ...ctxs.poll,
      });
    },
  };
}
