import type { EmulatorResponse } from "../service";
import type { OperationContext } from "./context";
import { aliasNotFound, badRequest, fssError, versionNotFound } from "./errors";
import { findFunction, urnOf } from "./functions";
import {
  type AliasState,
  type FunctionState,
  type Json,
  clone,
  formatTime,
  isObject,
  ok,
  optString,
  parseJsonObject,
} from "./model";

const aliasNamePattern = /^[A-Za-z]([A-Za-z0-9_-]{0,62}[A-Za-z0-9])?$/;
const maxAliasesPerFunction = 10;

function versionExists(fn: FunctionState, version: string): boolean {
  return version === "latest" || fn.versions.some((v) => v.version === version);
}

function readAliasRouting(
  fn: FunctionState,
  body: Json,
  major: string,
): Pick<AliasState, "additional_version_weights" | "additional_version_strategy"> {
  const result: Pick<AliasState, "additional_version_weights" | "additional_version_strategy"> = {};
  const weights = body["additional_version_weights"];
  if (weights !== undefined && weights !== null) {
    if (!isObject(weights))
      throw badRequest("additional_version_weights must be a map of version to percent", "FSS.1092");
    let total = 0;
    for (const [version, weight] of Object.entries(weights)) {
      if (version === major)
        throw badRequest(`The additional version ${version} equals the alias version`, "FSS.1093");
      if (!versionExists(fn, version))
        throw badRequest(`The additional version does not exist: ${version}`, "FSS.1091");
      if (typeof weight !== "number" || !Number.isInteger(weight) || weight < 0 || weight > 100) {
        throw badRequest(
          `The weight of version ${version} must be an integer percent from 0 to 100`,
          "FSS.1092",
        );
      }
      total += weight;
    }
    if (total > 100) throw badRequest("The additional version weights add up to more than 100", "FSS.1092");
    if (Object.keys(weights).length > 0)
      result.additional_version_weights = clone(weights) as Record<string, number>;
  }
  const strategy = body["additional_version_strategy"];
  if (strategy !== undefined && strategy !== null) {
    if (!isObject(strategy))
      throw badRequest("additional_version_strategy must be a map of version to rules");
    for (const [version, rule] of Object.entries(strategy)) {
      if (version === major)
        throw badRequest(`The additional version ${version} equals the alias version`, "FSS.1093");
      if (!versionExists(fn, version))
        throw badRequest(`The additional version does not exist: ${version}`, "FSS.1091");
      if (
        !isObject(rule) ||
        (rule["combine_type"] !== "and" && rule["combine_type"] !== "or") ||
        !Array.isArray(rule["rules"])
      ) {
        throw badRequest(`additional_version_strategy.${version} needs combine_type (and|or) and rules[]`);
      }
      for (const r of rule["rules"] as unknown[]) {
        if (
          !isObject(r) ||
          typeof r["rule_type"] !== "string" ||
          !["header", "cookie"].includes(r["rule_type"].toLowerCase()) ||
          typeof r["param"] !== "string" ||
          (r["op"] !== "=" && r["op"] !== "in") ||
          typeof r["value"] !== "string"
        ) {
          throw badRequest(
            `additional_version_strategy.${version}.rules[]: {rule_type, param, op (=|in), value}`,
          );
        }
      }
    }
    if (Object.keys(strategy).length > 0) result.additional_version_strategy = clone(strategy);
  }
  if (result.additional_version_weights && result.additional_version_strategy) {
    throw badRequest("Use additional_version_weights or additional_version_strategy, not both");
  }
  return result;
}

/** The alias as GET/create/update return it (the list omits the strategy). */
export function renderAlias(
  ctx: OperationContext,
  fn: FunctionState,
  alias: AliasState,
  form: "item" | "list" = "item",
): Json {
  const rendered: Json = {
    name: alias.name,
    version: alias.version,
    description: alias.description,
    last_modified: formatTime(alias.last_modified),
    alias_urn: `${urnOf(ctx, fn)}:!${alias.name}`,
  };
  if (alias.additional_version_weights)
    rendered["additional_version_weights"] = clone(alias.additional_version_weights);
  if (form === "item" && alias.additional_version_strategy) {
    rendered["additional_version_strategy"] = clone(alias.additional_version_strategy);
  }
  return rendered;
}

