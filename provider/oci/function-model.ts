/**
 * Pure logic of `oci:Function`: input validation, diff (with image-digest handling that never churns),
 * request bodies and outputs. No I/O.
 */
import type {
  CreateFunctionDetails,
  FunctionResource,
  UpdateFunctionDetails,
} from "../../sdk/oci/types/functions";
import type { Props } from "../handler";
import {
  compact,
  DiffCollector,
  type DiffOutcome,
  isPlain,
  managedDefinedTags,
  pick,
  sameJson,
  tagUpdates,
  timeoutsRule,
} from "./common";
import { displayNameRule, functionsConfigRule } from "./application-model";
import {
  bool,
  checkInputs,
  definedTags,
  type Failures,
  type Field,
  freeformTags,
  int,
  obj,
  ocid,
  str,
  union,
} from "./validate";

/** Image digests: `sha256:` and 64 lowercase hex digits. */
export const imageDigestPattern = /^sha256:[0-9a-f]{64}$/;

const destinationRule = union("kind", {
  NONE: {},
  STREAM: { streamId: { rule: ocid("stream"), required: true } },
  QUEUE: { queueId: { rule: ocid("queue"), required: true }, channelId: { rule: str({ max: 255 }) } },
  NOTIFICATION: { topicId: { rule: ocid("onstopic"), required: true } },
});

/** The inputs of `oci:Function`, by name. */
export const functionFields: Readonly<Record<string, Field>> = {
  applicationId: { rule: ocid("fnapp"), required: true },
  displayName: { rule: displayNameRule, required: true },
  memoryInMBs: { rule: int(128, 3072, " MB"), required: true },
  // "The qualified name of the Docker image ..., including the image tag" (CreateFunctionDetails).
  image: {
    rule: str({
      max: 512,
      pattern: /^[^\s@]+:[^\s@/:]+$/,
      describe:
        "must be an image reference with its tag, such as phx.ocir.io/namespace/repo:tag, without spaces or @digest (use imageDigest)",
    }),
  },
  imageDigest: {
    rule: (value, path, failures) => {
      // "" asks for the tag to be resolved again (terraform's `image_digest = ""`).
      if (value === "") return;
      str({
        pattern: imageDigestPattern,
        describe: 'must be sha256: followed by 64 lowercase hex digits, or "" to resolve the tag again',
      })(value, path, failures);
    },
  },
  sourceDetails: {
    rule: union("sourceType", { PRE_BUILT_FUNCTIONS: { pbfListingId: { rule: ocid(), required: true } } }),
  },
  config: { rule: functionsConfigRule },
  timeoutInSeconds: { rule: int(5, 300, " seconds") },
  detachedModeTimeoutInSeconds: { rule: int(5, 3600, " seconds") },
  provisionedConcurrencyConfig: {
    rule: union("strategy", { NONE: {}, CONSTANT: { count: { rule: int(0, 1_000_000), required: true } } }),
  },
  successDestination: { rule: destinationRule },
  failureDestination: { rule: destinationRule },
  traceConfig: { rule: obj({ isEnabled: { rule: bool } }) },
  freeformTags: { rule: freeformTags },
  definedTags: { rule: definedTags },
  timeouts: { rule: timeoutsRule },
  adoptId: { rule: ocid("fnfunc") },
};

/** Input names of `oci:Function`. */
export const functionInputKeys: readonly string[] = Object.keys(functionFields);

// Optional in-place fields compared as they are: left out, they are whatever the cloud holds.
const settingKeys = [
  "timeoutInSeconds",
  "detachedModeTimeoutInSeconds",
  "provisionedConcurrencyConfig",
  "successDestination",
  "failureDestination",
  "traceConfig",
] as const;
const mutableKeys = [
  "image",
  "imageDigest",
  "memoryInMBs",
  "config",
  ...settingKeys,
  "freeformTags",
  "definedTags",
] as const;
const cloudKeys = ["applicationId", "displayName", "sourceDetails", ...mutableKeys] as const;
const outputOnlyKeys = [
  "compartmentId",
  "shape",
  "invokeEndpoint",
  "lifecycleState",
  "timeCreated",
  "timeUpdated",
] as const;

/** Validates inputs; every failure names the field and the rule. */
export function checkFunction(news: Props): Failures {
  const failures = checkInputs(news, functionFields);
  const hasImage = news.image !== undefined && news.image !== null;
  const hasSource = news.sourceDetails !== undefined && news.sourceDetails !== null;
  if (hasImage && hasSource)
    failures.push({ property: "sourceDetails", reason: "give either image or sourceDetails, not both" });
  if (!hasImage && !hasSource)
    failures.push({
      property: "image",
      reason: "is required unless sourceDetails names a pre-built function",
    });
  if (news.imageDigest !== undefined && news.imageDigest !== null && !hasImage) {
    failures.push({ property: "imageDigest", reason: "needs image: a digest pins the image named by image" });
  }
  return failures;
}

/** The CreateFunction body for checked inputs (`imageDigest: ""` means "resolve the tag": not sent). */
export function createFunctionDetails(inputs: Props): CreateFunctionDetails {
  const body = compact(pick(inputs, cloudKeys));
  if (body.imageDigest === "") delete body.imageDigest;
  return body as unknown as CreateFunctionDetails;
}

/** True when the user wrote a digest (a pin) rather than leaving it to the tag. */
function pinsDigest(imageDigest: unknown): boolean {
  return typeof imageDigest === "string" && imageDigest !== "";
}

