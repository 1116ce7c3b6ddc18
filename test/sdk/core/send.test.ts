import { strict as assert } from "node:assert";
import { createServer } from "node:net";
import { Readable } from "node:stream";
import { inspect } from "node:util";
import { Agent } from "undici";
import { closeSharedDispatchers, sharedDispatcher, type ClientContext } from "../../../sdk/core/client";
import { mayHaveReachedServer } from "../../../sdk/core/classify";
import {
  AbortedError,
  AuthenticationError,
  ConflictError,
  NetworkError,
  NotFoundError,
  PreconditionFailedError,
  ServiceError,
  ThrottledError,
} from "../../../sdk/core/errors";
import { rateLimiterSnapshot, resetRateLimiters } from "../../../sdk/core/rate-limiter";
import { send } from "../../../sdk/core/send";
import { userAgent } from "../../../sdk/core/version";
import { CountingSigner, hang, json, parseTestErrorBody, reset, TestServer } from "./helpers";

const tinyRetry = { baseDelayMs: 1, maxDelayMs: 4, jitterMs: 0 } as const;

describe("sdk/core send()", function () {
  this.timeout(20_000);
  let server: TestServer;
  let agent: Agent;
  let signer: CountingSigner;

  function context(extra: Partial<ClientContext> = {}): ClientContext {
    return {
      endpoint: new URL("/20181201", server.url),
      signer,
      parseErrorBody: parseTestErrorBody,
      dispatcher: agent,
      retry: tinyRetry,
      ...extra,
    };
  }

  before(async () => {
    server = await TestServer.start();
    agent = new Agent({ keepAliveTimeout: 10_000 });
  });
  beforeEach(() => {
    server.reset();
    signer = new CountingSigner();
    // The limiter is process-wide: start each test with a fresh one, not one a 429 test slowed down.
    resetRateLimiters();
  });
  after(async () => {
    await agent.close();
    await server.close();
  });

  describe("requests", () => {
    it("joins the endpoint path and the request path, encodes the query, and decodes a JSON answer", async () => {
      server.queue(json(200, { id: "fn1" }, { "opc-request-id": "req-1" }));
      const response = await send<{ id: string }>(context(), {
        operation: "GetFunction",
        method: "GET",
        path: "/functions/ocid1.fnfunc.oc1..a%2Fb",
        query: { limit: 5, name: "a b&c", missing: undefined, state: ["ACTIVE", "FAILED"], flag: true },
      });
      assert.deepEqual(response.body, { id: "fn1" });
      assert.equal(response.statusCode, 200);
      assert.equal(response.requestId, "req-1");
      assert.equal(response.attempts, 1);
      assert.equal(
        server.requests[0]?.url,
        "/20181201/functions/ocid1.fnfunc.oc1..a%2Fb?limit=5&name=a%20b%26c&state=ACTIVE&state=FAILED&flag=true",
      );
    });

    it("keeps a raw `?` or `#` of the request path in the path, and sends no query when none is set", async () => {
      server.queue(json(200, {}));
      server.queue(json(200, {}));
      await send(context({ endpoint: new URL("/v2/", server.url) }), {
        operation: "GetThing",
        method: "GET",
        path: "/things/a?b#c d",
      });
      await send(context(), {
        operation: "ListThings",
        method: "GET",
        path: "/things",
        query: { x: undefined },
      });
      assert.equal(server.requests[0]?.url, "/v2/things/a%3Fb%23c%20d");
      assert.equal(server.requests[1]?.url, "/20181201/things");
    });

    it("sends user-agent fnstack/<version>, accept application/json, and JSON bodies with their type and length", async () => {
      const body = { displayName: "é-app", config: { A: "1" } };
      await send(context(), { operation: "CreateApplication", method: "POST", path: "/applications", body });
      const received = server.requests[0];
      assert.ok(received);
      assert.match(userAgent, /^fnstack\/\d+\.\d+\.\d+/);
      assert.equal(received.headers["user-agent"], userAgent);
      assert.equal(received.headers.accept, "application/json");
      assert.equal(received.headers["content-type"], "application/json");
      const bytes = Buffer.from(JSON.stringify(body), "utf8");
      assert.equal(received.headers["content-length"], String(bytes.length));
      assert.deepEqual(received.body, bytes);
    });

    it("sends a Buffer body as is and content-length 0 for a body-less POST", async () => {
      await send(context(), {
        operation: "InvokeFunction",
        method: "POST",
        path: "/invoke",
        body: Buffer.from([0, 1, 2]),
        responseType: "buffer",
      });
      await send(context(), { operation: "Action", method: "POST", path: "/actions/start" });
      assert.deepEqual(server.requests[0]?.body, Buffer.from([0, 1, 2]));
      assert.equal(server.requests[0]?.headers["content-type"], "application/octet-stream");
      assert.equal(server.requests[1]?.headers["content-length"], "0");
    });

    it("returns undefined for an empty JSON answer and raw text or bytes on request", async () => {
      server.queue(
        (_r, res) => res.writeHead(204).end(),
        (_r, res) => res.writeHead(200, { "content-type": "text/plain" }).end("hello"),
        (_r, res) => res.writeHead(200).end(Buffer.from([9, 8])),
      );
      const empty = await send(context(), { operation: "DeleteThing", method: "DELETE", path: "/t" });
      const text = await send(context(), { operation: "T", method: "GET", path: "/t", responseType: "text" });
      const bytes = await send(context(), {
        operation: "B",
        method: "GET",
        path: "/t",
        responseType: "buffer",
      });
      assert.equal(empty.body, undefined);
      assert.equal(text.body, "hello");
      assert.deepEqual(bytes.body, Buffer.from([9, 8]));
    });

    it("rejects a 2xx answer whose body is not JSON with InvalidResponseBody", async () => {
      server.queue((_r, res) => res.writeHead(200).end("<html>"));
      await assert.rejects(send(context(), { operation: "GetThing", method: "GET", path: "/t" }), {
        name: "ServiceError",
        code: "InvalidResponseBody",
        statusCode: 200,
      });
      assert.equal(server.requests.length, 1);
    });
  });

  describe("errors", () => {
    const cases = [
      [400, "InvalidParameter", ServiceError, false],
      [401, "NotAuthenticated", AuthenticationError, false],
      [403, "NotAuthorized", AuthenticationError, false],
      [404, "NotAuthorizedOrNotFound", NotFoundError, false],
      [409, "Conflict", ConflictError, false],
      [412, "NoEtagMatch", PreconditionFailedError, false],
      [501, "MethodNotImplemented", ServiceError, false],
    ] as const;
    for (const [status, code, errorClass, retryable] of cases) {
      it(`maps HTTP ${status} ${code} to ${errorClass.name} with code, message, status and request id`, async () => {
        server.queue(
          json(status, { code, message: `went wrong ${status}` }, { "opc-request-id": `rid-${status}` }),
        );
        const error = await send(context(), {
          operation: "GetFunction",
          method: "GET",
          path: "/functions/x",
          resource: "function ocid1.fnfunc.oc1..x",
        }).catch((e: unknown) => e);
        assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${inspect(error)}`);
        assert.equal(error.code, code);
        assert.equal(error.statusCode, status);
        assert.equal(error.requestId, `rid-${status}`);
        assert.equal(error.retryable, retryable);
        assert.equal(error.attempts, 1);
        for (const part of ["GetFunction", "function ocid1.fnfunc.oc1..x", String(status), code]) {
          assert.ok(error.message.includes(part), `message lacks ${part}: ${error.message}`);
        }
        assert.ok(error.message.includes(`went wrong ${status}`));
        assert.ok(error.message.includes(`rid-${status}`));
        assert.equal(server.requests.length, 1, "a non-retryable answer is not repeated");
      });
    }

    it("captures x-request-id when there is no opc-request-id, and names a code-less answer by its status", async () => {
      server.queue((_r, res) => res.writeHead(400, { "x-request-id": "xr-9" }).end("bad"));
      await assert.rejects(send(context(), { operation: "ListFunctions", method: "GET", path: "/f" }), {
        code: "HTTP400",
        requestId: "xr-9",
        message: /ListFunctions failed: HTTP 400 HTTP400.*xr-9/,
      });
    });

    it("keeps the HTTP error when the error-body parser throws", async () => {
      server.queue(json(418, {}));
      const ctx = context({
        parseErrorBody: () => {
          throw new Error("parser bug");
        },
      });
      await assert.rejects(send(ctx, { operation: "Teapot", method: "GET", path: "/t" }), {
        name: "ServiceError",
        statusCode: 418,
      });
    });

    it("puts no request header, body or signature secret into service or network errors", async () => {
      const secrets = ["header-secret-123", "body-secret-456", "signing-secret-789"];
      signer = new CountingSigner(secrets[2]);
      const request = {
        operation: "CreateThing",
        method: "POST",
        path: "/things",
        headers: { "x-api-key": secrets[0] as string },
        body: { password: secrets[1] },
      } as const;
      server.queue(json(400, { code: "InvalidParameter", message: "bad input" }), reset);
      const serviceError = await send(context(), request).catch((e: unknown) => e);
      const networkError = await send(context(), request).catch((e: unknown) => e);
      assert.ok(serviceError instanceof ServiceError);
      assert.ok(networkError instanceof NetworkError);
      for (const error of [serviceError, networkError]) {
        const renderings = [
          error.message,
          String(error.stack),
          JSON.stringify(error),
          inspect(error, { depth: 10, showHidden: true }),
        ];
        for (const text of renderings) {
          for (const secret of secrets) assert.ok(!text.includes(secret), `leaked ${secret} in ${text}`);
        }
      }
    });
  });

  describe("retries", () => {
    it("honours Retry-After: the next attempt arrives no sooner than the advertised delay after the answer", async () => {
      server.queue(json(503, { code: "ServiceUnavailable" }, { "retry-after": "1" }), json(200, { ok: 1 }));
      const response = await send(context(), { operation: "GetThing", method: "GET", path: "/t" });
      assert.equal(response.attempts, 2);
      const [first, second] = server.requests;
      assert.ok(first?.answeredAt !== undefined && second !== undefined);
      // Timers have 1 ms granularity; the backoff alone would be 1 ms.
      assert.ok(
        second.arrivedAt - first.answeredAt >= 999,
        `gap ${second.arrivedAt - first.answeredAt} ms < 1000 ms`,
      );
    });

    it("repeats a 429 after its Retry-After alone, without counting it against maxAttempts", async () => {
      const throttle = json(429, { code: "TooManyRequests" }, { "retry-after": "0.05" });
      server.queue(throttle, throttle, throttle, json(200, { ok: 1 }));
      // Exponential backoff would wait 1, 2 and 4 s here; maxAttempts 2 would stop at the second 429.
      const ctx = context({ retry: { baseDelayMs: 1_000, maxDelayMs: 4_000, jitterMs: 0, maxAttempts: 2 } });
      const started = Date.now();
      const response = await send(ctx, { operation: "GetThing", method: "GET", path: "/t" });
      assert.equal(response.attempts, 4);
      assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
      const stats = Object.values(rateLimiterSnapshot().limiters)[0];
      assert.equal(stats?.throttles, 3, "the limiter heard of every 429");
      assert.ok((stats?.requestsPerSecond ?? 50) < 50, "and slowed down");
    });

    it("keeps at most the per-host cap of requests in flight, and none with rateLimit: false", async () => {
      const ok = json(200, {});
      server.reset((request, response, index) => void setTimeout(() => ok(request, response, index), 50));
      const calls = Array.from({ length: 40 }, (_, i) =>
        send(context(), { operation: "GetThing", method: "GET", path: `/t/${i}` }),
      );
      await Promise.all(calls);
      const host = Object.values(rateLimiterSnapshot().hosts)[0];
      assert.equal(host?.peak, 16);
      assert.equal(host?.inFlight, 0);
      resetRateLimiters();
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          send(context({ rateLimit: false }), { operation: "GetThing", method: "GET", path: `/u/${i}` }),
        ),
      );
      assert.deepEqual(rateLimiterSnapshot().hosts, {});
    });

    it("gives up at once when Retry-After would pass the total-time cap", async () => {
      server.queue(json(429, { code: "TooManyRequests" }, { "retry-after": "30" }));
      await assert.rejects(
        send(context({ retry: { ...tinyRetry, maxTotalMs: 1_000 } }), {
          operation: "GetThing",
          method: "GET",
          path: "/t",
        }),
        (error: unknown) =>
          error instanceof ThrottledError && error.attempts === 1 && error.retryAfterMs === 30_000,
      );
      assert.equal(server.requests.length, 1);
    });

    it("retries 500, 502, 503 and 504 with exponentially growing waits", async () => {
      server.queue(
        json(500, { code: "InternalServerError" }),
        json(502, {}),
        json(503, { code: "ServiceUnavailable" }),
        json(504, {}),
        json(200, { ok: true }),
      );
      const ctx = context({ retry: { baseDelayMs: 20, maxDelayMs: 1_000, jitterMs: 0 } });
      const response = await send(ctx, { operation: "GetThing", method: "GET", path: "/t" });
      assert.equal(response.attempts, 5);
      assert.equal(server.requests.length, 5);
      for (let i = 1; i < 5; i++) {
        const gap = (server.requests[i]?.arrivedAt ?? 0) - (server.requests[i - 1]?.answeredAt ?? Infinity);
        const expected = 20 * 2 ** (i - 1);
        assert.ok(gap >= expected - 1, `wait before attempt ${i + 1} was ${gap} ms, expected >= ${expected}`);
      }
    });

    it("stops after maxAttempts and records the attempts on the error", async () => {
      server.reset(json(500, { code: "InternalServerError", message: "boom" }));
      const error = await send(context({ retry: { ...tinyRetry, maxAttempts: 3 } }), {
        operation: "GetThing",
        method: "GET",
        path: "/t",
      }).catch((e: unknown) => e);
      assert.ok(error instanceof ServiceError);
      assert.equal(error.attempts, 3);
      assert.match(error.message, /gave up after 3 attempts/);
      assert.equal(server.requests.length, 3);
    });

    it("retries a GET whose connection was reset, with growing waits", async () => {
      server.queue(reset, reset, json(200, { ok: true }));
      const ctx = context({ retry: { baseDelayMs: 20, maxDelayMs: 1_000, jitterMs: 0 } });
      const response = await send(ctx, { operation: "GetThing", method: "GET", path: "/t" });
      assert.equal(response.attempts, 3);
      assert.deepEqual(response.body, { ok: true });
      const [first, second, third] = server.requests.map((r) => r.arrivedAt);
      assert.ok(first !== undefined && second !== undefined && third !== undefined);
      assert.ok(second - first >= 19, `first wait ${second - first} ms, expected >= 20`);
      assert.ok(third - second >= 39, `second wait ${third - second} ms, expected >= 40`);
    });

    it("signs every attempt afresh: a new request object, a fresh date and a fresh signature", async () => {
      server.queue(json(500, {}), json(503, {}), json(200, {}));
      await send(context(), { operation: "GetThing", method: "GET", path: "/t" });
      assert.equal(signer.attempts.length, 3);
      const received = server.requests.map((r) => r.headers);
      assert.deepEqual(
        received.map((h) => h["x-attempt"]),
        ["1", "2", "3"],
      );
      assert.equal(new Set(received.map((h) => h.authorization)).size, 3);
      const dates = received.map((h) => Date.parse(String(h["x-date"])));
      assert.ok(dates.every((d, i) => i === 0 || d >= (dates[i - 1] ?? Infinity)));
      const times = signer.attempts.map((a) => a.signedAt);
      assert.ok(times.every((t, i) => i === 0 || t > (times[i - 1] ?? Infinity)));
      assert.notEqual(signer.attempts[0]?.request, signer.attempts[1]?.request);
    });

    it("does not repeat a POST without an idempotency token once it reached the server (reset)", async () => {
      server.queue(reset, json(200, {}));
      const error = await send(context(), {
        operation: "CreateApplication",
        method: "POST",
        path: "/applications",
        body: { displayName: "a" },
      }).catch((e: unknown) => e);
      assert.ok(error instanceof NetworkError, inspect(error));
      assert.equal(error.retryable, true);
      assert.equal(error.attempts, 1);
      assert.equal(server.requests.length, 1);
    });

    it("does not repeat a POST without an idempotency token after a 5xx answer", async () => {
      server.queue(json(500, { code: "InternalServerError" }), json(200, {}));
      await assert.rejects(
        send(context(), { operation: "CreateApplication", method: "POST", path: "/applications", body: {} }),
        { statusCode: 500, attempts: 1 },
      );
      assert.equal(server.requests.length, 1);
    });

    it("repeats a POST carrying an idempotency token, with the same token on every attempt", async () => {
      server.queue(reset, json(503, {}), json(200, { id: "ci1" }));
      const response = await send(context(), {
        operation: "CreateContainerInstance",
        method: "POST",
        path: "/containerInstances",
        headers: { "Opc-Retry-Token": "token-abc" },
        idempotencyTokenHeader: "opc-retry-token",
        body: {},
      });
      assert.equal(response.attempts, 3);
      assert.deepEqual(
        server.requests.map((r) => r.headers["opc-retry-token"]),
        ["token-abc", "token-abc", "token-abc"],
      );
    });

    it("opens a streamed body anew for every attempt and sends its bytes with its length", async () => {
      server.queue(reset, json(503, {}), json(200, {}));
      const bytes = Buffer.from("streamed body bytes");
      let opens = 0;
      const streamedBody = {
        length: bytes.length,
        sha256: "unused-by-this-signer",
        open: () => (opens++, Readable.from([bytes.subarray(0, 5), bytes.subarray(5)])),
      };
      const request = {
        operation: "InvokeFunction",
        method: "POST",
        path: "/invoke",
        idempotencyTokenHeader: "opc-retry-token",
        streamedBody,
      } as const;
      const response = await send(context(), request);
      assert.equal(response.attempts, 3);
      assert.equal(opens, 3);
      for (const received of server.requests) {
        assert.deepEqual(received.headers["content-length"], String(bytes.length));
        assert.equal(received.headers["content-type"], "application/octet-stream");
      }
      assert.deepEqual(server.requests[2]?.body, bytes);
      await assert.rejects(
        send(context(), { ...request, body: bytes }),
        /`body` or `streamedBody`, not both/,
      );
      assert.equal(opens, 3, "a rejected request opens nothing");
    });

    it("generates one idempotency token per call when the named header has no value", async () => {
      server.queue(reset, json(200, {}), json(200, {}));
      const request = {
        operation: "CreateContainerInstance",
        method: "POST",
        path: "/containerInstances",
        idempotencyTokenHeader: "opc-retry-token",
        body: {},
      } as const;
      await send(context(), request);
      await send(context(), request);
      const tokens = server.requests.map((r) => r.headers["opc-retry-token"]);
      assert.equal(tokens.length, 3);
      assert.match(String(tokens[0]), /^[0-9a-f-]{36}$/);
      assert.equal(tokens[0], tokens[1], "retries of one call reuse its token");
      assert.notEqual(tokens[1], tokens[2], "a new call gets a new token");
    });

    it("repeats a POST answered 429 or 409 IncorrectState: the service did not carry it out", async () => {
      server.queue(
        json(429, { code: "TooManyRequests" }),
        json(409, { code: "IncorrectState" }),
        json(200, { id: "app1" }),
      );
      const response = await send(context(), {
        operation: "CreateApplication",
        method: "POST",
        path: "/applications",
        body: {},
      });
      assert.equal(response.attempts, 3);
      assert.equal(server.requests.length, 3);
    });

    it("does not repeat a 409 Conflict", async () => {
      server.queue(json(409, { code: "Conflict" }), json(200, {}));
      await assert.rejects(
        send(context(), { operation: "UpdateThing", method: "PUT", path: "/t", body: {} }),
        {
          name: "ConflictError",
          retryable: false,
        },
      );
      assert.equal(server.requests.length, 1);
    });

    it("repeats a POST whose connection was refused (it never reached a server)", async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const { port } = closed.address() as { port: number };
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const error = await send(
        context({
          endpoint: new URL(`http://127.0.0.1:${port}/v1`),
          retry: { ...tinyRetry, maxAttempts: 3 },
        }),
        { operation: "CreateApplication", method: "POST", path: "/applications", body: {} },
      ).catch((e: unknown) => e);
      assert.ok(error instanceof NetworkError, inspect(error));
      assert.equal(error.code, "ECONNREFUSED");
      assert.equal(mayHaveReachedServer(error), false);
      assert.equal(error.attempts, 3);
      assert.equal(signer.attempts.length, 3);
      assert.ok(error.cause instanceof Error);
      assert.match(error.message, /CreateApplication failed: no answer from 127\.0\.0\.1:\d+: ECONNREFUSED/);
    });

    it("times out a silent server after readTimeoutMs and retries the GET", async () => {
      server.queue(hang, json(200, { ok: true }));
      const response = await send(context({ readTimeoutMs: 200 }), {
        operation: "GetThing",
        method: "GET",
        path: "/t",
      });
      assert.equal(response.attempts, 2);
    });

    it("reports a read timeout as a retryable NetworkError that may have reached the server", async () => {
      server.reset(hang);
      const error = await send(context({ readTimeoutMs: 100, retry: { ...tinyRetry, maxAttempts: 1 } }), {
        operation: "GetThing",
        method: "GET",
        path: "/t",
      }).catch((e: unknown) => e);
      assert.ok(error instanceof NetworkError, inspect(error));
      assert.equal(error.code, "UND_ERR_HEADERS_TIMEOUT");
      assert.equal(error.retryable, true);
      assert.equal(mayHaveReachedServer(error), true);
    });
  });

  describe("bodies and connections", () => {
    it("consumes every error body: 40 sequential error answers over a 1-connection agent do not hang", async () => {
      const single = new Agent({ connections: 1, pipelining: 1 });
      try {
        const big = "x".repeat(256 * 1024);
        server.reset(json(404, { code: "NotAuthorizedOrNotFound", message: "no", padding: big }));
        const ctx = context({ dispatcher: single, retry: { maxAttempts: 1 } });
        for (let i = 0; i < 40; i++) {
          await assert.rejects(
            send(ctx, { operation: "GetThing", method: "GET", path: `/t/${i}` }),
            NotFoundError,
          );
        }
        server.reset(json(500, { padding: big }));
        await assert.rejects(
          send(context({ dispatcher: single, retry: { ...tinyRetry, maxAttempts: 5 } }), {
            operation: "GetThing",
            method: "GET",
            path: "/t",
          }),
          { statusCode: 500, attempts: 5 },
        );
        assert.equal(server.requests.length, 5);
      } finally {
        await single.close();
      }
    });
  });

  describe("abort", () => {
    it("rejects with AbortedError when the signal aborts while waiting for an answer", async () => {
      server.reset(hang);
      const controller = new AbortController();
      const pending = send(context(), { operation: "GetThing", method: "GET", path: "/t" }, controller);
      setTimeout(() => controller.abort(new Error("user pressed ^C")), 50);
      await assert.rejects(
        pending,
        (error: unknown) => error instanceof AbortedError && /GetThing/.test(error.message),
      );
    });

    it("rejects with AbortedError when the signal aborts during a backoff wait, without another attempt", async () => {
      server.reset(json(503, {}, { "retry-after": "60" }));
      const controller = new AbortController();
      const pending = send(context(), { operation: "GetThing", method: "GET", path: "/t" }, controller);
      const watcher = setInterval(() => {
        if (server.requests[0]?.answeredAt !== undefined) {
          clearInterval(watcher);
          controller.abort();
        }
      }, 5);
      await assert.rejects(pending, AbortedError);
      assert.equal(server.requests.length, 1);
    });

    it("sends nothing when the signal is already aborted", async () => {
      await assert.rejects(
        send(
          context(),
          { operation: "GetThing", method: "GET", path: "/t" },
          { signal: AbortSignal.abort() },
        ),
        AbortedError,
      );
      assert.equal(server.requests.length, 0);
    });
  });

  describe("default dispatcher", () => {
    after(closeSharedDispatchers);

    it("uses one shared keep-alive agent per connect timeout when the context has none", async () => {
      const ctx = context({ dispatcher: undefined });
      await send(ctx, { operation: "GetThing", method: "GET", path: "/a" });
      await send(ctx, { operation: "GetThing", method: "GET", path: "/b" });
      assert.equal(server.requests.length, 2);
      assert.equal(server.requests[0]?.headers.connection, "keep-alive");
      assert.equal(sharedDispatcher(), sharedDispatcher(10_000));
      assert.notEqual(sharedDispatcher(), sharedDispatcher(2_000));
    });
  });

  describe("options", () => {
    const request = { operation: "GetThing", method: "GET", path: "/t" } as const;
    const badContexts: [Partial<ClientContext>, RegExp][] = [
      [{ endpoint: "http://x" as never }, /Expected `endpoint` to be a URL/],
      [{ signer: {} as never }, /Expected `signer`/],
      [{ parseErrorBody: undefined as never }, /Expected `parseErrorBody`/],
      [{ connectTimeoutMs: 0 }, /Expected `connectTimeoutMs` to be a positive finite number/],
      [{ readTimeoutMs: Number.NaN }, /Expected `readTimeoutMs`/],
    ];
    for (const [override, message] of badContexts) {
      it(`rejects a bad context eagerly: ${message.source}`, async () => {
        await assert.rejects(send(context(override), request), { name: "TypeError", message });
        assert.equal(server.requests.length, 0);
      });
    }

    it("rejects a bad request eagerly", async () => {
      await assert.rejects(send(context(), { ...request, path: "t" }), /Expected `path` to start with `\/`/);
      await assert.rejects(send(context(), { ...request, operation: "" }), /Expected `operation`/);
      await assert.rejects(send(context(), { ...request, method: "TRACE" as never }), /Expected `method`/);
      assert.equal(server.requests.length, 0);
    });

    it("rejects a bad retry policy eagerly with a TypeError naming the option", async () => {
      await assert.rejects(
        send(context({ retry: { maxAttempts: 0 } }), { operation: "GetThing", method: "GET", path: "/t" }),
        new TypeError("Expected `maxAttempts` to be a positive integer"),
      );
      assert.equal(server.requests.length, 0);
    });
  });
});
