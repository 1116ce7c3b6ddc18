/**
 * `functiongraph:Version`: a published, immutable version of a function. The id is the version URN
 * `<funcUrn>:<version>`; every change replaces. Delete removes only that version, never the function.
 */
import { NotFoundError, ServiceError } from "../../sdk/core/errors";
import { parseFunctionUrn, unqualifiedUrn } from "../../sdk/functiongraph/clients/common";
import * as fns from "../../sdk/functiongraph/clients/functions";
import * as versions from "../../sdk/functiongraph/clients/versions";
import type { FunctionVersion, PublishVersionRequest } from "../../sdk/functiongraph/types/version";
import type { CallScope, Props, ResourceHandler } from "../handler";
import { functionGraphContext } from "./context";
import { assertValid, compact, deleteOrGone, immutableUpdate, readOrGone } from "./common";
import { publishVersionOnce } from "./create-once";

import { checkVersion, diffVersion, versionOutputs } from "./version-model";

function splitId(id: string): { funcUrn: string; version: string } {
  const parsed = parseFunctionUrn(id);
  if (!parsed?.qualifier || parsed.qualifier === "latest" || parsed.qualifier.startsWith("!"))
    throw new TypeError(`not a function version URN: ${id}`);
  return { funcUrn: unqualifiedUrn(id), version: parsed.qualifier };
}

/**
 * Publishes; when the service answers 400 `FSS.1016` (nothing changed since the last publish) and no
 * name was asked for, the newest published version with the current code digest is adopted instead and
 * marked `deleteOnDestroy: false` (it belongs to whoever published it). With an explicit name that
 * differs, the error stands: silently using another name would make every later diff a replacement.
 */
async function publish(inputs: Props, call: CallScope | undefined): Promise<{ id: string; outs: Props }> {
  const ctx = await functionGraphContext(call);
  const funcUrn = String(inputs.funcUrn);
  if (typeof inputs.adoptId === "string") {
    const { version } = splitId(inputs.adoptId);
    const v = await versions.findVersion(ctx, { funcUrn, version });
    if (!v)
      throw new NotFoundError(`adoptId: version ${inputs.adoptId} does not exist`, {
        code: "FSS.1052",
        statusCode: 404,
      });
    return {
      id: `${funcUrn}:${version}`,
      outs: versionOutputs(v, funcUrn, { adoptId: inputs.adoptId, deleteOnDestroy: true }),
    };
  }
  try {
    const v = await publishVersionOnce(
      ctx,
      {
        funcUrn,
        body: compact({
          version: inputs.version,
          description: inputs.description,
          digest: inputs.digest,
        }) as PublishVersionRequest,
      },
      call?.identity,
    );
    return {
      id: `${funcUrn}:${v.version}`,
      outs: versionOutputs(
        { ...v, version_description: v.version_description ?? String(inputs.description ?? "") },
        funcUrn,
        {
          deleteOnDestroy: true,
        },
      ),
    };
  } catch (err) {
    if (!(err instanceof ServiceError && err.code === "FSS.1016")) throw err;
    const code = await fns.getFunctionCode(ctx, { funcUrn });
    const digest = typeof inputs.digest === "string" ? inputs.digest : code.digest;
    let match: FunctionVersion | undefined;
    for await (const v of versions.listVersions(ctx, { funcUrn })) {
      if (v.version === "latest" || v.digest !== digest) continue;
      if (!match || String(v.last_modified ?? "") >= String(match.last_modified ?? "")) match = v;
    }
    if (!match || (typeof inputs.version === "string" && inputs.version !== match.version)) {
      throw new ServiceError(
        `${err.message}; ${match ? `version ${match.version} already holds this code` : "no published version holds this code"}. ` +
          `Change the code, omit \`version\` to reuse the existing version, or adopt it with adoptId.`,
        { code: err.code, statusCode: err.statusCode, requestId: err.requestId, cause: err },
      );
    }
    return {
      id: `${funcUrn}:${match.version}`,
      outs: versionOutputs(match, funcUrn, { deleteOnDestroy: false }),
    };
  }
}

/** The handler of `functiongraph:Version`. */
export function versionHandler(): ResourceHandler {
  return {
    check: (_olds, news, call) => Promise.resolve(checkVersion(news, call)),
    diff: (_id, olds, news) => Promise.resolve(diffVersion(olds, news)),
    async create(raw, call) {
      return publish(assertValid(checkVersion(raw, call)), call);
    },
    async read(id, props, _inputs, call) {
      const { funcUrn, version } = splitId(id);
      const ctx = await functionGraphContext(call);
      return readOrGone(async () => {
        const v = await versions.findVersion(ctx, { funcUrn, version });
        if (!v) return { id: "", props: {} };
        const outs = versionOutputs(v, funcUrn, {
          deleteOnDestroy: props.deleteOnDestroy ?? true,
          ...(props.adoptId === undefined ? {} : { adoptId: props.adoptId }),
        });
        const inputs: Props = { funcUrn, version: outs.version, description: outs.description };
        if (props.digest !== undefined) inputs.digest = outs.digest;
        return { id, props: outs, inputs };
      });
    },
    update: immutableUpdate("functiongraph:Version"),
    async delete(id, props, call) {
      if (props.deleteOnDestroy === false) return;
      const { funcUrn, version } = splitId(id);
      const ctx = await functionGraphContext(call);
      await deleteOrGone(() => versions.deleteVersion(ctx, { funcUrn, version }));
    },
  };
}
