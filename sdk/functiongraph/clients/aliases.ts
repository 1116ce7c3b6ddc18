import { send } from "../../core/send";
import type { CreateAliasRequest, FunctionAlias, UpdateAliasRequest } from "../types/alias";
import { type CallOptions, type ClientContext, pathParam, unqualifiedUrn } from "./common";

function aliasPath(funcUrn: string, name?: string): string {
  const base = `/fgs/functions/${pathParam(unqualifiedUrn(funcUrn))}/aliases`;
  return name === undefined ? base : `${base}/${pathParam(name)}`;
}

/** Creates an alias (`POST .../aliases`, 200). */
export async function createAlias(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly body: CreateAliasRequest },
  options: CallOptions = {},
): Promise<FunctionAlias> {
  const res = await send<FunctionAlias>(
    ctx,
    {
      operation: "CreateVersionAlias",
      method: "POST",
      path: aliasPath(input.funcUrn),
      body: input.body,
      resource: `alias ${input.body.name} of ${input.funcUrn}`,
    },
    options,
  );
  return res.body;
}

/**
 * Lists a function's aliases (`GET .../aliases`). The API answers a bare JSON array (no pagination), so
 * this yields its items; list items omit the routing strategy.
 */
export async function* listAliases(
  ctx: ClientContext,
  input: { readonly funcUrn: string },
  options: CallOptions = {},
): AsyncGenerator<FunctionAlias, void, undefined> {
  const res = await send<FunctionAlias[] | undefined>(
    ctx,
    { operation: "ListVersionAliases", method: "GET", path: aliasPath(input.funcUrn) },
    options,
  );
  yield* res.body ?? [];
}

/** Reads one alias (`GET .../aliases/{name}`). */
export async function getAlias(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly name: string },
  options: CallOptions = {},
): Promise<FunctionAlias> {
  const res = await send<FunctionAlias>(
    ctx,
    {
      operation: "ShowVersionAlias",
      method: "GET",
      path: aliasPath(input.funcUrn, input.name),
      resource: `alias ${input.name} of ${input.funcUrn}`,
    },
    options,
  );
  return res.body;
}

/** Updates an alias in place (`PUT .../aliases/{name}`): version, description, weights, strategy. */
export async function updateAlias(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly name: string; readonly body: UpdateAliasRequest },
  options: CallOptions = {},
): Promise<FunctionAlias> {
  const res = await send<FunctionAlias>(
    ctx,
    {
      operation: "UpdateVersionAlias",
      method: "PUT",
      path: aliasPath(input.funcUrn, input.name),
      body: input.body,
      resource: `alias ${input.name} of ${input.funcUrn}`,
    },
    options,
  );
  return res.body;
}

/** Deletes an alias (`DELETE .../aliases/{name}`, 204); the version it points to stays. */
export async function deleteAlias(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly name: string },
  options: CallOptions = {},
): Promise<void> {
  await send(
    ctx,
    {
      operation: "DeleteVersionAlias",
      method: "DELETE",
      path: aliasPath(input.funcUrn, input.name),
      resource: `alias ${input.name} of ${input.funcUrn}`,
    },
    options,
  );
}
