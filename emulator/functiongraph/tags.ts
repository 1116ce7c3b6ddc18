import type { EmulatorResponse } from "../service";
import type { OperationContext } from "./context";
import { badRequest } from "./errors";
import { findFunction } from "./functions";
import { type Json, isObject, ok, parseJsonObject } from "./model";

const tagKeyPattern = /^[\p{L}\p{N}_.:=+\-@]{1,128}$/u;

function readTags(body: Json, withValues: boolean): { key: string; value: string }[] {
  const tags = body["tags"];
  if (!Array.isArray(tags) || tags.length === 0 || tags.length > 20)
    throw badRequest("tags must be a list of 1-20 tags");
  return tags.map((t: unknown) => {
    if (!isObject(t) || typeof t["key"] !== "string" || !tagKeyPattern.test(t["key"])) {
      throw badRequest("Each tag needs a key of 1-128 characters");
    }
    const value = t["value"] ?? "";
    if (withValues && (typeof value !== "string" || value.length > 255)) {
      throw badRequest("A tag value must be a string of at most 255 characters");
    }
    return { key: t["key"], value: typeof value === "string" ? value : "" };
  });
}

/** `GET /v2/{pid}/functions/{urn}/tags` → `{tags, sys_tags}`. */
export function showTags(ctx: OperationContext): EmulatorResponse {
  const { fn } = findFunction(ctx, ctx.params["function_urn"] ?? "");
  return ok({ tags: fn.tags.map((t) => ({ ...t })), sys_tags: [] });
}

/** `POST /v2/{pid}/functions/{urn}/tags/create` `{tags:[{key,value}]}` → 204; an existing key is overwritten. */
export function createTags(ctx: OperationContext): EmulatorResponse {
  const { fn } = findFunction(ctx, ctx.params["function_urn"] ?? "");
  const tags = readTags(parseJsonObject(ctx.request.body), true);
  for (const tag of tags) {
    const existing = fn.tags.find((t) => t.key === tag.key);
    if (existing) existing.value = tag.value;
    else fn.tags.push(tag);
  }
  if (fn.tags.length > 20) throw badRequest("A function can have at most 20 tags");
  return { status: 204 };
}

/** `DELETE /v2/{pid}/functions/{urn}/tags/delete` `{tags:[{key}]}` → 204. */
export function deleteTags(ctx: OperationContext): EmulatorResponse {
  const { fn } = findFunction(ctx, ctx.params["function_urn"] ?? "");
  const keys = new Set(readTags(parseJsonObject(ctx.request.body), false).map((t) => t.key));
  fn.tags = fn.tags.filter((t) => !keys.has(t.key));
  return { status: 204 };
}
