import { type Clock, systemClock } from "./clock";

/**
 * Process-wide client-side rate limiting (issue 12). One dynamic-provider plugin process serves every
 * dynamic resource of a deployment, so 200 resources created at once share one account's API
 * allowance. Without a shared limit each request retried on its own, with backoffs growing to 30 s:
 * the request log showed waves of 429s, then 20–25 s of silence while the allowance went unused.
 *
 * Here every attempt first takes a permit from the {@link AdaptiveRateLimiter} of its scope (endpoint
 * and tenancy or project): a slot among the requests in flight to its host, then a token of a bucket
 * whose rate adapts to the service's answers:
 *
 * - **Start at the ceiling** ({@link RateLimitSettings.maxRequestsPerSecond}): most deployments never
 *   meet a limit, and the in-flight cap bounds the first overshoot of those that do to one cap's worth
 *   of requests.
 * - **Decrease on throttle.** A 429 lowers the rate to β × min(current rate, requests admitted in the
 *   last second) — but at most by half — remembering that figure as the last known limit. Only a 429 to a request sent *after*
 *   the last decrease counts: the others were sent at the old rate, and reacting to each of them (as
 *   the AWS SDK's adaptive mode does) would cut the rate several times for one excess.
 * - **Probe back up** along a cubic curve centred on the last known limit (CUBIC, RFC 9438, as the AWS
 *   SDK does): fast while far below it, flat near it, then accelerating past it, so a limit that rose
 *   is found again within seconds.
 *
 * A throttled request waits for a token like any other instead of sleeping in its own growing backoff
 * (the retry loop honours the service's `Retry-After` for it and nothing more). Compared with the AWS
 * SDK's adaptive mode (`@smithy/util-retry` `DefaultRateLimiter`): it starts unlimited too, but has no
 * in-flight cap, so a burst of N requests makes a storm of about N − limit 429s; it cuts the rate on
 * every 429 of that storm; and its throttled requests still sleep in exponential backoffs on top.
 */

/** Settings of the limiters; every rate in requests per second. */
export interface RateLimitSettings {
  /** Ceiling of the adaptive rate. Default: the context's per-cloud default, else 50. */
  readonly maxRequestsPerSecond: number;
  /** The rate never drops below this. Default 0.5. */
  readonly minRequestsPerSecond: number;
  /** Requests in flight per host (origin) at most. Default 16. */
  readonly maxInFlightPerHost: number;
  /** Factor of the decrease on a throttle. Default 0.85. */
  readonly beta: number;
  /**
   * Seconds the cubic probe takes to climb back to the last known limit; at least the time of 30
   * requests at that limit, at most 10 s. Default 3.
   */
  readonly recoverySeconds: number;
}

/** The defaults (frozen); `maxRequestsPerSecond` is only the fallback when no cloud default applies. */
export const defaultRateLimitSettings: Readonly<RateLimitSettings> = Object.freeze({
  maxRequestsPerSecond: 50,
  minRequestsPerSecond: 0.5,
  maxInFlightPerHost: 16,
  beta: 0.85,
  recoverySeconds: 3,
});

/** What the caller reports when it is done with a permit. */
export interface PermitOutcome {
  /** The service answered 429 (or a throttling code). */
  readonly throttled?: boolean;
  /** The service answered at all (false for network errors and aborts: they say nothing of the rate). */
  readonly answered?: boolean;
}

/** The right to send one attempt; release it exactly once when the answer (or the failure) is in. */
export interface Permit {
  release(outcome?: PermitOutcome): void;
}

/** A counting semaphore of requests in flight to one host; shared by every limiter of that host. */
export class InFlightGate {
  #inFlight = 0;
  #peak = 0;
  readonly #waiters: (() => void)[] = [];

  constructor(public limit: number) {}

  /** Requests in flight now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** The most requests ever in flight at once. */
  get peak(): number {
    return this.#peak;
  }

