/**
 * Pure logic of `oci:Application`: input validation, diff, request bodies and outputs. No I/O.
 */
import type {
  Application,
  CreateApplicationDetails,
  UpdateApplicationDetails,
} from "../../sdk/oci/types/functions";
import { applicationShapes } from "../../sdk/oci/types/functions";
import type { Props } from "../handler";
import { isUnknown } from "../inputs";
import {
  compact,
  DiffCollector,
  type DiffOutcome,
  isPlain,
  keepOrder,
  managedDefinedTags,
  pick,
  sameJson,
  sameSet,
  tagUpdates,
  timeoutsRule,
} from "./common";
import {
  array,
  bool,
  checkInputs,
  definedTags,
  type Failures,
  type Field,
  freeformTags,
  obj,
  ocid,
  oneOf,
  type Rule,
  str,
  stringMap,
} from "./validate";

/** Display names of applications and functions: a letter, then letters, digits, `-` or `_`; 1–255 characters. */
export const displayNameRule = str({
  max: 255,
  pattern: /^[A-Za-z][A-Za-z0-9_-]*$/,
  describe: "must start with a letter and contain only letters, digits, '-' and '_'",
});

/** Functions `config`: keys `[A-Za-z_][A-Za-z0-9_]*`, string values, at most 4 KB of keys and values in total. */
export const functionsConfigRule = stringMap({
  keyPattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
  keyRule: "must match [A-Za-z_][A-Za-z0-9_]*",
  maxTotalBytes: 4096,
});

const syslogUrlShape = str({
  min: 0,
  max: 1024,
  pattern: /^$|^(tcp|udp|tcp\+tls):\/\/[^\s/:]+:\d{1,5}$/,
  describe: 'must look like tcp://host:port, udp://host:port or tcp+tls://host:port, or be "" (no syslog)',
});

/** A syslog URL ("Supports tcp, udp, and tcp+tls", CreateApplicationDetails) whose port is a TCP/UDP port. */
const syslogUrlRule: Rule = (value, path, failures) => {
  const before = failures.length;
  syslogUrlShape(value, path, failures);
  if (failures.length > before || typeof value !== "string" || value === "" || isUnknown(value)) return;
  const port = Number(value.slice(value.lastIndexOf(":") + 1));
  if (port < 1 || port > 65535)
    failures.push({ property: path, reason: `port must be between 1 and 65535, got ${port}` });
};

/** The inputs of `oci:Application`, by name. */
export const applicationFields: Readonly<Record<string, Field>> = {
  compartmentId: { rule: ocid("compartment", "tenancy"), required: true },
  displayName: { rule: displayNameRule, required: true },
  subnetIds: { rule: array(ocid("subnet"), { min: 1, max: 3, unique: true }), required: true },
  shape: { rule: oneOf(applicationShapes) },
  config: { rule: functionsConfigRule },
  networkSecurityGroupIds: { rule: array(ocid("networksecuritygroup"), { max: 5, unique: true }) },
  syslogUrl: { rule: syslogUrlRule },
  traceConfig: { rule: obj({ isEnabled: { rule: bool }, domainId: { rule: ocid("apmdomain") } }) },
  logging: { rule: obj({ lineFormat: { rule: oneOf(["JSON", "PLAIN_TEXT"]) } }) },
  imagePolicyConfig: {
    rule: obj({
      isPolicyEnabled: { rule: bool, required: true },
      keyDetails: { rule: array(obj({ kmsKeyId: { rule: ocid("key"), required: true } }), { max: 10 }) },
    }),
  },
  freeformTags: { rule: freeformTags },
  definedTags: { rule: definedTags },
  securityAttributes: { rule: definedTags },
  timeouts: { rule: timeoutsRule },
  adoptId: { rule: ocid("fnapp") },
};

/** Input names of `oci:Application`. */
export const applicationInputKeys: readonly string[] = Object.keys(applicationFields);

const cloudKeys = [
  "compartmentId",
  "displayName",
  "subnetIds",
  "shape",
  "config",
  "networkSecurityGroupIds",
  "syslogUrl",
  "traceConfig",
  "logging",
  "imagePolicyConfig",
  "freeformTags",
  "definedTags",
  "securityAttributes",
] as const;

// Optional in-place fields compared as they are: left out, they are whatever the cloud holds.
const settingKeys = ["logging", "imagePolicyConfig", "securityAttributes"];

/**
 * Settings that can be switched off, and what "off" is: left out (or `""` for syslogUrl) they are
 * cleared, as a user removing them from the program expects.
 */
const clearable: readonly { key: string; off: unknown; isOff: (held: unknown) => boolean }[] = [
  { key: "syslogUrl", off: "", isOff: (held) => held === undefined || held === null || held === "" },
  {
    key: "traceConfig",
    off: { isEnabled: false },
    isOff: (held) => !isPlain(held) || (held.isEnabled !== true && !held.domainId),
  },
];

