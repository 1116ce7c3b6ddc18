/**
 * Drives the FunctionGraph service in-process the way the server's pipeline does (route → authenticate →
 * handle, errors through `errorResponse`), with requests signed by the official Huawei Cloud SDK signer
 * (`AKSKSigner.sign`) or by hand for the cases the SDK cannot produce.
 */
import { createHash, createHmac } from "node:crypto";
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import { EmulatorHttpError, type EmulatorRequest, type Timing } from "../../../emulator/service";
import {
  type FunctionGraphService,
  createFunctionGraphService,
  functionGraphDevelopmentAccount,
} from "../../../emulator/functiongraph";

/** A controllable clock. */
export class TestClock {
  constructor(public ms = Date.UTC(2026, 10, 23, 12, 0, 0)) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** A decoded response. */
export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly json: Record<string, unknown>;
  readonly list: Record<string, unknown>[];
}

/** How a request is authenticated. */
export type AuthMode =
  | { readonly kind: "sdk"; readonly accessKey?: string; readonly secretKey?: string }
  | { readonly kind: "token"; readonly token: string }
  | { readonly kind: "none" };

/** One request. */
export interface CallOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly auth?: AuthMode;
  /** Runs after signing: tamper with what goes on the wire. */
  readonly afterSign?: (wire: { headers: Record<string, string>; body: Buffer; rawTarget: string }) => void;
  /** Overrides `X-Sdk-Date` (ms since the epoch). */
  readonly signedAt?: number;
}

/** `YYYYMMDDTHHMMSSZ`. */
export function sdkDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

const dev = functionGraphDevelopmentAccount;
/** The development project id. */
export const projectId = dev.projectId;
/** `/v2/<project>` */
export const base = `/v2/${projectId}`;

/** The in-process harness. */
/**
 * The body of a Keystone password login (`POST /v3/auth/tokens`); `domain` is the user's domain name and
 * `scope` is e.g. `{project: {name: "eu-de"}}` or `{project: {id}}`.
 */
export function passwordLoginBody(
  user: { name: string; password: string; domain?: string },
  scope: Record<string, unknown>,
): Record<string, unknown> {
  const { domain, ...credentials } = user;
  return {
    auth: {
      identity: {
        methods: ["password"],
        password: { user: domain === undefined ? credentials : { ...credentials, domain: { name: domain } } },
      },
      scope,
    },
  };
}

export class Harness {
  readonly clock = new TestClock();
  readonly service: FunctionGraphService;
  readonly origin = "http://127.0.0.1:39999";
  #seq = 0;
  #ids = 0;

  constructor() {
    const timing: Timing = { lifecycleMs: 0, workRequestMs: 0, triggerMs: 0 };
    this.service = createFunctionGraphService(
      {
        clock: this.clock,
        timing: () => timing,
        newId: () => createHash("sha256").update(String(++this.#ids)).digest("hex").slice(0, 24),
      },
      { signatureClock: this.clock },
    );
  }

  /** Sends one request through route → authenticate → handle. */
  async call(method: string, target: string, options: CallOptions = {}): Promise<Reply> {
    const url = new URL(target, this.origin);
    const bodyText =
      options.body === undefined
        ? ""
        : typeof options.body === "string"
          ? options.body
          : Buffer.isBuffer(options.body)
            ? options.body.toString("utf8")
            : JSON.stringify(options.body);
    let headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
    const auth = options.auth ?? { kind: "sdk" };
    if (auth.kind === "sdk") {
      const queryParams: Record<string, string | string[]> = {};
      for (const [k, v] of url.searchParams) {
        const prev = queryParams[k];
        queryParams[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      const pathProject = /^\/v2\/([^/]+)\//.exec(url.pathname)?.[1];
      const signed = AKSKSigner.sign(
        {
          method,
          endpoint: `${this.origin}${url.pathname}`,
          headers: {
            ...headers,
            "X-Sdk-Date": sdkDate(options.signedAt ?? this.clock.now()),
            // As the SDK does: the project of the path, signed.
            ...(pathProject === undefined ? {} : { "X-Project-Id": pathProject }),
          },
          queryParams,
          // The SDK hashes JSON.stringify(data): hand it the parsed body so the hash covers the bytes sent.
          data: bodyText === "" ? undefined : (JSON.parse(bodyText) as unknown),
        } as never,
        {
          getAk: () => auth.accessKey ?? dev.accessKey,
          getSk: () => auth.secretKey ?? dev.secretKey,
        } as never,
      ) as Record<string, string>;
      headers = signed;
    } else if (auth.kind === "token") {
      headers["X-Auth-Token"] = auth.token;
    }
    const wire = {
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)])),
      body: Buffer.from(bodyText),
      rawTarget: `${url.pathname}${url.search}`,
    };
    if (!wire.headers["host"]) wire.headers["host"] = url.host;
    options.afterSign?.(wire);
    const q = wire.rawTarget.indexOf("?");
    const rawPath = q < 0 ? wire.rawTarget : wire.rawTarget.slice(0, q);
    const request: EmulatorRequest = {
      method,
      rawTarget: wire.rawTarget,
      path: decodeURIComponent(rawPath),
      query: new URLSearchParams(q < 0 ? "" : wire.rawTarget.slice(q + 1)),
      headers: wire.headers,
      body: wire.body,
      origin: this.origin,
      requestId: `req-${++this.#seq}`,
    };
    const match = this.service.route(method, request.path);
    if (match === undefined) return reply({ status: 404, body: { error_code: "NO_ROUTE" } });
    try {
      const principal = this.service.authenticate(request, match);
      return reply(await this.service.handle(request, match, principal));
    } catch (error) {
      if (!(error instanceof EmulatorHttpError)) throw error;
      return reply(this.service.errorResponse(error.status, error.code, error.message, request.requestId));
    }
  }

