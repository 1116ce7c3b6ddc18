/**
 * The engine model's side of a provider plugin: drives the real dynamic-provider plugin of
 * `@pulumi/pulumi` over gRPC the way the Pulumi engine does (pulumi/pulumi
 * `pkg/resource/plugin/provider_plugin.go` `NewProvider`, `handshake` and the RPC methods;
 * pulumi-dynamic.md §1.2–1.4). The engine tests use it directly (through `test/engine/harness.ts`),
 * the engine model (`engine.ts`) for every deployment.
 *
 * - {@link serializeProvider} turns a provider object into the `__provider` text exactly as
 *   `pulumi.dynamic.Resource` does.
 * - {@link fixtureProject} makes a project directory in which `require("fnstack/provider")` resolves
 *   to this repository's `dist/` (run `npm run build` first).
 * - {@link startPlugin} launches `@pulumi/pulumi/cmd/dynamic-provider` with the project as cwd, the
 *   engine's environment, its own process group, and the port from its first stdout line; then runs
 *   Handshake, GetPluginInfo and CheckConfig as the engine does on every operation.
 * - The returned {@link PluginClient} speaks Configure, Check, Diff, Create, Read, Update and Delete
 *   with plain JS objects, and decodes errors, `ErrorResourceInitFailed` included.
 *
 * A resource's lifecycle test (against the emulator) looks like this:
 *
 * ```ts
 * const plugin = await startPlugin({
 *   env: { ...process.env, OCI_CONFIG_FILE: emu.oci.configFile },        // what the CLI would pass
 *   config: { "fnstack:ociEndpoint": emu.url, "oci:region": emu.oci.region },
 * });
 * await plugin.configure();
 * const __provider = await serializeKind("oci:Application");
 * const { inputs } = await plugin.check({}, { __provider, compartmentId, displayName: "app", subnetIds });
 * const { id, properties } = await plugin.create(inputs);
 * // ... read / diff / update ...
 * await plugin.delete(id, properties);
 * await plugin.close();
 * ```
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as providerGrpcTypes from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerPbTypes from "@pulumi/pulumi/proto/provider_pb";
import type * as pluginPbTypes from "@pulumi/pulumi/proto/plugin_pb";
import type * as statusPbTypes from "@pulumi/pulumi/proto/status_pb";
import type * as structPbTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as emptyPbTypes from "google-protobuf/google/protobuf/empty_pb";
import { isSecret, maxRpcMessageSize, type Props, secret, unknownValue } from "./wire";

export { type Props, secret } from "./wire";

/** This repository's root (the directory holding package.json and dist/). */
export const repoRoot = resolve(__dirname, "..");

// The generated stubs must be used with the exact @grpc/grpc-js and google-protobuf copies they
// resolve themselves (instanceof checks in both), so every runtime module is loaded from their side.
const protoRequire = createRequire(require.resolve("@pulumi/pulumi/proto/provider_pb"));
const grpc = protoRequire("@grpc/grpc-js") as typeof grpcTypes;
const providerGrpc = protoRequire("./provider_grpc_pb") as typeof providerGrpcTypes;
const providerPb = protoRequire("./provider_pb") as typeof providerPbTypes;
const statusPb = protoRequire("./status_pb") as typeof statusPbTypes;
const structPb = protoRequire("google-protobuf/google/protobuf/struct_pb") as typeof structPbTypes;
const emptyPb = protoRequire("google-protobuf/google/protobuf/empty_pb") as typeof emptyPbTypes;

/** The value the engine sends for an input that is not known yet (preview). */
export const unknown = unknownValue;

// ---------------------------------------------------------------------------------------------------
// Serialization

/** What Pulumi's closure serializer returns for a provider. */
export interface SerializedProvider {
  /** The CommonJS module text stored as `__provider`; `.handler()` returns the provider. */
  readonly text: string;
  /** Whether a secret Output was captured (Pulumi then stores `__provider` encrypted). */
  readonly containsSecrets: boolean;
}

/**
 * Serializes `provider` exactly as `pulumi.dynamic.Resource` does:
 * `serializeFunction(() => provider, {allowSecrets: true})`, with the text and the secret flag.
 */
