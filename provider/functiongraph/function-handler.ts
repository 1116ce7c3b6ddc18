import type * as pulumi from "@pulumi/pulumi";
import type { ClientContext } from "../../sdk/core/client";
import { ConflictError, NotFoundError, ValidationError } from "../../sdk/core/errors";
import { parseFunctionUrn, unqualifiedUrn } from "../../sdk/functiongraph/clients/common";
import * as fns from "../../sdk/functiongraph/clients/functions";
import type { FunctionConfig } from "../../sdk/functiongraph/types/function";
import type { CallScope, Props, ResourceHandler } from "../handler";
import { isUnknown } from "../inputs";
import { functionGraphContext, functionGraphSession } from "./context";
import { guardWrites, WriteLog } from "../framework/write-log";
import { assertValid, compact, deleteOrGone, sameValue } from "./common";
import { checkWithFunctionUrn } from "./func-urn";
import { codeBody, codeHash } from "./function-code";
import {
  computedOutputs,
  configMismatches,
  codeSourceKeys,
  createBody,
  diffFunction,
  type FunctionChangePlan,
  functionCodeKeys,
  functionConfigKeys,
  functionInputKeys,
  liveConfigInputs,
  mergedConfig,
  planFunctionChange,
  tagList,
  validateFunction,
} from "./function-model";
import { createFunctionOnce, createTagsOnce } from "./create-once";
import { localFileProblem } from "./input-rules";

/**
 * The Function's inputs checked: the model's validation, then the outputs derived from the inputs (the
 * hash of the code, which reads the user's files). Derived values are added here, after a clean validation.
 */
async function checkFunctionInputs(news: Props): Promise<pulumi.dynamic.CheckResult> {
  const validated = validateFunction(news);
  const inputs = validated.inputs as Props;
  // A missing or directory codePath is named here, before any hash is taken (issue 11).
  const codePathProblem =
    typeof inputs.codePath === "string" && !isUnknown(inputs.codePath)
      ? await localFileProblem(inputs.codePath)
      : undefined;
  const result: pulumi.dynamic.CheckResult =
    codePathProblem === undefined
      ? validated
      : {
          ...validated,
          failures: [...(validated.failures ?? []), { property: "codePath", reason: codePathProblem }],
        };
  if (result.failures && result.failures.length > 0) {
    delete inputs.codeHash;
    return result;
  }
  inputs.codeHash = await codeHash(inputs);
  return result;
}

/**
 * The Function's `check`: {@link checkFunctionInputs}, plus `funcUrn` when it is known without a request
 * (so a preview shows dependents that take it unchanged, issue 8).
 */
export const checkFunction = (news: Props, call?: CallScope): Promise<pulumi.dynamic.CheckResult> =>
  checkWithFunctionUrn(checkFunctionInputs, news, call);

/** Inputs kept only in state (the service never returns them), copied from inputs into outputs. */
const keptFromInputs = [
  "inlineCode",
  "codePath",
  "codeAsset",
  "codeVersion",
  "codeFilename",
  "codeHash",
  "encryptedUserData",
  "reservedInstanceCount",
  "reservedInstanceIdleMode",
  "tags",
  "adoptId",
  "timeouts",
] as const;

