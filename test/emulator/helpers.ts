/**
 * Test helpers: raw HTTP to the emulator with undici, requests signed by the official `oci-common`
 * signer (so the emulator is checked against the real SDK's wire behaviour) or by a hand-rolled signer
 * for the cases the SDK cannot produce (skewed clocks, missing headers, tampering).
 */
import { createHash, createPrivateKey, sign as rsaSign } from "node:crypto";
import { readFileSync } from "node:fs";
import { DefaultRequestSigner, SimpleAuthenticationDetailsProvider } from "oci-common";
import { type Dispatcher, request } from "undici";
import { ManualClock, type RunningEmulator, startEmulator } from "../../emulator";
import { type OciCredentials, resolveOciCredentials } from "../../sdk/oci/auth/credentials";

/** OCI credentials as in the development account's config file. */
export interface OciTestCredentials {
  readonly tenancy: string;
  readonly user: string;
  readonly fingerprint: string;
  readonly privateKeyPem: string;
}

/** Reads `[DEFAULT]` of an OCI config file. */
export function readOciConfig(configFile: string): OciTestCredentials {
  const values: Record<string, string> = {};
  for (const line of readFileSync(configFile, "utf8").split("\n")) {
    const m = /^\s*([a-z_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m !== null) values[m[1] as string] = m[2] as string;
  }
  return {
    tenancy: values.tenancy as string,
    user: values.user as string,
    fingerprint: values.fingerprint as string,
    privateKeyPem: readFileSync(values.key_file as string, "utf8"),
  };
}

/** A response with the body decoded (JSON when it parses, else text). */
export interface TestResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
  readonly body: unknown;
  /** The body as JSON object (fails the test helpers' callers loudly if it is not one). */
  readonly json: Record<string, unknown>;
}

/** Options of one call. */
export interface CallOptions {
  /** JSON body (objects are stringified) or raw text. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** `sdk` (oci-common, default), `none`, or a custom function signing a header bag. */
  readonly sign?: "sdk" | "none";
  /** Runs after signing: tamper with headers or body. */
  readonly afterSign?: (req: { headers: Record<string, string>; body: string | Buffer | undefined }) => void;
}

async function toResponse(res: Dispatcher.ResponseData): Promise<TestResponse> {
  const text = await res.body.text();
  let body: unknown = text;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
  return { status: res.statusCode, headers, text, body, json: (body ?? {}) as Record<string, unknown> };
}

/** An OCI client for tests: `call(method, path)` signs with oci-common and sends with undici. */
export class OciTestClient {
  readonly credentials: OciTestCredentials;
  readonly #signer: DefaultRequestSigner;

  constructor(
    readonly emulator: Pick<RunningEmulator, "url" | "oci">,
    credentials?: OciTestCredentials,
  ) {
    this.credentials = credentials ?? readOciConfig(emulator.oci.configFile);
    const c = this.credentials;
    this.#signer = new DefaultRequestSigner(
      new SimpleAuthenticationDetailsProvider(
        c.tenancy,
        c.user,
        c.fingerprint,
        c.privateKeyPem,
        null,
        undefined,
      ),
    );
  }

  /** Sends one request; `path` includes the version prefix and any query string. */
  async call(method: string, path: string, options: CallOptions = {}): Promise<TestResponse> {
    const uri = `${this.emulator.url}${path}`;
    const body =
      options.body === undefined
        ? undefined
        : typeof options.body === "string" || Buffer.isBuffer(options.body)
          ? options.body
          : JSON.stringify(options.body);
    const headers = new Headers({ "content-type": "application/json", ...options.headers });
    if (options.sign !== "none") {
      if (Buffer.isBuffer(body)) throw new Error("sign Buffer bodies with signManually");
      await this.#signer.signHttpRequest({ uri, method, headers, body } as never);
    }
    const plain: Record<string, string> = {};
    headers.forEach((v, k) => {
      plain[k] = v;
    });
    const req = { headers: plain, body };
    options.afterSign?.(req);
    const res = await request(uri, {
      method: method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body,
    });
    return toResponse(res);
  }

  /**
   * Sends a request signed by the test's own signer: `headersToSign` decides what is covered and `date`
   * what the request claims the time is.
   */
  async callManually(
    method: string,
    path: string,
    options: {
      body?: string | Buffer;
      headersToSign?: string[];
      date?: Date;
      headers?: Record<string, string>;
      keyPem?: string;
    } = {},
  ): Promise<TestResponse> {
    const url = new URL(`${this.emulator.url}${path}`);
    const body = options.body ?? (["POST", "PUT", "PATCH"].includes(method) ? "" : undefined);
    const headers: Record<string, string> = {
      host: url.host,
      "x-date": (options.date ?? new Date()).toUTCString(),
      "content-type": "application/json",
      ...options.headers,
    };
    if (body !== undefined) {
      headers["content-length"] = String(Buffer.byteLength(body));
      headers["x-content-sha256"] = createHash("sha256").update(body).digest("base64");
    }
    const signed =
      options.headersToSign ??
      (body !== undefined
        ? ["x-date", "(request-target)", "host", "content-type", "content-length", "x-content-sha256"]
        : ["x-date", "(request-target)", "host"]);
    const signingString = signed
      .map((h) =>
        h === "(request-target)"
          ? `(request-target): ${method.toLowerCase()} ${url.pathname}${url.search}`
          : `${h}: ${headers[h] ?? ""}`,
      )
      .join("\n");
    const key = createPrivateKey(options.keyPem ?? this.credentials.privateKeyPem);
    const signature = rsaSign("sha256", Buffer.from(signingString), key).toString("base64");
    const c = this.credentials;
    headers.authorization = `Signature version="1",keyId="${c.tenancy}/${c.user}/${c.fingerprint}",algorithm="rsa-sha256",headers="${signed.join(" ")}",signature="${signature}"`;
    const res = await request(url, { method: method as Dispatcher.HttpMethod, headers, body });
    return toResponse(res);
  }
}

/** Calls the control API. */
export async function control(
  emulator: Pick<RunningEmulator, "url">,
  method: string,
  path: string,
  body?: unknown,
): Promise<TestResponse> {
  const res = await request(`${emulator.url}/_emulator/${path}`, {
    method: method as Dispatcher.HttpMethod,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return toResponse(res);
}

/**
 * An emulator on a manual clock (lifecycles and work requests take 1 s of it), and the credentials
 * fnstack's own `sdk/oci` resolves for its development account.
 */
export async function startClockedOciEmulator(): Promise<{
  emu: RunningEmulator;
  clock: ManualClock;
  credentials: OciCredentials;
}> {
  const clock = new ManualClock();
  const emu = await startEmulator({ clock, timing: { lifecycleMs: 1000, workRequestMs: 1000 } });
  const credentials = await resolveOciCredentials({
    env: { OCI_CONFIG_FILE: emu.oci.configFile, FNSTACK_OCI_ENDPOINT: emu.url },
    homeDir: emu.dataDir,
  });
  return { emu, clock, credentials };
}
