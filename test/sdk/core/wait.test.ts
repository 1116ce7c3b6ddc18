import { strict as assert } from "node:assert";
import {
  AbortedError,
  NetworkError,
  NotFoundError,
  ThrottledError,
  WaitTimeoutError,
  WorkRequestFailedError,
} from "../../../sdk/core/errors";
import {
  defaultPollSchedule,
  nextPollDelayMs,
  pollTimes,
  type PollResult,
  waitFor,
  type WaitOptions,
} from "../../../sdk/core/wait";
import { VirtualClock } from "../../../bench/virtual-clock";

const fast = { minIntervalMs: 5, maxIntervalMs: 20 } as const;

/** A poll that answers from a list of states, then repeats the last one; counts its calls. */
function scripted(states: readonly PollResult<string>[]): {
  poll: () => Promise<PollResult<string>>;
  calls: () => number;
} {
  let calls = 0;
  return {
    poll: async () => {
      const state = states[Math.min(calls, states.length - 1)];
      calls++;
      assert.ok(state);
      return state;
    },
    calls: () => calls,
  };
}

const pending = (observed: string): PollResult<string> => ({ pending: true, observed });

describe("sdk/core waitFor()", function () {
  this.timeout(10_000);

  it("resolves with the value of the first done poll, polling until then", async () => {
    const { poll, calls } = scripted([
      pending("CREATING"),
      pending("CREATING"),
      { done: true, value: "ACTIVE" },
    ]);
    const value = await waitFor(poll, { description: "app to become ACTIVE", timeoutMs: 5_000, ...fast });
    assert.equal(value, "ACTIVE");
    assert.equal(calls(), 3);
  });

  it("fails fast with the poll's error on a failed state", async () => {
    const failure = new WorkRequestFailedError("work request ocid1.wr failed", {
      workRequestId: "ocid1.wr",
      status: "FAILED",
    });
    const { poll, calls } = scripted([pending("IN_PROGRESS"), { failed: true, error: failure }]);
    await assert.rejects(
      waitFor(poll, {
        description: "work request to succeed",
        timeoutMs: 60_000,
        minIntervalMs: 5,
        maxIntervalMs: 5,
      }),
      (error: unknown) => error === failure,
    );
    assert.equal(calls(), 2, "no poll after the failed one");
  });

  it("stops at its deadline with a WaitTimeoutError naming what it awaited, the last state and the polls", async () => {
    const { poll, calls } = scripted([pending("CREATING"), pending("CREATING"), pending("UPDATING")]);
    const error = await waitFor(poll, {
      description: "container instance ocid1.ci to become ACTIVE",
      timeoutMs: 150,
      ...fast,
    }).catch((e: unknown) => e);
    assert.ok(error instanceof WaitTimeoutError, String(error));
    assert.equal(error.details.waitingFor, "container instance ocid1.ci to become ACTIVE");
    assert.equal(error.details.lastSeen, "UPDATING");
    assert.equal(error.details.polls, calls());
    assert.equal(error.details.timeoutMs, 150);
    assert.match(error.message, /container instance ocid1\.ci to become ACTIVE/);
    assert.match(error.message, /last state seen UPDATING/);
    assert.match(error.message, new RegExp(`after ${calls()} polls`));
    assert.match(error.message, /150 ms/);
  });

  it("aborts the poll in flight at the deadline", async () => {
    let sawAbort = false;
    const poll = (signal: AbortSignal): Promise<PollResult<string>> =>
      new Promise((_resolve, reject) =>
        signal.addEventListener("abort", () => {
          sawAbort = true;
          reject(new AbortedError("GetThing was aborted"));
        }),
      );
    const error = await waitFor(poll, { description: "thing", timeoutMs: 50, ...fast }).catch(
      (e: unknown) => e,
    );
    assert.ok(error instanceof WaitTimeoutError, String(error));
    assert.equal(sawAbort, true);
    assert.match(error.message, /last state seen none \(no poll answered\) after 1 polls/);
  });

  it("treats a retryable poll error as pending (observed as its code) and a terminal one as final", async () => {
    const throttled = new ThrottledError("slow", { statusCode: 429, code: "TooManyRequests" });
    let calls = 0;
    const value = await waitFor(
      async () => {
        calls++;
        if (calls === 1) throw throttled;
        if (calls === 2) throw new NetworkError("reset", { code: "ECONNRESET", retryable: true });
        return { done: true, value: calls };
      },
      { description: "thing", timeoutMs: 5_000, ...fast },
    );
    assert.equal(value, 3);

    const timeout = await waitFor(
      async () => {
        throw throttled;
      },
      { description: "thing", timeoutMs: 60, ...fast },
    ).catch((e: unknown) => e);
    assert.ok(timeout instanceof WaitTimeoutError);
    assert.equal(timeout.details.lastSeen, "TooManyRequests");
    assert.equal(timeout.cause, throttled);

    const notFound = new NotFoundError("gone", { statusCode: 404, code: "NotAuthorizedOrNotFound" });
    let terminalCalls = 0;
    await assert.rejects(
      waitFor(
        async () => {
          terminalCalls++;
          throw notFound;
        },
        { description: "thing", timeoutMs: 5_000, ...fast },
      ),
      (error: unknown) => error === notFound,
    );
    assert.equal(terminalCalls, 1);
  });

  it("waits at least a pending poll's retryAfterMs before the next poll", async () => {
    const times: number[] = [];
    await waitFor(
      async () => {
        times.push(performance.now());
        return times.length === 1
          ? { pending: true, observed: "THROTTLED", retryAfterMs: 100 }
          : { done: true, value: undefined };
      },
      { description: "thing", timeoutMs: 5_000, minIntervalMs: 1, maxIntervalMs: 1 },
    );
    assert.equal(times.length, 2);
    assert.ok((times[1] ?? 0) - (times[0] ?? 0) >= 99, `gap ${(times[1] ?? 0) - (times[0] ?? 0)} ms`);
  });

  it("rejects with AbortedError when its signal aborts, and polls nothing when already aborted", async () => {
    const controller = new AbortController();
    const { poll, calls } = scripted([pending("CREATING")]);
    const waiting = waitFor(poll, {
      description: "thing",
      timeoutMs: 60_000,
      signal: controller.signal,
      minIntervalMs: 10_000,
      maxIntervalMs: 10_000,
    });
    setImmediate(() => controller.abort(new Error("user abort")));
    const error = await waiting.catch((e: unknown) => e);
    assert.ok(error instanceof AbortedError, String(error));
    assert.match(error.message, /Waiting for thing was aborted after 1 polls \(last state seen: CREATING\)/);
    assert.equal(calls(), 1);

    const never = scripted([pending("CREATING")]);
    await assert.rejects(
      waitFor(never.poll, { description: "thing", timeoutMs: 1_000, signal: AbortSignal.abort() }),
      AbortedError,
    );
    assert.equal(never.calls(), 0);
  });

  it("rejects bad options eagerly with TypeErrors naming the option", async () => {
    const poll = async (): Promise<PollResult<void>> => ({ done: true, value: undefined });
    const base: WaitOptions = { description: "thing", timeoutMs: 1_000 };
    const cases: [Partial<Record<keyof WaitOptions, unknown>>, RegExp][] = [
      [{ description: "" }, /Expected `description` to be a non-empty string/],
      [{ timeoutMs: 0 }, /Expected `timeoutMs` to be a positive finite number/],
      [{ timeoutMs: Infinity }, /Expected `timeoutMs`/],
      [{ timeoutMs: undefined }, /Expected `timeoutMs`/],
      [{ minIntervalMs: -1 }, /Expected `minIntervalMs`/],
      [{ maxIntervalMs: Number.NaN }, /Expected `maxIntervalMs`/],
      [{ intervalFactor: -0.5 }, /Expected `intervalFactor`/],
      [{ minIntervalMs: 10, maxIntervalMs: 5 }, /Expected `maxIntervalMs` to be at least `minIntervalMs`/],
      [{ signal: {} }, /Expected `signal` to be an AbortSignal/],
    ];
    for (const [override, message] of cases) {
      await assert.rejects(waitFor(poll, { ...base, ...override } as WaitOptions), {
        name: "TypeError",
        message,
      });
    }
    await assert.rejects(waitFor(undefined as never, base), /Expected `poll` to be a function/);
  });

  it("lets one bound alone move the other default out of its way", async () => {
    const times: number[] = [];
    await waitFor(
      async () => {
        times.push(performance.now());
        return times.length < 3 ? pending("CREATING") : { done: true, value: "ACTIVE" };
      },
      { description: "thing", timeoutMs: 5_000, maxIntervalMs: 5 },
    );
    assert.equal(times.length, 3, "polled at the 5 ms maximum, not the 1 s default minimum");
  });

  it("rejects a poll that answers something other than done, failed or pending", async () => {
    await assert.rejects(
      waitFor(async () => undefined as never, { description: "thing", timeoutMs: 1_000 }),
      /Expected `poll` to resolve/,
    );
  });

  describe("on an injected clock", () => {
    it("counts each pause from the start of the poll, so slow polls do not push the schedule back", async () => {
      const clock = new VirtualClock(true);
      const starts: number[] = [];
      const waiting = waitFor(
        async () => {
          starts.push(clock.now());
          await clock.sleep(150);
          return starts.length < 4 ? { pending: true, observed: "CREATING" } : { done: true, value: 1 };
        },
        { description: "thing", timeoutMs: 60_000, minIntervalMs: 1_000, intervalFactor: 0, clock },
      );
      let settled = false;
      void waiting.then(() => (settled = true));
      await clock.run(() => settled);
      assert.equal(await waiting, 1);
      assert.deepEqual(starts, [0, 1_000, 2_000, 3_000]);
    });

    it("polls retry-after after the answer instead of the schedule's pause, never on top of it", async () => {
      const clock = new VirtualClock(true);
      const starts: number[] = [];
      const waiting = waitFor(
        async () => {
          starts.push(clock.now());
          await clock.sleep(50);
          return starts.length < 3
            ? { pending: true, observed: "IN_PROGRESS", retryAfterMs: 300 }
            : { done: true, value: "ok" };
        },
        { description: "thing", timeoutMs: 60_000, minIntervalMs: 1_000, clock },
      );
      let settled = false;
      void waiting.then(() => (settled = true));
      await clock.run(() => settled);
      assert.deepEqual(starts, [0, 350, 700]);
    });

    it("times out on the injected clock", async () => {
      const clock = new VirtualClock(true);
      const waiting = waitFor(async () => ({ pending: true, observed: "CREATING" }), {
        description: "thing",
        timeoutMs: 10_000,
        clock,
      });
      let settled = false;
      waiting.catch(() => undefined).finally(() => (settled = true));
      const end = await clock.run(() => settled);
      await assert.rejects(waiting, WaitTimeoutError);
      assert.equal(end, 10_000);
    });
  });

  describe("schedule", () => {
    it("pauses a fixed fraction of the time waited, clamped between the bounds", () => {
      assert.equal(nextPollDelayMs(0), defaultPollSchedule.minIntervalMs);
      assert.equal(nextPollDelayMs(20_000), 1_800);
      assert.equal(nextPollDelayMs(60 * 60_000), defaultPollSchedule.maxIntervalMs);
      assert.ok(Object.isFrozen(defaultPollSchedule));
    });

    it("keeps the lag within max(min, factor × duration) and the polls logarithmic before the cap", () => {
      const unclamped = { minIntervalMs: 1_000, maxIntervalMs: Infinity, intervalFactor: 0.2 };
      const counts = [10_000, 100_000, 1_000_000, 10_000_000].map((d) => pollTimes(d, unclamped).length);
      const steps = counts.slice(1).map((c, i) => c - (counts[i] ?? 0));
      // Each tenfold longer operation adds the same ~ln(10)/ln(1.2) ≈ 12.6 polls, not ten times as many.
      for (const step of steps) assert.ok(step >= 12 && step <= 14, `step ${step} in ${counts.join(",")}`);
      for (const duration of [1_000, 10_000, 60_000, 600_000, 1_200_000]) {
        const times = pollTimes(duration);
        const detected = times[times.length - 1] ?? 0;
        const { minIntervalMs, maxIntervalMs, intervalFactor } = defaultPollSchedule;
        const bound = Math.max(minIntervalMs, Math.min(maxIntervalMs, intervalFactor * detected));
        assert.ok(detected - duration <= bound, `lag ${detected - duration} ms for ${duration} ms`);
      }
    });
  });
});
