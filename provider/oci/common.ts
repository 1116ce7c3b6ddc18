/**
 * What the OCI handlers share: client contexts built inside each call from the stack config, the
 * `timeouts` input, the tuning knobs tests use, comparison helpers for `diff`, and a create that
 * survives a lost answer.
 */
import type { ClientContext } from "../../sdk/core/client";
import { ConflictError, NotFoundError, WorkRequestFailedError } from "../../sdk/core/errors";
import type * as contextModule from "../../sdk/oci/context";
import { createOnce as runCreateOnce } from "../create-once";
import { canonicalJson, isPlainObject as isPlain, sameJson } from "../framework/canonical-json";
import { DiffCollector as SharedDiffCollector } from "../framework/diff";
import {
  parseDuration,
  type TimeoutPhase,
  timeoutFor as sharedTimeoutFor,
  timeoutsFailures,
} from "../framework/timeouts";
import type { CallScope, Props } from "../handler";
import { isUnknown } from "../inputs";
import { stackConfig } from "../runtime";
import { pollTuning, retryTuning } from "../tuning";
import { resolveCallCredentials } from "./connection";
import type { Failures, Rule } from "./validate";

/** Default deadline of every wait (create, update, delete), like Terraform's: 20 minutes. */
export const defaultTimeoutMs = 20 * 60_000;

/** The client contexts of one provider call. */
export interface OciContexts {
  readonly functions: ClientContext;
  readonly containerInstances: ClientContext;
  readonly workRequests: ClientContext;
  /** Core Networking (VNICs): the same `iaas` host and `/20160918` path as the Work Requests API. */
  readonly core: ClientContext;
  /** Poll bounds for waits, in milliseconds. */
  readonly poll: { readonly minIntervalMs?: number; readonly maxIntervalMs?: number };
}

/**
 * Resolves credentials (stack config `oci:*`, then `OCI_*` environment and the OCI config file) and
 * builds the contexts. Called inside every handler method, so nothing is captured by the serialized
 * provider and a credential rotated between calls is picked up.
 *
 * Calls that resolve to the same credentials object (sdk/oci/auth/credentials.ts shares one while its
 * sources and files are unchanged) with the same tuning share one set of contexts: 200 waiting creates
 * hold one, not 200 (issue 12).
 */
export async function ociContexts(call: CallScope | undefined): Promise<OciContexts> {
  // Loaded by the first call that talks to OCI: check and diff never do (issue 12, cold start).
  const { ociClientContext } = require("../../sdk/oci/context") as typeof contextModule;
  // The resource's own connection (region, profile) overrides the stack config for this call.
  const credentials = await resolveCallCredentials(stackConfig(), call);
  const retryOverrides = retryTuning();
  const poll = pollTuning();
  const tuningKey = JSON.stringify([
    retryOverrides ?? null,
    poll.minIntervalMs ?? null,
    poll.maxIntervalMs ?? null,
  ]);
  let byTuning = contextsByCredentials.get(credentials);
  if (byTuning === undefined) contextsByCredentials.set(credentials, (byTuning = new Map()));
  let contexts = byTuning.get(tuningKey);
  if (contexts === undefined) {
    const extra = retryOverrides === undefined ? {} : { retry: retryOverrides };
    const workRequests = ociClientContext("workRequests", credentials, extra);
    contexts = Object.freeze({
      functions: ociClientContext("functions", credentials, extra),
      containerInstances: ociClientContext("containerInstances", credentials, extra),
      workRequests,
      // Core Networking is served on the Work Requests API's host and path.
      core: workRequests,
      poll,
    });
    byTuning.set(tuningKey, contexts);
  }
  return contexts;
}

/** The contexts built for each credentials object, by tuning; dropped with the credentials. */
const contextsByCredentials = new WeakMap<object, Map<string, OciContexts>>();

export { parseDuration };

// The retry and poll settings are shared with FunctionGraph (provider/tuning.ts).
export { pollTuning, retryTuning } from "../tuning";

/** The `timeouts` input: per-phase deadlines, each a duration string or a number of minutes. */
export interface TimeoutsInput {
  readonly create?: string | number;
  readonly update?: string | number;
  readonly delete?: string | number;
}

/** The validation rule of `timeouts` (the shared rule of provider/framework/timeouts.ts). */
export const timeoutsRule: Rule = (value, path, failures: Failures) => {
  failures.push(...timeoutsFailures(value, path));
};

/** The deadline of `phase` in milliseconds from a resource's `timeouts` property (default 20 min). */
export function timeoutFor(props: Props | undefined, phase: TimeoutPhase): number {
  return sharedTimeoutFor(props, phase, defaultTimeoutMs);
}

export { canonicalJson, isPlain, sameJson };
export type { Plain } from "../framework/canonical-json";

