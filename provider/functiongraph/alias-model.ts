/** The Alias resource's pure logic: the input rules, weights and strategy on the wire, outputs, the diff. */
import type * as pulumi from "@pulumi/pulumi";
import { unqualifiedUrn } from "../../sdk/functiongraph/clients/common";
import type { FunctionAlias, UpdateAliasRequest, VersionStrategy } from "../../sdk/functiongraph/types/alias";
import type { CallScope, Props } from "../handler";
import { changedKeys, compact, diffResult, isPlainObject, type Plain, startCheck, unknown } from "./common";
import { versionNamePattern } from "./version-model";

/** Alias name: ≤64 letters, digits, `-`, `_`; starts with a letter, ends with a letter or digit. */
export const aliasNamePattern = /^[A-Za-z](?:[A-Za-z0-9_-]{0,62}[A-Za-z0-9])?$/;

/** Every input the Alias accepts. */
export const aliasInputKeys = [
  "funcUrn",
  "name",
  "version",
  "description",
  "additionalVersionWeights",
  "additionalVersionStrategy",
  "adoptId",
] as const;
const replaceKeys = ["funcUrn", "name"] as const;
const updateKeys = [
  "version",
  "description",
  "additionalVersionWeights",
  "additionalVersionStrategy",
] as const;

/** Validates Alias inputs: names, percentages (0–100, sum ≤ 100), major ≠ additional, strategy rules. */
export function checkAlias(news: Props, call?: CallScope): pulumi.dynamic.CheckResult {
  const { c, inputs } = startCheck(news, aliasInputKeys, { qualified: false }, call);
  if (typeof inputs.funcUrn === "string") inputs.funcUrn = unqualifiedUrn(inputs.funcUrn);
  if (c.required("name", inputs.name))
    c.string("name", inputs.name, {
      max: 64,
      pattern: aliasNamePattern,
      describe: "must be 1–64 letters, digits, '-', '_', start with a letter and end with a letter or digit",
    });
  if (c.required("version", inputs.version))
    c.string("version", inputs.version, {
      pattern: /^(latest|[A-Za-z0-9][A-Za-z0-9_.-]{0,41})$/,
      describe: "must be `latest` or a published version name",
    });
  c.string("description", inputs.description, { max: 512 });

  const weights = c.object("additionalVersionWeights", inputs.additionalVersionWeights);
  if (weights) {
    let sum = 0;
    for (const [ver, w] of Object.entries(weights)) {
      const p = `additionalVersionWeights.${ver}`;
      if (!versionNamePattern.test(ver) && ver !== "latest") c.fail(p, "must be keyed by a version name");
      if (ver === inputs.version)
        c.fail(p, "an additional version must differ from the alias's version (FSS.1093)");
      c.integer(p, w, 0, 100, "percent");
      if (typeof w === "number") sum += w;
    }
    if (sum > 100) c.fail("additionalVersionWeights", `percentages must add up to at most 100, got ${sum}`);
    if (Object.keys(weights).length > 1) c.fail("additionalVersionWeights", "at most one additional version");
  }
  const strategy = c.object("additionalVersionStrategy", inputs.additionalVersionStrategy);
  if (strategy) {
    if (weights && Object.keys(weights).length > 0)
      c.fail(
        "additionalVersionStrategy",
        "cannot be combined with additionalVersionWeights (route by weight or by rule)",
      );
    if (Object.keys(strategy).length > 1)
      c.fail("additionalVersionStrategy", "at most one additional version");
    for (const [ver, s] of Object.entries(strategy)) {
      const p = `additionalVersionStrategy.${ver}`;
      if (ver === inputs.version)
        c.fail(p, "an additional version must differ from the alias's version (FSS.1093)");
      const o = c.object(p, s);
      if (!o) continue;
      if (c.required(`${p}.combineType`, o.combineType))
        c.oneOf(`${p}.combineType`, o.combineType, ["and", "or"]);
      const rules = c.array(`${p}.rules`, o.rules, { min: 1, max: 10 });
      rules?.forEach((r, i) => {
        const rp = `${p}.rules[${i}]`;
        const ro = c.object(rp, r);
        if (!ro) return;
        if (c.required(`${rp}.ruleType`, ro.ruleType))
          c.oneOf(`${rp}.ruleType`, ro.ruleType, ["header", "cookie", "Header", "Cookie"]);
        if (c.required(`${rp}.param`, ro.param)) c.string(`${rp}.param`, ro.param, { max: 128 });
        if (c.required(`${rp}.op`, ro.op)) c.oneOf(`${rp}.op`, ro.op, ["=", "in"]);
        if (c.required(`${rp}.value`, ro.value)) c.string(`${rp}.value`, ro.value, { max: 256 });
      });
    }
  }
  c.string("adoptId", inputs.adoptId, {
    pattern: /^urn:fss:\S+\/[A-Za-z][A-Za-z0-9_-]*$/,
    describe: "must be <funcUrn>/<aliasName>",
  });
  if (
    typeof inputs.adoptId === "string" &&
    !unknown(inputs.name) &&
    !inputs.adoptId.endsWith(`/${String(inputs.name)}`)
  )
    c.fail("adoptId", "must name the same alias as `name`");
  return c.result(inputs);
}