/**
 * What the last applied inputs asked of the digest: outputs carry `imageDigestPinned`; `previous`
 * without it is the inputs of a create or update (or outputs of an older version, then read as
 * unpinned).
 */
function digestPinned(previous: Props): boolean {
  if (typeof previous.imageDigestPinned === "boolean") return previous.imageDigestPinned;
  return previous.lifecycleState === undefined && pinsDigest(previous.imageDigest);
}

/**
 * Why the digest must be resolved again, if it must: the user asked (`imageDigest: ""`), or removed a
 * pin (the tag is followed again, so it is resolved now rather than kept at the old pin).
 */
function digestReresolve(olds: Props, news: Props): boolean {
  if (news.sourceDetails !== undefined && news.sourceDetails !== null) return false;
  if (news.imageDigest === "") return true;
  return news.imageDigest === undefined && olds.imageDigestPinned === true;
}

/** A traceConfig that traces nothing: what removing `traceConfig` sets. */
function traceOff(value: unknown): boolean {
  return !isPlain(value) || value.isEnabled !== true;
}

/**
 * Compares the cloud's function (`olds`) with the inputs (`news`). Replaces on applicationId,
 * displayName and sourceDetails (a pre-built function becoming an image one, or back, included: the
 * API cannot change the source in place). `imageDigest`: absent follows the tag (an image change lets
 * the service resolve it; the resolved digest is never a diff), a value pins it (a different one is an
 * update), `""` resolves the tag again on this `up`, and removing a pin resolves it again too.
 * `traceConfig` removed means tracing off.
 */
export function diffFunction(olds: Props, news: Props): DiffOutcome {
  const d = new DiffCollector();
  d.replaceIfFailed(olds);
  d.compare("applicationId", news.applicationId, olds.applicationId, true);
  d.compare("displayName", news.displayName, olds.displayName, true);
  d.compare("sourceDetails", news.sourceDetails, olds.sourceDetails, true);
  if (isPlain(olds.sourceDetails) && (news.sourceDetails === undefined || news.sourceDetails === null))
    d.change("sourceDetails", true);
  d.compare("image", news.image, olds.image, false);
  if (pinsDigest(news.imageDigest)) d.compare("imageDigest", news.imageDigest, olds.imageDigest, false);
  if (digestReresolve(olds, news)) d.change("imageDigest", false);
  if ((news.traceConfig === undefined || news.traceConfig === null) && !traceOff(olds.traceConfig))
    d.change("traceConfig", false);
  d.compare("memoryInMBs", news.memoryInMBs, olds.memoryInMBs, false);
  d.compare("config", news.config ?? {}, olds.config ?? {}, false);
  d.compareTags(olds, news);
  for (const key of settingKeys) {
    d.compare(key, news[key], olds[key], false);
  }
  const sameName = news.displayName === olds.displayName && news.applicationId === olds.applicationId;
  return d.result(sameName);
}

/** The UpdateFunction body: the mutable fields that differ. A new image without a digest is sent alone. */
export function updateFunctionDetails(olds: Props, news: Props): UpdateFunctionDetails {
  const out: Record<string, unknown> = {};
  const imageChanged = news.image !== undefined && news.image !== olds.image;
  const digestChanged = pinsDigest(news.imageDigest) && news.imageDigest !== olds.imageDigest;
  if (imageChanged || digestChanged || digestReresolve(olds, news)) {
    // Without a digest the service resolves the image's tag now (oci-api.md §2.1, UpdateFunctionDetails).
    out.image = news.image ?? olds.image;
    if (pinsDigest(news.imageDigest)) out.imageDigest = news.imageDigest;
  }
  if ((news.traceConfig === undefined || news.traceConfig === null) && !traceOff(olds.traceConfig))
    out.traceConfig = { isEnabled: false };
  if (!sameJson(news.config ?? {}, olds.config ?? {})) out.config = news.config ?? {};
  Object.assign(out, tagUpdates(olds, news));
  for (const key of ["memoryInMBs", ...settingKeys]) {
    if (news[key] !== undefined && !sameJson(news[key], olds[key])) out[key] = news[key];
  }
  return out as UpdateFunctionDetails;
}

/**
 * Outputs for a function as the cloud holds it; `previous` (the inputs of a create/update, or the last
 * outputs) keeps `timeouts` and `adoptId`, and gives `imageDigestPinned` (whether the user pinned the
 * digest) and `managedDefinedTags` (the defined tags the user applied).
 */
export function functionOutputs(fn: FunctionResource, previous: Props): Props {
  const wire = fn as unknown as Props;
  const out: Props = compact(pick(wire, [...cloudKeys, ...outputOnlyKeys]));
  out.config = fn.config ?? {};
  out.freeformTags = fn.freeformTags ?? {};
  if (fn.sourceDetails === undefined) out.imageDigestPinned = digestPinned(previous);
  out.managedDefinedTags = managedDefinedTags(previous);
  return { ...out, ...pick(previous, ["timeouts", "adoptId"]) };
}

/** Fields that differ between an existing function and the inputs but cannot change in place. */
export function functionImmutableMismatches(fn: Props, inputs: Props): string[] {
  const d = new DiffCollector();
  d.compare("applicationId", inputs.applicationId, fn.applicationId, true);
  d.compare("displayName", inputs.displayName, fn.displayName, true);
  d.compare("sourceDetails", inputs.sourceDetails, fn.sourceDetails, true);
  return d.replaces;
}
