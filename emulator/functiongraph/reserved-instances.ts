import type { EmulatorResponse } from "../service";
import type { OperationContext } from "./context";
import { badRequest } from "./errors";
import { findFunction, resolve, urnOf } from "./functions";
import { clone, isObject, ok, optBoolean, optInteger, page, parseJsonObject } from "./model";

/** `PUT /fgs/functions/{urn}/reservedinstances` `{count, idle_mode?, tactics_config?}` for the URN's qualifier. */
export function updateReservedInstances(ctx: OperationContext): EmulatorResponse {
  const { ref, fn } = resolve(ctx, ctx.params["function_urn"] ?? "");
  const body = parseJsonObject(ctx.request.body);
  const count = optInteger(body, "count", "FSS.0400", 0, 1000);
  if (count === undefined) throw badRequest("count is required");
  const idleMode = optBoolean(body, "idle_mode") ?? false;
  const tactics = body["tactics_config"];
  if (tactics !== undefined && tactics !== null && !isObject(tactics))
    throw badRequest("tactics_config must be an object");
  const q = ref.qualifier;
  const entry = {
    qualifier_type: q?.kind === "alias" ? ("alias" as const) : ("version" as const),
    qualifier_name: q?.name ?? "latest",
    count,
    idle_mode: idleMode,
    tactics_config: isObject(tactics) ? clone(tactics) : undefined,
  };
  fn.reserved = fn.reserved.filter(
    (r) => !(r.qualifier_type === entry.qualifier_type && r.qualifier_name === entry.qualifier_name),
  );
  if (count > 0) fn.reserved.push(entry);
  return ok({ count, idle_mode: idleMode, tactics_config: entry.tactics_config ?? {} });
}

/** `GET /fgs/functions/reservedinstanceconfigs?function_urn&marker&limit`. */
export function listReservedInstanceConfigs(ctx: OperationContext): EmulatorResponse {
  const urnParam = ctx.request.query.get("function_urn");
  const functions = urnParam ? [findFunction(ctx, urnParam).fn] : ctx.project.functions;
  const all = functions.flatMap((fn) =>
    fn.reserved.map((r) => ({
      function_urn: urnOf(ctx, fn),
      qualifier_type: r.qualifier_type,
      qualifier_name: r.qualifier_name,
      min_count: r.count,
      idle_mode: r.idle_mode,
      tactics_config: r.tactics_config ?? {},
    })),
  );
  const query = new URLSearchParams(ctx.request.query);
  if (query.has("limit") && !query.has("maxitems")) query.set("maxitems", query.get("limit") ?? "");
  const { items, next_marker, count } = page(all, query);
  return ok({
    reserved_instances: items,
    page_info: {
      next_marker,
      previous_marker: Math.max(0, next_marker - items.length),
      current_count: items.length,
    },
    count,
  });
}
