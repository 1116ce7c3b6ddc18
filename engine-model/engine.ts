/**
 * The engine model: what `pulumi preview`, `up`, `refresh` and `destroy` do for a Node.js project whose
 * custom resources are dynamic (`pulumi-nodejs:dynamic*`), modelled on pulumi/pulumi
 * `pkg/resource/deploy` and `pkg/resource/plugin/provider_plugin.go`. Each comment names the Go
 * function it follows. The program runs under `@pulumi/pulumi/cmd/run` (program.ts) against this
 * model's ResourceMonitor (monitor.ts); providers are the real dynamic-provider plugin (plugin.ts).
 *
 * Modelled: a deployment per operation with a fresh plugin process (preview and update are two);
 * Check and Diff one registration at a time (the step generator runs on the deployment executor's
 * event loop, `deployment_executor.go` `Execute`), steps applied in parallel up to `--parallel`
 * (`step_executor.go` `ExecuteSerial`/`worker`); no new step after the first failure
 * (`step_executor.go` `cancelDueToError`); deletes after the program finished, scheduled as
 * antichains of the dependency graph (`step_generator.go` `GenerateDeletes`, `ScheduleDeletes`).
 *
 * Left out: component resources' own providers, explicit provider resources, invokes, imports,
 * `ReadResource`, targets, plans, resource hooks, transforms.
 */
import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import type { LogEntry, MonitorServer, Registered, Registration } from "./monitor";
import { MonitorShutDownError, startMonitor } from "./monitor";
import { type DiffReply, PluginCallError, type PluginClient, startPlugin } from "./plugin";
import { type ProjectFile, readProject, runProgram } from "./program";
import { type DeploymentV3, type ResourceV3, readState, writeState } from "./state";
import {
  type Props,
  containsSecret,
  dynamicProviderType,
  isSecret,
  rootStackType,
  secret,
  unknownValue,
  unwrapSecrets,
} from "./wire";

/** What a step did (`display.StepOp`, the ones this model produces). */
export type StepOp = "create" | "update" | "replace" | "delete" | "delete-replaced" | "same";

/** One property that differs, secrets masked. */
export interface PropertyChange {
  readonly key: string;
  readonly old: unknown;
  readonly new: unknown;
}

/** One resource step. */
export interface Step {
  readonly op: StepOp;
  readonly urn: string;
  /** The type without the `pulumi-nodejs:dynamic/` prefix: `fnstack/oci:Function` → `oci:Function`. */
  readonly type: string;
  readonly name: string;
  /** Updates and replaces: what changes; refresh: what drifted (state value → live value). */
  readonly changes: readonly PropertyChange[];
  /** Replaces: the properties that force it. */
  readonly replaces: readonly string[];
  /** Replaces: whether the old one was deleted first. */
  readonly deleteBeforeReplace?: boolean;
  /** Set when the step failed. */
  readonly error?: string;
}

/** The outcome of one operation, as the CLI would end it. */
export interface OperationResult {
  readonly operation: "preview" | "up" | "refresh" | "destroy";
  readonly steps: readonly Step[];
  /** Stack outputs (preview and up), unknowns as the sentinel, secrets as envelopes. */
  readonly outputs: Props;
  /** Diagnostics: program and plugin output, `pulumi.log` messages. */
  readonly diagnostics: readonly LogEntry[];
  /** The error the CLI would print; undefined on success. */
  readonly error?: string;
  /** The CLI's exit code. */
  readonly exitCode: number;
  readonly durationMs: number;
}

/** Options of {@link EngineModel}. */
export interface EngineModelOptions {
  /** The directory holding Pulumi.yaml (the CLI's cwd). */
  readonly projectDir: string;
  readonly stack: string;
  /** The state file (`pulumi stack export` format). */
  readonly statePath: string;
  /** Stack config, `"<namespace>:<key>"` → string. */
  readonly config?: Readonly<Record<string, string>>;
  /** Keys of `config` set with `--secret`. */
  readonly secretKeys?: readonly string[];
  /** The CLI's environment, passed to the program and the plugin; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where display lines go; default none. */
  readonly log?: (line: string) => void;
  /** `--parallel`; default as the CLI: `PULUMI_PARALLEL`, else 4 × CPUs (`up.go` `defaultParallel`). */
  readonly parallel?: number;
  /**
   * The Pulumi CLI version whose exit codes to use: 3.227.0 and later exit 7 when
   * `--expect-no-changes` finds changes, earlier ones 1 (`cmd/exit_codes.go`, CHANGELOG 3.227.0).
   * Default 3.227.0.
   */
  readonly cliVersion?: string;
  /** Deadline of each provider call, in ms; default 300_000. */
  readonly timeoutMs?: number;
  /**
   * Wraps each deployment's plugin client once it is configured: a seam for fault injection (`npm run
   * reliability` kills the plugin during creates). Default: the client as it is.
   */
  readonly wrapPlugin?: (plugin: PluginClient) => PluginClient;
}

/** Options of {@link EngineModel.refresh}. */
export interface RefreshOptions {
  /** `--preview-only`: read and compare, write nothing. */
  readonly previewOnly?: boolean;
  /** `--expect-no-changes`: fail when anything drifted. */
  readonly expectNoChanges?: boolean;
}

const dynamicPrefix = "pulumi-nodejs:dynamic";

/** Stands for a secret value in {@link PropertyChange}s and display lines. */
export const secretMarker = "[secret]";

/** The engine model for one stack; see the module comment. */
export class EngineModel {
  private readonly options: EngineModelOptions;
  private readonly project: ProjectFile;

  constructor(options: EngineModelOptions) {
    this.options = options;
    this.project = readProject(options.projectDir);
  }

  /** The state as last written. */
  state(): DeploymentV3 {
    return readState(this.options.statePath);
  }

  /** `pulumi preview`: the program runs with `--dry-run`; Check and Diff only; nothing is written. */
  preview(): Promise<OperationResult> {
    return new Deployment(this.options, this.project, "preview").run();
  }

