/**
 * Destroy never stuck on what fnstack itself left (issue 11). FunctionGraph refuses to delete an alias
 * while triggers are bound to it (403 `FSS.1154`, functiongraph-api.md). Triggers a killed run left
 * behind are not in the state, so destroy would stop there. When the alias's function belongs to the
 * same stack (its description carries this stack's identity marker), the bound triggers are fnstack's
 * own leftovers — deleting the function would remove them anyway — and are deleted first; otherwise
 * the error names each blocking trigger and the command that frees it, instead of the transport's
 * generic 403 hint about credentials.
 */
import type { ClientContext } from "../../sdk/core/client";
import { ConflictError, NotFoundError, ServiceError } from "../../sdk/core/errors";
import * as aliases from "../../sdk/functiongraph/clients/aliases";
import * as fns from "../../sdk/functiongraph/clients/functions";
import * as triggers from "../../sdk/functiongraph/clients/triggers";
import type { FunctionTrigger } from "../../sdk/functiongraph/types";

/** `<project>/<stack>/` of an identity. */
function stackPrefix(identity: string): string {
  return identity.slice(0, identity.lastIndexOf("/") + 1);
}

/** True when the function's description carries an identity marker of the stack of `identity`. */
function sameStack(description: unknown, identity: string | undefined): boolean {
  if (identity === undefined || typeof description !== "string") return false;
  return description.includes(`[fnstack:${stackPrefix(identity)}`);
}

function isBoundToTriggers(err: unknown): boolean {
  return err instanceof ServiceError && err.code === "FSS.1154";
}

/** The command that deletes `t`, for the error message. */
function freeingCommand(aliasUrn: string, t: FunctionTrigger): string {
  return `hcloud FunctionGraph DeleteFunctionTrigger --function_urn=${aliasUrn} --trigger_type_code=${t.trigger_type_code} --trigger_id=${t.trigger_id}`;
}

/**
 * Deletes the alias `name` of `funcUrn` (404 counts as done); see the module comment for triggers
 * bound to it. `identity` is the alias resource's (`CallScope.identity`); only its stack prefix counts.
 *
 * @throws ConflictError (code `FSS.1154`) naming the blocking triggers when they are not this stack's.
 */
export async function deleteAliasFreeingTriggers(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly name: string },
  identity: string | undefined,
): Promise<void> {
  const remove = async (): Promise<void> => {
    try {
      await aliases.deleteAlias(ctx, input);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  };
  try {
    await remove();
    return;
  } catch (err) {
    if (!isBoundToTriggers(err)) throw err;
    const aliasUrn = `${input.funcUrn}:!${input.name}`;
    const bound: FunctionTrigger[] = [];
    for await (const t of triggers.listTriggers(ctx, { funcUrn: aliasUrn })) bound.push(t);
    const fn = await fns.getFunctionConfig(ctx, { funcUrn: input.funcUrn });
    if (!sameStack(fn.description, identity)) {
      const list = bound.map((t) => `${t.trigger_type_code} trigger ${t.trigger_id}`).join(", ");
      throw new ConflictError(
        `cannot delete alias ${input.name} of ${input.funcUrn}: ${list || "triggers"} ` +
          `bound to it do not belong to this stack. Delete ${bound.length === 1 ? "it" : "them"} first ` +
          `(${bound.map((t) => freeingCommand(aliasUrn, t)).join("; ") || "FunctionGraph console → Triggers"}), ` +
          `or add ${bound.length === 1 ? "it" : "them"} to the stack with a Trigger's adoptId, then run the destroy again.`,
        { code: "FSS.1154", statusCode: 403, cause: err },
      );
    }
    for (const t of bound) {
      await triggers
        .deleteTrigger(ctx, {
          funcUrn: aliasUrn,
          triggerTypeCode: String(t.trigger_type_code),
          triggerId: String(t.trigger_id),
        })
        .catch((gone: unknown) => {
          if (!(gone instanceof NotFoundError)) throw gone;
        });
    }
    await remove();
  }
}
