import type { Clock } from "./service";

/** Settings of the per-tenant token bucket (`PUT /_emulator/rate-limit`). */
export interface RateLimitSettings {
  /** Sustained requests per second per tenant; 0 turns limiting off. */
  readonly requestsPerSecond: number;
  /** Bucket size: how many requests may arrive at once; default `requestsPerSecond`, at least 1. */
  readonly burst: number;
}

/** A token bucket per tenant, refilled on the emulator clock (so a ManualClock makes it deterministic). */
export class RateLimiter {
  #settings: RateLimitSettings = { requestsPerSecond: 0, burst: 0 };
  #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly clock: Clock) {}

  /** The current settings. */
  get settings(): RateLimitSettings {
    return this.#settings;
  }

  /** Replaces the settings and empties every bucket's history (each tenant starts full). */
  configure(settings: RateLimitSettings): void {
    this.#settings = settings;
    this.#buckets.clear();
  }

  /** Takes one token for `tenant`; false when the tenant is over its limit. */
  take(tenant: string): boolean {
    const { requestsPerSecond, burst } = this.#settings;
    if (requestsPerSecond <= 0) return true;
    const capacity = Math.max(1, burst);
    const now = this.clock.now();
    const bucket = this.#buckets.get(tenant) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * requestsPerSecond);
    bucket.at = now;
    this.#buckets.set(tenant, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
