/**
 * fnstack's adaptive rate limiter against the anchor issue 12 names: the AWS SDK's "adaptive" retry
 * mode (`@smithy/util-retry` `DefaultRateLimiter` with `StandardRetryStrategy`), modelled here from its
 * published behaviour, on one virtual clock and one simulated server. Deterministic: the clock is
 * virtual and the anchor's jitter comes from a seeded generator.
 *
 * Run: `npx ts-node --transpile-only bench/rate-limiter-anchor.ts` (also part of `npm run bench`).
 *
 * Scenario: 200 operations start at once, each needing 3 successful requests (600 in all, as 200
 * FunctionGraph creates); the server admits 20 req/s per account (a token bucket with a burst of 20,
 * as the emulator's) and answers the rest 429 with `Retry-After: 1`; a round trip takes 40 ms.
 *
 * The anchor's model, per its source: no client-side limit until the first 429; then a token bucket
 * whose rate is set on every answer: on each 429 to β = 0.7 × min(measured send rate, current rate)
 * (the measured rate an exponential average over half-second buckets), otherwise along a cubic
 * `0.4 (t − K)³ + last max` (K = ∛(last max × 0.3 / 0.4)), capped at twice the measured rate; bucket
 * capacity = the rate. Its retry strategy waits before repeating a throttled request a random delay in
 * [0, min(20 s, 0.5 s × 2^attempt)) or the `Retry-After`, whichever is longer. Its default of 3
 * attempts would fail most operations here, so both sides get unlimited attempts: the comparison is of
 * pacing, not of give-up rules.
 */
import { AdaptiveRateLimiter, InFlightGate, defaultRateLimitSettings } from "../sdk/core/rate-limiter";
import { VirtualClock } from "./virtual-clock";
import { printTable } from "./table";
import { ServerBucket } from "./server-bucket";

const limit = 20;
const operations = 200;
const requestsEach = 3;
const latencyMs = 40;
const retryAfterMs = 1_000;

/** What a client side does around each attempt. */
interface ClientModel {
  /** Waits until the attempt may be sent; returns what to report when the answer is in. */
  beforeAttempt(): Promise<(throttled: boolean) => void>;
  /** The wait before repeating a throttled request (the `attempt`-th of this request, from 1). */
  throttleDelayMs(attempt: number): number;
}

/** A seeded generator in [0, 1) (mulberry32), so the anchor's jitter repeats run to run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fnstackModel(clock: VirtualClock): ClientModel {
  const limiter = new AdaptiveRateLimiter(
    defaultRateLimitSettings,
    new InFlightGate(defaultRateLimitSettings.maxInFlightPerHost),
    clock,
  );
  return {
    async beforeAttempt() {
      const permit = await limiter.acquire();
      return (throttled) => permit.release({ throttled, answered: true });
    },
    // The retry loop waits the Retry-After alone; the limiter's token wait does the rest.
    throttleDelayMs: () => retryAfterMs,
  };
}

/** The anchor, modelled from `DefaultRateLimiter` (see the module comment); times in seconds. */
function awsAdaptiveModel(clock: VirtualClock): ClientModel {
  const beta = 0.7;
  const scale = 0.4;
  const smooth = 0.8;
  const minRate = 0.5;
  const random = seededRandom(12);
  const seconds = (): number => clock.now() / 1000;
  let enabled = false;
  let capacity = 0;
  let maxCapacity = 1;
  let rate = minRate;
  let lastRefill = 0;
  let lastMax = 0;
  let lastThrottle = 0;
  let window = 0;
  let measured = 0;
  let count = 0;
  let lastBucket = 0;
  const refill = (): void => {
    const now = seconds();
    capacity = Math.min(maxCapacity, capacity + (now - lastRefill) * rate);
    lastRefill = now;
  };
  const measure = (): void => {
    const bucket = Math.floor(seconds() * 2) / 2;
    count++;
    if (bucket > lastBucket) {
      measured = (count / (bucket - lastBucket)) * smooth + measured * (1 - smooth);
      count = 0;
      lastBucket = bucket;
    }
  };
  return {
    async beforeAttempt() {
      if (enabled) {
        refill();
        if (capacity < 1) await clock.sleep(((1 - capacity) / rate) * 1000);
        capacity -= 1;
      }
      return (throttled) => {
        measure();
        let next: number;
        if (throttled) {
          lastMax = enabled ? Math.min(measured, rate) : measured;
          window = Math.cbrt((lastMax * (1 - beta)) / scale);
          lastThrottle = seconds();
          next = lastMax * beta;
          enabled = true;
        } else {
          window = Math.cbrt((lastMax * (1 - beta)) / scale);
          next = scale * (seconds() - lastThrottle - window) ** 3 + lastMax;
        }
        next = Math.min(next, 2 * measured);
        refill();
        rate = Math.max(next, minRate);
        maxCapacity = Math.max(next, 1);
        capacity = Math.min(capacity, maxCapacity);
      };
    },
    throttleDelayMs: (attempt) => Math.max(retryAfterMs, Math.min(20_000, random() * 2 ** attempt * 500)),
  };
}

/** Result of one simulated run. */
export interface AnchorRun {
  readonly seconds: number;
  readonly timeOverIdeal: number;
  readonly throttledShare: number;
  readonly requests: number;
}

async function simulate(makeModel: (clock: VirtualClock) => ClientModel): Promise<AnchorRun> {
  const clock = new VirtualClock();
  const server = new ServerBucket(limit, limit, clock);
  const model = makeModel(clock);
  let running = operations;
  let answered = 0;
  let throttled = 0;
  const operation = async (): Promise<void> => {
    for (let done = 0; done < requestsEach;) {
      for (let attempt = 1; ; attempt++) {
        const report = await model.beforeAttempt();
        await clock.sleep(latencyMs / 2);
        const ok = server.take();
        await clock.sleep(latencyMs / 2);
        report(!ok);
        if (ok) {
          answered++;
          done++;
          break;
        }
        throttled++;
        await clock.sleep(model.throttleDelayMs(attempt));
      }
    }
  };
  for (let i = 0; i < operations; i++) void operation().then(() => running--);
  const end = await clock.run(() => running === 0);
  return {
    seconds: end / 1000,
    timeOverIdeal: end / 1000 / (answered / limit),
    throttledShare: throttled / (answered + throttled),
    requests: answered + throttled,
  };
}

/** Runs both models; prints a table; returns both results. */
export async function compareWithAnchor(): Promise<{ fnstack: AnchorRun; aws: AnchorRun }> {
  const fnstack = await simulate(fnstackModel);
  const aws = await simulate(awsAdaptiveModel);
  console.log(
    `${operations} operations × ${requestsEach} requests, server ${limit} req/s (burst ${limit}), ` +
      `round trip ${latencyMs} ms, Retry-After 1 s, virtual clock\n`,
  );
  printTable([
    ["client side", "requests", "seconds", "time ÷ ideal", "429 share"],
    ...(
      [
        ["fnstack adaptive limiter", fnstack],
        ["AWS SDK adaptive mode (model)", aws],
      ] as const
    ).map(([name, run]) => [
      name,
      String(run.requests),
      run.seconds.toFixed(1),
      `${run.timeOverIdeal.toFixed(2)} ×`,
      `${(100 * run.throttledShare).toFixed(1)} %`,
    ]),
  ]);
  return { fnstack, aws };
}

if (require.main === module) {
  compareWithAnchor().catch((error: unknown) => console.error(error));
}
