import type * as undiciModule from "undici";
import { setFlagsFromString } from "node:v8";

/**
 * Environment variable that, set to `1`, leaves V8's WebAssembly tiering as it is when fnstack loads
 * undici (see {@link loadUndici}).
 */
export const keepWasmTierUpEnv = "FNSTACK_WASM_TIER_UP";

let loaded: typeof undiciModule | undefined;

/**
 * Loads undici on first use (check and diff never send, so they never pay for its 110 modules).
 *
 * Before the first load it sets V8's `--liftoff-only`: undici parses HTTP/1.1 with llhttp compiled to
 * WebAssembly, and once that parser turns hot V8 recompiles it with TurboFan on a background thread,
 * whose compile memory (~30 MiB, in that thread's malloc arena) stays in the process's peak RSS (issue
 * 12: 200 concurrent creates peaked 49 MiB above a do-nothing provider in the plugin, 20 MiB with this
 * flag; `bench/run.ts`). Baseline (Liftoff) code parses our small responses as fast to within the
 * noise of a loopback round trip. The flag is process-wide: it applies to every WebAssembly module
 * compiled afterwards; set {@link keepWasmTierUpEnv}=1 to keep V8's default.
 */
export function loadUndici(): typeof undiciModule {
  if (loaded === undefined) {
    if (process.env[keepWasmTierUpEnv] !== "1") setFlagsFromString("--liftoff-only");
    loaded = require("undici") as typeof undiciModule;
  }
  return loaded;
}