/** Outputs: the managed inputs with live values, plus what the service computed. Never the zip bytes. */
function functionOutputs(
  config: FunctionConfig,
  code:
    { depend_version_list?: string[]; digest?: string; code_url?: string; code_type?: string } | undefined,
  inputs: Props,
  everything = false,
  liveTags?: readonly { key: string; value: string }[],
  liveReserved?: number,
): Props {
  const id = unqualifiedUrn(config.func_urn);
  const out: Props = {
    name: config.func_name,
    package: config.package,
    runtime: config.runtime,
    ...(everything ? liveConfigInputs(config) : liveConfigInputs(config, inputs)),
    codeType: code?.code_type ?? config.code_type,
    ...computedOutputs(config, id),
  };
  if (code?.digest ?? config.digest) out.digest = code?.digest ?? config.digest;
  if (inputs.codeUrl !== undefined) out.codeUrl = code?.code_url ?? config.code_url;
  const deps = code?.depend_version_list ?? config.depend_version_list;
  if (inputs.dependVersionList !== undefined || (deps && deps.length > 0)) out.dependVersionList = deps ?? [];
  // The maximum number of instances is strategy_config.concurrency (issue 10, defect 3); always shown,
  // so a function left disabled (0) is visible on refresh.
  const maxInstances = config.strategy_config?.concurrency;
  if (typeof maxInstances === "number") out.maxInstanceNum = maxInstances;
  else if (inputs.maxInstanceNum !== undefined) out.maxInstanceNum = inputs.maxInstanceNum;
  // The FunctionGraph version (v1/v2) is read back, so its drift shows (defect 12).
  if (typeof config.type === "string" && config.type !== "" && (everything || inputs.type !== undefined))
    out.type = config.type;
  const kmsKey = config.code_encrypt_kms_key_id;
  if (typeof kmsKey === "string" && kmsKey !== "" && (everything || inputs.codeEncryptKmsKeyId !== undefined))
    out.codeEncryptKmsKeyId = kmsKey;
  for (const k of keptFromInputs) if (inputs[k] !== undefined && inputs[k] !== null) out[k] = inputs[k];
  if (
    liveReserved !== undefined &&
    (inputs.reservedInstanceCount !== undefined || (everything && liveReserved > 0))
  ) {
    out.reservedInstanceCount = liveReserved;
  }
  if (liveTags && (inputs.tags !== undefined || (everything && liveTags.length > 0))) {
    out.tags = Object.fromEntries(liveTags.map((t) => [t.key, t.value]));
  }
  return compact(out);
}

/** Input-shaped view of outputs, for `read`'s `inputs` (what refresh records as the program's inputs). */
function inputsFromOutputs(outputs: Props): Props {
  const inputs: Props = {};
  for (const k of functionInputKeys) if (outputs[k] !== undefined) inputs[k] = outputs[k];
  return inputs;
}

async function readLive(
  ctx: ClientContext,
  id: string,
  extras: { tags: boolean; reserved: boolean },
): Promise<{
  config: FunctionConfig;
  code: Awaited<ReturnType<typeof fns.getFunctionCode>>;
  tags?: { key: string; value: string }[];
  reserved?: number;
}> {
  const config = await fns.getFunctionConfig(ctx, { funcUrn: id });
  const code = await fns.getFunctionCode(ctx, { funcUrn: id });
  const tags = extras.tags ? await fns.listTags(ctx, { funcUrn: id }) : undefined;
  let reserved: number | undefined;
  if (extras.reserved) {
    reserved = 0;
    for await (const r of fns.listReservedInstanceConfigs(ctx, { funcUrn: id })) {
      if (r.qualifier_type === "version" && r.qualifier_name === "latest") reserved = r.min_count;
    }
  }
  return { config, code, tags, reserved };
}

/** The groups of writes an update makes, and the input keys each one sets in the cloud. */
const writeSteps = {
  code: [...functionCodeKeys, ...codeSourceKeys, "codeVersion"],
  config: [...functionConfigKeys, "maxInstanceNum"],
  maxInstances: ["maxInstanceNum"],
  reserved: ["reservedInstanceCount", "reservedInstanceIdleMode"],
  tags: ["tags"],
} as const satisfies Record<string, readonly string[]>;
type WriteStep = keyof typeof writeSteps;

/** The steps a plan writes, in the order {@link applyChanges} makes them. */
function plannedSteps(plan: FunctionChangePlan): WriteStep[] {
  const steps: WriteStep[] = [];
  if (plan.code) steps.push("code");
  if (plan.config.length > 0) steps.push("config");
  if (plan.maxInstances) steps.push("maxInstances");
  if (plan.reserved) steps.push("reserved");
  if (plan.tags) steps.push("tags");
  return steps;
}