  /** Resolves once a slot is free (FIFO); rejects with the signal's reason if it aborts first. */
  enter(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#inFlight < this.limit && this.#waiters.length === 0) {
      this.#take();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = (): void => {
        signal?.removeEventListener("abort", onAbort);
        this.#take();
        resolve();
      };
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject((signal as AbortSignal).reason);
      };
      this.#waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Frees a slot and admits the next waiter. */
  leave(): void {
    this.#inFlight--;
    this.#admit();
  }

  #take(): void {
    this.#inFlight++;
    if (this.#inFlight > this.#peak) this.#peak = this.#inFlight;
  }

  #admit(): void {
    while (this.#inFlight < this.limit && this.#waiters.length > 0) (this.#waiters.shift() as () => void)();
  }
}

interface TokenWaiter {
  readonly resolve: (sentAt: number) => void;
}

/** Counters of one limiter, for benchmarks and tests. */
export interface RateLimiterStats {
  /** The current rate, requests per second. */
  readonly requestsPerSecond: number;
  /** The last known limit (rate at the last counted throttle), if any. */
  readonly lastKnownLimit?: number;
  readonly permits: number;
  readonly throttles: number;
  /** Throttles that lowered the rate (the others came from requests sent before the last decrease). */
  readonly decreases: number;
  /** Requests waiting for a token now. */
  readonly waiting: number;
}

/** The adaptive token bucket of one scope; see the module comment. */
export class AdaptiveRateLimiter {
  #settings: Readonly<RateLimitSettings>;
  readonly #gate: InFlightGate;
  readonly #clock: Clock;
  #rate: number;
  #tokens = 1;
  #refilledAt: number;
  #lastKnownLimit: number | undefined;
  #decreasedAt = Number.NEGATIVE_INFINITY;
  #rateAtDecrease = 0;
  #admitted: number[] = [];
  readonly #queue: TokenWaiter[] = [];
  #timerPending = false;
  #permits = 0;
  #throttles = 0;
  #decreases = 0;

  constructor(settings: Readonly<RateLimitSettings>, gate: InFlightGate, clock: Clock = systemClock) {
    this.#settings = validateSettings(settings);
    this.#gate = gate;
    this.#clock = clock;
    this.#rate = this.#settings.maxRequestsPerSecond;
    this.#refilledAt = clock.now();
  }

  /** Replaces the settings (a new ceiling applies at once; the learnt rate is kept within it). */
  reconfigure(settings: Readonly<RateLimitSettings>): void {
    this.#settings = validateSettings(settings);
    this.#gate.limit = this.#settings.maxInFlightPerHost;
    this.#rate = this.#clamp(this.#rate);
  }

  /** The current counters. */
  get stats(): RateLimiterStats {
    return {
      requestsPerSecond: this.#rate,
      lastKnownLimit: this.#lastKnownLimit,
      permits: this.#permits,
      throttles: this.#throttles,
      decreases: this.#decreases,
      waiting: this.#queue.length,
    };
  }