function requireAliasVersion(fn: FunctionState, body: Json): string {
  const version = body["version"];
  if (typeof version !== "string" || version === "") throw badRequest("version is required");
  if (!versionExists(fn, version)) throw versionNotFound(version);
  return version;
}

/** `POST /fgs/functions/{urn}/aliases`. */
export function createAlias(ctx: OperationContext): EmulatorResponse {
  const { fn } = findFunction(ctx, ctx.params["function_urn"] ?? "");
  const body = parseJsonObject(ctx.request.body);
  const name = body["name"];
  if (typeof name !== "string" || !aliasNamePattern.test(name)) {
    throw badRequest(
      "name must be 1-64 letters, digits, '-' or '_', start with a letter and end with a letter or digit",
    );
  }
  const version = requireAliasVersion(fn, body);
  const description = optString(body, "description", "FSS.1019", 512) ?? "";
  const routing = readAliasRouting(fn, body, version);
  if (fn.aliases.some((a) => a.name === name))
    throw fssError(409, "FSS.1063", `The alias already exists: ${name}`);
  if (fn.aliases.length >= maxAliasesPerFunction) {
    throw fssError(403, "FSS.1043", `A function can have at most ${maxAliasesPerFunction} aliases`);
  }
  const alias: AliasState = { name, version, description, last_modified: ctx.now, ...routing };
  fn.aliases.push(alias);
  return ok(renderAlias(ctx, fn, alias));
}

/** `GET /fgs/functions/{urn}/aliases` → a bare JSON array. */
export function listAliases(ctx: OperationContext): EmulatorResponse {
  const { fn } = findFunction(ctx, ctx.params["function_urn"] ?? "");
  return ok(fn.aliases.map((a) => renderAlias(ctx, fn, a, "list")));
}

function findAlias(ctx: OperationContext): { fn: FunctionState; alias: AliasState } {
  const { fn } = findFunction(ctx, ctx.params["function_urn"] ?? "");
  const name = ctx.params["alias_name"] ?? "";
  const alias = fn.aliases.find((a) => a.name === name);
  if (alias === undefined) throw aliasNotFound(name);
  return { fn, alias };
}

/** `GET /fgs/functions/{urn}/aliases/{name}`. */
export function showAlias(ctx: OperationContext): EmulatorResponse {
  const { fn, alias } = findAlias(ctx);
  return ok(renderAlias(ctx, fn, alias));
}

/** `PUT /fgs/functions/{urn}/aliases/{name}`: `version` required; omitted optional fields are cleared. */
export function updateAlias(ctx: OperationContext): EmulatorResponse {
  const { fn, alias } = findAlias(ctx);
  const body = parseJsonObject(ctx.request.body);
  const version = requireAliasVersion(fn, body);
  const description = optString(body, "description", "FSS.1019", 512) ?? "";
  const routing = readAliasRouting(fn, body, version);
  alias.version = version;
  alias.description = description;
  alias.additional_version_weights = routing.additional_version_weights;
  alias.additional_version_strategy = routing.additional_version_strategy;
  alias.last_modified = ctx.now;
  return ok(renderAlias(ctx, fn, alias));
}

/** `DELETE /fgs/functions/{urn}/aliases/{name}`: 403 `FSS.1154` while triggers are bound to it. */
export function deleteAlias(ctx: OperationContext): EmulatorResponse {
  const { fn, alias } = findAlias(ctx);
  if (fn.triggers.some((t) => t.qualifier === `!${alias.name}`)) {
    throw fssError(403, "FSS.1154", `The alias ${alias.name} is bound to triggers; delete them first`);
  }
  fn.aliases = fn.aliases.filter((a) => a !== alias);
  fn.reserved = fn.reserved.filter((r) => !(r.qualifier_type === "alias" && r.qualifier_name === alias.name));
  return { status: 204 };
}
