/**
 * A small deployment engine for dynamic resources: what `pulumi preview / up / refresh / destroy` do
 * for `pulumi-nodejs:dynamic*` resources (docs pulumi-dynamic.md §1.3), driving the real
 * dynamic-provider plugin through the engine-path harness. It keeps a JSON state file of
 * urn → {id, inputs, outputs, dependencies}, runs the program in a fresh language host
 * (`language-host.ts`) for preview and up, and never runs it for refresh and destroy, which use the
 * provider text stored in state, as the engine does.
 *
 * Registrations are handled concurrently, as the engine does. Simplifications, none of which changes
 * what the provider sees: the old resource of a create-before-delete replacement is deleted right after
 * its replacement is created (the engine waits for the end of the deployment); refresh and destroy go
 * one resource at a time; the state file is plain JSON (the engine encrypts secret values); only
 * dynamic resources are supported.
 */
import { type ChildProcess, fork } from "node:child_process";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { PluginCallError, type PluginClient, type ResourceTarget } from "../../test/engine/harness";
import {
  type EngineMessage,
  type HostMessage,
  type HostSettings,
  type Props,
  secretSig,
  secretSigKey,
  unknownValue,
} from "./protocol";

/** One resource in the state file. */
export interface ResourceState {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  id: string;
  /** The checked inputs, `__provider` included. */
  inputs: Props;
  /** The provider's outputs, `__provider` included. */
  outputs: Props;
  /** URNs of resources this one's inputs came from. */
  dependencies: string[];
  /** Top-level properties that are secrets (additionalSecretOutputs and secret inputs). */
  secretOutputs: string[];
}

/** The state file. */
export interface StackState {
  /** In creation order, which is a dependency order. */
  resources: ResourceState[];
  outputs: Props;
}

/** What a step did to a resource. */
export type StepOp = "create" | "update" | "replace" | "delete" | "same";

/** One property that differs, for the log and the test. */
export interface PropertyChange {
  readonly key: string;
  readonly old: unknown;
  readonly new: unknown;
}

/** One resource step of an operation. */
export interface Step {
  readonly op: StepOp;
  readonly urn: string;
  /** The Pulumi type without the `pulumi-nodejs:dynamic/fnstack/` prefix: `oci:Function`. */
  readonly type: string;
  readonly name: string;
  /** For updates and replaces: the properties that change; for refresh: what drifted. */
  readonly changes: readonly PropertyChange[];
  /** For replaces: the properties the provider said force a replacement. */
  readonly replaces: readonly string[];
}

/** The outcome of one operation. */
export interface OperationResult {
  readonly operation: "preview" | "up" | "refresh" | "destroy";
  readonly steps: readonly Step[];
  /** Stack outputs (preview and up). */
  readonly outputs?: Props;
  readonly durationMs: number;
}

/** Options of {@link DemoEngine}. */
export interface DemoEngineOptions {
  /**
   * The running dynamic-provider plugin. The engine starts one per operation; the demo keeps one for
   * the whole run (starting it takes seconds) and sends Configure at the start of every operation,
   * as the engine does.
   */
  readonly plugin: PluginClient | Promise<PluginClient>;
  /** Where the state file lives. */
  readonly statePath: string;
  /** The program (directory with index.ts). */
  readonly program: string;
  readonly project: string;
  readonly stack: string;
  /** The full stack config, `"<namespace>:<key>"` → string, as the language host gets it. */
  readonly config: Readonly<Record<string, string>>;
  /** The environment of the language host (the CLI's). */
  readonly env: NodeJS.ProcessEnv;
  /** Where log lines go. */
  readonly log: (line: string) => void;
  /** Deadline for one program run, in ms; default 300_000. */
  readonly programTimeoutMs?: number;
}

const dynamicPrefix = "pulumi-nodejs:dynamic";

/** The demo's engine; see the module comment. */
export class DemoEngine {
  private readonly options: DemoEngineOptions;
  private warmHost?: Promise<HostProcess>;
  /** How the current operation words its steps in the log. */
  private verbs: Partial<Record<StepOp, string>> = {};

  constructor(options: DemoEngineOptions) {
    this.options = options;
    // Loading the SDK takes seconds: have a language host ready by the first preview.
    this.warmHost = this.spawnHost();
    this.warmHost.catch(() => undefined);
  }