export async function serializeProviderDetailed(provider: object): Promise<SerializedProvider> {
  const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as {
    serializeFunction(
      func: () => unknown,
      args: { allowSecrets: boolean },
    ): Promise<{ text: string; containsSecrets: boolean }>;
  };
  const serialized = await closure.serializeFunction(() => provider, { allowSecrets: true });
  return { text: serialized.text, containsSecrets: serialized.containsSecrets };
}

/** The `__provider` text for `provider`, as `pulumi.dynamic.Resource` stores it. */
export async function serializeProvider(provider: object): Promise<string> {
  return (await serializeProviderDetailed(provider)).text;
}

/**
 * The `__provider` text of a shipped kind (`oci:Function`), serialized from the built `dist/` stub:
 * byte for byte what a user's program stores in state. Resource lifecycle tests pass it as
 * `__provider` in Check/Create/... inputs.
 */
export async function serializeKind(kind: string): Promise<string> {
  const stubs = require(join(repoRoot, "dist", "provider", "stub.js")) as {
    makeProvider(kind: string): object;
  };
  return serializeProvider(stubs.makeProvider(kind));
}

// ---------------------------------------------------------------------------------------------------
// Fixture projects

/** Options of {@link fixtureProject}. */
export interface FixtureOptions {
  /** Project name written to Pulumi.yaml; default `fnstack-engine-test`. */
  readonly name?: string;
  /** Packages to copy into the project's node_modules: package name → source directory. */
  readonly packages?: Readonly<Record<string, string>>;
  /** Extra files: path relative to the project → contents. */
  readonly files?: Readonly<Record<string, string>>;
  /**
   * The `@pulumi/pulumi` package directory to link as the project's copy (the plugin that runs);
   * default the repository's. Lets a check run against another SDK version, e.g. the peer floor.
   */
  readonly pulumiPackageDir?: string;
}

/** A temporary Pulumi project directory. */
export interface FixtureProject {
  readonly dir: string;
  readonly name: string;
  /** Deletes the directory (the symlinked repository is left alone). */
  remove(): void;
}

/**
 * Makes a temporary Pulumi project: `Pulumi.yaml`, `package.json`, `node_modules/fnstack` → this
 * repository (so `require("fnstack/provider")` resolves to `dist/provider/runtime.js` through the
 * package's `exports`), `node_modules/@pulumi/pulumi` → the repository's copy (what the real plugin
 * launcher resolves from the project), plus any packages and files asked for. Packages are copied,
 * not linked, so their own `require("fnstack/...")` resolves through the project like a user's would.
 */
