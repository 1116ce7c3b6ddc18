import { strict as assert } from "node:assert";
import type { Clock } from "../../../sdk/core/clock";
import { VirtualClock } from "../../../bench/virtual-clock";
import { ServerBucket } from "../../../bench/server-bucket";
import {
  AdaptiveRateLimiter,
  InFlightGate,
  type RateLimitSettings,
  configureRateLimits,
  defaultRateLimitSettings,
  effectiveSettings,
  maxRequestsPerSecondEnv,
  rateLimiterFor,
  resetRateLimiters,
} from "../../../sdk/core/rate-limiter";

interface Log {
  /** Time of every answer, and whether it was a 429. */
  readonly answers: { at: number; throttled: boolean }[];
  inFlight: number;
  peakInFlight: number;
}

const settings = (overrides: Partial<RateLimitSettings> = {}): RateLimitSettings => ({
  ...defaultRateLimitSettings,
  maxRequestsPerSecond: 100,
  ...overrides,
});

/**
 * `operations` concurrent operations, each needing `requestsEach` successful requests, as the retry loop
 * runs them: acquire a permit, a round trip of `latencyMs`, release with the outcome; a 429 (answered
 * with `Retry-After: 1`, as the emulator does) waits 1 s and asks for a permit again.
 */
function startLoad(
  limiter: AdaptiveRateLimiter,
  server: ServerBucket,
  clock: Clock,
  log: Log,
  operations: number,
  requestsEach: number,
  latencyMs = 40,
): { finished: () => boolean } {
  let running = operations;
  const operation = async (): Promise<void> => {
    for (let done = 0; done < requestsEach;) {
      const permit = await limiter.acquire();
      log.inFlight++;
      log.peakInFlight = Math.max(log.peakInFlight, log.inFlight);
      await clock.sleep(latencyMs / 2);
      const ok = server.take();
      await clock.sleep(latencyMs / 2);
      log.inFlight--;
      log.answers.push({ at: clock.now(), throttled: !ok });
      permit.release({ throttled: !ok, answered: true });
      if (ok) done++;
      else await clock.sleep(1_000);
    }
  };
  for (let i = 0; i < operations; i++) void operation().then(() => running--);
  return { finished: () => running === 0 };
}

/** Answers between `from` and `to` (ms): how many succeeded per second and the share of 429s. */
function window(log: Log, from: number, to: number): { successPerSecond: number; throttledShare: number } {
  const inside = log.answers.filter((a) => a.at >= from && a.at < to);
  const throttled = inside.filter((a) => a.throttled).length;
  return {
    successPerSecond: (inside.length - throttled) / ((to - from) / 1000),
    throttledShare: inside.length === 0 ? 0 : throttled / inside.length,
  };
}