  /** The state as last saved (empty when there is none). */
  state(): StackState {
    if (!existsSync(this.options.statePath)) return { resources: [], outputs: {} };
    return JSON.parse(readFileSync(this.options.statePath, "utf8")) as StackState;
  }

  private save(state: StackState): void {
    const temporary = `${this.options.statePath}.tmp`;
    writeFileSync(temporary, JSON.stringify(state, null, 2));
    renameSync(temporary, this.options.statePath);
  }

  /** `pulumi preview`: Check (and Diff for resources in state); nothing is changed. */
  preview(): Promise<OperationResult> {
    return this.deploy(true);
  }

  /** `pulumi up`: Check → Create, or Check → Diff → Update/replace; deletes what the program dropped. */
  up(): Promise<OperationResult> {
    return this.deploy(false);
  }

  /** `pulumi refresh`: Read every resource; drop the gone ones, record drift. */
  async refresh(): Promise<OperationResult> {
    const started = Date.now();
    this.verbs = { update: "drifted", delete: "gone", same: "unchanged" };
    const state = this.state();
    const steps: Step[] = [];
    await this.withPlugin(async (plugin) => {
      for (const resource of [...state.resources]) {
        const reply = await plugin.read(resource.id, resource.outputs, resource.inputs, targetOf(resource));
        if (reply.id === "") {
          state.resources = state.resources.filter((r) => r !== resource);
          this.emit(steps, stepOf("delete", resource));
        } else {
          const changes = propertyChanges(resource.outputs, reply.properties, resource.secretOutputs);
          resource.id = reply.id;
          resource.outputs = reply.properties;
          if (reply.inputs !== undefined) resource.inputs = reply.inputs;
          this.emit(steps, stepOf(changes.length > 0 ? "update" : "same", resource, changes));
        }
        this.save(state);
      }
    });
    return { operation: "refresh", steps, durationMs: Date.now() - started };
  }

  /** `pulumi destroy`: Delete every resource, dependents first; the program is not run. */
  async destroy(): Promise<OperationResult> {
    const started = Date.now();
    this.verbs = { delete: "deleted" };
    const state = this.state();
    const steps: Step[] = [];
    await this.withPlugin(async (plugin) => {
      for (const resource of deletionOrder(state.resources)) {
        await plugin.delete(resource.id, resource.outputs, resource.inputs, targetOf(resource));
        state.resources = state.resources.filter((r) => r !== resource);
        this.save(state);
        this.emit(steps, stepOf("delete", resource));
      }
    });
    state.outputs = {};
    this.save(state);
    return { operation: "destroy", steps, durationMs: Date.now() - started };
  }

  private async deploy(preview: boolean): Promise<OperationResult> {
    const started = Date.now();
    this.verbs = preview
      ? { same: "unchanged" }
      : { create: "created", update: "updated", replace: "replaced", delete: "deleted", same: "unchanged" };
    const state = this.state();
    const steps: Step[] = [];
    const seen = new Set<string>();
    let outputs: Props = {};
    await this.withPlugin(async (plugin) => {
      outputs = await this.runProgram(preview, async (message) => {
        seen.add(message.urn);
        return this.register(plugin, state, message, preview, steps);
      });
      // Resources in state that the program no longer declares are deleted, dependents first.
      for (const resource of deletionOrder(state.resources.filter((r) => !seen.has(r.urn)))) {
        if (!preview) {
          await plugin.delete(resource.id, resource.outputs, resource.inputs, targetOf(resource));
          state.resources = state.resources.filter((r) => r !== resource);
          this.save(state);
        }
        this.emit(steps, stepOf("delete", resource));
      }
    });
    if (!preview) {
      state.outputs = outputs;
      this.save(state);
    }
    return { operation: preview ? "preview" : "up", steps, outputs, durationMs: Date.now() - started };
  }