/**
 * The inputs the cloud reflects after a failed call: `news`, except that the keys of planned steps
 * that did not complete keep their values from `before` (what the cloud held). Outputs built from
 * these make the next diff repeat exactly the writes that are missing.
 */
function settledInputs(before: Props, news: Props, planned: readonly WriteStep[], log: WriteLog): Props {
  const out: Props = { ...news };
  for (const step of planned) {
    if (log.done.has(step)) continue;
    for (const k of writeSteps[step]) {
      if (before[k] === undefined || before[k] === null) delete out[k];
      else out[k] = before[k];
    }
  }
  return out;
}

/** Outputs expected without a read-back: `base` with the settled inputs laid over it. */
function expectedOutputs(base: Props, settled: Props, codeWritten: boolean): Props {
  const out: Props = { ...base };
  for (const k of functionInputKeys) {
    if (k === "codeBase64") continue; // never the zip bytes in state
    if (settled[k] === undefined || settled[k] === null) delete out[k];
    else out[k] = settled[k];
  }
  // The old digest would read as drift once new code is in; the next read records the new one.
  if (codeWritten) delete out.digest;
  return compact(out);
}

/**
 * Applies the planned writes in the order the API needs: code (always with the code itself, so a
 * dependency-only change succeeds), configuration (read → merge → full PUT), max instances, reserved
 * instances, tags. Each accepted write and each completed step goes to `log`.
 */
async function applyChanges(
  ctx: ClientContext,
  id: string,
  olds: Props,
  news: Props,
  plan: FunctionChangePlan,
  log: WriteLog,
): Promise<void> {
  if (plan.code) {
    const body = await codeBody(news);
    if (body.depend_version_list === undefined && Array.isArray(olds.dependVersionList))
      body.depend_version_list = []; // an omitted list is ignored by the API (TF-OTC ISSUE #3425)
    await log.write(fns.updateFunctionCode(ctx, { funcUrn: id, body }));
    log.complete("code");
  }
  if (plan.config.length > 0) {
    const current = await fns.getFunctionConfig(ctx, { funcUrn: id });
    await log.write(
      fns.updateFunctionConfig(ctx, { funcUrn: id, body: mergedConfig(current, news, plan.removedConfig) }),
    );
    log.complete("config");
  }
  if (plan.maxInstances) {
    await log.write(
      fns.updateMaxInstances(ctx, { funcUrn: id, maxInstanceNum: Number(news.maxInstanceNum) }),
    );
    log.complete("maxInstances");
  }
  if (plan.reserved) {
    await log.write(
      fns.updateReservedInstances(ctx, {
        funcUrn: `${id}:latest`,
        body: {
          count: Number(news.reservedInstanceCount),
          ...(typeof news.reservedInstanceIdleMode === "boolean"
            ? { idle_mode: news.reservedInstanceIdleMode }
            : {}),
        },
      }),
    );
    log.complete("reserved");
  }
  if (plan.tags) {
    const before = (olds.tags ?? {}) as Record<string, string>;
    const after = (news.tags ?? {}) as Record<string, string>;
    const stale = Object.keys(before).filter((k) => !(k in after) || after[k] !== before[k]);
    if (stale.length > 0)
      await log.write(
        fns.deleteTags(ctx, { funcUrn: id, tags: stale.map((k) => ({ key: k, value: before[k] ?? "" })) }),
      );
    const fresh = Object.keys(after).filter((k) => before[k] !== after[k]);
    if (fresh.length > 0)
      await log.write(
        createTagsOnce(ctx, {
          funcUrn: id,
          tags: tagList(Object.fromEntries(fresh.map((k) => [k, after[k]]))),
        }),
      );
    log.complete("tags");
  }
}

/**
 * Applies a plan under {@link guardWrites}: a failure after an accepted write raises the partial-failure
 * error with outputs read back from the cloud for the settled inputs (or, when that read fails, `base`
 * with the settled inputs laid over it).
 */