describe("AdaptiveRateLimiter (virtual clock)", function () {
  this.timeout(60_000);

  for (const limit of [5, 20, 50]) {
    it(`under a server limit of ${limit} req/s converges to ≤ 5 % 429s and ≥ 80 % of the limit`, async () => {
      const clock = new VirtualClock();
      const limiter = new AdaptiveRateLimiter(settings(), new InFlightGate(16), clock);
      const server = new ServerBucket(limit, limit, clock);
      const log: Log = { answers: [], inFlight: 0, peakInFlight: 0 };
      // 200 operations of 3 requests: 600 successes, 30 s at 20 req/s.
      const load = startLoad(limiter, server, clock, log, 200, 3);
      const end = await clock.run(load.finished);
      assert.ok(load.finished(), "every operation finished");
      const whole = window(log, 0, end);
      const steady = window(log, end / 4, end);
      console.log(
        `      ${limit} req/s: ${(end / 1000).toFixed(1)} s, ${log.answers.length} answers, ` +
          `${(100 * whole.throttledShare).toFixed(1)} % 429s, ${whole.successPerSecond.toFixed(1)} ok/s overall, ` +
          `${steady.successPerSecond.toFixed(1)} ok/s steady`,
      );
      assert.ok(whole.throttledShare <= 0.05, `429 share ${(100 * whole.throttledShare).toFixed(1)} %`);
      assert.ok(
        steady.throttledShare <= 0.05,
        `steady 429 share ${(100 * steady.throttledShare).toFixed(1)} %`,
      );
      assert.ok(
        steady.successPerSecond >= 0.8 * limit,
        `steady throughput ${steady.successPerSecond.toFixed(1)} req/s of ${limit}`,
      );
      assert.ok(
        whole.successPerSecond >= 0.8 * limit,
        `overall throughput ${whole.successPerSecond.toFixed(1)} req/s of ${limit}`,
      );
    });
  }

  it("finds a higher limit again within seconds after the server raises it", async () => {
    const clock = new VirtualClock();
    const limiter = new AdaptiveRateLimiter(settings(), new InFlightGate(32), clock);
    const server = new ServerBucket(10, 10, clock);
    const log: Log = { answers: [], inFlight: 0, peakInFlight: 0 };
    const load = startLoad(limiter, server, clock, log, 400, 6);
    await clock.run(load.finished, 30_000);
    assert.ok(window(log, 15_000, 30_000).successPerSecond <= 10.5, "held to the first limit");
    server.rate = 40;
    await clock.run(load.finished, 60_000);
    const after = window(log, 45_000, 60_000);
    assert.ok(
      after.successPerSecond >= 0.8 * 40,
      `after the rise: ${after.successPerSecond.toFixed(1)} req/s`,
    );
    assert.ok(
      after.throttledShare <= 0.05,
      `after the rise: ${(100 * after.throttledShare).toFixed(1)} % 429s`,
    );
  });

  it("never lets more requests be in flight to a host than its cap, whatever the rate", async () => {
    const clock = new VirtualClock();
    const gate = new InFlightGate(4);
    const limiter = new AdaptiveRateLimiter(settings(), gate, clock);
    const server = new ServerBucket(1_000, 1_000, clock);
    const log: Log = { answers: [], inFlight: 0, peakInFlight: 0 };
    // Slow answers (2 s): the rate alone would put 200 requests in flight.
    const load = startLoad(limiter, server, clock, log, 200, 2, 2_000);
    await clock.run(load.finished);
    assert.ok(load.finished());
    assert.equal(log.peakInFlight, 4);
    assert.equal(gate.peak, 4);
    assert.equal(gate.inFlight, 0, "every slot was given back");
  });

  it("lowers the rate once for a burst of 429s to requests sent at the old rate", async () => {
    const clock = new VirtualClock();
    const limiter = new AdaptiveRateLimiter(
      settings({ maxRequestsPerSecond: 20 }),
      new InFlightGate(16),
      clock,
    );
    const pending = Promise.all(Array.from({ length: 5 }, () => limiter.acquire()));
    let granted = false;
    void pending.then(() => (granted = true));
    await clock.run(() => granted);
    const permits = await pending;
    for (const permit of permits) permit.release({ throttled: true, answered: true });
    const stats = limiter.stats;
    assert.equal(stats.throttles, 5);
    assert.equal(stats.decreases, 1);
    assert.ok(stats.requestsPerSecond < 20);
  });

  it("gives nothing away when the wait for a token is aborted", async () => {
    const clock = new VirtualClock();
    const gate = new InFlightGate(2);
    const limiter = new AdaptiveRateLimiter(settings({ maxRequestsPerSecond: 1 }), gate, clock);
    const first = await limiter.acquire();
    const controller = new AbortController();
    const second = limiter.acquire(controller.signal);
    controller.abort(new Error("stop"));
    await assert.rejects(second, /stop/);
    assert.equal(gate.inFlight, 1);
    first.release();
    assert.equal(gate.inFlight, 0);
  });
});

describe("rate limiter settings", () => {
  afterEach(() => {
    resetRateLimiters();
    delete process.env[maxRequestsPerSecondEnv];
  });

  it("takes the ceiling from the override, then the environment, then the cloud default", () => {
    assert.equal(effectiveSettings(25).maxRequestsPerSecond, 25);
    assert.equal(effectiveSettings().maxRequestsPerSecond, defaultRateLimitSettings.maxRequestsPerSecond);
    process.env[maxRequestsPerSecondEnv] = "7";
    assert.equal(effectiveSettings(25).maxRequestsPerSecond, 7);
    configureRateLimits({ maxRequestsPerSecond: 3 });
    assert.equal(effectiveSettings(25).maxRequestsPerSecond, 3);
  });

  it("rejects a bad setting, naming it", () => {
    assert.throws(() => configureRateLimits({ maxRequestsPerSecond: 0 }), /maxRequestsPerSecond/);
    process.env[maxRequestsPerSecondEnv] = "fast";
    assert.throws(() => effectiveSettings(), new RegExp(maxRequestsPerSecondEnv));
  });

  it("shares one limiter per scope and one in-flight cap per host, and applies a new ceiling at once", () => {
    const a = rateLimiterFor("https://h/v2/p1", "https://h", 20);
    assert.equal(rateLimiterFor("https://h/v2/p1", "https://h", 20), a);
    assert.notEqual(rateLimiterFor("https://h/v2/p2", "https://h", 20), a);
    configureRateLimits({ maxRequestsPerSecond: 2 });
    assert.ok(a.stats.requestsPerSecond <= 2);
  });
});