  /** One RegisterResource: the engine's step for a dynamic resource (pulumi-dynamic.md §1.3). */
  private async register(
    plugin: PluginClient,
    state: StackState,
    message: Extract<HostMessage, { kind: "register" }>,
    preview: boolean,
    steps: Step[],
  ): Promise<{ id: string; state: Props; secretOutputs: string[] }> {
    if (!message.type.startsWith(dynamicPrefix)) {
      throw new Error(`${message.urn}: the demo engine only runs dynamic resources, not ${message.type}`);
    }
    const target: ResourceTarget = { name: message.name, type: message.type };
    const { value: news, secretKeys } = unwrapSecrets(message.inputs);
    const secretOutputs = [...new Set([...message.additionalSecretOutputs, ...secretKeys])];
    const old = state.resources.find((r) => r.urn === message.urn);

    const checked = await plugin.check(old?.inputs ?? {}, news, target);
    if (checked.failures.length > 0) {
      const reasons = checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
      throw new Error(`${message.urn}: check failed: ${reasons}`);
    }
    const inputs = checked.inputs;
    const record = (id: string, outputs: Props): ResourceState => {
      const entry: ResourceState = {
        urn: message.urn,
        type: message.type,
        name: message.name,
        id,
        inputs,
        outputs,
        dependencies: message.dependencies,
        secretOutputs,
      };
      const at = state.resources.findIndex((r) => r.urn === message.urn);
      if (at >= 0) state.resources[at] = entry;
      else state.resources.push(entry);
      this.save(state);
      return entry;
    };

    if (old === undefined) {
      if (preview) {
        this.emit(steps, { ...stepOf("create", message), changes: [] });
        // The plugin does not support preview: the engine echoes the checked inputs as outputs.
        return { id: "", state: inputs, secretOutputs };
      }
      const created = await this.create(plugin, inputs, target, message.urn);
      record(created.id, created.properties);
      this.emit(steps, stepOf("create", message));
      return { id: created.id, state: created.properties, secretOutputs };
    }

    const diff = await plugin.diff(old.id, old.outputs, inputs, old.inputs, target);
    // Shown: what the provider's Diff compares (old outputs against the new inputs), else the inputs.
    let changes = propertyChanges(pick(old.outputs, Object.keys(inputs)), inputs, secretOutputs);
    if (changes.length === 0) changes = propertyChanges(old.inputs, inputs, secretOutputs);
    const differs = diff.changes === "DIFF_SOME" || (diff.changes === "DIFF_UNKNOWN" && changes.length > 0);
    if (!differs) {
      // A "same" step: new inputs, the old outputs (the old __provider included).
      if (!preview) record(old.id, old.outputs);
      this.emit(steps, stepOf("same", message));
      return { id: old.id, state: old.outputs, secretOutputs };
    }
    const replaces = diff.replaces;
    const op: StepOp = replaces.length > 0 ? "replace" : "update";
    if (preview) {
      this.emit(steps, stepOf(op, message, changes, replaces));
      return { id: op === "replace" ? "" : old.id, state: inputs, secretOutputs };
    }
    if (op === "update") {
      const updated = await plugin.update(old.id, old.outputs, inputs, old.inputs, target);
      record(old.id, updated.properties);
      this.emit(steps, stepOf("update", message, changes));
      return { id: old.id, state: updated.properties, secretOutputs };
    }
    if (diff.deleteBeforeReplace) await plugin.delete(old.id, old.outputs, old.inputs, target);
    const created = await this.create(plugin, inputs, target, message.urn);
    if (!diff.deleteBeforeReplace) await plugin.delete(old.id, old.outputs, old.inputs, target);
    record(created.id, created.properties);
    this.emit(steps, stepOf("replace", message, changes, replaces));
    return { id: created.id, state: created.properties, secretOutputs };
  }

  private async create(
    plugin: PluginClient,
    inputs: Props,
    target: ResourceTarget,
    urn: string,
  ): Promise<{ id: string; properties: Props }> {
    try {
      return await plugin.create(inputs, target);
    } catch (err) {
      if (err instanceof PluginCallError && err.initFailed !== undefined) {
        throw new Error(
          `${urn}: ${err.initFailed.id} was created but failed to initialize: ${err.initFailed.reasons.join("; ") || err.message}`,
        );
      }
      throw err;
    }
  }

  private emit(steps: Step[], step: Step): void {
    steps.push(step);
    this.options.log(formatStep(step, this.verbs));
  }

  private async withPlugin(body: (plugin: PluginClient) => Promise<void>): Promise<void> {
    const plugin = await this.options.plugin;
    await plugin.configure();
    await body(plugin);
  }

  /** A language host that has loaded the SDK and waits for `run`; the next one is started at once. */
  private takeHost(): Promise<HostProcess> {
    const host = this.warmHost ?? this.spawnHost();
    this.warmHost = this.spawnHost();
    this.warmHost.catch(() => undefined);
    return host;
  }

