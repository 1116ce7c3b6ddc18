import { randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { handleControlRequest } from "./control";
import { FaultRules, defaultFaultCode } from "./faults";
import { RateLimiter } from "./rate-limit";
import {
  type Clock,
  type EmulatedService,
  type EmulatorRequest,
  type EmulatorResponse,
  EmulatorHttpError,
  type Principal,
  type RouteMatch,
  type Timing,
} from "./service";
import { type RequestLogEntry, RequestStats } from "./stats";
import { writeStateFile } from "./state-file";

/** Largest request body the server reads, in bytes; services apply their own smaller limits. */
export const maxRequestBodyBytes = 8 * 1024 * 1024;

const ociPrefixes = ["/20181201", "/20210415", "/20160918"];
const functionGraphPrefixes = ["/v1/", "/v2/", "/v3", "/v1.0/"];
const allMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];

/** Everything the request pipeline needs; built by `startEmulator`. */
export interface ServerOptions {
  /** The emulated clouds, asked in this order to route each request. */
  readonly services: readonly EmulatedService[];
  readonly clock: Clock;
  /** Start-up timing; `POST /_emulator/reset` restores it. */
  readonly timing: Timing;
  /** Default seed of fault-rule probability draws. */
  readonly seed?: number;
  /** `--state FILE`, written after every change and on close. */
  readonly statePath?: string;
}

/** A settled answer plus what the log needs to know about it. */
interface Outcome {
  readonly response: EmulatorResponse;
  readonly service: string;
  readonly operation?: string;
  readonly principal?: Principal;
  readonly fault?: string;
  readonly closeConnection?: boolean;
}

/** The emulator's single HTTP server: one port, one pipeline for every emulated API and the control API. */
export class EmulatorServer {
  /** Fault rules of the control API. */
  readonly faults: FaultRules;
  /** The per-tenant token bucket. */
  readonly rateLimiter: RateLimiter;
  /** Counters and the request log. */
  readonly stats = new RequestStats();
  readonly clock: Clock;
  readonly services: readonly EmulatedService[];
  /** The timing the server started with. */
  readonly initialTiming: Timing;
  /** The current timing (services read it through `ServiceContext.timing()`). */
  timing: Timing;
  #server: Server | undefined;
  #url = "";
  #sockets = new Set<Socket>();
  #dirty = false;

  constructor(private readonly options: ServerOptions) {
    this.services = options.services;
    this.clock = options.clock;
    this.timing = { ...options.timing };
    this.initialTiming = { ...options.timing };
    this.faults = new FaultRules(options.seed);
    this.rateLimiter = new RateLimiter(options.clock);
  }

  /** `http://host:port` once listening. */
  get url(): string {
    return this.#url;
  }

