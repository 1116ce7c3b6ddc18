/**
 * The stack configuration handed over by the plugin's `configure`, and the redaction of the credential
 * values read through it. Re-exported by `runtime.ts` (the frozen ABI); kept apart so modules that
 * `runtime.ts` re-exports (partial-failure.ts) can use it without an import cycle.
 */
import type { ConfigLookup } from "../sdk/core/config-lookup";

let currentLookup: ConfigLookup | undefined;
/** Values handed out for credential-like keys, so error messages can be scrubbed of them. */
const sensitiveValues = new Set<string>();
const sensitiveKeyPattern = /secret|password|passphrase|privatekey$|token|apikey|credential/i;
/** Shorter values are not redacted: replacing "on" everywhere would garble messages, not protect them. */
const minimumRedactedLength = 6;

/**
 * Installs the stack configuration the stubs receive in `configure(req)`: `lookup("oci:region")`
 * returns the raw, decrypted string, or undefined when unset. Called once per distinct stub text in
 * a plugin process; every call replaces the previous lookup (they all see the same stack config).
 *
 * @throws TypeError when `lookup` is not a function.
 */
export function configure(lookup: ConfigLookup): void {
  if (typeof lookup !== "function") {
    throw new TypeError(`configure(lookup): expected a function, got ${typeof lookup}`);
  }
  currentLookup = lookup;
}

/**
 * The stack configuration as handlers read credentials through it: full keys (`oci:tenancyOcid`,
 * `opentelekomcloud:secretKey`, `fnstack:ociEndpoint`); undefined when unset or before `configure`
 * ran (plain Node use). The returned function reads the configuration current at call time.
 * Non-string values (a structured config value) come back JSON-encoded.
 */
export function stackConfig(): ConfigLookup {
  return readStackConfig;
}

function readStackConfig(key: string): string | undefined {
  const lookup = currentLookup;
  if (lookup === undefined) return undefined;
  let raw: unknown;
  try {
    raw = lookup(key);
  } catch {
    // The plugin's Config throws when no Configure RPC arrived (its config is undefined): that is
    // "no stack config", and the handler falls back to the environment and files.
    return undefined;
  }
  const value = normalizeConfigValue(raw);
  if (value !== undefined && value.length >= minimumRedactedLength && sensitiveKeyPattern.test(key)) {
    sensitiveValues.add(value);
  }
  return value;
}

function normalizeConfigValue(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "string") return raw;
  // A plugin older than the secret unwrapping would hand over the engine's secret envelope.
  if (typeof raw === "object" && "4dabf18193072939515e22adb298388d" in raw && "value" in raw) {
    return normalizeConfigValue((raw as { value: unknown }).value);
  }
  return JSON.stringify(raw);
}

/**
 * Replaces every credential value read through {@link stackConfig} (keys naming a secret, password,
 * passphrase, private key, token or API key) with `[redacted]`. Used on messages that leave the
 * process, such as the partial-failure error recorded in Pulumi state.
 */
export function redactSecrets(text: string): string {
  let result = text;
  for (const value of sensitiveValues) {
    if (result.includes(value)) result = result.split(value).join("[redacted]");
  }
  return result;
}