  private spawnHost(): Promise<HostProcess> {
    const child: ChildProcess = fork(join(__dirname, "language-host.ts"), [], {
      execArgv: ["-r", "ts-node/register/transpile-only"],
      env: {
        ...this.options.env,
        // As the CLI passes them to the language host.
        PULUMI_CONFIG: JSON.stringify(this.options.config),
        PULUMI_NODEJS_PROJECT: this.options.project,
        PULUMI_NODEJS_STACK: this.options.stack,
      },
      stdio: ["ignore", "inherit", "pipe", "ipc"],
    });
    const host: HostProcess = { child, stderr: "", exited: false };
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (host.stderr += chunk));
    child.once("exit", () => (host.exited = true));
    return new Promise<HostProcess>((resolve, reject) => {
      const onMessage = (message: HostMessage): void => {
        if (message.kind !== "ready") return;
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve(host);
      };
      const onExit = (code: number | null): void =>
        reject(new Error(`the language host exited (code ${code}) before it was ready:\n${host.stderr}`));
      child.on("message", onMessage);
      child.once("exit", onExit);
    });
  }

  /** Stops the warm language host; call once the engine is no longer needed. */
  async close(): Promise<void> {
    const warm = this.warmHost;
    this.warmHost = undefined;
    if (warm === undefined) return;
    const host = await warm.catch(() => undefined);
    if (host === undefined || host.exited) return;
    const exited = new Promise((done) => host.child.once("exit", done));
    host.child.kill("SIGTERM");
    await exited;
  }

  /**
   * Runs the program once in a fresh language host; every registration is answered by `onRegister`.
   * Resolves with the stack outputs; rejects when the program or any registration failed.
   */
  private async runProgram(
    preview: boolean,
    onRegister: (
      message: Extract<HostMessage, { kind: "register" }>,
    ) => Promise<{ id: string; state: Props; secretOutputs: string[] }>,
  ): Promise<Props> {
    const settings: HostSettings = {
      program: this.options.program,
      project: this.options.project,
      stack: this.options.stack,
      preview,
    };
    const host = await this.takeHost();
    const { child } = host;
    const failures: string[] = [];
    const inFlight = new Set<Promise<void>>();
    const timeoutMs = this.options.programTimeoutMs ?? 300_000;
    return new Promise<Props>((resolve, reject) => {
      let outputs: Props | undefined;
      const timer = setTimeout(() => {
        failures.push(`the program did not finish within ${timeoutMs} ms`);
        child.kill("SIGKILL");
      }, timeoutMs);
      const finish = (code: number | null, signal: string | null): void => {
        clearTimeout(timer);
        void Promise.all(inFlight).then(() => {
          if (failures.length === 0 && code === 0 && outputs !== undefined) {
            resolve(outputs);
            return;
          }
          const why = failures.length > 0 ? failures.join("\n  ") : `exit code ${code}, signal ${signal}`;
          const stderr = host.stderr ? `\nprogram stderr:\n${host.stderr}` : "";
          reject(new Error(`the program failed:\n  ${why}${stderr}`));
        });
      };
      child.on("message", (message: HostMessage) => {
        if (message.kind === "register") {
          // Registrations are handled concurrently, as the engine does: the program only sends one
          // when the resources it depends on have been answered.
          const handled = (async () => {
            let answer: EngineMessage;
            try {
              const result = await onRegister(message);
              answer = { kind: "registered", seq: message.seq, ...result };
            } catch (err) {
              const text = err instanceof Error ? err.message : String(err);
              failures.push(text);
              answer = { kind: "failed", seq: message.seq, message: text };
            }
            if (child.connected) child.send(answer);
          })();
          inFlight.add(handled);
        } else if (message.kind === "done") {
          outputs = message.outputs;
        } else if (message.kind === "error") {
          // The SDK can report one failure twice (a rejected promise and the stack's).
          if (!failures.includes(message.message)) failures.push(message.message);
        }
      });
      if (host.exited) finish(child.exitCode, child.signalCode);
      else child.once("close", finish);
      child.send({ kind: "run", settings } satisfies EngineMessage);
    });
  }
}

/** A language host process. */
interface HostProcess {
  readonly child: ChildProcess;
  stderr: string;
  exited: boolean;
}

// ---------------------------------------------------------------------------------------------------