async function applyGuarded(
  ctx: ClientContext,
  id: string,
  call: { olds: Props; news: Props; before: Props; base: Props; raw: Props },
  plan: FunctionChangePlan,
  log: WriteLog = new WriteLog(),
  extraWrites: (log: WriteLog) => Promise<void> = () => Promise.resolve(),
): Promise<Props> {
  const planned = plannedSteps(plan);
  const settled = (): Props => settledInputs(call.before, call.news, planned, log);
  return guardWrites(
    id,
    call.raw,
    {
      readBack: () => outputsAfterWrite(ctx, id, settled()),
      expected: () => expectedOutputs(call.base, settled(), log.done.has("code")),
    },
    async () => {
      await extraWrites(log);
      await applyChanges(ctx, id, call.olds, call.news, plan, log);
      return outputsAfterWrite(ctx, id, call.news);
    },
    log,
  );
}

/** Reads the function and builds outputs; used after every write. */
async function outputsAfterWrite(ctx: ClientContext, id: string, inputs: Props): Promise<Props> {
  const { config, code, tags, reserved } = await readLive(ctx, id, {
    tags: inputs.tags !== undefined,
    reserved: inputs.reservedInstanceCount !== undefined,
  });
  return functionOutputs(config, code, inputs, false, tags, reserved);
}

async function create(inputs: Props, call?: CallScope): Promise<pulumi.dynamic.CreateResult> {
  const news = assertValid(await checkFunction(inputs, call));
  const session = await functionGraphSession(call);
  const ctx = session.context;

  if (typeof news.adoptId === "string") {
    // Adoption: take over an existing function, then converge it on the inputs like an update would.
    const current = await fns.getFunctionConfig(ctx, { funcUrn: news.adoptId }).catch((err: unknown) => {
      if (err instanceof NotFoundError)
        throw new NotFoundError(`adoptId ${news.adoptId as string}: no such function`, {
          cause: err,
          code: err.code,
          statusCode: err.statusCode,
        });
      throw err;
    });
    const id = unqualifiedUrn(current.func_urn);
    const code = await fns.getFunctionCode(ctx, { funcUrn: id });
    const live = functionOutputs(current, code, {}, true);
    if (live.name !== news.name || live.runtime !== news.runtime || live.package !== news.package) {
      throw new ValidationError([
        {
          property: "adoptId",
          reason: `function ${id} has name ${String(live.name)}, package ${String(live.package)}, runtime ${String(live.runtime)}; the inputs must match (they cannot be changed in place)`,
        },
      ]);
    }
    // Only what the user set is written; settings they leave out keep their current values.
    const plan = planFunctionChange(live, news);
    const before: Props = { ...live, funcUrn: id };
    const outs = await applyGuarded(
      ctx,
      id,
      { olds: {}, news, before, base: before, raw: inputs },
      {
        ...plan,
        code: news.codeType !== "Custom-Image-Swr",
        config: plan.config.filter((k) => news[k] !== undefined && news[k] !== null),
        removedConfig: [],
        tags: news.tags !== undefined,
      },
    );
    return { id, outs };
  }

  const body = createBody(news, await codeBody(news));
  const created = await createFunctionOnce(ctx, session, body, call?.identity).catch((err: unknown) => {
    if (err instanceof ConflictError && err.code === "FSS.1061") {
      throw new ConflictError(
        `${err.message}. To manage the existing function, set adoptId to its URN ` +
          `(urn:fss:${session.region}:${session.projectId}:function:${String(news.package)}:${String(news.name)}).`,
        { code: err.code, statusCode: err.statusCode, requestId: err.requestId, cause: err },
      );
    }
    throw err;
  });
  const id = unqualifiedUrn(created.func_urn);
  // The function exists from here on: every later failure is a partial one (the log starts at one write).
  const log = new WriteLog();
  log.accepted = 1;
  const outs = await applyGuarded(
    ctx,
    id,
    { olds: {}, news, before: {}, base: functionOutputs(created, undefined, news), raw: inputs },
    {
      changed: [],
      replaces: [],
      code: false,
      config: [],
      removedConfig: [],
      maxInstances: news.maxInstanceNum !== undefined,
      reserved: news.reservedInstanceCount !== undefined,
      tags: news.tags !== undefined && Object.keys(news.tags as object).length > 0,
    },
    log,
    async () => {
      // Some fields are not honoured on create (peers send them again): verify and converge.
      if (configMismatches(news, created).length > 0) {
        const current = await fns.getFunctionConfig(ctx, { funcUrn: id });
        await log.write(
          fns.updateFunctionConfig(ctx, { funcUrn: id, body: mergedConfig(current, news, []) }),
        );
      }
      if (Array.isArray(news.dependVersionList) && news.dependVersionList.length > 0) {
        const liveDeps = created.depend_version_list ?? [];
        if (!sameValue([...liveDeps].sort(), [...news.dependVersionList].sort()))
          await log.write(fns.updateFunctionCode(ctx, { funcUrn: id, body: await codeBody(news) }));
      }
    },
  );
  return { id, outs };
}

