import { strict as assert } from "node:assert";
import { AbortedError, NetworkError, ServiceError, ThrottledError } from "../../../sdk/core/errors";
import {
  backoffDelayMs,
  defaultRetryPolicy,
  mayRepeat,
  parseRetryAfter,
  resolveRetryPolicy,
  retry,
  type RetryEvent,
} from "../../../sdk/core/retry";

function errno(code: string): Error {
  return Object.assign(new Error(code), { code });
}

const tiny = { baseDelayMs: 1, maxDelayMs: 2, jitterMs: 0 };

describe("sdk/core retry policy", () => {
  describe("defaults", () => {
    it("follows the OCI SDK: 8 attempts, 1 s doubling to 30 s, 1 s jitter, 600 s total", () => {
      assert.deepEqual(
        { ...defaultRetryPolicy },
        { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 30_000, jitterMs: 1_000, maxTotalMs: 600_000 },
      );
    });

    it("is frozen", () => {
      assert.ok(Object.isFrozen(defaultRetryPolicy));
      assert.throws(() => {
        (defaultRetryPolicy as { maxAttempts: number }).maxAttempts = 1;
      }, TypeError);
    });
  });

  describe("resolveRetryPolicy", () => {
    it("merges overrides over the defaults, ignoring undefined, and returns a frozen policy", () => {
      const policy = resolveRetryPolicy({ maxAttempts: 3, jitterMs: undefined });
      assert.equal(policy.maxAttempts, 3);
      assert.equal(policy.jitterMs, 1_000);
      assert.ok(Object.isFrozen(policy));
      assert.equal(defaultRetryPolicy.maxAttempts, 8);
    });

    it("returns a resolved policy, and what a frozen input resolved to, as is; a mutable input anew", () => {
      const resolved = resolveRetryPolicy({ maxAttempts: 3 });
      assert.equal(resolveRetryPolicy(resolved), resolved);
      assert.equal(resolveRetryPolicy(), resolveRetryPolicy(defaultRetryPolicy));
      const frozen = Object.freeze({ maxAttempts: 4 });
      assert.equal(resolveRetryPolicy(frozen), resolveRetryPolicy(frozen));
      const mutable: { maxAttempts?: number } = { maxAttempts: 2 };
      assert.equal(resolveRetryPolicy(mutable).maxAttempts, 2);
      mutable.maxAttempts = 5;
      assert.equal(resolveRetryPolicy(mutable).maxAttempts, 5);
    });

    it("rejects bad options with a TypeError naming the option", () => {
      assert.throws(() => resolveRetryPolicy({ maxAttempts: 0 }), {
        name: "TypeError",
        message: "Expected `maxAttempts` to be a positive integer",
      });
      assert.throws(() => resolveRetryPolicy({ maxAttempts: 1.5 }), /`maxAttempts`/);
      assert.throws(() => resolveRetryPolicy({ baseDelayMs: -1 }), /Expected `baseDelayMs`/);
      assert.throws(() => resolveRetryPolicy({ maxDelayMs: Number.NaN }), /Expected `maxDelayMs`/);
      assert.throws(() => resolveRetryPolicy({ jitterMs: Infinity }), /Expected `jitterMs`/);
      assert.throws(() => resolveRetryPolicy({ maxTotalMs: -5 }), /Expected `maxTotalMs`/);
      assert.throws(() => resolveRetryPolicy(null as never), /Expected `retry` to be an object/);
      assert.equal(resolveRetryPolicy({ maxTotalMs: Infinity }).maxTotalMs, Infinity);
    });
  });

  describe("backoffDelayMs", () => {
    it("gives about 1, 2, 4, 8, 16, 30, 30 s with the defaults, plus up to 1 s of jitter", () => {
      const base = [1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(n, defaultRetryPolicy, () => 0));
      assert.deepEqual(base, [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
      const jittered = [1, 6].map((n) => backoffDelayMs(n, defaultRetryPolicy, () => 0.999));
      assert.deepEqual(jittered, [1_999, 30_999]);
      assert.equal(
        backoffDelayMs(5_000, defaultRetryPolicy, () => 0),
        30_000,
      );
    });
  });

  describe("parseRetryAfter", () => {
    it("reads delay-seconds and HTTP dates, and ignores garbage", () => {
      const now = Date.parse("Mon, 23 Nov 2026 10:00:00 GMT");
      assert.equal(parseRetryAfter("3", now), 3_000);
      assert.equal(parseRetryAfter(" 0 ", now), 0);
      assert.equal(parseRetryAfter("1.5", now), 1_500);
      assert.equal(parseRetryAfter("Mon, 23 Nov 2026 10:00:07 GMT", now), 7_000);
      assert.equal(parseRetryAfter("Mon, 23 Nov 2026 09:59:00 GMT", now), 0);
      assert.equal(parseRetryAfter(undefined, now), undefined);
      assert.equal(parseRetryAfter("", now), undefined);
      assert.equal(parseRetryAfter("soon", now), undefined);
      assert.equal(parseRetryAfter("-3", now), undefined);
    });
  });

  describe("mayRepeat", () => {
    const reset = new NetworkError("x", { code: "ECONNRESET", cause: errno("ECONNRESET"), retryable: true });
    const refused = new NetworkError("x", {
      code: "ECONNREFUSED",
      cause: errno("ECONNREFUSED"),
      retryable: true,
    });
    const status500 = new ServiceError("x", { statusCode: 500 });
    const status429 = new ThrottledError("x", { statusCode: 429 });
    const status404 = new ServiceError("x", { statusCode: 404 });

    it("repeats idempotent requests on any retryable failure", () => {
      for (const error of [reset, refused, status500, status429]) assert.equal(mayRepeat(error, true), true);
      assert.equal(mayRepeat(status404, true), false);
    });

    it("repeats a non-idempotent request only if it never reached the server or was not carried out", () => {
      assert.equal(mayRepeat(reset, false), false);
      assert.equal(mayRepeat(status500, false), false);
      assert.equal(mayRepeat(refused, false), true);
      assert.equal(mayRepeat(status429, false), true);
      assert.equal(
        mayRepeat(new ServiceError("x", { statusCode: 409, code: "IncorrectState" }), false),
        true,
      );
    });
  });

  describe("retry()", () => {
    it("returns the first success and how many attempts it took", async () => {
      let calls = 0;
      const result = await retry(
        async (n) => {
          calls++;
          if (n < 3) throw errno("ECONNRESET");
          return "ok";
        },
        { policy: tiny, idempotent: true },
      );
      assert.deepEqual(result, { value: "ok", attempts: 3 });
      assert.equal(calls, 3);
    });

    it("rethrows a non-retryable error at once, with attempts recorded", async () => {
      const error = new ServiceError("nope", { statusCode: 400 });
      await assert.rejects(
        retry(
          async () => {
            throw error;
          },
          { policy: tiny, idempotent: true },
        ),
        (thrown: unknown) => thrown === error && error.attempts === 1 && error.message === "nope",
      );
    });

    it("reports each retry with the wait it chose, the service's Retry-After winning over a shorter backoff", async () => {
      const events: RetryEvent[] = [];
      const pending = retry(
        async (n) => {
          if (n === 1) throw new ThrottledError("slow down", { statusCode: 429, retryAfterMs: 30 });
          throw new ServiceError("x", { statusCode: 503 });
        },
        {
          policy: { baseDelayMs: 5, maxDelayMs: 100, jitterMs: 0 },
          idempotent: false,
          onRetry: (e) => events.push(e),
        },
      );
      await assert.rejects(
        pending,
        { statusCode: 503, attempts: 2 },
        "a 503 on a non-idempotent request is final",
      );
      assert.deepEqual(
        events.map((e) => [e.attempt, e.delayMs]),
        [[1, 30]],
      );
    });

    it("stops when the next wait would pass maxTotalMs", async () => {
      let calls = 0;
      await assert.rejects(
        retry(
          async () => {
            calls++;
            throw new ServiceError("x", { statusCode: 503 });
          },
          { policy: { baseDelayMs: 40, maxDelayMs: 40, jitterMs: 0, maxTotalMs: 100 }, idempotent: true },
        ),
        (error: unknown) => error instanceof ServiceError && error.attempts === calls,
      );
      assert.ok(calls >= 2 && calls <= 3, `made ${calls} attempts`);
    });

    it("rejects with AbortedError when aborted during a wait", async () => {
      const controller = new AbortController();
      const pending = retry(
        async () => {
          queueMicrotask(() => controller.abort(new Error("stop")));
          throw errno("ECONNRESET");
        },
        { policy: { baseDelayMs: 60_000, maxDelayMs: 60_000 }, idempotent: true, signal: controller.signal },
      );
      await assert.rejects(
        pending,
        (error: unknown) => error instanceof AbortedError && error.cause instanceof Error,
      );
    });

    it("validates the policy before the first attempt", async () => {
      let calls = 0;
      await assert.rejects(
        retry(
          async () => {
            calls++;
          },
          { policy: { maxAttempts: -1 }, idempotent: true },
        ),
        TypeError,
      );
      assert.equal(calls, 0);
    });
  });
});
