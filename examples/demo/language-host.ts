/**
 * The demo's language host: runs the Pulumi program once, in its own process, the way `pulumi up` or
 * `pulumi preview` runs it, with `pulumi.runtime.setMocks` standing in for the engine's resource
 * monitor. Every resource registration goes to the parent process (the demo engine, `engine.ts`) over
 * the IPC channel; the parent answers with the id and outputs the real dynamic-provider plugin gave it.
 *
 * A fresh process per run is deliberate: the SDK keeps its runtime state (dry-run flag, monitor, stack
 * resource, config) in module-level singletons, and a new process is the faithful way to reset them,
 * as the CLI starts a new language host for every operation.
 *
 * `engine.ts` starts it ahead of time (loading the SDK takes seconds) with the stack config in
 * `PULUMI_CONFIG`, as the CLI does; the host waits for a `run` message naming the program and whether
 * this is a preview, runs it once and exits.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as outputModule from "@pulumi/pulumi/output";
import type * as settingsModule from "@pulumi/pulumi/runtime/settings";
import type * as stackModule from "@pulumi/pulumi/runtime/stack";
import {
  type HostMessage,
  type HostSettings,
  type EngineMessage,
  type Props,
  secretSig,
  secretSigKey,
  unknownValue,
} from "./protocol";

const outputs = require("@pulumi/pulumi/output") as typeof outputModule;
const settings = require("@pulumi/pulumi/runtime/settings") as typeof settingsModule;
const stack = require("@pulumi/pulumi/runtime/stack") as typeof stackModule;

/** What the resource monitor saw in a RegisterResourceRequest that MockResourceArgs leaves out. */
interface Registration {
  readonly urn: string;
  readonly dependencies: string[];
  readonly additionalSecretOutputs: string[];
}

/** The SDK's RegisterResourceRequest, the few getters read here. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getAdditionalsecretoutputsList(): string[];
}

function send(message: HostMessage): void {
  if (process.connected) process.send?.(message);
}

/** An error as the CLI shows a program failure: the message and where it was thrown. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const where = (err.stack ?? "").split("\n").find((line) => /^\s+at /.test(line));
  return where === undefined ? err.message : `${err.message}\n    ${where.trim()}`;
}

let nextSeq = 0;
const waiting = new Map<number, { resolve(m: EngineMessage): void }>();
let started: (settings: HostSettings) => void = () => undefined;
const runRequested = new Promise<HostSettings>((resolve) => (started = resolve));
process.on("message", (message: EngineMessage) => {
  if (message.kind === "run") {
    started(message.settings);
    return;
  }
  const entry = waiting.get(message.seq);
  waiting.delete(message.seq);
  entry?.resolve(message);
});

function ask(message: Omit<Extract<HostMessage, { kind: "register" }>, "seq">): Promise<EngineMessage> {
  const seq = nextSeq++;
  return new Promise((resolve) => {
    waiting.set(seq, { resolve });
    send({ ...message, seq });
  });
}

/** MockResourceArgs' inputs → the wire form: unknowns as the sentinel string, secrets as envelopes. */
function toWire(value: unknown): unknown {
  if (outputs.isUnknown(value)) return unknownValue;
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === "object") {
    const out: Props = {};
    for (const [key, child] of Object.entries(value)) if (child !== undefined) out[key] = toWire(child);
    return out;
  }
  return value;
}

/** The URN the mock monitor gives a resource (`Stack$type` under the root stack). */
function urnOf(project: string, stackName: string, parent: string, type: string, name: string): string {
  let qualified = type;
  if (parent) {
    const parentType = (parent.split("::")[2] ?? "").split("$").pop() ?? "";
    qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${stackName}::${project}::${qualified}::${name}`;
}

async function main(): Promise<void> {
  // Closure serialization loads its parser on first use (most of a second): do it before `ready`.
  await pulumi.runtime.serializeFunction(() => undefined, { allowSecrets: true });
  send({ kind: "ready" });
  const host = await runRequested;
  const registrations = new Map<string, Registration>();

  await pulumi.runtime.setMocks(
    {
      async newResource(args) {
        if (!args.custom) return { id: undefined, state: args.inputs };
        const seen = registrations.get(`${args.type}::${args.name}`);
        const reply = await ask({
          kind: "register",
          urn: seen?.urn ?? urnOf(host.project, host.stack, "", args.type, args.name),
          type: args.type,
          name: args.name,
          inputs: toWire(args.inputs) as Props,
          dependencies: seen?.dependencies ?? [],
          additionalSecretOutputs: seen?.additionalSecretOutputs ?? [],
        });
        if (reply.kind === "failed") throw new Error(reply.message);
        if (reply.kind !== "registered") throw new Error(`unexpected answer ${reply.kind}`);
        const state: Props = { ...reply.state };
        for (const key of reply.secretOutputs) {
          if (state[key] !== undefined) state[key] = { [secretSigKey]: secretSig, value: state[key] };
        }
        return { id: reply.id, state };
      },
      call(args) {
        throw new Error(`the demo engine serves no invokes (${args.token})`);
      },
    },
    host.project,
    host.stack,
    host.preview,
  );

  // MockResourceArgs carries neither dependencies nor additionalSecretOutputs; the demo engine needs
  // the first to destroy in dependency order and the second to mark outputs secret, as the engine does.
  const monitor = settings.getMonitor() as unknown as {
    registerResource(request: RegisterRequest, callback: unknown): unknown;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    registrations.set(`${request.getType()}::${request.getName()}`, {
      urn: urnOf(host.project, host.stack, request.getParent(), request.getType(), request.getName()),
      dependencies: request.getDependenciesList(),
      additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
    });
    return register(request, callback);
  };

  const stackOutputs = await stack.runInPulumiStack(async () => {
    const exported = require(host.program) as Record<string, unknown>;
    return exported;
  });
  // Registrations whose outputs no export uses may still be in flight (waitForRPCs is @internal).
  await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  send({ kind: "done", outputs: toWire(stackOutputs ?? {}) as Props });
}

process.on("unhandledRejection", (reason) => {
  send({ kind: "error", message: describe(reason) });
  process.exitCode = 1;
});

main().then(
  () => process.disconnect?.(),
  (err: unknown) => {
    send({ kind: "error", message: describe(err) });
    process.exitCode = 1;
    process.disconnect?.();
  },
);