/** Equality of two lists as sets (order and repeats ignored). */
export function sameSet(a: unknown, b: unknown): boolean {
  const as = Array.isArray(a) ? a : [];
  const bs = Array.isArray(b) ? b : [];
  const left = new Set(as.map(canonicalJson));
  const right = new Set(bs.map(canonicalJson));
  return left.size === right.size && [...left].every((x) => right.has(x));
}

/**
 * A list as the cloud holds it, in the order the previous state had it when the two are equal as sets:
 * so a refresh of an order-insensitive list (subnetIds, nsgIds) never shows a reordering as drift.
 */
export function keepOrder<T>(fromCloud: T[] | undefined, previous: unknown): T[] | undefined {
  if (fromCloud === undefined) return undefined;
  if (Array.isArray(previous) && sameSet(fromCloud, previous)) return previous as T[];
  return fromCloud;
}

/**
 * True when every tag the user wrote (`wanted`) is in `actual` with the same value. The cloud may add
 * defined tags of its own (tag defaults, `Oracle-Tags.CreatedBy`): those are not drift.
 */
export function definedTagsMatch(wanted: unknown, actual: unknown): boolean {
  if (!isPlain(wanted)) return true;
  const held = isPlain(actual) ? actual : {};
  return Object.entries(wanted).every(([ns, tags]) => {
    const heldNs = held[ns];
    if (!isPlain(tags)) return true;
    return Object.entries(tags).every(([k, v]) => isPlain(heldNs) && sameJson(heldNs[k], v));
  });
}

/**
 * The defined tags fnstack manages for a resource: the ones the user last applied. Outputs carry them as
 * `managedDefinedTags`; `previous` without that key is either the inputs of a create/update (then their
 * `definedTags` are what the user wrote) or outputs written before this key existed (then none are known,
 * so no held tag is taken for a removed one).
 */
export function managedDefinedTags(previous: Props): Props {
  if (isPlain(previous.managedDefinedTags)) return previous.managedDefinedTags;
  if (previous.lifecycleState !== undefined) return {};
  return isPlain(previous.definedTags) ? previous.definedTags : {};
}

/** `(namespace, key)` pairs fnstack applied before (`olds`) that the inputs (`news`) no longer write but the cloud still holds. */
export function removedDefinedTags(olds: Props, news: Props): [string, string][] {
  const managed = isPlain(olds.managedDefinedTags) ? olds.managedDefinedTags : {};
  const wanted = isPlain(news.definedTags) ? news.definedTags : {};
  const held = isPlain(olds.definedTags) ? olds.definedTags : {};
  const removed: [string, string][] = [];
  for (const [ns, tags] of Object.entries(managed)) {
    if (!isPlain(tags)) continue;
    for (const key of Object.keys(tags)) {
      const wantedNs = wanted[ns];
      const heldNs = held[ns];
      if (isPlain(wantedNs) && key in wantedNs) continue;
      if (isPlain(heldNs) && key in heldNs) removed.push([ns, key]);
    }
  }
  return removed;
}

/** True when the defined tags need no update: every written tag held, no applied tag removed. */
export function tagsMatch(olds: Props, news: Props): boolean {
  if (isUnknown(news.definedTags)) return false;
  return definedTagsMatch(news.definedTags, olds.definedTags) && removedDefinedTags(olds, news).length === 0;
}

/**
 * The tag fields of an update body: `freeformTags` when they differ (left out means empty), and
 * `definedTags` when the user wrote some the cloud lacks or removed some fnstack applied: the cloud's
 * tags, key by key, with the removed keys dropped and the written ones set, so tags the cloud added
 * itself (tag defaults, `Oracle-Tags`), even inside a namespace the user writes to, are kept. OCI
 * replaces the whole `definedTags` map on update (UpdateContainerInstanceDetails, UpdateApplicationDetails).
 */
export function tagUpdates(olds: Props, news: Props): Props {
  const out: Props = {};
  if (!sameJson(news.freeformTags ?? {}, olds.freeformTags ?? {})) out.freeformTags = news.freeformTags ?? {};
  if (!tagsMatch(olds, news)) {
    const merged: Record<string, Record<string, unknown>> = {};
    for (const [ns, tags] of Object.entries(isPlain(olds.definedTags) ? olds.definedTags : {}))
      if (isPlain(tags)) merged[ns] = { ...tags };
    for (const [ns, key] of removedDefinedTags(olds, news)) delete merged[ns]?.[key];
    for (const [ns, tags] of Object.entries(isPlain(news.definedTags) ? news.definedTags : {}))
      if (isPlain(tags)) merged[ns] = { ...(merged[ns] ?? {}), ...tags };
    for (const ns of Object.keys(merged)) if (Object.keys(merged[ns] ?? {}).length === 0) delete merged[ns];
    out.definedTags = merged;
  }
  return out;
}

