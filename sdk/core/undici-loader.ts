import type { Agent, Dispatcher } from "undici";
import { setFlagsFromString } from "node:v8";

/**
 * Environment variable that, set to `1`, leaves V8's WebAssembly tiering as it is when fnstack loads
 * undici (see {@link loadUndici}).
 */
export const keepWasmTierUpEnv = "FNSTACK_WASM_TIER_UP";

/** The part of undici fnstack uses: a keep-alive `Agent`, and the `Dispatcher` base class. */
export interface UndiciParts {
  readonly Agent: typeof Agent;
  readonly Dispatcher: typeof Dispatcher;
}

/**
 * Where those parts live inside the undici package (`undici/index.js` requires the same files). The
 * package has no `exports` map, so these paths resolve; a future layout that moves them makes
 * {@link loadUndici} fall back to the whole package.
 */
export const undiciPartPaths = {
  agent: "undici/lib/dispatcher/agent",
  dispatcher: "undici/lib/dispatcher/dispatcher",
  api: "undici/lib/api",
} as const;

let loaded: UndiciParts | undefined;

/**
 * Loads undici on first use (check and diff never send, so they never load it).
 *
 * Only the HTTP/1.1 agent and the `request()` API are loaded: 33 of the package's 112 modules, not
 * fetch, WebSocket, the cache, the mocks or the proxy agents (issue 12: loading the whole package cost
 * the plugin about 4 MiB of peak memory under 200 concurrent creates, `bench/run.ts`). The API methods
 * are mixed into `Dispatcher.prototype` exactly as `undici/index.js` does, so a dispatcher from either
 * entry behaves the same.
 *
 * Before the first load it sets V8's `--liftoff-only`: undici parses HTTP/1.1 with llhttp compiled to
 * WebAssembly, and once that parser turns hot V8 recompiles it with TurboFan on a background thread,
 * whose compile memory (~30 MiB, in that thread's malloc arena) stays in the process's peak RSS (issue
 * 12: 200 concurrent creates peaked 49 MiB above a do-nothing provider in the plugin, 20 MiB with this
 * flag). Baseline (Liftoff) code parses our small responses as fast to within the noise of a loopback
 * round trip. The flag is process-wide: it applies to every WebAssembly module compiled afterwards; set
 * {@link keepWasmTierUpEnv}=1 to keep V8's default.
 */
export function loadUndici(): UndiciParts {
  if (loaded === undefined) {
    if (process.env[keepWasmTierUpEnv] !== "1") setFlagsFromString("--liftoff-only");
    loaded = loadParts() ?? (require("undici") as UndiciParts);
  }
  return loaded;
}

function loadParts(): UndiciParts | undefined {
  let parts: UndiciParts & { api: object };
  try {
    parts = {
      Agent: require(undiciPartPaths.agent) as typeof Agent,
      Dispatcher: require(undiciPartPaths.dispatcher) as typeof Dispatcher,
      api: require(undiciPartPaths.api) as object,
    };
  } catch (error) {
    if ((error as { code?: unknown }).code === "MODULE_NOT_FOUND") return undefined;
    throw error;
  }
  if (typeof parts.Agent !== "function" || typeof parts.Dispatcher !== "function") return undefined;
  if (typeof (parts.Dispatcher.prototype as { request?: unknown }).request !== "function") {
    Object.assign(parts.Dispatcher.prototype, parts.api);
  }
  return { Agent: parts.Agent, Dispatcher: parts.Dispatcher };
}