  /**
   * `pulumi up --yes --skip-preview`'s update deployment. `pulumi up` without `--skip-preview` is
   * {@link preview} then this: two deployments, two plugin processes.
   */
  up(): Promise<OperationResult> {
    return new Deployment(this.options, this.project, "up").run();
  }

  /** `pulumi refresh [--preview-only] [--expect-no-changes]`. */
  refresh(options: RefreshOptions = {}): Promise<OperationResult> {
    return new Deployment(this.options, this.project, "refresh", options).run();
  }

  /** `pulumi destroy --yes --skip-preview`: deletes from state; the program does not run. */
  destroy(): Promise<OperationResult> {
    return new Deployment(this.options, this.project, "destroy").run();
  }
}

/** What the step generator decided for one registration. */
type Decision =
  | { kind: "create"; inputs: Props }
  | { kind: "recreate"; inputs: Props; old: ResourceV3 }
  | { kind: "same"; inputs: Props; old: ResourceV3 }
  | { kind: "update"; inputs: Props; old: ResourceV3; changes: PropertyChange[] }
  | {
      kind: "replace";
      inputs: Props;
      old: ResourceV3;
      changes: PropertyChange[];
      replaces: string[];
      deleteBeforeReplace: boolean;
      dependents: ResourceV3[];
    };

/** The first failure of a deployment stops it: no step starts afterwards. */
class StoppedError extends Error {}

class Deployment {
  private readonly options: EngineModelOptions;
  private readonly project: ProjectFile;
  private readonly operation: OperationResult["operation"];
  private readonly refreshOptions: RefreshOptions;
  private readonly dryRun: boolean;
  private readonly parallel: number;
  private readonly started = Date.now();
  private readonly log: (line: string) => void;