export function fixtureProject(options: FixtureOptions = {}): FixtureProject {
  const name = options.name ?? "fnstack-engine-test";
  const dir = mkdtempSync(join(tmpdir(), "fnstack-engine-"));
  writeFileSync(join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name, private: true, dependencies: { fnstack: "*", "@pulumi/pulumi": "*" } }, null, 2),
  );
  mkdirSync(join(dir, "node_modules", "@pulumi"), { recursive: true });
  symlinkSync(repoRoot, join(dir, "node_modules", "fnstack"), "dir");
  symlinkSync(
    options.pulumiPackageDir ?? dirname(require.resolve("@pulumi/pulumi/package.json")),
    join(dir, "node_modules", "@pulumi", "pulumi"),
    "dir",
  );
  for (const [pkg, source] of Object.entries(options.packages ?? {})) {
    cpSync(source, join(dir, "node_modules", pkg), { recursive: true });
  }
  for (const [file, contents] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), contents);
  }
  return { dir, name, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------------------------------------------
// The plugin

/** Options of {@link startPlugin}. */
export interface StartPluginOptions {
  /** The project directory (the plugin's cwd); default a new {@link fixtureProject}, removed on close. */
  readonly cwd?: string;
  /**
   * The CLI's environment, passed through whole as the engine does; default `process.env`. The
   * engine's own variables (`PULUMI_NODEJS_PROJECT`, `PULUMI_PROJECT`, `PULUMI_NODEJS_STACK`,
   * `PULUMI_CONFIG`) are added on top.
   */
  readonly env?: NodeJS.ProcessEnv;
  /** The full stack config, `"<namespace>:<key>"` → string (structured values JSON-encoded). */
  readonly config?: Readonly<Record<string, string>>;
  /** Keys of `config` that are secrets: sent wrapped in the secret envelope, as the engine does. */
  readonly secretKeys?: readonly string[];
  /** Project name; default the `name:` in `<cwd>/Pulumi.yaml`, else `fnstack-engine-test`. */
  readonly project?: string;
  /** Stack name used in URNs; default `test`. */
  readonly stack?: string;
  /** Deadline for each RPC and for start-up, in ms; default 30_000. */
  readonly timeoutMs?: number;
  /**
   * The engine's gRPC address, passed as the plugin's last argument as `NewProvider` does; default
   * `127.0.0.1:1` (nothing listens: the Node plugin only checks that the argument exists).
   */
  readonly engineAddress?: string;
  /**
   * Each line the plugin prints after its port (stdout) or to stderr: the engine shows them as info
   * and error-output diagnostics (`pkg/resource/plugin/plugin.go` `newPlugin`, `runtrace`).
   */
  readonly output?: (line: string, stream: "stdout" | "stderr") => void;
}

/** A resource's identity in a request; default name `res`, type `pulumi-nodejs:dynamic:Resource`. */
export interface ResourceTarget {
  readonly name?: string;
  readonly type?: string;
  /** The full URN, when it is not `urn:pulumi:<stack>::<project>::<type>::<name>` (a parented resource). */
  readonly urn?: string;
}

/** How the plugin answered the engine's start-up probes. */
export interface PluginStartup {
  /** gRPC status of Handshake: 12 (UNIMPLEMENTED) means the legacy protocol, as for this plugin. */
  readonly handshakeCode: number;
  /** GetPluginInfo's version (the @pulumi/pulumi version running the plugin). */
  readonly version: string;
  /** gRPC status of CheckConfig: 12 means the engine keeps the config as given. */
  readonly checkConfigCode: number;
}

/** ConfigureResponse. */
export interface ConfigureResult {
  readonly acceptSecrets: boolean;
  readonly acceptResources: boolean;
  readonly supportsPreview: boolean;
  readonly acceptOutputs: boolean;
}

/** CheckResponse. */
export interface CheckReply {
  readonly inputs: Props;
  readonly failures: { property: string; reason: string }[];
}

/** DiffResponse; `changes` is the enum name. */
export interface DiffReply {
  readonly changes: "DIFF_UNKNOWN" | "DIFF_NONE" | "DIFF_SOME";
  readonly replaces: string[];
  readonly stables: string[];
  readonly deleteBeforeReplace: boolean;
  readonly diffs: string[];
  readonly hasDetailedDiff: boolean;
}

/** CreateResponse. */
export interface CreateReply {
  readonly id: string;
  readonly properties: Props;
}

/** ReadResponse; `inputs` is undefined when the provider returned none. */
export interface ReadReply {
  readonly id: string;
  readonly properties: Props;
  readonly inputs?: Props;
}

/** UpdateResponse. */
export interface UpdateReply {
  readonly properties: Props;
}

/** `pulumirpc.ErrorResourceInitFailed`: the resource exists but failed to initialize. */
export interface InitFailed {
  readonly id: string;
  readonly properties: Props;
  readonly reasons: string[];
}

/** A failed RPC, decoded. */
export class PluginCallError extends Error {
  /** gRPC status code (2 UNKNOWN for a provider throw, 12 UNIMPLEMENTED, ...). */
  readonly code: number;
  /** The RPC that failed (`Create`). */
  readonly method: string;
  /** Decoded from `grpc-status-details-bin` when the provider threw an error with an `id`. */
  readonly initFailed?: InitFailed;
  /** The plugin's stderr up to the failure, for diagnostics. */
  readonly stderr: string;

  constructor(
    method: string,
    code: number,
    message: string,
    initFailed: InitFailed | undefined,
    stderr: string,
  ) {
    super(message);
    this.name = "PluginCallError";
    this.method = method;
    this.code = code;
    this.initFailed = initFailed;
    this.stderr = stderr;
  }
}

/** The engine's side of a running dynamic-provider plugin. */
export interface PluginClient {
  /** The port the plugin printed. */
  readonly port: number;
  /** The plugin's process id (also its process group id). */
  readonly pid: number;
  /** The project directory used as cwd. */
  readonly cwd: string;
  /** What the start-up probes answered. */
  readonly startup: PluginStartup;
  /** Everything the plugin wrote to stderr so far (the engine shows it as error messages). */
  stderr(): string;
  /** Stdout after the port line (the engine shows it as info messages). */
  stdout(): string;
  /** Configure with the full stack config given to {@link startPlugin} (or `config`, if passed). */
  configure(
    config?: Readonly<Record<string, string>>,
    secretKeys?: readonly string[],
  ): Promise<ConfigureResult>;
  check(olds: Props, news: Props, target?: ResourceTarget): Promise<CheckReply>;
  diff(id: string, olds: Props, news: Props, oldInputs?: Props, target?: ResourceTarget): Promise<DiffReply>;
  create(properties: Props, target?: ResourceTarget): Promise<CreateReply>;
  /** `properties`/`inputs` left undefined are not sent (nil), as for an import. */
  read(id: string, properties?: Props, inputs?: Props, target?: ResourceTarget): Promise<ReadReply>;
  update(
    id: string,
    olds: Props,
    news: Props,
    oldInputs?: Props,
    target?: ResourceTarget,
  ): Promise<UpdateReply>;
  delete(id: string, properties: Props, oldInputs?: Props, target?: ResourceTarget): Promise<void>;
  /** Closes the channel and kills the plugin's process group; idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the real dynamic-provider plugin as the engine does and runs the start-up probes
 * (Handshake until it answers something other than UNAVAILABLE, GetPluginInfo, CheckConfig).
 * Configure is left to the caller, as it is the first call the engine makes per deployment.
 *
 * @throws Error with the plugin's stderr when it exits or prints no port before the deadline.
 */
export async function startPlugin(options: StartPluginOptions = {}): Promise<PluginClient> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const ownFixture = options.cwd === undefined ? fixtureProject() : undefined;
  const cwd = options.cwd ?? (ownFixture as FixtureProject).dir;
  const project = options.project ?? projectNameOf(cwd) ?? "fnstack-engine-test";
  const stack = options.stack ?? "test";
  const config = options.config ?? {};
  const secretKeys = options.secretKeys ?? [];

  // The launcher script resolves the plugin from the project, so the project's copy is the one run.
  const pluginPath = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [cwd, __dirname] });
  const nodejsConfig: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith("pulumi-nodejs:")) nodejsConfig[key.slice("pulumi-nodejs:".length)] = value;
  }
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    PULUMI_NODEJS_PROJECT: project,
    PULUMI_PROJECT: project,
    PULUMI_NODEJS_STACK: stack,
    PULUMI_STACK: stack,
    PULUMI_CONFIG: JSON.stringify(nodejsConfig),
  };
  // The plugin only checks that an engine address is present; it never dials it.
  const engineAddress = options.engineAddress ?? "127.0.0.1:1";
  const child = spawn(process.execPath, [pluginPath, engineAddress], {
    cwd,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderrText = "";
  let stdoutText = "";
  const lines = (stream: "stdout" | "stderr"): ((chunk: string) => void) => {
    let pending = "";
    return (chunk) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.trim() !== "") options.output?.(line, stream);
      }
    };
  };
  const stderrLines = lines("stderr");
  const stdoutLines = lines("stdout");
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderrText += chunk;
    stderrLines(chunk);
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));

  const killGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };

  let port: number;
  try {
    port = await readPort(
      child,
      timeoutMs,
      () => stderrText,
      (rest) => {
        stdoutText += rest;
        stdoutLines(rest);
      },
    );
  } catch (err) {
    killGroup("SIGKILL");
    ownFixture?.remove();
    throw err;
  }
  child.stdout?.on("data", (chunk: string) => {
    stdoutText += chunk;
    stdoutLines(chunk);
  });

  // The engine dials providers with a 400 MiB receive limit instead of gRPC's 4 MiB default
  // (sdk/go/common/util/rpcutil/serve.go GrpcChannelOptions, pulumi/pulumi#2319).
  const client = new providerGrpc.ResourceProviderClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
    {
      "grpc.max_receive_message_length": maxRpcMessageSize,
      "grpc.max_send_message_length": maxRpcMessageSize,
    },
  ) as unknown as RawClient;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    client.close();
    killGroup("SIGTERM");
    const timer = setTimeout(() => killGroup("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
    ownFixture?.remove();
  };

  const call = <Req, Res>(method: keyof RawClient & string, request: Req): Promise<Res> =>
    unaryCall<Req, Res>(client, method, request, timeoutMs, () => stderrText);

  let startup: PluginStartup;
  try {
    const handshakeCode = await probeHandshake(call, cwd, timeoutMs, engineAddress);
    const info = await call<emptyPbTypes.Empty, pluginPbTypes.PluginInfo>(
      "getPluginInfo",
      new emptyPb.Empty(),
    );
    const checkConfigCode = await statusOf(
      call("checkConfig", providerRequest(new providerPb.CheckRequest(), project, stack)),
    );
    startup = { handshakeCode, version: info.getVersion(), checkConfigCode };
  } catch (err) {
    await close();
    throw err;
  }

  const urnOf = (target?: ResourceTarget): { urn: string; name: string; type: string } => {
    const name = target?.name ?? "res";
    const type = target?.type ?? "pulumi-nodejs:dynamic:Resource";
    return { urn: target?.urn ?? `urn:pulumi:${stack}::${project}::${type}::${name}`, name, type };
  };

  return {
    port,
    pid: child.pid as number,
    cwd,
    startup,
    stderr: () => stderrText,
    stdout: () => stdoutText,
    async configure(overrideConfig, overrideSecretKeys) {
      const fullConfig = overrideConfig ?? config;
      const secrets = new Set(overrideSecretKeys ?? secretKeys);
      const args: Props = {};
      const request = new providerPb.ConfigureRequest();
      for (const [key, value] of Object.entries(fullConfig)) {
        args[key] = secrets.has(key) ? secret(value) : value;
        // Deprecated, still sent by the engine; the plugin ignores it.
        request.getVariablesMap().set(`pulumi-nodejs:config:${key}`, value);
      }
      request.setArgs(toStruct(args, true));
      request.setAcceptsecrets(true);
      request.setAcceptresources(true);
      request.setSendsOldInputs(true);
      request.setSendsOldInputsToDelete(true);
      request.setId(randomUUID());
      request.setUrn(`urn:pulumi:${stack}::${project}::pulumi:providers:pulumi-nodejs::default`);
      request.setName("default");
      request.setType("pulumi:providers:pulumi-nodejs");
      const reply = await call<providerPbTypes.ConfigureRequest, providerPbTypes.ConfigureResponse>(
        "configure",
        request,
      );
      return {
        acceptSecrets: reply.getAcceptsecrets(),
        acceptResources: reply.getAcceptresources(),
        supportsPreview: reply.getSupportspreview(),
        acceptOutputs: reply.getAcceptoutputs(),
      };
    },
    async check(olds, news, target) {
      const { urn, name, type } = urnOf(target);
      const request = new providerPb.CheckRequest();
      request.setUrn(urn).setName(name).setType(type);
      request.setOlds(toStruct(olds)).setNews(toStruct(news)).setRandomseed(randomBytes(32));
      const reply = await call<providerPbTypes.CheckRequest, providerPbTypes.CheckResponse>("check", request);
      return {
        inputs: fromStruct(reply.getInputs()),
        failures: reply.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(id, olds, news, oldInputs, target) {
      const { urn, name, type } = urnOf(target);
      const request = new providerPb.DiffRequest();
      request.setId(id).setUrn(urn).setName(name).setType(type);
      request
        .setOlds(toStruct(olds))
        .setNews(toStruct(news))
        .setOldInputs(toStruct(oldInputs ?? olds));
      const reply = await call<providerPbTypes.DiffRequest, providerPbTypes.DiffResponse>("diff", request);
      const names = ["DIFF_UNKNOWN", "DIFF_NONE", "DIFF_SOME"] as const;
      const changes = names[reply.getChanges()];
      if (changes === undefined)
        throw new Error(`Diff answered an unknown changes value ${reply.getChanges()}`);
      return {
        changes,
        replaces: reply.getReplacesList(),
        stables: reply.getStablesList(),
        deleteBeforeReplace: reply.getDeletebeforereplace(),
        diffs: reply.getDiffsList(),
        hasDetailedDiff: reply.getHasdetaileddiff(),
      };
    },
    async create(properties, target) {
      const { urn, name, type } = urnOf(target);
      const request = new providerPb.CreateRequest();
      request.setUrn(urn).setName(name).setType(type);
      request
        .setProperties(toStruct(properties))
        .setTimeout(timeoutMs / 1000)
        .setPreview(false);
      const reply = await call<providerPbTypes.CreateRequest, providerPbTypes.CreateResponse>(
        "create",
        request,
      );
      return { id: reply.getId(), properties: fromStruct(reply.getProperties()) };
    },
    async read(id, properties, inputs, target) {
      const { urn, name, type } = urnOf(target);
      const request = new providerPb.ReadRequest();
      request.setId(id).setUrn(urn).setName(name).setType(type);
      if (properties !== undefined) request.setProperties(toStruct(properties));
      if (inputs !== undefined) request.setInputs(toStruct(inputs));
      const reply = await call<providerPbTypes.ReadRequest, providerPbTypes.ReadResponse>("read", request);
      const replyInputs = reply.getInputs();
      return {
        id: reply.getId(),
        properties: fromStruct(reply.getProperties()),
        inputs: replyInputs === undefined ? undefined : fromStruct(replyInputs),
      };
    },
    async update(id, olds, news, oldInputs, target) {
      const { urn, name, type } = urnOf(target);
      const request = new providerPb.UpdateRequest();
      request.setId(id).setUrn(urn).setName(name).setType(type);
      request
        .setOlds(toStruct(olds))
        .setNews(toStruct(news))
        .setOldInputs(toStruct(oldInputs ?? olds));
      request.setTimeout(timeoutMs / 1000).setPreview(false);
      const reply = await call<providerPbTypes.UpdateRequest, providerPbTypes.UpdateResponse>(
        "update",
        request,
      );
      return { properties: fromStruct(reply.getProperties()) };
    },
    async delete(id, properties, oldInputs, target) {
      const { urn, name, type } = urnOf(target);
      const request = new providerPb.DeleteRequest();
      request.setId(id).setUrn(urn).setName(name).setType(type);
      request.setProperties(toStruct(properties)).setOldInputs(toStruct(oldInputs ?? properties));
      request.setTimeout(timeoutMs / 1000);
      await call<providerPbTypes.DeleteRequest, emptyPbTypes.Empty>("delete", request);
    },
    close,
  };
}

// ---------------------------------------------------------------------------------------------------
// Internals

type UnaryCallback = (error: grpcTypes.ServiceError | null, response: unknown) => void;
type UnaryMethod = (
  request: unknown,
  metadata: grpcTypes.Metadata,
  options: Partial<grpcTypes.CallOptions>,
  callback: UnaryCallback,
) => unknown;
interface RawClient {
  handshake: UnaryMethod;
  getPluginInfo: UnaryMethod;
  checkConfig: UnaryMethod;
  configure: UnaryMethod;
  check: UnaryMethod;
  diff: UnaryMethod;
  create: UnaryMethod;
  read: UnaryMethod;
  update: UnaryMethod;
  delete: UnaryMethod;
  close(): void;
}
type Call = <Req, Res>(method: keyof RawClient & string, request: Req) => Promise<Res>;

function projectNameOf(cwd: string): string | undefined {
  try {
    return /^name:\s*(\S+)\s*$/m.exec(readFileSync(join(cwd, "Pulumi.yaml"), "utf8"))?.[1];
  } catch {
    return undefined;
  }
}

/** Reads stdout up to the first newline, as the engine does, and parses the port. */
function readPort(
  child: ChildProcess,
  timeoutMs: number,
  stderr: () => string,
  onRest: (rest: string) => void,
): Promise<number> {
  return new Promise<number>((resolvePort, reject) => {
    let buffered = "";
    const stdout = child.stdout;
    if (stdout === null) {
      reject(new Error("the plugin has no stdout"));
      return;
    }
    stdout.setEncoding("utf8");
    const cleanup = (): void => {
      clearTimeout(timer);
      stdout.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
    };
    const fail = (why: string): void => {
      cleanup();
      reject(new Error(`dynamic-provider plugin ${why}; stderr:\n${stderr()}`));
    };
    const onData = (chunk: string): void => {
      buffered += chunk;
      const newline = buffered.indexOf("\n");
      if (newline < 0) return;
      cleanup();
      const line = buffered.slice(0, newline).trim();
      onRest(buffered.slice(newline + 1));
      const port = Number(line);
      if (!/^\d+$/.test(line) || port <= 0 || port > 65535) {
        reject(
          new Error(
            `dynamic-provider plugin printed ${JSON.stringify(line)} instead of a port; stderr:\n${stderr()}`,
          ),
        );
        return;
      }
      resolvePort(port);
    };
    const onExit = (code: number | null, signal: string | null): void =>
      fail(`exited (code ${code}, signal ${signal}) before printing its port`);
    const onError = (err: Error): void => fail(`could not start: ${err.message}`);
    const timer = setTimeout(() => fail(`printed no port within ${timeoutMs} ms`), timeoutMs);
    stdout.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  });
}

function unaryCall<Req, Res>(
  client: RawClient,
  method: keyof RawClient & string,
  request: Req,
  timeoutMs: number,
  stderr: () => string,
): Promise<Res> {
  return new Promise<Res>((resolveCall, reject) => {
    const fn = client[method] as UnaryMethod;
    fn.call(client, request, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (error, response) => {
      if (error) reject(decodeError(rpcName(method), error, stderr()));
      else resolveCall(response as Res);
    });
  });
}

function rpcName(method: string): string {
  return method.charAt(0).toUpperCase() + method.slice(1);
}

/** Maps a gRPC error to {@link PluginCallError}, unpacking `ErrorResourceInitFailed` from the trailer. */
function decodeError(method: string, error: grpcTypes.ServiceError, stderr: string): PluginCallError {
  let initFailed: InitFailed | undefined;
  for (const raw of error.metadata?.get("grpc-status-details-bin") ?? []) {
    const status = statusPb.Status.deserializeBinary(
      typeof raw === "string" ? Buffer.from(raw, "base64") : raw,
    );
    for (const detail of status.getDetailsList()) {
      if (detail.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
      const failure = providerPb.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
      initFailed = {
        id: failure.getId(),
        properties: fromStruct(failure.getProperties()),
        reasons: failure.getReasonsList(),
      };
    }
  }
  // `details` is the server's message; `message` has "<code> <NAME>: " in front of it.
  return new PluginCallError(method, error.code, error.details || error.message, initFailed, stderr);
}

/** The engine's liveness probe: Handshake, retried while the plugin answers UNAVAILABLE. */
async function probeHandshake(
  call: Call,
  cwd: string,
  timeoutMs: number,
  engineAddress: string,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const request = new providerPb.ProviderHandshakeRequest();
    request.setEngineAddress(engineAddress).setRootDirectory(cwd).setProgramDirectory(cwd);
    request.setConfigureWithUrn(true).setSupportsViews(true);
    const code = await statusOf(call("handshake", request));
    if (code !== grpc.status.UNAVAILABLE || Date.now() > deadline) return code;
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** The gRPC status a call ended with (0 for success). */
async function statusOf(reply: Promise<unknown>): Promise<number> {
  try {
    await reply;
    return grpc.status.OK;
  } catch (err) {
    if (err instanceof PluginCallError) return err.code;
    throw err;
  }
}

function providerRequest(
  request: providerPbTypes.CheckRequest,
  project: string,
  stack: string,
): providerPbTypes.CheckRequest {
  request.setUrn(`urn:pulumi:${stack}::${project}::pulumi:providers:pulumi-nodejs::default`);
  request.setName("default").setType("pulumi:providers:pulumi-nodejs");
  request.setOlds(toStruct({})).setNews(toStruct({}));
  return request;
}

/**
 * Marshals a property bag as the engine does for this plugin: unknowns stay the sentinel string,
 * secrets are unwrapped (the plugin does not accept secrets) except in Configure, undefined values
 * are dropped (the SDK never sends them), nulls kept.
 */
function toStruct(props: Props, keepSecrets = false): structPbTypes.Struct {
  return structPb.Struct.fromJavaScript(
    marshal(props, keepSecrets) as Record<string, structPbTypes.JavaScriptValue>,
  );
}

function marshal(value: unknown, keepSecrets: boolean): unknown {
  if (isSecret(value) && !keepSecrets) return marshal(value.value, keepSecrets);
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map((v) => marshal(v, keepSecrets));
  if (value !== null && typeof value === "object") {
    const out: Props = {};
    for (const [key, child] of Object.entries(value)) {
      if (child !== undefined) out[key] = marshal(child, keepSecrets);
    }
    return out;
  }
  return value;
}

function fromStruct(struct: structPbTypes.Struct | undefined): Props {
  return struct === undefined ? {} : (struct.toJavaScript() as Props);
}
