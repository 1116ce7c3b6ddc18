/**
 * The retry and poll settings both clouds honour, read inside each provider call: stack config
 * `fnstack:<key>`, else the environment variable `FNSTACK_<KEY>` (docs/pulumi.md, "Retry and poll
 * settings"). Each is a non-negative integer of milliseconds or attempts; unset means the SDK default.
 */
import { ConfigurationError } from "../sdk/core/errors";
import type { RetryPolicy } from "../sdk/core/retry";
import { stackConfig } from "./runtime";

/** Poll bounds of every wait, in milliseconds; undefined members keep the waiter's defaults. */
export interface PollTuning {
  readonly minIntervalMs?: number;
  readonly maxIntervalMs?: number;
}

function tuning(key: string, envName: string): number | undefined {
  const raw = stackConfig()(`fnstack:${key}`) ?? process.env[envName];
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ConfigurationError(
      `fnstack:${key} (or ${envName}) must be a non-negative integer, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/**
 * Retry overrides: `fnstack:retryMaxAttempts`, `fnstack:retryBaseDelayMs`, `fnstack:retryMaxDelayMs`,
 * `fnstack:retryJitterMs` (or `FNSTACK_RETRY_MAX_ATTEMPTS`, `..._BASE_DELAY_MS`, `..._MAX_DELAY_MS`,
 * `..._JITTER_MS`). Undefined when none is set (the SDK defaults apply).
 *
 * @throws ConfigurationError naming the setting when a value is not a non-negative integer.
 */
export function retryTuning(): Partial<RetryPolicy> | undefined {
  const policy: { -readonly [K in keyof RetryPolicy]?: number } = {};
  const maxAttempts = tuning("retryMaxAttempts", "FNSTACK_RETRY_MAX_ATTEMPTS");
  const baseDelayMs = tuning("retryBaseDelayMs", "FNSTACK_RETRY_BASE_DELAY_MS");
  const maxDelayMs = tuning("retryMaxDelayMs", "FNSTACK_RETRY_MAX_DELAY_MS");
  const jitterMs = tuning("retryJitterMs", "FNSTACK_RETRY_JITTER_MS");
  if (maxAttempts !== undefined) policy.maxAttempts = maxAttempts;
  if (baseDelayMs !== undefined) policy.baseDelayMs = baseDelayMs;
  if (maxDelayMs !== undefined) policy.maxDelayMs = maxDelayMs;
  if (jitterMs !== undefined) policy.jitterMs = jitterMs;
  // Frozen, so the retry loop resolves it once rather than at every request (sdk/core/retry.ts).
  return Object.keys(policy).length === 0 ? undefined : Object.freeze(policy);
}

/**
 * Poll bounds: `fnstack:pollMinIntervalMs`/`fnstack:pollMaxIntervalMs` (or `FNSTACK_POLL_MIN_INTERVAL_MS`,
 * `FNSTACK_POLL_MAX_INTERVAL_MS`). A minimum above 30 s without a maximum raises the maximum to it.
 *
 * @throws ConfigurationError naming the setting when a value is not a non-negative integer.
 */
export function pollTuning(): PollTuning {
  const min = tuning("pollMinIntervalMs", "FNSTACK_POLL_MIN_INTERVAL_MS");
  let max = tuning("pollMaxIntervalMs", "FNSTACK_POLL_MAX_INTERVAL_MS");
  if (min !== undefined && max === undefined && min > 30_000) max = min;
  return {
    minIntervalMs: min === undefined ? undefined : Math.max(1, min),
    maxIntervalMs: max === undefined ? undefined : Math.max(min ?? 1, max),
  };
}