  private readonly base: DeploymentV3;
  private readonly olds = new Map<string, ResourceV3>();
  /** Resources this deployment registered or kept, by URN, in registration order. */
  private readonly news = new Map<string, ResourceV3>();
  /** Old URNs matched by a registration (directly or by alias). */
  private readonly consumed = new Set<string>();
  /** Olds replaced create-before-delete, deleted at the end (`Delete: true` in state meanwhile). */
  private readonly pendingDeletes: ResourceV3[] = [];
  /** Olds deleted during this deployment (delete-before-replace and its dependents). */
  private readonly deleted = new Set<string>();
  private readonly steps: Step[] = [];
  private readonly diagnostics: LogEntry[] = [];
  private stackUrn = "";
  private stackOutputs: Props = {};
  private firstError?: string;
  private generator: Promise<unknown> = Promise.resolve();
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private plugin?: Promise<PluginClient>;
  private server?: MonitorServer;
  private lastStatus = "";
  private readonly providerUrn: string;
  private providerId: string;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    options: EngineModelOptions,
    project: ProjectFile,
    operation: OperationResult["operation"],
    refreshOptions: RefreshOptions = {},
  ) {
    this.options = options;
    this.project = project;
    this.operation = operation;
    this.refreshOptions = refreshOptions;
    this.dryRun = operation === "preview" || (operation === "refresh" && refreshOptions.previewOnly === true);
    const envParallel = Number(options.env?.PULUMI_PARALLEL ?? process.env.PULUMI_PARALLEL);
    this.parallel =
      options.parallel ??
      (envParallel > 0 ? envParallel : 4 * Math.max(1, require("node:os").availableParallelism() as number));
    this.log = options.log ?? (() => undefined);
    this.base = readState(options.statePath);
    for (const resource of this.base.resources) this.olds.set(resource.urn, resource);
    this.providerUrn = `urn:pulumi:${options.stack}::${project.name}::${dynamicProviderType}::default`;
    this.providerId = this.olds.get(this.providerUrn)?.id ?? randomUUID();
  }

  async run(): Promise<OperationResult> {
    // One server for the ResourceMonitor (the program) and the Engine service (the program and every
    // plugin, which gets its address as its last argument and may log through it).
    this.server = await startMonitor({
      // The Node SDK asks one feature at a time; secrets lets it send and receive secret envelopes.
      features: new Set(["secrets"]),
      // A failed step fails the deployment (recorded once, reported by the engine), and the program is
      // told the monitor shut down (`step_executor.go` `cancelDueToError` → `source_eval.go`).
      register: (registration) =>
        this.register(registration).catch((err: unknown) => {
          this.fail(err);
          throw new MonitorShutDownError();
        }),
      registerOutputs: async (urn, outputs) => {
        if (urn === this.stackUrn) this.stackOutputs = outputs;
        const resource = this.news.get(urn);
        if (resource !== undefined) resource.outputs = outputs;
        this.save();
      },
      log: (entry) => this.diagnose(entry),
    });
    try {
      if (this.operation === "refresh") await this.refreshAll();
      else if (this.operation === "destroy") await this.deleteAll([...this.olds.values()], "delete");
      else await this.deploy();
    } catch (err) {
      this.fail(err);
    } finally {
      await (await this.plugin?.catch(() => undefined))?.close();
      await this.server.close();
      await this.saving;
    }
    let error = this.firstError;
    let exitCode = error === undefined ? 0 : 1;
    if (
      error === undefined &&
      this.refreshOptions.expectNoChanges &&
      this.steps.some((s) => s.op !== "same")
    ) {
      // `refresh.go`: `expectNop && engine.HasChanges(changes)` → `NoChangesExpectedError`.
      error = "no changes were expected for refresh but changes were proposed";
      exitCode = atLeast(this.options.cliVersion ?? "3.227.0", "3.227.0") ? 7 : 1;
    }
    if (error !== undefined) this.log(`  error: ${error}`);
    return {
      operation: this.operation,
      steps: this.steps,
      outputs: this.stackOutputs,
      diagnostics: this.diagnostics,
      error,
      exitCode,
      durationMs: Date.now() - this.started,
    };
  }

  // ---- preview / up ----------------------------------------------------------------------------

  private async deploy(): Promise<void> {
    // The default provider's plugin starts as the deployment starts: a fresh process each time.
    this.pluginClient().catch(() => undefined);
    const monitor = this.server as MonitorServer;
    const result = await runProgram({
      projectDir: this.options.projectDir,
      project: this.project,
      stack: this.options.stack,
      config: this.options.config ?? {},
      secretKeys: this.options.secretKeys ?? [],
      dryRun: this.dryRun,
      parallel: this.parallel,
      monitorAddress: monitor.address,
      engineAddress: monitor.address,
      env: this.options.env ?? process.env,
      output: (line, stream) =>
        this.diagnose({
          severity: stream === "stderr" ? "error" : "info",
          message: line,
          urn: "",
          streamId: 0,
          ephemeral: false,
        }),
    });
    await this.generator.catch(() => undefined);
    await this.idle();
    if (result.error !== "") this.fail(new Error(result.error));
    else if (result.bail) this.fail(new Error("the program failed (see its output above)"));
    if (this.firstError !== undefined) return;
    // `GenerateDeletes`: what the program no longer declares, and the olds replaced create-before-delete.
    const unregistered = [...this.olds.values()].filter(
      (r) =>
        !this.consumed.has(r.urn) &&
        !this.deleted.has(r.urn) &&
        r.type !== dynamicProviderType &&
        r.type !== rootStackType,
    );
    await this.deleteAll([...unregistered, ...this.pendingDeletes], "delete", new Set(this.pendingDeletes));
    this.save();
  }

  /** `resmon.RegisterResource` → the step generator → the step executor. */
  private async register(registration: Registration): Promise<Registered> {
    const urn = newUrn(
      this.options.stack,
      this.project.name,
      registration.parent,
      registration.type,
      registration.name,
      this.stackUrn,
    );
    if (registration.type === rootStackType && registration.parent === "") {
      this.stackUrn = urn;
      this.news.set(urn, { urn, custom: false, type: rootStackType, outputs: {} });
      this.consumed.add(urn);
      return { urn, id: "", outputs: {} };
    }
    if (!registration.custom) {
      // A component: no provider; its state is what the program gave it.
      this.consumed.add(urn);
      this.news.set(urn, {
        urn,
        custom: false,
        type: registration.type,
        parent: registration.parent || undefined,
        dependencies: registration.dependencies,
      });
      return { urn, id: "", outputs: {} };
    }
    if (!registration.type.startsWith(dynamicPrefix)) {
      throw new Error(`${urn}: the engine model runs dynamic resources only, not ${registration.type}`);
    }
    const decision = await this.generate(() => this.decide(urn, registration));
    return this.execute(() => this.apply(urn, registration, decision));
  }

  /** `stepGenerator.generateSteps` → `continueStepsFromImport` → `generateStepsFromDiff`. */
  private async decide(urn: string, registration: Registration): Promise<Decision> {
    const plugin = await this.pluginClient();
    const target = { urn, name: registration.name, type: registration.type };
    // `getOldResource`: the old state under this URN, else under one of its aliases.
    const base = (u: string): ResourceV3 | undefined =>
      this.base.resources.find((r) => r.urn === u && r.delete !== true);
    let old = base(urn);
    for (const alias of registration.aliasUrns) {
      if (old !== undefined) break;
      const aliased = base(alias);
      if (aliased !== undefined && !this.consumed.has(alias)) old = aliased;
    }
    if (old !== undefined) this.consumed.add(old.urn);
    // A resource deleted earlier in this deployment (delete-before-replace) is re-created.
    const recreating = old !== undefined && this.deleted.has(old.urn);
    let goal = registration.inputs;
    // `processIgnoreChanges`: ignored paths take their old values before Check.
    if (old !== undefined) goal = processIgnoreChanges(goal, old.inputs ?? {}, registration.ignoreChanges);
    const checkOlds = old === undefined || recreating ? {} : (old.inputs ?? {});
    const inputs = await this.check(plugin, target, checkOlds, goal);
    if (old === undefined) return { kind: "create", inputs };
    if (recreating) return { kind: "recreate", inputs, old };

    // `stepGenerator.diff` → `diffResource`: the provider's Diff of old outputs against the new inputs.
    const changes = propertyChanges(old.inputs ?? {}, inputs);
    let diff = await diffResource(plugin, target, old, inputs, registration.ignoreChanges);
    // `applyReplaceOnChanges`: changed keys under a replaceOnChanges path force a replacement.
    const hasInitErrors = (old.initErrors ?? []).length > 0;
    diff = applyReplaceOnChanges(diff, registration.replaceOnChanges, hasInitErrors);
    if (diff.changes === "DIFF_SOME") {
      if (diff.replaces.length > 0) {
        // `continueStepsFromDiff`: a protected resource cannot be replaced.
        if (registration.protect === true && old.protect === true) {
          throw new Error(
            `unable to replace resource "${urn}"\nas it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``,
          );
        }
        // A replacement re-runs Check without the olds: defaults are not carried over.
        const fresh = await this.check(plugin, target, {}, registration.inputs);
        const deleteBeforeReplace = registration.deleteBeforeReplace ?? diff.deleteBeforeReplace;
        const dependents = deleteBeforeReplace ? await this.dependentReplacements(plugin, old) : [];
        return {
          kind: "replace",
          inputs: fresh,
          old,
          changes,
          replaces: diff.replaces,
          deleteBeforeReplace,
          dependents,
        };
      }
      return { kind: "update", inputs, old, changes };
    }
    // Unchanged but with init errors: an empty update "continues" the initialization.
    if (hasInitErrors) return { kind: "update", inputs, old, changes };
    return { kind: "same", inputs, old };
  }

  /** `provider.Check`, failures reported as the CLI does; secrets re-marked (`annotateSecrets`). */
  private async check(
    plugin: PluginClient,
    target: { urn: string; name: string; type: string },
    olds: Props,
    news: Props,
  ): Promise<Props> {
    const checked = await plugin.check(olds, news, target);
    if (checked.failures.length > 0) {
      const reasons = checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
      throw new Error(`${target.urn}: resource has check errors: ${reasons}`);
    }
    return annotateSecrets(checked.inputs, news);
  }

  /**
   * `calculateDependentReplacements`: which dependents of a resource replaced delete-before-replace must
   * go first. Each dependent whose inputs came from a replaced resource is asked its provider's Diff with
   * those inputs unknown; a dependent that would be replaced joins the set.
   */
  private async dependentReplacements(plugin: PluginClient, root: ResourceV3): Promise<ResourceV3[]> {
    const replaceSet = new Set([root.urn]);
    const toReplace: ResourceV3[] = [];
    for (const dependent of dependingOn(this.base.resources, root.urn)) {
      // Resources registered already cannot depend on the root any more.
      if (!dependent.custom || (this.consumed.has(dependent.urn) && !this.deleted.has(dependent.urn)))
        continue;
      const forDiff: Props = {};
      let touched = false;
      for (const [key, value] of Object.entries(dependent.inputs ?? {})) {
        const fromReplaced = (dependent.propertyDependencies?.[key] ?? []).some((d) => replaceSet.has(d));
        forDiff[key] = fromReplaced ? unknownValue : value;
        touched ||= fromReplaced;
      }
      if (!touched) continue;
      const target = { urn: dependent.urn, name: nameOf(dependent.urn), type: dependent.type };
      let diff = await diffResource(plugin, target, dependent, forDiff, dependent.ignoreChanges ?? []);
      diff = applyReplaceOnChanges(diff, dependent.replaceOnChanges ?? []);
      if (diff.changes === "DIFF_SOME" && diff.replaces.length > 0) {
        replaceSet.add(dependent.urn);
        toReplace.push(dependent);
      }
    }
    return toReplace;
  }

  /** The step executor's `Apply` of the decided steps (`step.go`). */
  private async apply(urn: string, registration: Registration, decision: Decision): Promise<Registered> {
    const plugin = await this.pluginClient();
    const target = { urn, name: registration.name, type: registration.type };
    const record = (
      id: string,
      inputs: Props,
      outputs: Props,
      initErrors?: string[],
      old?: ResourceV3,
    ): ResourceV3 => {
      const now = new Date().toISOString();
      const entry: ResourceV3 = {
        urn,
        custom: true,
        id,
        type: registration.type,
        inputs,
        outputs: markSecretOutputs(outputs, inputs, registration.additionalSecretOutputs),
        parent: registration.parent || undefined,
        protect: registration.protect || undefined,
        provider: `${this.providerUrn}::${this.providerId}`,
        dependencies: registration.dependencies,
        propertyDependencies: registration.propertyDependencies,
        initErrors: initErrors && initErrors.length > 0 ? initErrors : undefined,
        additionalSecretOutputs:
          registration.additionalSecretOutputs.length > 0 ? registration.additionalSecretOutputs : undefined,
        aliases: old !== undefined && old.urn !== urn ? [old.urn] : undefined,
        retainOnDelete: registration.retainOnDelete || undefined,
        deleteBeforeReplace: registration.deleteBeforeReplace || undefined,
        ignoreChanges: registration.ignoreChanges.length > 0 ? registration.ignoreChanges : undefined,
        replaceOnChanges:
          registration.replaceOnChanges.length > 0 ? registration.replaceOnChanges : undefined,
        created: old?.created ?? now,
        modified: now,
      };
      this.news.set(urn, entry);
      this.save();
      return entry;
    };
    const answer = (entry: ResourceV3): Registered => ({
      urn,
      id: entry.id ?? "",
      outputs: entry.outputs ?? {},
    });

    switch (decision.kind) {
      case "same": {
        // `SameStep.Apply`: the new inputs, the old id and outputs.
        const { old, inputs } = decision;
        const entry = this.dryRun
          ? { ...old, inputs }
          : record(old.id ?? "", inputs, old.outputs ?? {}, old.initErrors, old);
        this.emit({ op: "same", urn, ...names(urn, registration.type), changes: [], replaces: [] });
        return answer(entry);
      }
      case "create":
      case "recreate": {
        const op: StepOp = decision.kind === "create" ? "create" : "replace";
        if (this.dryRun) {
          // `provider.Create` with Preview for a plugin without preview support: the inputs are the outputs.
          this.emit({ op, urn, ...names(urn, registration.type), changes: [], replaces: [] });
          return {
            urn,
            id: "",
            outputs: markSecretOutputs(
              decision.inputs,
              decision.inputs,
              registration.additionalSecretOutputs,
            ),
          };
        }
        const entry = await this.create(plugin, target, decision.inputs, (id, outs, errors) =>
          record(id, decision.inputs, outs, errors),
        );
        this.emit({ op, urn, ...names(urn, registration.type), changes: [], replaces: [] });
        return answer(entry);
      }
      case "update": {
        const { old, inputs, changes } = decision;
        const step = {
          op: "update" as const,
          urn,
          ...names(urn, registration.type),
          changes: mask(changes, inputs, registration.additionalSecretOutputs),
          replaces: [],
        };
        if (this.dryRun) {
          // `provider.Update` with Preview, no preview support: the checked inputs stand for the outputs.
          this.emit(step);
          return {
            urn,
            id: old.id ?? "",
            outputs: markSecretOutputs(inputs, inputs, registration.additionalSecretOutputs),
          };
        }
        try {
          const updated = await plugin.update(
            old.id ?? "",
            unwrapSecrets(old.outputs ?? {}),
            inputs,
            unwrapSecrets(old.inputs ?? {}),
            target,
          );
          const entry = record(old.id ?? "", inputs, updated.properties, undefined, old);
          this.emit(step);
          return answer(entry);
        } catch (err) {
          // `UpdateStep.Apply`: a partial failure keeps the new outputs and the init errors.
          if (err instanceof PluginCallError && err.initFailed !== undefined) {
            record(old.id ?? "", inputs, err.initFailed.properties, err.initFailed.reasons, old);
          }
          this.emit({ ...step, error: messageOf(err) });
          throw err;
        }
      }
      case "replace": {
        const { old, inputs, changes, replaces, deleteBeforeReplace, dependents } = decision;
        const step: Step = {
          op: "replace",
          urn,
          ...names(urn, registration.type),
          changes: mask(changes, inputs, registration.additionalSecretOutputs),
          replaces,
          deleteBeforeReplace,
        };
        if (deleteBeforeReplace) {
          // Dependents that must go first, in reverse dependency order, then the resource itself.
          for (const dependent of [...dependents].reverse())
            await this.deleteOne(plugin, dependent, "delete-replaced");
          await this.deleteOne(plugin, old, "delete-replaced");
        }
        if (this.dryRun) {
          this.emit(step);
          return {
            urn,
            id: "",
            outputs: markSecretOutputs(inputs, inputs, registration.additionalSecretOutputs),
          };
        }
        const entry = await this.create(plugin, target, inputs, (id, outs, errors) =>
          record(id, inputs, outs, errors, old),
        );
        if (!deleteBeforeReplace) {
          // `CreateStep.Apply` (replacing): the old one is pending deletion until the deletes at the end.
          const pending = { ...old, delete: true };
          this.pendingDeletes.push(pending);
        }
        this.emit(step);
        return answer(entry);
      }
    }
  }

  /** `CreateStep.Apply`: a partial failure (`ErrorResourceInitFailed`) is recorded with its id, outputs and init errors. */
  private async create(
    plugin: PluginClient,
    target: { urn: string; name: string; type: string },
    inputs: Props,
    record: (id: string, outputs: Props, initErrors?: string[]) => ResourceV3,
  ): Promise<ResourceV3> {
    try {
      const created = await plugin.create(inputs, target);
      if (created.id === "") throw new Error(`${target.urn}: provider did not return an ID from Create`);
      return record(created.id, created.properties);
    } catch (err) {
      if (err instanceof PluginCallError && err.initFailed !== undefined) {
        record(err.initFailed.id, err.initFailed.properties, err.initFailed.reasons);
        this.emit({
          op: "create",
          urn: target.urn,
          ...names(target.urn, target.type),
          changes: [],
          replaces: [],
          error: messageOf(err),
        });
      }
      throw err;
    }
  }

  // ---- deletes ---------------------------------------------------------------------------------

  /**
   * `ScheduleDeletes`: antichains of the dependency graph, dependents first; the steps of one antichain
   * run in parallel, and no antichain starts after a failure.
   */
  private async deleteAll(
    resources: ResourceV3[],
    op: StepOp,
    replaced = new Set<ResourceV3>(),
  ): Promise<void> {
    const plugin = resources.some((r) => r.custom && r.type !== dynamicProviderType)
      ? await this.pluginClient()
      : undefined;
    let remaining = resources.filter((r) => r.type !== dynamicProviderType && r.type !== rootStackType);
    while (remaining.length > 0) {
      if (this.firstError !== undefined) return;
      const dependedOn = new Set(remaining.flatMap((r) => dependenciesOf(r)));
      let layer = remaining.filter((r) => !dependedOn.has(r.urn));
      // A cycle cannot come from a program; should state say otherwise, go newest first.
      if (layer.length === 0) layer = [remaining[remaining.length - 1] as ResourceV3];
      await Promise.all(
        layer.map((r) =>
          this.execute(() => this.deleteOne(plugin, r, replaced.has(r) ? "delete-replaced" : op)).catch(
            (err: unknown) => this.fail(err),
          ),
        ),
      );
      remaining = remaining.filter((r) => !layer.includes(r));
    }
    if (this.operation === "destroy" && this.firstError === undefined) {
      this.news.clear();
      this.olds.clear();
      this.save();
    }
  }

  /** `DeleteStep.Apply`: protect refuses, retainOnDelete skips the provider. */
  private async deleteOne(plugin: PluginClient | undefined, resource: ResourceV3, op: StepOp): Promise<void> {
    const step: Step = {
      op,
      urn: resource.urn,
      ...names(resource.urn, resource.type),
      changes: [],
      replaces: [],
    };
    if (resource.protect === true) {
      const error = `unable to delete resource "${resource.urn}"\nas it is currently marked for protection. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect ${resource.urn}\``;
      this.emit({ ...step, error });
      throw new Error(error);
    }
    if (!this.dryRun && resource.custom && resource.retainOnDelete !== true && plugin !== undefined) {
      try {
        await plugin.delete(
          resource.id ?? "",
          unwrapSecrets(resource.outputs ?? {}),
          unwrapSecrets(resource.inputs ?? {}),
          {
            urn: resource.urn,
            name: nameOf(resource.urn),
            type: resource.type,
          },
        );
      } catch (err) {
        this.emit({ ...step, error: messageOf(err) });
        throw err;
      }
    }
    this.deleted.add(resource.urn);
    if (!this.dryRun) {
      this.olds.delete(resource.urn);
      const at = this.pendingDeletes.indexOf(resource);
      if (at >= 0) this.pendingDeletes.splice(at, 1);
      this.save();
    }
    this.emit(step);
  }

  // ---- refresh ---------------------------------------------------------------------------------

  /**
   * `deploymentExecutor.refresh` and `RefreshStep.Apply`: every custom resource is read, in parallel,
   * with its old inputs and outputs; the inputs `read` returns (3.216+) replace the old ones; the change
   * is judged by the provider's Diff of the refreshed state against the old inputs, inverted for display.
   */
  private async refreshAll(): Promise<void> {
    const resources = [...this.olds.values()].filter(
      (r) => r.custom && r.type !== dynamicProviderType && r.delete !== true,
    );
    if (resources.length === 0) return;
    const plugin = await this.pluginClient();
    for (const resource of this.olds.values()) this.news.set(resource.urn, resource);
    await Promise.all(
      resources.map((old) =>
        this.execute(() => this.refreshOne(plugin, old)).catch((err: unknown) => this.fail(err)),
      ),
    );
    this.save();
  }

  private async refreshOne(plugin: PluginClient, old: ResourceV3): Promise<void> {
    const target = { urn: old.urn, name: nameOf(old.urn), type: old.type };
    let reply: { id: string; properties: Props; inputs?: Props };
    let initErrors: string[] | undefined;
    try {
      reply = await plugin.read(
        old.id ?? "",
        unwrapSecrets(old.outputs ?? {}),
        unwrapSecrets(old.inputs ?? {}),
        target,
      );
    } catch (err) {
      // A partial failure does not fail the refresh: it is recorded for the next up.
      if (!(err instanceof PluginCallError) || err.initFailed === undefined) throw err;
      reply = { id: err.initFailed.id, properties: err.initFailed.properties };
      initErrors = err.initFailed.reasons;
      this.diagnose({
        severity: "warning",
        message: `Refreshed resource is in an unhealthy state:\n* ${initErrors.join("\n* ")}`,
        urn: old.urn,
        streamId: 0,
        ephemeral: false,
      });
    }
    const base = { urn: old.urn, ...names(old.urn, old.type), replaces: [] };
    if (reply.id === "") {
      this.news.delete(old.urn);
      this.olds.delete(old.urn);
      this.save();
      this.emit({ ...base, op: "delete", changes: [] });
      return;
    }
    const inputs =
      reply.inputs !== undefined ? annotateSecrets(reply.inputs, old.inputs ?? {}) : (old.inputs ?? {});
    const outputs = markSecretOutputs(reply.properties, inputs, old.additionalSecretOutputs ?? []);
    // Pass the refreshed inputs and outputs as the olds and the old inputs as the news, then invert.
    const refreshed: ResourceV3 = { ...old, id: reply.id, inputs, outputs, initErrors };
    const diff = await diffResource(plugin, target, refreshed, old.inputs ?? {}, old.ignoreChanges ?? []);
    let changes: PropertyChange[] = [];
    if (diff.changes === "DIFF_SOME") {
      changes = propertyChanges(old.inputs ?? {}, inputs);
      if (changes.length === 0) {
        const inputKeys = new Set(Object.keys(old.inputs ?? {}));
        changes = propertyChanges(old.outputs ?? {}, outputs).filter((c) => inputKeys.has(c.key));
      }
    }
    if (!this.dryRun) {
      if (
        !isDeepStrictEqual(refreshed.inputs, old.inputs) ||
        !isDeepStrictEqual(refreshed.outputs, old.outputs)
      )
        refreshed.modified = new Date().toISOString();
      this.news.set(old.urn, refreshed);
      this.save();
    }
    this.emit({
      ...base,
      op: diff.changes === "DIFF_SOME" ? "update" : "same",
      changes: mask(changes, inputs, old.additionalSecretOutputs),
    });
  }

  // ---- machinery -------------------------------------------------------------------------------

  private pluginClient(): Promise<PluginClient> {
    if (this.plugin === undefined) {
      const config = this.options.config ?? {};
      this.plugin = startPlugin({
        cwd: this.options.projectDir,
        env: this.options.env ?? process.env,
        config,
        secretKeys: this.options.secretKeys ?? [],
        project: this.project.name,
        stack: this.options.stack,
        timeoutMs: this.options.timeoutMs ?? 300_000,
        engineAddress: this.server?.address,
        output: (line, stream) =>
          this.diagnose({
            severity: stream === "stderr" ? "error" : "info",
            message: line,
            urn: "",
            streamId: 0,
            ephemeral: false,
          }),
      }).then(async (plugin) => {
        // `provider.Configure`, once per deployment, before any resource call.
        await plugin.configure();
        return this.options.wrapPlugin?.(plugin) ?? plugin;
      });
    }
    return this.plugin;
  }

  /** The step generator: one registration at a time, in arrival order. */
  private generate<T>(body: () => Promise<T>): Promise<T> {
    const next = this.generator.then(() => {
      if (this.firstError !== undefined)
        throw new StoppedError(`not started: the deployment stopped after an error (${this.firstError})`);
      return body();
    });
    this.generator = next.catch(() => undefined);
    return next.catch((err: unknown) => {
      this.fail(err);
      throw err;
    });
  }

  /** The step executor: at most `parallel` steps at once; none starts after the first failure. */
  private async execute<T>(body: () => Promise<T>): Promise<T> {
    while (this.running >= this.parallel) await new Promise<void>((resume) => this.waiting.push(resume));
    if (this.firstError !== undefined)
      throw new StoppedError(`not started: the deployment stopped after an error (${this.firstError})`);
    this.running++;
    try {
      return await body();
    } catch (err) {
      this.fail(err);
      throw err;
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private async idle(): Promise<void> {
    while (this.running > 0) await new Promise((resume) => setTimeout(resume, 10));
  }

  private fail(err: unknown): void {
    if (err instanceof StoppedError) return;
    this.firstError ??= messageOf(err);
  }

  private emit(step: Step): void {
    this.steps.push(step);
    this.log(formatStep(step, this.operation, this.dryRun));
  }

  private diagnose(entry: LogEntry): void {
    this.diagnostics.push(entry);
    // The CLI shows debug messages only with `-v`/`--debug`.
    if (entry.severity === "debug") return;
    const who = entry.urn === "" ? "" : ` ${nameOf(entry.urn)}:`;
    if (entry.ephemeral) {
      // The CLI shows a status message in place until the next one; as lines, show each new state once.
      const state = entry.message.replace(/, \d+ s$|, \d+ min \d+ s$/, "");
      if (state !== this.lastStatus) this.log(`      ...${who} ${entry.message}`);
      this.lastStatus = state;
    } else this.log(`    ${entry.severity}:${who} ${entry.message}`);
  }

  /** Writes the snapshot (not in a preview), one write at a time. */
  private save(): void {
    if (this.dryRun) return;
    const resources: ResourceV3[] = [];
    const seen = new Set<string>();
    const add = (resource: ResourceV3 | undefined): void => {
      if (resource === undefined || seen.has(`${resource.urn}|${resource.delete === true}`)) return;
      seen.add(`${resource.urn}|${resource.delete === true}`);
      resources.push(resource);
    };
    const all = [...this.news.values()];
    add(all.find((r) => r.type === rootStackType));
    const custom =
      all.some((r) => r.custom) ||
      [...this.olds.values()].some((r) => r.custom && r.type !== dynamicProviderType);
    if (custom && this.operation !== "destroy") {
      add({
        urn: this.providerUrn,
        custom: true,
        id: this.providerId,
        type: dynamicProviderType,
        inputs: providerInputs(this.options.config ?? {}, this.options.secretKeys ?? []),
        outputs: providerInputs(this.options.config ?? {}, this.options.secretKeys ?? []),
      });
    }
    for (const resource of all) add(resource);
    for (const resource of this.olds.values()) {
      if (
        !this.consumed.has(resource.urn) &&
        !this.deleted.has(resource.urn) &&
        !this.news.has(resource.urn) &&
        resource.type !== dynamicProviderType
      )
        add(resource);
    }
    for (const pending of this.pendingDeletes) add(pending);
    const stack = resources.find((r) => r.type === rootStackType);
    if (stack !== undefined && this.operation !== "refresh") stack.outputs = this.stackOutputs;
    const snapshot: DeploymentV3 = {
      ...this.base,
      resources: this.operation === "destroy" && resources.every((r) => !r.custom) ? [] : resources,
    };
    const version = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    this.saving = this.saving.then(() => writeState(this.options.statePath, snapshot, `v${version}`));
  }
}

// ---- pure helpers ------------------------------------------------------------------------------

/** `resource.NewURN`: the parent's type is prefixed unless the parent is the root stack. */
export function newUrn(
  stack: string,
  project: string,
  parent: string,
  type: string,
  name: string,
  stackUrn: string,
): string {
  let qualified = type;
  if (parent !== "" && parent !== stackUrn) {
    const parentType = parent.split("::")[2] ?? "";
    if (parentType !== rootStackType) qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

function nameOf(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

/** `pulumi-nodejs:dynamic/fnstack/oci:Function` → `oci:Function`. */
export function shortType(type: string): string {
  return type.replace(/^pulumi-nodejs:dynamic\/(fnstack\/)?/, "").replace(/^pulumi-nodejs:dynamic:/, "");
}

function names(urn: string, type: string): { type: string; name: string } {
  const qualified = type.split("$").pop() ?? type;
  return { type: shortType(qualified), name: nameOf(urn) };
}

/**
 * `diffResource`: the provider's Diff (olds = old outputs, news = new inputs, old inputs); an "unknown"
 * answer becomes the engine's own diff of old and new inputs, secrets unwrapped and ignoreChanges applied.
 */
async function diffResource(
  plugin: PluginClient,
  target: { urn: string; name: string; type: string },
  old: ResourceV3,
  newInputs: Props,
  ignoreChanges: readonly string[],
): Promise<DiffReply> {
  const diff = await plugin.diff(
    old.id ?? "",
    unwrapSecrets(old.outputs ?? {}),
    unwrapSecrets(newInputs),
    unwrapSecrets(old.inputs ?? {}),
    target,
  );
  if (diff.changes !== "DIFF_UNKNOWN") return diff;
  const news = processIgnoreChanges(newInputs, old.inputs ?? {}, ignoreChanges);
  const changed = changedKeys(unwrapSecrets(old.inputs ?? {}), unwrapSecrets(news));
  return { ...diff, changes: changed.length > 0 ? "DIFF_SOME" : "DIFF_NONE", diffs: changed };
}

/**
 * `applyReplaceOnChanges`: changed keys under a replaceOnChanges path become replace keys, and init errors
 * under `#initerror` (or `*`) force a replacement. The changed keys are the provider's `diffs`, which the
 * dynamic-provider plugin never fills in: for a dynamic resource whose provider has a `diff`, only
 * `#initerror` has an effect; the engine's own input diff (no `diff` method) fills them.
 */
function applyReplaceOnChanges(
  diff: DiffReply,
  replaceOnChanges: readonly string[],
  hasInitErrors = false,
): DiffReply {
  if ((diff.changes !== "DIFF_SOME" && !hasInitErrors) || replaceOnChanges.length === 0) return diff;
  const replaces = new Set(diff.replaces);
  let changes = diff.changes;
  if (diff.changes === "DIFF_SOME") {
    for (const key of diff.diffs) {
      if (replaceOnChanges.some((path) => path === "*" || pathContains(path, key))) replaces.add(key);
    }
  }
  if (hasInitErrors && replaceOnChanges.some((path) => path === "*" || path === "#initerror")) {
    replaces.add("#initerror");
    changes = "DIFF_SOME";
  }
  return { ...diff, changes, replaces: [...replaces] };
}

/** Whether property path `outer` contains `inner` (`a` contains `a`, `a.b`, `a[0]`). */
function pathContains(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
}

/** `processIgnoreChanges`: each ignored path takes its old value (or is removed when the old has none). */
export function processIgnoreChanges(
  inputs: Props,
  oldInputs: Props,
  ignoreChanges: readonly string[],
): Props {
  if (ignoreChanges.length === 0) return inputs;
  const result = structuredClone(inputs);
  for (const path of ignoreChanges) {
    const keys = parsePath(path);
    if (keys.length === 0) continue;
    const oldValue = getPath(oldInputs, keys);
    setPath(result, keys, oldValue);
  }
  return result;
}

function parsePath(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|\["([^"]+)"\]/g;
  for (const match of path.matchAll(pattern)) {
    if (match[2] !== undefined) keys.push(Number(match[2]));
    else keys.push((match[1] ?? match[3]) as string);
  }
  return keys;
}

function getPath(value: unknown, keys: readonly (string | number)[]): unknown {
  let at: unknown = value;
  for (const key of keys) {
    if (isSecret(at)) at = at.value;
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

function setPath(target: Props, keys: readonly (string | number)[], value: unknown): void {
  let at: unknown = target;
  for (const key of keys.slice(0, -1)) {
    if (isSecret(at)) at = at.value;
    const next = (at as Record<string | number, unknown>)[key];
    if (next === null || typeof next !== "object") return;
    at = next;
  }
  const last = keys[keys.length - 1] as string | number;
  const container = (isSecret(at) ? at.value : at) as Record<string | number, unknown>;
  if (value === undefined) delete container[last];
  else container[last] = structuredClone(value);
}

/** `annotateSecrets` (provider_plugin.go): an output is secret where the same input was. */
function annotateSecrets(outs: Props, ins: Props): Props {
  const result: Props = {};
  for (const [key, value] of Object.entries(outs)) {
    result[key] = containsSecret(ins[key]) && !isSecret(value) ? secret(value) : value;
  }
  return result;
}

/** Outputs as the engine keeps them: secret where the input was, and for additionalSecretOutputs. */
function markSecretOutputs(outputs: Props, inputs: Props, additionalSecretOutputs: readonly string[]): Props {
  const result = annotateSecrets(outputs, inputs);
  for (const key of additionalSecretOutputs) {
    if (result[key] !== undefined && !isSecret(result[key])) result[key] = secret(result[key]);
  }
  return result;
}

/** The default provider's inputs: the stack config (`deploy/target.go` `GetPackageConfig`). */
function providerInputs(config: Readonly<Record<string, string>>, secretKeys: readonly string[]): Props {
  const inputs: Props = {};
  for (const [key, value] of Object.entries(config))
    inputs[key] = secretKeys.includes(key) ? secret(value) : value;
  return inputs;
}

/** What a resource depends on: parent, dependencies, property dependencies. */
function dependenciesOf(resource: ResourceV3): string[] {
  const all = new Set(resource.dependencies ?? []);
  for (const deps of Object.values(resource.propertyDependencies ?? {})) for (const d of deps) all.add(d);
  if (resource.parent) all.add(resource.parent);
  return [...all];
}

/** `DependencyGraph.DependingOn`: the transitive dependents of `urn`, in state (dependency) order. */
function dependingOn(resources: readonly ResourceV3[], urn: string): ResourceV3[] {
  const set = new Set([urn]);
  const result: ResourceV3[] = [];
  for (const resource of resources) {
    if (resource.urn === urn || resource.delete === true) continue;
    if (dependenciesOf(resource).some((d) => set.has(d))) {
      set.add(resource.urn);
      result.push(resource);
    }
  }
  return result;
}

function changedKeys(olds: Props, news: Props): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  return [...keys].filter((key) => !isDeepStrictEqual(olds[key] ?? null, news[key] ?? null));
}

/** Top-level properties whose values differ (`__provider` aside). */
export function propertyChanges(olds: Props, news: Props): PropertyChange[] {
  return changedKeys(olds, news)
    .filter((key) => key !== "__provider")
    .map((key) => ({ key, old: olds[key], new: news[key] }));
}

/** Changes for display: secret values, and additionalSecretOutputs (stricter than the CLI), masked. */
function mask(
  changes: readonly PropertyChange[],
  inputs: Props,
  additionalSecretOutputs: readonly string[] = [],
): PropertyChange[] {
  const shown = (value: unknown, key: string): unknown =>
    value !== undefined && (isSecret(value) || isSecret(inputs[key]) || additionalSecretOutputs.includes(key))
      ? secretMarker
      : value;
  return changes.map((c) => ({ key: c.key, old: shown(c.old, c.key), new: shown(c.new, c.key) }));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Whether `version` (x.y.z) is at least `floor`. */
export function atLeast(version: string, floor: string): boolean {
  const a = version.replace(/^v/, "").split(".").map(Number);
  const b = floor.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

const symbols: Record<StepOp, string> = {
  create: "+",
  update: "~",
  replace: "+-",
  delete: "-",
  "delete-replaced": "--",
  same: " ",
};

/** A value for display: short; unknowns as `[unknown]`. */
export function formatValue(value: unknown): string {
  if (value === unknownValue) return "[unknown]";
  if (value === undefined) return "(unset)";
  if (value === secretMarker) return secretMarker;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One display line per step, as the CLI's diff display: symbol, type, name, what, and the changed properties. */
export function formatStep(step: Step, operation: OperationResult["operation"], dryRun: boolean): string {
  const verbs: Record<StepOp, string> =
    operation === "refresh"
      ? {
          create: "create",
          update: "drifted",
          replace: "replace",
          delete: "gone",
          "delete-replaced": "gone",
          same: "unchanged",
        }
      : dryRun
        ? {
            create: "create",
            update: "update",
            replace: "replace",
            delete: "delete",
            "delete-replaced": "delete original",
            same: "unchanged",
          }
        : {
            create: "created",
            update: "updated",
            replace: "replaced",
            delete: "deleted",
            "delete-replaced": "deleted original",
            same: "unchanged",
          };
  let head = `  ${symbols[step.op].padEnd(2)} ${step.type.padEnd(32)} ${step.name.padEnd(18)} ${verbs[step.op]}`;
  if (step.deleteBeforeReplace) head += " (delete before replace)";
  if (step.error !== undefined) head += ` **failed**: ${step.error}`;
  const details = step.changes.map(
    (c) =>
      `${c.key}${step.replaces.includes(c.key) ? " (forces replacement)" : ""}: ${formatValue(c.old)} => ${formatValue(c.new)}`,
  );
  for (const key of step.replaces)
    if (!step.changes.some((c) => c.key === key)) details.push(`${key} (forces replacement)`);
  return details.length === 0 ? head : `${head}\n${details.map((d) => `        ${d}`).join("\n")}`;
}