/** The value `key` must be set to, or undefined when the cloud already holds what the inputs ask. */
function clearableChange(key: string, olds: Props, news: Props): { value: unknown } | undefined {
  const rule = clearable.find((c) => c.key === key);
  if (rule === undefined) return undefined;
  const wanted = news[key];
  if (wanted === undefined || wanted === null || wanted === rule.off)
    return rule.isOff(olds[key]) ? undefined : { value: rule.off };
  return sameJson(wanted, olds[key]) ? undefined : { value: wanted };
}

/** Validates inputs; every failure names the field and the rule. */
export function checkApplication(news: Props): Failures {
  return checkInputs(news, applicationFields);
}

/** The CreateApplication body for checked inputs. */
export function createApplicationDetails(inputs: Props): CreateApplicationDetails {
  return compact(pick(inputs, cloudKeys)) as unknown as CreateApplicationDetails;
}

/**
 * Compares the cloud's state (`olds`, the outputs) with the user's inputs (`news`). Replaces on
 * displayName, subnetIds (as a set) and shape; the compartment moves in place. `config`,
 * `freeformTags` and `networkSecurityGroupIds` left out mean empty; other optional fields left out are
 * whatever the cloud holds.
 */
export function diffApplication(olds: Props, news: Props): DiffOutcome {
  const d = new DiffCollector();
  d.replaceIfFailed(olds);
  d.compare("displayName", news.displayName, olds.displayName, true);
  d.compare("subnetIds", news.subnetIds, olds.subnetIds, true, sameSet);
  d.compare("shape", news.shape, olds.shape, true);
  d.compare("compartmentId", news.compartmentId, olds.compartmentId, false);
  d.compare("config", news.config ?? {}, olds.config ?? {}, false);
  d.compare(
    "networkSecurityGroupIds",
    news.networkSecurityGroupIds ?? [],
    olds.networkSecurityGroupIds ?? [],
    false,
    sameSet,
  );
  d.compareTags(olds, news);
  for (const key of settingKeys) {
    d.compare(key, news[key], olds[key], false);
  }
  for (const { key } of clearable)
    if (isUnknown(news[key]) || clearableChange(key, olds, news) !== undefined) d.change(key, false);
  // Names are unique in a compartment: a replacement under the same name must delete first.
  const sameName =
    news.displayName === olds.displayName &&
    (news.compartmentId === undefined || news.compartmentId === olds.compartmentId);
  return d.result(sameName);
}

/** The UpdateApplication body: only the mutable fields that differ (empty when none do). */
export function updateApplicationDetails(olds: Props, news: Props): UpdateApplicationDetails {
  const out: Record<string, unknown> = {};
  if (!sameJson(news.config ?? {}, olds.config ?? {})) out.config = news.config ?? {};
  if (!sameSet(news.networkSecurityGroupIds ?? [], olds.networkSecurityGroupIds ?? []))
    out.networkSecurityGroupIds = news.networkSecurityGroupIds ?? [];
  Object.assign(out, tagUpdates(olds, news));
  for (const key of settingKeys) {
    if (news[key] !== undefined && !sameJson(news[key], olds[key])) out[key] = news[key];
  }
  for (const { key } of clearable) {
    const change = clearableChange(key, olds, news);
    if (change !== undefined) out[key] = change.value;
  }
  return out as UpdateApplicationDetails;
}

/**
 * Outputs for an application as the cloud holds it. `previous` (the last outputs or the inputs) keeps
 * the order of order-insensitive lists and the provider-only inputs (`timeouts`, `adoptId`).
 */
export function applicationOutputs(app: Application, previous: Props): Props {
  const out: Props = compact({ ...pick(app as unknown as Props, cloudKeys) });
  out.subnetIds = keepOrder(app.subnetIds as string[] | undefined, previous.subnetIds);
  if (app.networkSecurityGroupIds !== undefined)
    out.networkSecurityGroupIds = keepOrder(
      app.networkSecurityGroupIds as string[],
      previous.networkSecurityGroupIds,
    );
  out.config = app.config ?? {};
  out.freeformTags = app.freeformTags ?? {};
  out.lifecycleState = app.lifecycleState;
  if (app.timeCreated !== undefined) out.timeCreated = app.timeCreated;
  if (app.timeUpdated !== undefined) out.timeUpdated = app.timeUpdated;
  out.managedDefinedTags = managedDefinedTags(previous);
  return { ...out, ...pick(previous, ["timeouts", "adoptId"]) };
}

/** Fields that differ between an existing application and the inputs but cannot change in place. */
export function immutableMismatches(app: Props, inputs: Props): string[] {
  const d = new DiffCollector();
  d.compare("displayName", inputs.displayName, app.displayName, true);
  d.compare("subnetIds", inputs.subnetIds, app.subnetIds, true, sameSet);
  d.compare("shape", inputs.shape, app.shape, true);
  return d.replaces;
}