  /** Starts listening; resolves with the URL. */
  async listen(host: string, port: number): Promise<string> {
    const server = createServer(
      // A keep-alive window longer than Node's 5 s default: clients whose event loop is busy (signing a
      // thousand requests) otherwise reuse a socket the server just closed and see ECONNRESET.
      { requestTimeout: 120_000, headersTimeout: 60_000, keepAliveTimeout: 30_000 },
      (req, res) => {
        this.#onRequest(req, res).catch((err: unknown) => {
          // The pipeline answers every error itself; reaching here means the socket is already gone.
          if (!res.headersSent && !res.destroyed) {
            res.statusCode = 500;
            res.end();
          }
          if (process.env.FNSTACK_EMULATOR_DEBUG) console.error("fnstack emulator:", err);
        });
      },
    );
    server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
    server.on("clientError", (_err, socket: Socket) => {
      if (socket.writable)
        socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
      socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.#server = server;
    const address = server.address() as AddressInfo;
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    this.#url = `http://${shownHost}:${address.port}`;
    return this.#url;
  }

  /** Stops accepting connections, drops idle and open ones, and writes the state file one last time. */
  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server !== undefined) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const socket of this.#sockets) socket.destroy();
      await closed;
    }
    this.saveState(true);
  }

  /** Marks state as changed; it is written after the current request. */
  markDirty(): void {
    this.#dirty = true;
  }

  /** Writes `--state FILE` if anything changed (or `force`). */
  saveState(force = false): void {
    const path = this.options.statePath;
    if (path === undefined || (!this.#dirty && !force)) return;
    this.#dirty = false;
    const services: Record<string, unknown> = {};
    for (const service of this.services) services[service.name] = service.exportState();
    writeStateFile(path, { version: 1, services });
  }

  /** Resets every service, fault rule, rate limit, counter and the timing. */
  reset(): void {
    for (const service of this.services) service.reset();
    this.faults.clear();
    this.rateLimiter.configure({ requestsPerSecond: 0, burst: 0 });
    this.stats.clear();
    this.timing = { ...this.initialTiming };
    this.markDirty();
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const arrived = new Date().toISOString();
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    // OCI echoes a caller-supplied opc-request-id; otherwise the server makes one up.
    const supplied = req.headers["opc-request-id"];
    const requestId =
      typeof supplied === "string" && /^[A-Za-z0-9_/-]{1,98}$/.test(supplied)
        ? supplied
        : randomBytes(16).toString("hex").toUpperCase();
    const rawTarget = req.url ?? "/";
    const method = (req.method ?? "GET").toUpperCase();
    let parsed: URL;
    try {
      parsed = new URL(rawTarget, "http://emulator.invalid");
    } catch {
      parsed = new URL("http://emulator.invalid/");
    }
    let path: string;
    try {
      path = decodeURIComponent(parsed.pathname);
    } catch {
      path = parsed.pathname;
    }
    const origin = req.headers.host ? `http://${req.headers.host}` : this.#url;

    const outcome = await this.#pipeline(req, res, {
      method,
      rawTarget,
      path,
      query: parsed.searchParams,
      origin,
      requestId,
    });
    if (outcome === undefined) return; // connection reset on purpose, or the client left
    this.#send(res, outcome);
    if (method !== "GET" && outcome.service !== "control" && outcome.response.status < 300) this.markDirty();
    try {
      this.saveState();
    } catch (err) {
      console.error(`fnstack emulator: could not write the state file: ${(err as Error).message}`);
    }
    const body = outcome.response.body;
    const code =
      outcome.response.status >= 300 &&
      body !== undefined &&
      typeof body === "object" &&
      !Buffer.isBuffer(body)
        ? errorCodeOf(body)
        : undefined;
    const entry: RequestLogEntry = {
      time: arrived,
      requestId,
      method,
      path: parsed.pathname,
      service: outcome.service,
      operation: outcome.operation,
      status: outcome.response.status,
      code,
      tenant: outcome.principal?.tenant,
      subject: outcome.principal?.subject,
      fault: outcome.fault,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    };
    this.stats.record(entry);
  }

  async #pipeline(
    req: IncomingMessage,
    res: ServerResponse,
    base: Omit<EmulatorRequest, "headers" | "body">,
  ): Promise<Outcome | undefined> {
    const headers = lowercaseHeaders(req);
    const { method, path } = base;

    if (path === "/_emulator" || path.startsWith("/_emulator/")) {
      const body = await readBody(req, 1024 * 1024);
      if (body === "aborted") return undefined;
      if (!isLoopback(req.socket.remoteAddress)) {
        return {
          service: "control",
          response: { status: 404, body: { code: "NotFound", message: "Not found" } },
        };
      }
      if (body === "tooLarge") {
        return { service: "control", closeConnection: true, response: controlError(413, "body too large") };
      }
      return {
        service: "control",
        operation: `${method} ${path}`,
        response: handleControlRequest(this, method, path, body),
      };
    }

    // 1. route: the first service that owns (method, path).
    let service: EmulatedService | undefined;
    let match: RouteMatch | undefined;
    for (const candidate of this.services) {
      match = candidate.route(method, path);
      if (match !== undefined) {
        service = candidate;
        break;
      }
    }
    if (service === undefined || match === undefined) {
      const owner = this.#ownerByPrefix(path);
      const known = allMethods.some((m) => this.services.some((s) => s.route(m, path) !== undefined));
      const response = known
        ? owner.errorResponse(
            405,
            owner.name === "oci" ? "MethodNotAllowed" : "APIG.0101",
            `Method ${method} is not allowed on ${path}`,
            base.requestId,
          )
        : owner.errorResponse(
            404,
            owner.name === "oci" ? "NotFound" : "APIG.0101",
            owner.name === "oci"
              ? `No such route: ${method} ${path}`
              : "The API does not exist or has not been published in the environment",
            base.requestId,
          );
      await drain(req);
      return { service: owner.name, response };
    }

    // 2. read the body (bounded) now that the owner's error shape is known.
    const body = await readBody(req, maxRequestBodyBytes);
    if (body === "aborted") return undefined;
    if (body === "tooLarge") {
      return this.#fail(
        service,
        match,
        base.requestId,
        new EmulatorHttpError(
          413,
          service.name === "oci" ? "PayloadTooLarge" : "FSS.0413",
          `The request body exceeds ${maxRequestBodyBytes} bytes`,
        ),
        {
          closeConnection: true,
        },
      );
    }
    return this.#afterBody(req, res, { ...base, headers, body }, service, match);
  }

  #fail(
    service: EmulatedService,
    match: RouteMatch,
    requestId: string,
    err: unknown,
    extra: Partial<Outcome> = {},
  ): Outcome {
    return {
      service: service.name,
      operation: match.operation,
      ...extra,
      response: this.#errorToResponse(service, err, requestId),
    };
  }

  async #afterBody(
    req: IncomingMessage,
    res: ServerResponse,
    request: EmulatorRequest,
    service: EmulatedService,
    match: RouteMatch,
  ): Promise<Outcome | undefined> {
    const base = request;

    // 3. faults from the control API.
    const fault = this.faults.evaluate(service.name, match.operation);
    if (fault !== undefined) {
      if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
      if (fault.connectionReset) {
        this.#dropConnection(req, base, service.name, match.operation, fault.ruleId);
        return undefined;
      }
      if (fault.status !== undefined && !fault.answerLost) {
        const code = fault.code ?? defaultFaultCode(fault.status, service.throttleCode);
        const response = service.errorResponse(
          fault.status,
          code,
          fault.message ?? `Injected fault (${fault.ruleId})`,
          base.requestId,
        );
        const extra: Record<string, string> =
          fault.retryAfterSeconds === undefined ? {} : { "retry-after": String(fault.retryAfterSeconds) };
        return {
          service: service.name,
          operation: match.operation,
          fault: fault.ruleId,
          response: { ...response, headers: { ...response.headers, ...extra } },
        };
      }
    }
    if (res.destroyed) return undefined;
    const handled = await this.#authenticateAndHandle(request, service, match);
    if (fault?.answerLost === true) {
      // The change is applied (and saved) like any other; only the answer never leaves.
      if (request.method !== "GET" && handled.response.status < 300) {
        this.markDirty();
        this.saveState();
      }
      this.#dropConnection(req, base, service.name, match.operation, fault.ruleId);
      return undefined;
    }
    return fault === undefined ? handled : { ...handled, fault: fault.ruleId };
  }

  /**
   * Ends the connection without an answer (a reset, or an answer lost after the request was applied)
   * and records it in the request log with status 0.
   */
  #dropConnection(
    req: IncomingMessage,
    request: EmulatorRequest,
    service: string,
    operation: string,
    ruleId: string,
  ): void {
    req.socket.destroy();
    this.stats.record({
      time: new Date().toISOString(),
      requestId: request.requestId,
      method: request.method,
      path: new URL(request.rawTarget, "http://x").pathname,
      service,
      operation,
      status: 0,
      fault: ruleId,
      durationMs: 0,
    });
  }

  async #authenticateAndHandle(
    request: EmulatorRequest,
    service: EmulatedService,
    match: RouteMatch,
  ): Promise<Outcome> {
    const base = request;
    const fail = (err: unknown, extra: Partial<Outcome> = {}): Outcome =>
      this.#fail(service, match, base.requestId, err, extra);

    // 4. authenticate, then the per-tenant rate limit (it needs the tenant the signature proves).
    let principal: Principal;
    try {
      principal = service.authenticate(request, match);
    } catch (err) {
      return fail(err);
    }
    if (!this.rateLimiter.take(principal.tenant)) {
      const response = service.errorResponse(
        429,
        service.throttleCode,
        "Too many requests for the tenant",
        base.requestId,
      );
      return {
        service: service.name,
        operation: match.operation,
        principal,
        response: { ...response, headers: { ...response.headers, "retry-after": "1" } },
      };
    }

    // 5. handle.
    try {
      const response = await service.handle(request, match, principal);
      return { service: service.name, operation: match.operation, principal, response };
    } catch (err) {
      return fail(err, { principal });
    }
  }

  #ownerByPrefix(path: string): EmulatedService {
    const fg = this.services.find((s) => s.name === "functiongraph");
    const oci = this.services.find((s) => s.name === "oci");
    if (fg !== undefined && functionGraphPrefixes.some((p) => path.startsWith(p))) return fg;
    if (oci !== undefined && ociPrefixes.some((p) => path === p || path.startsWith(`${p}/`))) return oci;
    return oci ?? fg ?? (this.services[0] as EmulatedService);
  }

  #errorToResponse(service: EmulatedService, err: unknown, requestId: string): EmulatorResponse {
    if (err instanceof EmulatorHttpError) {
      const response = service.errorResponse(err.status, err.code, err.message, requestId);
      return { ...response, headers: { ...response.headers, ...err.headers } };
    }
    console.error(`fnstack emulator: internal error in ${service.name}:`, err);
    return service.errorResponse(
      500,
      service.name === "oci" ? "InternalServerError" : "FSS.0500",
      "Internal error",
      requestId,
    );
  }

  #send(res: ServerResponse, outcome: Outcome): void {
    if (res.destroyed || res.headersSent) return;
    const { status, headers = {}, body } = outcome.response;
    let payload: Buffer | undefined;
    let contentType: string | undefined;
    if (body === undefined || status === 204 || status === 304) {
      payload = undefined;
    } else if (Buffer.isBuffer(body)) {
      payload = body;
      contentType = "application/octet-stream";
    } else if (typeof body === "string") {
      payload = Buffer.from(body, "utf8");
      contentType = "text/plain; charset=utf-8";
    } else {
      payload = Buffer.from(JSON.stringify(body), "utf8");
      contentType = "application/json";
    }
    res.statusCode = status;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (contentType !== undefined && !res.hasHeader("content-type"))
      res.setHeader("content-type", contentType);
    res.setHeader("content-length", payload === undefined ? 0 : payload.length);
    if (outcome.closeConnection) res.setHeader("connection", "close");
    res.end(payload);
  }
}

function errorCodeOf(body: object): string | undefined {
  const b = body as Record<string, unknown>;
  const code = b.code ?? b.error_code;
  return typeof code === "string" ? code : undefined;
}

function controlError(status: number, message: string): EmulatorResponse {
  return { status, body: { error: message } };
}

function lowercaseHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4.startsWith("127.") || address === "::1";
}

/** Reads the whole body up to `limit` bytes; "tooLarge" past it, "aborted" if the client went away. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "tooLarge" | "aborted"> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve("tooLarge");
  }
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (value: Buffer | "tooLarge" | "aborted"): void => {
      if (done) return;
      done = true;
      req.off("data", onData);
      resolve(value);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.resume();
        finish("tooLarge");
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => finish(Buffer.concat(chunks)));
    req.once("aborted", () => finish("aborted"));
    req.once("error", () => finish("aborted"));
    req.once("close", () => {
      if (!req.readableEnded) finish("aborted");
    });
  });
}

function drain(req: IncomingMessage): Promise<void> {
  return readBody(req, maxRequestBodyBytes).then(() => undefined);
}
