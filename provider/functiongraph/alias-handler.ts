/**
 * `functiongraph:Alias`: a named pointer to a version, with optional weighted or rule-based routing to
 * one additional version. Updates in place; the id is `<funcUrn>/<name>`. Delete removes only the alias.
 */
import * as aliases from "../../sdk/functiongraph/clients/aliases";
import type { FunctionAlias } from "../../sdk/functiongraph/types/alias";
import type { Props, ResourceHandler } from "../handler";
import { functionGraphContext } from "./context";
import { guardWrites } from "../framework/write-log";
import type { ClientContext } from "../../sdk/core/client";
import { assertValid, readOrGone, str } from "./common";
import { deleteAliasFreeingTriggers } from "./blockers";
import { createAliasOnce } from "./create-once";

import { aliasBody, aliasInputKeys, aliasOutputs, checkAlias, diffAlias } from "./alias-model";

function splitId(id: string): { funcUrn: string; name: string } {
  const slash = id.lastIndexOf("/");
  if (slash <= 0) throw new TypeError(`not an alias id (<funcUrn>/<name>): ${id}`);
  return { funcUrn: id.slice(0, slash), name: id.slice(slash + 1) };
}

/**
 * Writes the alias (`PUT`) and reads it back (PUT answers, like lists, may omit the strategy). When the
 * read-back fails after the write was accepted, the partial-failure error carries the alias as written.
 */
async function writeAlias(
  ctx: ClientContext,
  ref: { funcUrn: string; name: string },
  inputs: Props,
  olds: Props,
  raw: Props,
): Promise<Props> {
  const body = aliasBody(inputs, olds);
  let answer: FunctionAlias | undefined;
  const expected = (): Props =>
    aliasOutputs(
      { alias_urn: str(olds, "aliasUrn"), ...answer, name: ref.name, ...body } as FunctionAlias,
      ref.funcUrn,
      inputs,
    );
  return guardWrites(`${ref.funcUrn}/${ref.name}`, raw, { expected }, async (log) => {
    answer = await log.write(aliases.updateAlias(ctx, { ...ref, body }));
    return aliasOutputs(await aliases.getAlias(ctx, ref), ref.funcUrn, inputs);
  });
}

/** The handler of `functiongraph:Alias`. */
export function aliasHandler(): ResourceHandler {
  return {
    check: (_olds, news, call) => Promise.resolve(checkAlias(news, call)),
    diff: (_id, olds, news) => Promise.resolve(diffAlias(olds, news)),
    async create(raw, call) {
      const inputs = assertValid(checkAlias(raw, call));
      const ctx = await functionGraphContext(call);
      const funcUrn = String(inputs.funcUrn);
      const name = String(inputs.name);
      const id = `${funcUrn}/${name}`;
      if (typeof inputs.adoptId === "string") {
        // Adoption converges the alias on the inputs; a failed write changed nothing (plain error).
        const current = await aliases.getAlias(ctx, { funcUrn, name });
        return {
          id,
          outs: await writeAlias(ctx, { funcUrn, name }, inputs, aliasOutputs(current, funcUrn, {}), raw),
        };
      }
      const a = await createAliasOnce(ctx, { funcUrn, body: { name, ...aliasBody(inputs) } }, call?.identity);
      return { id, outs: aliasOutputs(a, funcUrn, inputs) };
    },
    async read(id, _props, _inputs, call) {
      const { funcUrn, name } = splitId(id);
      const ctx = await functionGraphContext(call);
      return readOrGone(async () => {
        const a = await aliases.getAlias(ctx, { funcUrn, name });
        const outs = aliasOutputs(a, funcUrn, {});
        const inputs: Props = {};
        for (const k of aliasInputKeys) if (outs[k] !== undefined) inputs[k] = outs[k];
        return { id, props: outs, inputs };
      });
    },
    async update(id, olds, news, call) {
      const inputs = assertValid(checkAlias(news, call));
      const { funcUrn, name } = splitId(id);
      const ctx = await functionGraphContext(call);
      return { outs: await writeAlias(ctx, { funcUrn, name }, inputs, olds, news) };
    },
    async delete(id, _props, call) {
      const { funcUrn, name } = splitId(id);
      const ctx = await functionGraphContext(call);
      await deleteAliasFreeingTriggers(ctx, { funcUrn, name }, call?.identity);
    },
  };
}