  /**
   * Waits for a slot among the host's requests in flight, then for a token; rejects with the signal's
   * reason if `signal` aborts first (nothing is then held).
   */
  acquire(signal?: AbortSignal): Promise<Permit> {
    // Chained, not awaited: every request waiting here would hold an async frame (issue 12).
    return this.#gate.enter(signal).then(() =>
      this.#takeToken(signal).then(
        (sentAt) => this.#permit(sentAt),
        (error: unknown) => {
          this.#gate.leave();
          throw error;
        },
      ),
    );
  }

  #permit(sentAt: number): Permit {
    this.#permits++;
    let released = false;
    return {
      release: (outcome: PermitOutcome = {}) => {
        if (released) return;
        released = true;
        this.#gate.leave();
        this.#onOutcome(sentAt, outcome);
      },
    };
  }

  #takeToken(signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.#refill();
    if (this.#queue.length === 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      return Promise.resolve(this.#clock.now());
    }
    return new Promise<number>((resolve, reject) => {
      const waiter: TokenWaiter = {
        resolve: (sentAt) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(sentAt);
        },
      };
      const onAbort = (): void => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
        reject((signal as AbortSignal).reason);
      };
      this.#queue.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#pump();
    });
  }

  /** Hands tokens to waiters in order; sleeps until the next token when none is left. */
  #pump(): void {
    this.#refill();
    while (this.#queue.length > 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      (this.#queue.shift() as TokenWaiter).resolve(this.#clock.now());
    }
    if (this.#queue.length === 0 || this.#timerPending) return;
    this.#timerPending = true;
    const waitMs = Math.max(1, Math.ceil(((1 - this.#tokens) / this.#rate) * 1000));
    void this.#clock.sleep(waitMs).then(() => {
      this.#timerPending = false;
      this.#pump();
    });
  }

  #refill(): void {
    const now = this.#clock.now();
    this.#rate = this.#currentRate(now);
    // One token of burst at most: a paced stream is what keeps a server's bucket from emptying.
    this.#tokens = Math.min(1, this.#tokens + ((now - this.#refilledAt) / 1000) * this.#rate);
    this.#refilledAt = now;
  }

  /** The rate at `now`: the cubic probe after a decrease, else the ceiling. */
  #currentRate(now: number): number {
    if (this.#lastKnownLimit === undefined) return this.#clamp(this.#settings.maxRequestsPerSecond);
    const { beta } = this.#settings;
    const limit = this.#lastKnownLimit;
    // At low rates one 429 per cycle is a large share: stretch the cycle to about 30 requests.
    const recoverySeconds = Math.min(10, Math.max(this.#settings.recoverySeconds, 30 / limit));
    // W(t) = Wmax (1 + c (t − K)³), with c chosen so that W(0) = β·Wmax and W(K) = Wmax.
    const c = (1 - beta) / recoverySeconds ** 3;
    const t = (now - this.#decreasedAt) / 1000;
    const cubic = limit * (1 + c * (t - recoverySeconds) ** 3);
    return this.#clamp(Math.max(cubic, Math.min(this.#rateAtDecrease, limit)));
  }

  #onOutcome(sentAt: number, outcome: PermitOutcome): void {
    const now = this.#clock.now();
    if (outcome.throttled === true) {
      this.#throttles++;
      if (sentAt <= this.#decreasedAt) return;
      this.#refill();
      const admittedLastSecond = this.#admittedSince(now - 1000);
      // One throttle at most halves the rate: at low demand the admitted count says little about the
      // limit (a lone 429 would otherwise pin the rate near zero), and a real excess soon brings another.
      const limit = Math.max(this.#rate / 2, Math.min(this.#rate, admittedLastSecond));
      this.#lastKnownLimit = Math.max(this.#settings.minRequestsPerSecond, limit);
      this.#rateAtDecrease = this.#clamp(this.#settings.beta * this.#lastKnownLimit);
      this.#rate = this.#rateAtDecrease;
      this.#decreasedAt = now;
      this.#decreases++;
      return;
    }
    if (outcome.answered === false) return;
    this.#admitted.push(now);
    // Keep one second of answers, for the next throttle's estimate.
    if (this.#admitted.length > 4 * this.#settings.maxRequestsPerSecond + 16) this.#admittedSince(now - 1000);
  }

  #admittedSince(from: number): number {
    // Drop what is older than the window, so the list stays as long as one second of answers.
    let drop = 0;
    while (drop < this.#admitted.length && (this.#admitted[drop] as number) < from) drop++;
    if (drop > 0) this.#admitted = this.#admitted.slice(drop);
    return this.#admitted.length;
  }

  #clamp(rate: number): number {
    const { minRequestsPerSecond, maxRequestsPerSecond } = this.#settings;
    return Math.min(maxRequestsPerSecond, Math.max(minRequestsPerSecond, rate));
  }
}

function validateSettings(settings: Readonly<RateLimitSettings>): Readonly<RateLimitSettings> {
  for (const key of Object.keys(defaultRateLimitSettings) as (keyof RateLimitSettings)[]) {
    const value = settings[key];
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new TypeError(`Expected \`${key}\` to be a positive finite number`);
    }
  }
  if (settings.beta >= 1) throw new TypeError("Expected `beta` to be below 1");
  if (!Number.isSafeInteger(settings.maxInFlightPerHost)) {
    throw new TypeError("Expected `maxInFlightPerHost` to be a positive integer");
  }
  return Object.freeze({ ...settings });
}

// ---------------------------------------------------------------------------------------------------
// The process-wide registry

/** The environment variable that sets the ceiling for every cloud, like `fnstack:maxRequestsPerSecond`. */
export const maxRequestsPerSecondEnv = "FNSTACK_MAX_REQUESTS_PER_SECOND";

let overrides: Partial<RateLimitSettings> = {};
let ceilingSource: (() => number | undefined) | undefined;
let lastSourcedCeiling: number | undefined;
const limiters = new Map<string, { limiter: AdaptiveRateLimiter; cloudDefault?: number }>();
const gates = new Map<string, InFlightGate>();

/**
 * Sets process-wide overrides of the limiter settings (the provider runtime passes
 * `fnstack:maxRequestsPerSecond` here); undefined values fall back to the environment and defaults.
 * Applies to existing limiters at once.
 *
 * @throws TypeError naming the setting when a value is not a positive finite number.
 */
export function configureRateLimits(settings: Partial<RateLimitSettings>): void {
  const next: { -readonly [K in keyof RateLimitSettings]?: number } = {};
  for (const [key, value] of Object.entries(settings) as [keyof RateLimitSettings, number | undefined][]) {
    if (value !== undefined) next[key] = value;
  }
  validateSettings({ ...defaultRateLimitSettings, ...next });
  overrides = next;
  for (const { limiter, cloudDefault } of limiters.values())
    limiter.reconfigure(effectiveSettings(cloudDefault));
}

/**
 * Installs where the configured ceiling comes from (the provider runtime reads
 * `fnstack:maxRequestsPerSecond` from the stack config). Called before each request is sent; a change
 * applies to every limiter at once, and what it throws fails the request before anything is sent.
 */
export function setMaxRequestsPerSecondSource(source: (() => number | undefined) | undefined): void {
  ceilingSource = source;
}

/** The source installed by {@link setMaxRequestsPerSecondSource}, so a caller can put it back. */
export function maxRequestsPerSecondSource(): (() => number | undefined) | undefined {
  return ceilingSource;
}

/** The settings a limiter with this per-cloud default ceiling runs with now. */
export function effectiveSettings(cloudDefault?: number): Readonly<RateLimitSettings> {
  const fromEnv = parseRate(process.env[maxRequestsPerSecondEnv]);
  const maxRequestsPerSecond =
    overrides.maxRequestsPerSecond ??
    fromEnv ??
    cloudDefault ??
    defaultRateLimitSettings.maxRequestsPerSecond;
  return validateSettings({
    ...defaultRateLimitSettings,
    ...overrides,
    maxRequestsPerSecond,
  });
}

function parseRate(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${maxRequestsPerSecondEnv} must be a positive number, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * The limiter of a scope, created on first use and kept for the life of the process. `scope` names
 * the allowance (an endpoint plus tenancy or project); `origin` names the host whose in-flight cap it
 * shares; `cloudDefault` is the ceiling when neither `fnstack:maxRequestsPerSecond` nor
 * {@link maxRequestsPerSecondEnv} is set.
 */
export function rateLimiterFor(scope: string, origin: string, cloudDefault?: number): AdaptiveRateLimiter {
  const sourced = ceilingSource?.();
  if (sourced !== lastSourcedCeiling) {
    configureRateLimits({ ...overrides, maxRequestsPerSecond: sourced });
    lastSourcedCeiling = sourced;
  }
  const existing = limiters.get(scope);
  if (existing !== undefined) return existing.limiter;
  const settings = effectiveSettings(cloudDefault);
  let gate = gates.get(origin);
  if (gate === undefined) {
    gate = new InFlightGate(settings.maxInFlightPerHost);
    gates.set(origin, gate);
  }
  const limiter = new AdaptiveRateLimiter(settings, gate);
  limiters.set(scope, { limiter, cloudDefault });
  return limiter;
}

/** Every limiter by scope, and every host gate by origin (for benchmarks and diagnostics). */
export function rateLimiterSnapshot(): {
  limiters: Record<string, RateLimiterStats>;
  hosts: Record<string, { inFlight: number; peak: number }>;
} {
  return {
    limiters: Object.fromEntries([...limiters].map(([scope, { limiter }]) => [scope, limiter.stats])),
    hosts: Object.fromEntries(
      [...gates].map(([origin, g]) => [origin, { inFlight: g.inFlight, peak: g.peak }]),
    ),
  };
}

/** Forgets every limiter and gate and the overrides (tests). */
export function resetRateLimiters(): void {
  limiters.clear();
  gates.clear();
  overrides = {};
  lastSourcedCeiling = undefined;
}