async function read(
  id: string,
  props: Props,
  _inputs?: Props,
  call?: CallScope,
): Promise<pulumi.dynamic.ReadResult> {
  const ctx = await functionGraphContext(call);
  const funcUrn = unqualifiedUrn(id);
  let live;
  try {
    const everything = props.funcUrn === undefined;
    live = await readLive(ctx, funcUrn, {
      tags: props.tags !== undefined || everything,
      reserved: props.reservedInstanceCount !== undefined || everything,
    });
  } catch (err) {
    if (err instanceof NotFoundError) return { id: "", props: {} };
    throw err;
  }
  // With no prior state (static get), report every setting; otherwise only the managed ones.
  const outs = functionOutputs(
    live.config,
    live.code,
    props,
    props.funcUrn === undefined,
    live.tags,
    live.reserved,
  );
  // Code drift: the digest differs from the one recorded at our last write, so the code was changed
  // behind our back; a changed hash makes the next `up` upload the user's code again.
  if (typeof props.digest === "string" && typeof outs.digest === "string" && props.digest !== outs.digest) {
    outs.codeHash = `drift:${outs.digest}`;
  }
  return { id: funcUrn, props: outs, inputs: inputsFromOutputs(outs) };
}

async function update(
  id: string,
  olds: Props,
  news: Props,
  call?: CallScope,
): Promise<pulumi.dynamic.UpdateResult> {
  const checked = assertValid(await checkFunction(news, call));
  const ctx = await functionGraphContext(call);
  const funcUrn = unqualifiedUrn(id);
  const plan = planFunctionChange(olds, checked);
  // A failure after an accepted write records what the cloud now holds (partial failure), so the next
  // `up` diffs against it and repeats only the missing writes (code and config are always sent whole).
  const outs = await applyGuarded(
    ctx,
    funcUrn,
    { olds, news: checked, before: olds, base: olds, raw: news },
    plan,
  );
  return { outs };
}

async function remove(id: string, _props: Props, call?: CallScope): Promise<void> {
  const funcUrn = unqualifiedUrn(id);
  const parsed = parseFunctionUrn(funcUrn);
  if (!parsed || (parsed.qualifier !== undefined && parsed.qualifier !== "latest")) {
    throw new TypeError(`refusing to delete ${id}: not an unqualified function URN`);
  }
  const ctx = await functionGraphContext(call);
  await deleteOrGone(() => fns.deleteFunction(ctx, { funcUrn }));
}

/** The handler of `functiongraph:Function`. */
export function functionHandler(): ResourceHandler {
  return {
    check: (_olds, news, call) => checkFunction(news, call),
    diff: (_id, olds, news) => Promise.resolve(diffFunction(olds, news)),
    create,
    read,
    update,
    delete: remove,
  };
}
