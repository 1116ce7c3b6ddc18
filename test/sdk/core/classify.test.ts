import { strict as assert } from "node:assert";
import {
  isRetryable,
  isRetryableStatus,
  isThrottle,
  mayHaveReachedServer,
  wasNotCarriedOut,
} from "../../../sdk/core/classify";
import {
  AbortedError,
  ConflictError,
  NetworkError,
  NotFoundError,
  ServiceError,
  ThrottledError,
  ValidationError,
} from "../../../sdk/core/errors";

function errno(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe("sdk/core classification", () => {
  describe("isRetryableStatus", () => {
    it("retries 429, 500, 502, 503, 504 and 409 IncorrectState only", () => {
      for (const status of [429, 500, 502, 503, 504])
        assert.equal(isRetryableStatus(status), true, `${status}`);
      for (const status of [400, 401, 403, 404, 405, 409, 412, 501]) {
        assert.equal(isRetryableStatus(status), false, `${status}`);
      }
      assert.equal(isRetryableStatus(409, "IncorrectState"), true);
      assert.equal(isRetryableStatus(409, "Conflict"), false);
      assert.equal(isRetryableStatus(409, "NotAuthorizedOrResourceAlreadyExists"), false);
    });
  });

  describe("isRetryable", () => {
    it("follows the status of a service error, whatever its retryable flag says", () => {
      assert.equal(isRetryable(new ServiceError("x", { statusCode: 503 })), true);
      assert.equal(isRetryable(new ThrottledError("x", { statusCode: 429, code: "TooManyRequests" })), true);
      assert.equal(isRetryable(new ConflictError("x", { statusCode: 409, code: "IncorrectState" })), true);
      assert.equal(isRetryable(new ConflictError("x", { statusCode: 409, code: "Conflict" })), false);
      assert.equal(isRetryable(new NotFoundError("x", { statusCode: 404, retryable: true })), false);
      assert.equal(isRetryable(new ServiceError("x", { statusCode: 501 })), false);
    });

    it("retries transient network errors, raw or wrapped, and not an unknown host", () => {
      for (const code of [
        "ECONNRESET",
        "ECONNREFUSED",
        "EPIPE",
        "ETIMEDOUT",
        "EAI_AGAIN",
        "UND_ERR_SOCKET",
      ]) {
        assert.equal(isRetryable(errno(code)), true, code);
      }
      assert.equal(isRetryable(errno("UND_ERR_CONNECT_TIMEOUT")), true);
      assert.equal(isRetryable(errno("UND_ERR_HEADERS_TIMEOUT")), true);
      assert.equal(isRetryable(errno("ENOTFOUND")), false);
      const wrapped = new TypeError("fetch failed", {
        cause: new Error("socket", { cause: errno("ECONNRESET") }),
      });
      assert.equal(isRetryable(wrapped), true);
      assert.equal(
        isRetryable(new NetworkError("x", { code: "NetworkError", cause: errno("ECONNRESET") })),
        true,
      );
    });

    it("never retries aborts, validation errors, plain errors or non-errors", () => {
      assert.equal(isRetryable(new AbortedError("x", { cause: errno("ECONNRESET") })), false);
      assert.equal(isRetryable(new DOMException("aborted", "AbortError")), false);
      assert.equal(isRetryable(errno("UND_ERR_ABORTED")), false);
      assert.equal(isRetryable(new ValidationError([{ property: "a", reason: "b" }])), false);
      assert.equal(isRetryable(new Error("bug")), false);
      assert.equal(isRetryable(undefined), false);
      assert.equal(isRetryable("ECONNRESET"), false);
    });

    it("survives a cause cycle", () => {
      const a = new Error("a") as Error & { cause?: unknown };
      const b = new Error("b", { cause: a });
      a.cause = b;
      assert.equal(isRetryable(a), false);
    });
  });

  describe("isThrottle", () => {
    it("recognises 429 and throttling codes, also in a cause", () => {
      assert.equal(isThrottle(new ThrottledError("x", { statusCode: 429 })), true);
      assert.equal(isThrottle(new ServiceError("x", { statusCode: 400, code: "TooManyRequests" })), true);
      assert.equal(isThrottle(new Error("w", { cause: new ServiceError("x", { statusCode: 429 }) })), true);
      assert.equal(isThrottle(new ServiceError("x", { statusCode: 503 })), false);
      assert.equal(isThrottle(errno("ECONNRESET")), false);
    });
  });

  describe("mayHaveReachedServer", () => {
    it("is false only for failures while connecting", () => {
      for (const code of [
        "ECONNREFUSED",
        "ENOTFOUND",
        "EAI_AGAIN",
        "EHOSTUNREACH",
        "UND_ERR_CONNECT_TIMEOUT",
      ]) {
        assert.equal(mayHaveReachedServer(errno(code)), false, code);
        assert.equal(
          mayHaveReachedServer(new NetworkError("x", { cause: errno(code) })),
          false,
          `wrapped ${code}`,
        );
      }
    });

    it("is true for resets, read timeouts, any HTTP answer and anything unknown", () => {
      for (const code of [
        "ECONNRESET",
        "EPIPE",
        "UND_ERR_SOCKET",
        "UND_ERR_HEADERS_TIMEOUT",
        "UND_ERR_BODY_TIMEOUT",
      ]) {
        assert.equal(mayHaveReachedServer(errno(code)), true, code);
      }
      assert.equal(mayHaveReachedServer(new ServiceError("x", { statusCode: 502 })), true);
      assert.equal(mayHaveReachedServer(new ThrottledError("x", { statusCode: 429 })), true);
      assert.equal(mayHaveReachedServer(new Error("mystery")), true);
      assert.equal(mayHaveReachedServer(null), true);
    });
  });

  describe("wasNotCarriedOut", () => {
    it("is true for 429 and 409 IncorrectState answers only", () => {
      assert.equal(wasNotCarriedOut(new ThrottledError("x", { statusCode: 429 })), true);
      assert.equal(
        wasNotCarriedOut(new ConflictError("x", { statusCode: 409, code: "IncorrectState" })),
        true,
      );
      assert.equal(wasNotCarriedOut(new ConflictError("x", { statusCode: 409, code: "Conflict" })), false);
      assert.equal(wasNotCarriedOut(new ServiceError("x", { statusCode: 503 })), false);
      assert.equal(wasNotCarriedOut(errno("ECONNREFUSED")), false);
    });
  });
});
