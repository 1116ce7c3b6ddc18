/**
 * The fnstack emulator: OCI Functions, Container Instances and Work Requests, and FunctionGraph with its
 * IAM, on one loopback port, signature-checked. See docs/emulator.md.
 *
 * ```ts
 * import { startEmulator, ManualClock } from "fnstack/emulator";
 * const clock = new ManualClock();
 * const emulator = await startEmulator({ clock });
 * // ... point clients at emulator.url with emulator.oci.configFile ...
 * clock.advance(2000);
 * await emulator.close();
 * ```
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SystemClock } from "./clock";
import { type FunctionGraphDevelopmentAccount, createFunctionGraphService } from "./functiongraph";
import { createOciService } from "./oci";
import { developmentRegion, isOciRegionName } from "./oci/account";
import { OciKeyRegistry } from "./oci/auth";
import { regionalService } from "./regions";
import { IdentityStore, developmentRegion as functionGraphDevelopmentRegion } from "./functiongraph/identity";

const wallClock: Clock = { now: () => Date.now() };
import { idGenerator } from "./random";
import { EmulatorServer } from "./server";
import type { Clock, ServiceContext, Timing } from "./service";
import { readStateFile } from "./state-file";

export { ManualClock, SystemClock } from "./clock";
export type { Clock, Timing } from "./service";

/** Default delays: lifecycle transitions 2000 ms, work requests 3000 ms, triggers 1000 ms. */
export const defaultTiming: Readonly<Timing> = Object.freeze({
  lifecycleMs: 2000,
  workRequestMs: 3000,
  triggerMs: 1000,
});

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Port; default 0 (any free port). */
  port?: number;
  /** Where the development-account files go; default a new temporary directory. */
  dataDir?: string;
  /** Persist state to this file (atomic writes) and reload it on start; default in memory only. */
  statePath?: string;
  /** Delays of asynchronous behaviour in ms; default {@link defaultTiming}. */
  timing?: Partial<Timing>;
  /** The emulator clock; default the wall clock. Pass a {@link ManualClock} to drive time from tests. */
  clock?: Clock;
  /** Seed for ids and fault probabilities, so runs repeat; default random. */
  seed?: number;
}

/** A running emulator. */
export interface RunningEmulator {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly dataDir: string;
  /** The OCI development account (`OCI_CONFIG_FILE=configFile`, `FNSTACK_OCI_ENDPOINT=url`). */
  readonly oci: {
    configFile: string;
    profile: "DEFAULT";
    region: string;
    tenancyOcid: string;
    compartmentOcid: string;
    subnetOcid: string;
  };
  /** The FunctionGraph development account (`OS_CLIENT_CONFIG_FILE=cloudsYaml`, `OS_CLOUD=fnstack`). */
  readonly functiongraph: FunctionGraphDevelopmentAccount & {
    readonly cloudsYaml: string;
    readonly cloud: "fnstack";
  };
  /** The clock the emulator runs on. */
  readonly clock: Clock;
  /**
   * Calls the control API (`/_emulator/<path>`, docs/emulator.md): faults, drift, stats, the request
   * log… Answers the parsed JSON body (undefined when empty).
   *
   * @throws Error naming the call, the status and the body when the answer is not 2xx.
   */
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  /** Stops the server (open connections are dropped) and writes the state file if any. */
  close(): Promise<void>;
}

async function callControl(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`emulator control ${method} ${path}: ${response.status} ${text}`);
  return text === "" ? undefined : (JSON.parse(text) as unknown);
}

function checkOptions(options: EmulatorOptions): void {
  if (
    options.port !== undefined &&
    !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)
  ) {
    throw new TypeError(`Expected \`port\` to be an integer in [0, 65535], got ${String(options.port)}`);
  }
  for (const [key, value] of Object.entries(options.timing ?? {})) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new TypeError(`Expected \`timing.${key}\` to be a number of milliseconds ≥ 0`);
    }
  }
  if (options.seed !== undefined && !Number.isInteger(options.seed))
    throw new TypeError("Expected `seed` to be an integer");
}

/** Starts the emulator on one port and writes the development accounts. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  checkOptions(options);
  const clock = options.clock ?? new SystemClock();
  const timing: Timing = { ...defaultTiming, ...options.timing };
  const holder: { server?: EmulatorServer } = {};
  const context: ServiceContext = {
    clock,
    timing: () => holder.server?.timing ?? timing,
    newId: idGenerator(options.seed),
  };
  const ociKeys = new OciKeyRegistry();
  // One OCI instance per region (`/regions/<region>/...`), all trusting the same keys.
  const oci = regionalService({
    defaultRegion: developmentRegion,
    isRegion: isOciRegionName,
    create: (region) =>
      createOciService(context, {
        region,
        keys: ociKeys,
        workRequestFault: (operationType) => {
          const fired = holder.server?.faults.evaluate("oci", `WorkRequest:${operationType}`);
          if (fired === undefined) return undefined;
          return {
            code: fired.code ?? "InternalError",
            message: fired.message ?? `Injected work request failure (${fired.ruleId})`,
          };
        },
      }),
  });
  const identity = new IdentityStore(clock, wallClock);
  // One FunctionGraph instance per region (`/regions/<region>/...`), all sharing IAM's accounts.
  const functiongraph = regionalService({
    defaultRegion: functionGraphDevelopmentRegion,
    isRegion: (region) => /^[a-z]{2}-[a-z]+(-[a-z0-9]+)*$/.test(region),
    create: (region) => createFunctionGraphService(context, { region, identity }),
  });
  const server = new EmulatorServer({
    services: [oci, functiongraph],
    clock,
    timing,
    seed: options.seed,
    statePath: options.statePath,
  });
  holder.server = server;

  if (options.statePath !== undefined) {
    const saved = readStateFile(options.statePath);
    if (saved !== undefined) {
      for (const service of server.services) {
        if (saved.services[service.name] !== undefined) service.importState(saved.services[service.name]);
      }
    }
  }
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "fnstack-emulator-")));
  const url = await server.listen(options.host ?? "127.0.0.1", options.port ?? 0);
  try {
    await oci.writeDevelopmentAccount(dataDir, url);
    await functiongraph.writeDevelopmentAccount(dataDir, url);
  } catch (err) {
    await server.close();
    throw err;
  }
  const account = oci.developmentAccount;
  if (account === undefined) throw new Error("the OCI development account was not written");
  return {
    url,
    dataDir,
    clock,
    oci: {
      configFile: account.configFile,
      profile: "DEFAULT",
      region: account.region,
      tenancyOcid: account.tenancyOcid,
      compartmentOcid: account.compartmentOcid,
      subnetOcid: account.subnetOcid,
    },
    functiongraph: {
      ...functiongraph.developmentAccount,
      cloudsYaml: join(dataDir, "clouds.yaml"),
      cloud: "fnstack",
    },
    control: (method, path, body) => callControl(url, method, path, body),
    close: () => server.close(),
  };
}