function targetOf(resource: ResourceState): ResourceTarget {
  return { name: resource.name, type: resource.type };
}

/** `pulumi-nodejs:dynamic/fnstack/oci:Function` → `oci:Function`. */
export function shortType(type: string): string {
  return type.replace(/^pulumi-nodejs:dynamic\/(fnstack\/)?/, "");
}

function stepOf(
  op: StepOp,
  resource: { urn: string; type: string; name: string },
  changes: readonly PropertyChange[] = [],
  replaces: readonly string[] = [],
): Step {
  return { op, urn: resource.urn, type: shortType(resource.type), name: resource.name, changes, replaces };
}

/** Stands for a secret value in {@link PropertyChange}s: secrets never reach the log. */
export const secretMarker = "[secret]";

/** Top-level properties whose values differ (`__provider` aside); secret values masked. */
export function propertyChanges(
  olds: Props,
  news: Props,
  secretKeys: readonly string[] = [],
): PropertyChange[] {
  const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => k !== "__provider");
  const shown = (key: string, value: unknown): unknown =>
    secretKeys.includes(key) && value !== undefined && value !== unknownValue ? secretMarker : value;
  return keys
    .filter((key) => !isDeepStrictEqual(olds[key] ?? null, news[key] ?? null))
    .map((key) => ({ key, old: shown(key, olds[key]), new: shown(key, news[key]) }));
}

function pick(props: Props, keys: readonly string[]): Props {
  return Object.fromEntries(keys.filter((k) => k in props).map((k) => [k, props[k]]));
}

/** Removes secret envelopes; reports the top-level keys that held one. */
function unwrapSecrets(props: Props): { value: Props; secretKeys: string[] } {
  const secretKeys: string[] = [];
  const value: Props = {};
  for (const [key, child] of Object.entries(props)) {
    const found = { secret: false };
    value[key] = unwrap(child, found);
    if (found.secret) secretKeys.push(key);
  }
  return { value, secretKeys };
}

function unwrap(value: unknown, found: { secret: boolean }): unknown {
  if (Array.isArray(value)) return value.map((v) => unwrap(v, found));
  if (value !== null && typeof value === "object") {
    const object = value as Props;
    if (object[secretSigKey] === secretSig) {
      found.secret = true;
      return unwrap(object.value, found);
    }
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, unwrap(v, found)]));
  }
  return value;
}

/** Dependents before what they depend on; among independent resources, the newest first. */
export function deletionOrder(resources: readonly ResourceState[]): ResourceState[] {
  const remaining = [...resources];
  const order: ResourceState[] = [];
  while (remaining.length > 0) {
    const urns = new Set(remaining.map((r) => r.urn));
    const dependedOn = new Set(remaining.flatMap((r) => r.dependencies.filter((d) => urns.has(d))));
    const index = remaining.map((r) => !dependedOn.has(r.urn)).lastIndexOf(true);
    // A cycle cannot come from a program; fall back to reverse creation order if state says otherwise.
    const [next] = remaining.splice(index >= 0 ? index : remaining.length - 1, 1);
    order.push(next as ResourceState);
  }
  return order;
}

const symbols: Record<StepOp, string> = { create: "+", update: "~", replace: "+-", delete: "-", same: " " };

/** A value for the log: short, unknowns as `[unknown]`. */
export function formatValue(value: unknown): string {
  if (value === unknownValue) return "[unknown]";
  if (value === undefined) return "(unset)";
  if (value === secretMarker) return secretMarker;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One log line for a step, like Pulumi's: symbol, type, name, and the changed properties. */
export function formatStep(step: Step, verbs?: Partial<Record<StepOp, string>>): string {
  const verb = verbs?.[step.op] ?? step.op;
  const head = `  ${symbols[step.op].padEnd(2)} ${step.type.padEnd(32)} ${step.name.padEnd(18)} ${verb}`;
  if (step.changes.length === 0 && step.replaces.length === 0) return head;
  const details = step.changes.map(
    (c) =>
      `${c.key}${step.replaces.includes(c.key) ? " (forces replacement)" : ""}: ${formatValue(c.old)} => ${formatValue(c.new)}`,
  );
  for (const key of step.replaces)
    if (!step.changes.some((c) => c.key === key)) details.push(`${key} (forces replacement)`);
  return `${head}\n${details.map((d) => `        ${d}`).join("\n")}`;
}
