/**
 * Shared setup of the OCI provider tests: an emulator with short timings, the environment the handlers
 * read (endpoint, config file, tiny retry and poll intervals), and the control API.
 */
import { startEmulator, type RunningEmulator } from "../../../emulator/index";

/** Environment that points the OCI handlers (in-process or in the plugin) at `emulator` with tiny delays. */
export function ociTestEnv(emulator: RunningEmulator): Record<string, string> {
  return {
    FNSTACK_OCI_ENDPOINT: emulator.url,
    OCI_CONFIG_FILE: emulator.oci.configFile,
    FNSTACK_RETRY_BASE_DELAY_MS: "5",
    FNSTACK_RETRY_MAX_DELAY_MS: "40",
    FNSTACK_RETRY_JITTER_MS: "5",
    FNSTACK_POLL_MIN_INTERVAL_MS: "20",
    FNSTACK_POLL_MAX_INTERVAL_MS: "100",
  };
}

/** A running emulator plus helpers; `close()` restores the environment. */
export interface OciFixture {
  readonly emulator: RunningEmulator;
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Adds a fault rule (see the control API); removed by `clearFaults`. */
  fault(rule: Record<string, unknown>): Promise<void>;
  clearFaults(): Promise<void>;
  /** Requests served per operation since start (or the last `reset`). */
  stats(): Promise<{
    requests: Record<string, Record<string, number>>;
    throttled: number;
    errors: Record<string, number>;
  }>;
  /** Total OCI requests so far. */
  ociRequestCount(): Promise<number>;
  drift(action: "change" | "delete", resourceId: string, patch?: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/** Starts the emulator (lifecycle 100 ms, work requests 150 ms) and sets the handlers' environment. */
export async function startOciFixture(
  timing: { lifecycleMs?: number; workRequestMs?: number } = {},
): Promise<OciFixture> {
  const emulator = await startEmulator({
    timing: { lifecycleMs: 100, workRequestMs: 150, triggerMs: 100, ...timing },
    seed: 7,
  });
  const env = ociTestEnv(emulator);
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${emulator.url}/_emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`control ${method} ${path}: ${response.status} ${text}`);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }
  const fixture: OciFixture = {
    emulator,
    control,
    fault: async (rule) => void (await control("POST", "faults", { service: "oci", ...rule })),
    clearFaults: async () => void (await control("DELETE", "faults")),
    stats: () => control("GET", "stats"),
    async ociRequestCount() {
      const stats = await fixture.stats();
      return Object.values(stats.requests.oci ?? {}).reduce((a, b) => a + b, 0);
    },
    drift: async (action, resourceId, patch) =>
      void (await control("POST", "drift", { action, resourceId, patch })),
    async close() {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await emulator.close();
    },
  };
  return fixture;
}

/** A unique display name for this run. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}
