/**
 * The FunctionGraph creates, each safe to repeat (issue 11): every POST that makes something goes
 * through the one retry loop of provider/create-once.ts, which looks for what an earlier attempt (this
 * call's, or a killed run's) made before sending again. How each resource is found again:
 *
 * | create | found by |
 * |---|---|
 * | CreateFunction | its URN (package + name are unique in the project) and the identity marker in its description |
 * | CreateDependencyVersion | the dependency's name and the identity marker in the version's description |
 * | CreateVersion (publish) | its version name on the function (when the inputs name it) |
 * | CreateVersionAlias | its name on the function |
 * | CreateTrigger | its type and event data on the function |
 * | CreateTags | nothing to find: tags are overwritten, so a repeat is harmless |
 *
 * A resource is looked for before the first attempt only when the resource has an identity (`identity`,
 * the call's `CallScope.identity`, written by a fnstack that passes one): resources of older state keep
 * the old behaviour (look only after an ambiguous failure).
 */
import type { ClientContext } from "../../sdk/core/client";
import { NotFoundError } from "../../sdk/core/errors";
import * as aliases from "../../sdk/functiongraph/clients/aliases";
import * as deps from "../../sdk/functiongraph/clients/dependencies";
import * as fns from "../../sdk/functiongraph/clients/functions";
import * as triggers from "../../sdk/functiongraph/clients/triggers";
import * as versions from "../../sdk/functiongraph/clients/versions";
import type {
  CreateAliasRequest,
  CreateDependencyVersionRequest,
  CreateFunctionRequest,
  CreateTriggerRequest,
  DependencyVersion,
  FunctionAlias,
  FunctionConfig,
  FunctionTrigger,
  FunctionVersion,
  PublishVersionRequest,
  Tag,
} from "../../sdk/functiongraph/types";
import { createOnce } from "../create-once";
import { describedWith } from "../identity";

/** undefined for a 404, the error otherwise. */
async function unlessNotFound<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/** CreateFunction, or the function an earlier attempt made (same URN and identity). */
export async function createFunctionOnce(
  ctx: ClientContext,
  where: { readonly region: string; readonly projectId: string },
  body: CreateFunctionRequest,
  identity: string | undefined,
): Promise<FunctionConfig> {
  const urn = `urn:fss:${where.region}:${where.projectId}:function:${body.package}:${body.func_name}`;
  const result = await createOnce<FunctionConfig>({
    ctx,
    description: `CreateFunction ${body.func_name}`,
    lookFirst: identity !== undefined,
    create: (once) => fns.createFunction(once, body),
    find: async () => {
      const found = await unlessNotFound(() => fns.getFunctionConfig(ctx, { funcUrn: urn }));
      // A same-named function of another stack (or made by hand) is never adopted: its 409 stands.
      if (found === undefined || (identity !== undefined && !describedWith(found.description, identity)))
        return undefined;
      return found;
    },
  });
  return result.value;
}

/** CreateTags: tags are overwritten, so an ambiguous failure is simply repeated. */
export async function createTagsOnce(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly tags: readonly Tag[] },
): Promise<void> {
  await createOnce<void>({
    ctx,
    description: `CreateTags ${input.funcUrn}`,
    lookFirst: false,
    create: (once) => fns.createTags(once, input),
    find: () => Promise.resolve(undefined),
  });
}

/** Publishes a version, or answers the version of that name an earlier attempt published. */
export async function publishVersionOnce(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly body: PublishVersionRequest },
  identity: string | undefined,
): Promise<FunctionVersion> {
  const name = input.body.version;
  const result = await createOnce<FunctionVersion>({
    ctx,
    description: `CreateVersion ${name ?? ""} of ${input.funcUrn}`,
    lookFirst: name !== undefined && identity !== undefined,
    create: (once) => versions.publishVersion(once, input),
    find: () =>
      name === undefined
        ? Promise.resolve(undefined)
        : versions.findVersion(ctx, { funcUrn: input.funcUrn, version: name }),
  });
  return result.value;
}

/** CreateVersionAlias, or the alias of that name an earlier attempt made. */
export async function createAliasOnce(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly body: CreateAliasRequest },
  identity: string | undefined,
): Promise<FunctionAlias> {
  const result = await createOnce<FunctionAlias>({
    ctx,
    description: `CreateVersionAlias ${input.body.name} of ${input.funcUrn}`,
    lookFirst: identity !== undefined,
    create: (once) => aliases.createAlias(once, input),
    find: () =>
      unlessNotFound(() => aliases.getAlias(ctx, { funcUrn: input.funcUrn, name: input.body.name })),
  });
  return result.value;
}

/** True when every event-data key the create sends is what `held` has. */
function sameEventData(wanted: unknown, held: unknown): boolean {
  if (typeof wanted !== "object" || wanted === null) return true;
  if (typeof held !== "object" || held === null) return false;
  return Object.entries(wanted).every(
    ([key, value]) => JSON.stringify((held as Record<string, unknown>)[key]) === JSON.stringify(value),
  );
}

/** CreateTrigger, or the trigger of the same type and event data an earlier attempt made. */
export async function createTriggerOnce(
  ctx: ClientContext,
  input: { readonly funcUrn: string; readonly body: CreateTriggerRequest },
  identity: string | undefined,
): Promise<FunctionTrigger> {
  const result = await createOnce<FunctionTrigger>({
    ctx,
    description: `CreateTrigger ${input.body.trigger_type_code} of ${input.funcUrn}`,
    lookFirst: identity !== undefined,
    create: (once) => triggers.createTrigger(once, input),
    find: async () => {
      const found = await unlessNotFound(async () => {
        for await (const t of triggers.listTriggers(ctx, { funcUrn: input.funcUrn })) {
          if (
            t.trigger_type_code === input.body.trigger_type_code &&
            sameEventData(input.body.event_data, t.event_data)
          )
            return t;
        }
        return undefined;
      });
      return found;
    },
  });
  return result.value;
}

/** CreateDependencyVersion, or the version of the dependency that carries this resource's identity. */
export async function createDependencyVersionOnce(
  ctx: ClientContext,
  body: CreateDependencyVersionRequest,
  identity: string | undefined,
): Promise<DependencyVersion> {
  const result = await createOnce<DependencyVersion>({
    ctx,
    description: `CreateDependencyVersion ${body.name}`,
    lookFirst: identity !== undefined,
    create: (once) => deps.createDependencyVersion(once, body),
    find: async () => {
      if (identity === undefined) return undefined;
      for await (const dep of deps.listDependencies(ctx, { dependencyType: "private", name: body.name })) {
        if (dep.name !== body.name) continue;
        for await (const v of deps.listDependencyVersions(ctx, { dependId: dep.dep_id ?? dep.id })) {
          if (v.runtime === body.runtime && describedWith(v.description, identity)) return v;
        }
      }
      return undefined;
    },
  });
  return result.value;
}
