import { strict as assert } from "node:assert";
import { describe, it } from "mocha";
import { createOnce } from "../../provider/create-once";
import type { ClientContext } from "../../sdk/core/client";
import { NetworkError, ServiceError, ThrottledError, ValidationError } from "../../sdk/core/errors";

const policy = { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 2, jitterMs: 0, maxTotalMs: 10_000 };
const ctx = { retry: policy } as unknown as ClientContext;
const throttled = (): ThrottledError =>
  new ThrottledError("slow down", { statusCode: 429, code: "TooManyRequests" });
const serverError = (): ServiceError =>
  new ServiceError("boom", { statusCode: 500, code: "InternalServerError" });
const lostAnswer = (): NetworkError => new NetworkError("socket hang up", { code: "UND_ERR_SOCKET" });

describe("createOnce: the one retry loop of a create", () => {
  it("hands each attempt a context that does not retry by itself", async () => {
    const seen: (number | undefined)[] = [];
    await createOnce({
      ctx,
      description: "CreateThing",
      lookFirst: false,
      create: async (once) => {
        seen.push(once.retry?.maxAttempts);
        return "made";
      },
      find: async () => undefined,
    });
    assert.deepEqual(seen, [1]);
  });

  it("retries a burst of 429s in its own loop only, up to the policy's attempts, without looking", async () => {
    let creates = 0;
    let finds = 0;
    await assert.rejects(
      createOnce({
        ctx,
        description: "CreateThing",
        lookFirst: false,
        create: async () => {
          creates++;
          throw throttled();
        },
        find: async () => {
          finds++;
          return undefined;
        },
      }),
      /gave up after 8 attempts/,
    );
    assert.equal(creates, 8, "8 attempts in all, not 8 × 8");
    assert.equal(finds, 0, "a 429 made nothing, so nothing is looked up");
  });

  it("after a lost answer, adopts what the first attempt made instead of creating again", async () => {
    let creates = 0;
    const result = await createOnce({
      ctx,
      description: "CreateThing",
      lookFirst: false,
      create: async () => {
        creates++;
        throw lostAnswer();
      },
      find: async () => (creates > 0 ? "made-by-attempt-1" : undefined),
    });
    assert.deepEqual(result, { value: "made-by-attempt-1", adopted: true, attempts: 1 });
    assert.equal(creates, 1);
  });

  it("after a 5xx that made nothing, creates again", async () => {
    const outcomes = [serverError, undefined];
    let finds = 0;
    const result = await createOnce({
      ctx,
      description: "CreateThing",
      lookFirst: false,
      create: async () => {
        const fail = outcomes.shift();
        if (fail !== undefined) throw fail();
        return "made";
      },
      find: async () => {
        finds++;
        return undefined;
      },
    });
    assert.equal(result.value, "made");
    assert.equal(result.attempts, 2);
    assert.equal(finds, 1);
  });

  it("looks before the first attempt when asked, and never creates what exists", async () => {
    let creates = 0;
    const result = await createOnce({
      ctx,
      description: "CreateThing",
      create: async () => {
        creates++;
        return "new";
      },
      find: async () => "left-by-a-killed-run",
    });
    assert.equal(result.value, "left-by-a-killed-run");
    assert.equal(creates, 0);
  });

  it("does not repeat an error that is not retryable", async () => {
    let creates = 0;
    await assert.rejects(
      createOnce({
        ctx,
        description: "CreateThing",
        lookFirst: false,
        create: async () => {
          creates++;
          throw new ValidationError([{ property: "name", reason: "bad" }]);
        },
        find: async () => undefined,
      }),
      ValidationError,
    );
    assert.equal(creates, 1);
  });
});