  /** Creates a function with sensible defaults; returns the create answer. */
  async createFunction(name: string, extra: Record<string, unknown> = {}): Promise<Reply> {
    return this.call("POST", `${base}/fgs/functions`, {
      body: {
        func_name: name,
        package: "default",
        runtime: "Node.js18.15",
        handler: "index.handler",
        memory_size: 256,
        timeout: 30,
        code_type: "inline",
        func_code: { file: Buffer.from(`exports.handler = async (e) => e; // ${name}`).toString("base64") },
        ...extra,
      },
    });
  }

  /** Gets an IAM token for the development user. */
  async token(scope: Record<string, unknown> = { project: { name: "eu-de" } }): Promise<string> {
    const res = await this.call("POST", "/v3/auth/tokens", {
      auth: { kind: "none" },
      body: passwordLoginBody({ name: dev.userName, password: dev.password, domain: dev.domainName }, scope),
    });
    if (res.status !== 201) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
    return res.headers["x-subject-token"] ?? "";
  }
}

function reply(response: {
  status: number;
  headers?: Readonly<Record<string, string>>;
  body?: unknown;
}): Reply {
  let body: unknown = response.body;
  if (Buffer.isBuffer(body)) {
    const text = body.toString("utf8");
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  } else if (body !== undefined) {
    // What the server would put on the wire.
    body = JSON.parse(typeof body === "string" ? JSON.stringify(body) : JSON.stringify(body));
  }
  const headers = Object.fromEntries(
    Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return {
    status: response.status,
    headers,
    body,
    json: (typeof body === "object" && body !== null && !Array.isArray(body) ? body : {}) as Record<
      string,
      unknown
    >,
    list: (Array.isArray(body) ? body : []) as Record<string, unknown>[],
  };
}

/** Signs by hand (HW-SIGN), for requests the SDK cannot produce. */
export function handSign(
  method: string,
  canonicalUri: string,
  canonicalQuery: string,
  headers: Record<string, string>,
  body: string,
  date: string,
  accessKey: string,
  secretKey: string,
): string {
  const names = Object.keys(headers)
    .map((h) => h.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names.map((n) => `${n}:${lower[n] ?? ""}\n`).join("");
  const canonical = [
    method,
    canonicalUri,
    canonicalQuery,
    canonicalHeaders,
    names.join(";"),
    createHash("sha256").update(body).digest("hex"),
  ].join("\n");
  const sts = `SDK-HMAC-SHA256\n${date}\n${createHash("sha256").update(canonical).digest("hex")}`;
  const signature = createHmac("sha256", secretKey).update(sts).digest("hex");
  return `SDK-HMAC-SHA256 Access=${accessKey}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
}