/** Strategy to the wire: the map is keyed by version names (kept), its values converted. */
export function strategyToWire(strategy: unknown): Record<string, VersionStrategy> | undefined {
  if (!isPlainObject(strategy)) return undefined;
  const out: Record<string, VersionStrategy> = {};
  for (const [ver, s] of Object.entries(strategy)) {
    const o = s as Plain;
    out[ver] = {
      combine_type: String(o.combineType),
      rules: ((o.rules as Plain[] | undefined) ?? []).map((r) => ({
        rule_type: String(r.ruleType),
        param: String(r.param),
        op: String(r.op),
        value: String(r.value),
      })),
    };
  }
  return out;
}

/** Strategy from the wire, in input shape. */
export function strategyFromWire(strategy: Record<string, VersionStrategy> | undefined): Plain | undefined {
  if (!strategy || Object.keys(strategy).length === 0) return undefined;
  const out: Plain = {};
  for (const [ver, s] of Object.entries(strategy)) {
    out[ver] = {
      combineType: s.combine_type,
      rules: (s.rules ?? []).map((r) => ({
        ruleType: r.rule_type,
        param: r.param,
        op: r.op,
        value: r.value,
      })),
    };
  }
  return out;
}

/** The PUT/POST body (explicit empty maps clear weights or strategy the user removed). */
export function aliasBody(inputs: Props, olds: Props = {}): UpdateAliasRequest {
  const body: UpdateAliasRequest = { version: String(inputs.version) };
  body.description = typeof inputs.description === "string" ? inputs.description : "";
  if (isPlainObject(inputs.additionalVersionWeights))
    body.additional_version_weights = inputs.additionalVersionWeights as Record<string, number>;
  else if (olds.additionalVersionWeights !== undefined) body.additional_version_weights = {};
  const strategy = strategyToWire(inputs.additionalVersionStrategy);
  if (strategy) body.additional_version_strategy = strategy;
  else if (olds.additionalVersionStrategy !== undefined) body.additional_version_strategy = {};
  return body;
}

/** Outputs from the wire alias. */
export function aliasOutputs(a: FunctionAlias, funcUrn: string, inputs: Props): Props {
  const weights = a.additional_version_weights;
  return compact({
    funcUrn,
    name: a.name,
    version: a.version,
    description: a.description ?? "",
    // An empty map the user set reads back as itself, so `{}` never shows as a change (defect 10).
    additionalVersionWeights:
      weights && Object.keys(weights).length > 0
        ? weights
        : isPlainObject(inputs.additionalVersionWeights)
          ? {}
          : undefined,
    additionalVersionStrategy: strategyFromWire(a.additional_version_strategy),
    aliasUrn: a.alias_urn ?? `${funcUrn}:!${a.name}`,
    lastModified: a.last_modified,
    adoptId: inputs.adoptId,
  });
}

/** Empty weights mean "no additional version", as absent ones do (the service drops them; defect 10). */
function withoutEmptyWeights(props: Props): Props {
  const w = props.additionalVersionWeights;
  if (!isPlainObject(w) || Object.keys(w).length > 0) return props;
  const { additionalVersionWeights: _empty, ...rest } = props;
  return rest;
}

/** Function and name replace; version, description, weights and strategy update in place. */
export function diffAlias(olds: Props, news: Props): pulumi.dynamic.DiffResult {
  const changed = changedKeys(withoutEmptyWeights(olds), withoutEmptyWeights(news), [
    ...replaceKeys,
    ...updateKeys,
  ]).filter((k) => !(k === "description" && news.description === undefined && !olds.description));
  return diffResult(changed, replaceKeys, true);
}
