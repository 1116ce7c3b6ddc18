import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ErrorBodyParser } from "../../../sdk/core/client";
import type { OutgoingRequest, RequestSigner } from "../../../sdk/core/request";

/** One request as the test server received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** When the whole request had arrived, in milliseconds (performance.now()). */
  readonly arrivedAt: number;
  /** When the answer to it had been handed to the socket, in milliseconds; set on finish. */
  answeredAt?: number;
}

/** Answers one request; `index` counts requests from 0. */
export type Responder = (request: RecordedRequest, response: ServerResponse, index: number) => void;

/** A real node:http server on 127.0.0.1, port 0, answering from a script of responders. */
export class TestServer {
  readonly requests: RecordedRequest[] = [];
  private readonly script: Responder[] = [];
  private fallback: Responder = json(200, {});

  private constructor(
    private readonly server: Server,
    readonly url: URL,
  ) {}

  static async start(): Promise<TestServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const testServer = new TestServer(server, new URL(`http://127.0.0.1:${port}`));
    server.on("request", (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const recorded: RecordedRequest = {
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks),
          arrivedAt: performance.now(),
        };
        const index = testServer.requests.length;
        testServer.requests.push(recorded);
        res.on("finish", () => (recorded.answeredAt = performance.now()));
        const responder = testServer.script.shift() ?? testServer.fallback;
        responder(recorded, res, index);
      });
    });
    return testServer;
  }

  /** Queues responders for the next requests, in order; afterwards `fallback` answers. */
  queue(...responders: Responder[]): this {
    this.script.push(...responders);
    return this;
  }

  /** Sets the responder used once the script is empty, and clears the script and the log. */
  reset(fallback: Responder = json(200, {})): this {
    this.script.length = 0;
    this.requests.length = 0;
    this.fallback = fallback;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Answers with a JSON body and extra headers. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Responder {
  return (_request, response) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      ...headers,
    });
    response.end(text);
  };
}

/** Destroys the connection after the whole request arrived: the server may have acted on it. */
export const reset: Responder = (_request, response) => {
  response.socket?.destroy();
};

/** Never answers (for read timeouts and aborts). */
export const hang: Responder = () => undefined;

/** OCI-shaped error bodies: `{code, message}`. */
export const parseTestErrorBody: ErrorBodyParser = (_status, _headers, bodyText) => {
  try {
    const parsed = JSON.parse(bodyText) as { code?: unknown; message?: unknown };
    return {
      code: typeof parsed.code === "string" ? parsed.code : undefined,
      message: typeof parsed.message === "string" ? parsed.message : undefined,
    };
  } catch {
    return {};
  }
};

/** What a {@link CountingSigner} wrote on one attempt. */
export interface SignedAttempt {
  readonly request: OutgoingRequest;
  readonly attempt: number;
  readonly signedAt: number;
}

/**
 * A signer that stamps each attempt with a counter and the time (in `x-date` and `authorization`), and
 * fails if the request it is given was already signed (which would mean a reused OutgoingRequest).
 */
export class CountingSigner implements RequestSigner {
  readonly attempts: SignedAttempt[] = [];

  constructor(private readonly secret = "test-signing-secret") {}

  async sign(request: OutgoingRequest): Promise<void> {
    if (request.headers.authorization !== undefined) throw new Error("request was already signed");
    const attempt = this.attempts.length + 1;
    const signedAt = performance.now();
    request.headers["x-date"] = new Date().toISOString();
    request.headers["x-attempt"] = String(attempt);
    request.headers.authorization = `Test attempt=${attempt},time=${signedAt},key=${this.secret}`;
    this.attempts.push({ request, attempt, signedAt });
  }
}