/** Removes `undefined`/`null` members and `__provider`. */
export function compact(props: Props): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(props))
    if (v !== undefined && v !== null && k !== "__provider") out[k] = v;
  return out;
}

/** Picks `keys` of `props` that are defined. */
export function pick(props: Props, keys: readonly string[]): Props {
  const out: Props = {};
  for (const k of keys) if (props[k] !== undefined && props[k] !== null) out[k] = props[k];
  return out;
}

/** True when `err` says the resource does not exist. */
export function isNotFound(err: unknown): boolean {
  return err instanceof NotFoundError;
}

export type { DiffOutcome } from "../framework/diff";

/** The shared {@link SharedDiffCollector}, with OCI's tag and FAILED-state rules. */
export class DiffCollector extends SharedDiffCollector {
  /**
   * Compares the tags: `freeformTags` left out mean empty; `definedTags` the cloud added are no change,
   * but one fnstack applied and the inputs no longer write is (see {@link removedDefinedTags}).
   */
  compareTags(olds: Props, news: Props): void {
    this.compare("freeformTags", news.freeformTags ?? {}, olds.freeformTags ?? {}, false);
    if (!tagsMatch(olds, news)) this.change("definedTags", false);
  }

  /**
   * A resource the cloud reports FAILED cannot be repaired in place (e.g. after a failed create work
   * request was recorded as a partial failure): the next `up` replaces it.
   */
  replaceIfFailed(olds: Record<string, unknown>): void {
    if (olds.lifecycleState === "FAILED") this.change("lifecycleState", true);
  }
}

/**
 * Runs a POST that must happen at most once (a create, or a start/stop/move without a retry token) in
 * the one retry loop of provider/create-once.ts: `create` gets a single-attempt client context, so no
 * second loop runs inside it; after a failure that may have reached the service (5xx, reset, timeout,
 * lost answer) `findExisting` is asked first and its answer adopted. With `lookFirst`, it is also asked
 * before the first attempt (creates keyed by the resource's stable identity).
 */
export function createOnce<T>(
  ctx: ClientContext,
  create: (once: ClientContext) => Promise<T>,
  findExisting: () => Promise<T | undefined>,
  description: string,
  lookFirst = false,
): Promise<T> {
  return runCreateOnce({ ctx, create, find: findExisting, description, lookFirst }).then(
    (result) => result.value,
  );
}

/** True when `err` is OCI's 409 `IncorrectState` (the resource is busy in a transitional state). */
export function isIncorrectState(err: unknown): boolean {
  return err instanceof ConflictError && err.code === "IncorrectState";
}

/** States in which a resource is already on its way out: a DELETE must not be sent again. */
const goingStates = ["DELETING", "DELETED"];

/**
 * Starts a deletion and answers whether one is underway (false: the resource is already gone).
 *
 * It reads the resource first (`current`): gone (404, DELETED) answers false; DELETING (a destroy that
 * was interrupted or timed out) answers true without a second DELETE, which the API would refuse with
 * 409 IncorrectState. Otherwise it runs `remove`; when the resource is busy (409 IncorrectState after
 * the transport's own retries, e.g. still CREATING after a timed-out create), it waits with `settle`
 * until the resource is stable, or already being deleted by someone else, and tries once more.
 */
export async function deleteWhenSettled(
  remove: () => Promise<unknown>,
  settle: () => Promise<{ readonly lifecycleState: string }>,
  current: () => Promise<{ readonly lifecycleState: string }>,
): Promise<boolean> {
  let state: string;
  try {
    state = (await current()).lifecycleState;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
  if (state === "DELETED") return false;
  if (state === "DELETING") return true;
  try {
    await remove();
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    if (!isIncorrectState(err)) throw err;
  }
  let settled: string;
  try {
    settled = (await settle()).lifecycleState;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
  if (goingStates.includes(settled)) return settled === "DELETING";
  try {
    await remove();
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** The lifecycle states `deleteWhenSettled`'s settle wait ends on. */
export const settledForDelete: readonly string[] = ["ACTIVE", "INACTIVE", "FAILED", ...goingStates];

/**
 * The outputs to record when a create failed after the cloud accepted it: `current` (a fresh read, or
 * what the create answered), marked FAILED when the failure says the resource ended FAILED or CANCELED
 * (a failed work request, a FAILED lifecycle state) even if the read still shows CREATING. The next
 * `up` then plans a replacement (diff's {@link DiffCollector.replaceIfFailed}), as Terraform taints a
 * resource whose create failed, instead of an update that can only fail again.
 */
export function failedCreateOutputs(current: Props, cause: unknown): Props {
  const ended = cause instanceof WorkRequestFailedError && ["FAILED", "CANCELED"].includes(cause.status);
  return ended ? { ...current, lifecycleState: "FAILED" } : current;
}
