import { send } from "../../core/send";
import type { FunctionVersion, ListVersionsPage, PublishVersionRequest } from "../types/version";
import {
  type CallOptions,
  type ClientContext,
  paginate,
  pageSize,
  parseFunctionUrn,
  pathParam,
  unqualifiedUrn,
} from "./common";

/**
 * Publishes a version (`POST .../versions`, 200). Fails with 400 `FSS.1016` when nothing changed since
 * the last publish.
 */
export async function publishVersion(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly body: PublishVersionRequest },
  options: CallOptions = {},
): Promise<FunctionVersion> {
  const urn = unqualifiedUrn(input.funcUrn);
  const res = await send<FunctionVersion>(
    ctx,
    {
      operation: "CreateFunctionVersion",
      method: "POST",
      path: `/fgs/functions/${pathParam(urn)}/versions`,
      body: input.body,
      resource: `function ${urn}`,
    },
    options,
  );
  return res.body;
}

/** Lists a function's versions across pages (`GET .../versions`), `latest` included. */
export function listVersions(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly pageSize?: number },
  options: CallOptions = {},
): AsyncGenerator<FunctionVersion, void, undefined> {
  const urn = unqualifiedUrn(input.funcUrn);
  const maxitems = pageSize(input.pageSize);
  return paginate(
    async (marker) =>
      (
        await send<ListVersionsPage>(
          ctx,
          {
            operation: "ListFunctionVersions",
            method: "GET",
            path: `/fgs/functions/${pathParam(urn)}/versions`,
            query: { marker, maxitems },
            resource: `function ${urn}`,
          },
          options,
        )
      ).body,
    (page) => page?.versions,
    (page) => ({ next: page?.next_marker, count: page?.count }),
  );
}

/** Finds one published version by name; undefined when it does not exist. */
export async function findVersion(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly version: string },
  options: CallOptions = {},
): Promise<FunctionVersion | undefined> {
  for await (const v of listVersions(ctx, { funcUrn: input.funcUrn }, options)) {
    if (v.version === input.version) return v;
  }
  return undefined;
}

/**
 * Deletes one published version (`DELETE /fgs/functions/{urn}:{version}`). Refuses `latest` and empty
 * names locally, because an unqualified DELETE would remove the whole function.
 */
export async function deleteVersion(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly version: string },
  options: CallOptions = {},
): Promise<void> {
  const urn = unqualifiedUrn(input.funcUrn);
  if (!parseFunctionUrn(urn)) throw new TypeError(`not a function URN: ${urn}`);
  if (!input.version || input.version === "latest" || input.version.includes(":")) {
    throw new TypeError(`refusing to delete version "${input.version}" of ${urn}`);
  }
  const qualified = `${urn}:${input.version}`;
  await send(
    ctx,
    {
      operation: "DeleteFunction",
      method: "DELETE",
      path: `/fgs/functions/${pathParam(qualified)}`,
      resource: `version ${qualified}`,
    },
    options,
  );
}
