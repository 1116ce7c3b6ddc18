/** A scripted HTTP server on 127.0.0.1:0 for client tests: records each request, answers from a queue. */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ClientContext } from "../../../../sdk/core/client";
import { parseOciErrorBody } from "../../../../sdk/oci/error-body";

export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

export interface Reply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

export interface StubServer {
  readonly requests: Recorded[];
  /** Queues answers; when the queue is empty, `fallback` answers. */
  reply(...replies: Reply[]): void;
  fallback: (req: Recorded) => Reply;
  context(versionPath?: string): ClientContext;
  close(): Promise<void>;
}

export async function startStubServer(): Promise<StubServer> {
  const requests: Recorded[] = [];
  const queue: Reply[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      const reply = queue.shift() ?? stub.fallback(recorded);
      const body =
        reply.body === undefined
          ? ""
          : typeof reply.body === "string"
            ? reply.body
            : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, {
        "content-type": "application/json",
        "opc-request-id": `req-${requests.length}`,
        ...reply.headers,
      });
      res.end(body);
    });
  });
  const stub: StubServer = {
    requests,
    reply: (...replies) => void queue.push(...replies),
    fallback: () => ({
      status: 404,
      body: { code: "NotAuthorizedOrNotFound", message: "no scripted reply" },
    }),
    context(versionPath = "/20181201") {
      const { port } = server.address() as AddressInfo;
      return {
        endpoint: new URL(`http://127.0.0.1:${port}${versionPath}`),
        signer: { sign: async (r) => void (r.headers.authorization = "Signature test") },
        parseErrorBody: parseOciErrorBody,
        retry: { baseDelayMs: 1, maxDelayMs: 5, jitterMs: 0 },
      };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return stub;
}
