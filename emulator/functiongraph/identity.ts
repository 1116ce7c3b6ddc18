import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock, EmulatorRequest } from "../service";
import { gatewayForbidden, gatewayUnauthorized } from "./errors";

/** The only FunctionGraph region the emulator serves (OTC's only FunctionGraph region). */
export const developmentRegion = "eu-de";

/** A project of an account: FunctionGraph stores are keyed by its id. */
export interface Project {
  readonly id: string;
  /** The region name (`eu-de`), as IAM names region projects. */
  readonly name: string;
}

/** A user, its access keys and its project: one IAM domain ("account"). */
export interface Account {
  readonly domainId: string;
  readonly domainName: string;
  readonly userId: string;
  readonly userName: string;
  readonly password: string;
  readonly project: Project;
  readonly keys: AccessKey[];
}

/** An access key pair; temporary keys carry a security token that must come as `X-Security-Token`. */
export interface AccessKey {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly securityToken?: string;
}

/** An IAM token the emulator issued (`X-Subject-Token`). */
export interface IssuedToken {
  readonly token: string;
  readonly domainId: string;
  readonly userName: string;
  /** `undefined` for a domain-scoped token (which FunctionGraph refuses). */
  readonly projectId?: string;
  /** Milliseconds since the epoch, emulator clock. */
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/**
 * The FunctionGraph development account written to `clouds.yaml`. Fixed values, so that state kept with
 * `--state` stays reachable after a restart (resources are keyed by the project id).
 */
export const functionGraphDevelopmentAccount = Object.freeze({
  region: developmentRegion,
  projectId: "0f5e4c3b2a1948d7b6c5d4e3f2a1b0c9",
  domainId: "9a8b7c6d5e4f43a2b1c0d9e8f7a6b5c4",
  domainName: "OTC-EU-DE-00000000001000000001",
  userId: "3c2b1a09f8e74d6c5b4a39281706f5e4",
  userName: "fnstack-dev",
  password: "fnstack-dev-password",
  accessKey: "FNSTACKDEVACCESSKEY1",
  secretKey: "fnstackDevSecretKeyForTheLocalEmulator001",
});

/** How long an IAM token is valid: 24 h (OTC-IAM). */
export const tokenLifetimeMs = 24 * 60 * 60 * 1000;

/** How far `X-Sdk-Date` may be from the server clock: 15 min (HW-SIGN). */
export const maxClockSkewMs = 15 * 60 * 1000;

const emptyBodySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Who a verified request comes from. */
export interface Caller {
  readonly account: Account;
  readonly subject: string;
  /** The project a token is scoped to; AK/SK requests are not scoped (the path decides). */
  readonly tokenProjectId?: string;
  readonly viaToken: boolean;
}

/**
 * Accounts, access keys and issued tokens. Verifies `SDK-HMAC-SHA256` signatures by recomputing the
 * canonical request (HW-SIGN, the algorithm of `AKSKSigner`), and `X-Auth-Token`s it issued.
 */
export class IdentityStore {
  private readonly accounts: Account[] = [];
  private tokens = new Map<string, IssuedToken>();

  /**
   * @param clock the emulator clock: token issue and expiry.
   * @param signatureClock what `X-Sdk-Date` is compared with; default `clock`. The server passes the wall
   *   clock, as the OCI verifier does, so advancing a manual clock never invalidates client signatures.
   */
  constructor(
    private readonly clock: Clock,
    private readonly signatureClock: Clock = clock,
  ) {
    const dev = functionGraphDevelopmentAccount;
    this.accounts.push({
      domainId: dev.domainId,
      domainName: dev.domainName,
      userId: dev.userId,
      userName: dev.userName,
      password: dev.password,
      project: { id: dev.projectId, name: dev.region },
      keys: [{ accessKey: dev.accessKey, secretKey: dev.secretKey }],
    });
  }

  /** Every account (development first). */
  list(): readonly Account[] {
    return this.accounts;
  }

  /**
   * Registers extra credentials (control API `POST /_emulator/credentials` with `service: "functiongraph"`):
   * `{accessKey, secretKey, securityToken?}` and/or `{userName, password}`; with `projectId` (and optional
   * `domainName`, `domainId`) they form a separate account with its own project, otherwise they join the
   * development account.
   *
   * @throws TypeError when neither a key pair nor a user is given, or a field has the wrong type.
   */
  register(body: Readonly<Record<string, unknown>>): void {
    const str = (key: string): string | undefined => {
      const value = body[key];
      if (value === undefined || value === null) return undefined;
      if (typeof value !== "string" || value === "")
        throw new TypeError(`Expected \`${key}\` to be a non-empty string`);
      return value;
    };
    const accessKey = str("accessKey") ?? str("ak");
    const secretKey = str("secretKey") ?? str("sk");
    const securityToken = str("securityToken");
    const userName = str("userName");
    const password = str("password");
    const projectId = str("projectId");
    if ((accessKey === undefined) !== (secretKey === undefined)) {
      throw new TypeError("Expected `accessKey` and `secretKey` together");
    }
    if ((userName === undefined) !== (password === undefined)) {
      throw new TypeError("Expected `userName` and `password` together");
    }
    if (accessKey === undefined && userName === undefined) {
      throw new TypeError(
        "Expected an access key pair (`accessKey`, `secretKey`) or a user (`userName`, `password`)",
      );
    }
    if (projectId !== undefined && !/^[0-9a-zA-Z_-]{1,64}$/.test(projectId)) {
      throw new TypeError("Expected `projectId` to be 1-64 letters, digits, `_` or `-`");
    }
    const key =
      accessKey !== undefined && secretKey !== undefined
        ? { accessKey, secretKey, securityToken }
        : undefined;
    let account =
      projectId === undefined ? this.accounts[0] : this.accounts.find((a) => a.project.id === projectId);
    if (account === undefined || (userName !== undefined && account.userName !== userName)) {
      const base = account;
      const id = projectId ?? base?.project.id ?? randomBytes(16).toString("hex");
      account = {
        domainId: str("domainId") ?? base?.domainId ?? randomBytes(16).toString("hex"),
        domainName: str("domainName") ?? base?.domainName ?? `fnstack-domain-${id.slice(0, 8)}`,
        userId: randomBytes(16).toString("hex"),
        userName: userName ?? `fnstack-${id.slice(0, 8)}`,
        password: password ?? randomBytes(12).toString("hex"),
        project: { id, name: str("projectName") ?? developmentRegion },
        keys: [],
      };
      this.accounts.push(account);
    }
    if (key) {
      for (const other of this.accounts) {
        const i = other.keys.findIndex((k) => k.accessKey === key.accessKey);
        if (i >= 0) other.keys.splice(i, 1);
      }
      account.keys.push(key);
    }
  }

  /** Checks a password login; returns the account or undefined. */
  login(userName: string, password: string, domain: { name?: string; id?: string }): Account | undefined {
    return this.accounts.find(
      (a) =>
        a.userName === userName &&
        a.password === password &&
        (domain.name === undefined || domain.name === a.domainName) &&
        (domain.id === undefined || domain.id === a.domainId),
    );
  }

  /** Issues a token valid for {@link tokenLifetimeMs} of emulator time. */
  issueToken(account: Account, projectId: string | undefined): IssuedToken {
    const now = this.clock.now();
    const token: IssuedToken = {
      token: `MIIfnstack${randomBytes(48).toString("base64url")}`,
      domainId: account.domainId,
      userName: account.userName,
      projectId,
      issuedAt: now,
      expiresAt: now + tokenLifetimeMs,
    };
    this.tokens.set(token.token, token);
    return token;
  }

  /**
   * Verifies the request's credentials: `X-Auth-Token` (issued here, unexpired) or an `SDK-HMAC-SHA256`
   * signature. Throws the gateway's 401 otherwise.
   */
  verify(request: EmulatorRequest): Caller {
    const token = request.headers["x-auth-token"];
    if (token !== undefined) return this.verifyToken(token);
    const authorization = request.headers["authorization"];
    if (authorization === undefined)
      throw gatewayUnauthorized("neither X-Auth-Token nor Authorization was found");
    return this.verifySignature(request, authorization);
  }

  /** Throws the gateway's 403 unless the caller may act on `projectId`. */
  requireProject(caller: Caller, projectId: string): void {
    if (caller.account.project.id !== projectId) throw gatewayForbidden(`project ${projectId}`);
    if (caller.viaToken && caller.tokenProjectId !== projectId) {
      throw gatewayForbidden(`the token is not scoped to project ${projectId}`);
    }
  }

  private verifyToken(token: string): Caller {
    const issued = this.tokens.get(token);
    if (issued === undefined) throw gatewayUnauthorized("the token is invalid");
    if (this.clock.now() >= issued.expiresAt) {
      this.tokens.delete(token);
      throw gatewayUnauthorized("the token has expired");
    }
    const account = this.accounts.find(
      (a) => a.domainId === issued.domainId && a.userName === issued.userName,
    );
    if (account === undefined) throw gatewayUnauthorized("the token is invalid");
    return { account, subject: issued.userName, tokenProjectId: issued.projectId, viaToken: true };
  }

  private verifySignature(request: EmulatorRequest, authorization: string): Caller {
    const parsed = parseAuthorization(authorization);
    if (parsed === undefined)
      throw gatewayUnauthorized("verify aksk signature fail, malformed Authorization header");
    let account: Account | undefined;
    let key: AccessKey | undefined;
    for (const a of this.accounts) {
      key = a.keys.find((k) => k.accessKey === parsed.accessKey);
      if (key) {
        account = a;
        break;
      }
    }
    if (account === undefined || key === undefined) {
      throw gatewayUnauthorized("verify aksk signature fail, the access key does not exist");
    }
    const date = request.headers["x-sdk-date"];
    const dateMs = date === undefined ? undefined : parseSdkDate(date);
    if (date === undefined || dateMs === undefined) {
      throw gatewayUnauthorized("verify aksk signature fail, X-Sdk-Date is missing or malformed");
    }
    if (!parsed.signedHeaders.includes("x-sdk-date")) {
      throw gatewayUnauthorized("verify aksk signature fail, x-sdk-date is not a signed header");
    }
    if (Math.abs(this.signatureClock.now() - dateMs) > maxClockSkewMs) {
      throw gatewayUnauthorized(
        "verify aksk signature fail, X-Sdk-Date is more than 15 minutes from the server time",
      );
    }
    if (key.securityToken !== undefined && request.headers["x-security-token"] !== key.securityToken) {
      throw gatewayUnauthorized("verify aksk signature fail, the security token is missing or invalid");
    }
    const declaredHash = request.headers["x-sdk-content-sha256"];
    if (
      declaredHash !== undefined &&
      declaredHash !== "UNSIGNED-PAYLOAD" &&
      declaredHash.toLowerCase() !== sha256Hex(request.body)
    ) {
      // A signed content hash only protects the body if the body is checked against it.
      throw gatewayUnauthorized("verify aksk signature fail, the body does not match X-Sdk-Content-Sha256");
    }
    const expected = Buffer.from(parsed.signature, "utf8");
    const matches = expectedSignatures(request, parsed.signedHeaders, date, key.secretKey).some(
      (candidate) => {
        const actual = Buffer.from(candidate, "utf8");
        return actual.length === expected.length && timingSafeEqual(actual, expected);
      },
    );
    if (!matches) throw gatewayUnauthorized("verify aksk signature fail");
    return { account, subject: key.accessKey, viaToken: false };
  }

  /** JSON-safe copy of the accounts (registered keys included) and live tokens, for `--state`. */
  exportState(): { accounts: Account[]; tokens: IssuedToken[] } {
    return {
      accounts: this.accounts.map((a) => ({ ...a, keys: a.keys.map((k) => ({ ...k })) })),
      tokens: [...this.tokens.values()],
    };
  }

  /** Restores {@link exportState}; the development account and its key are always kept. */
  importState(state: unknown): void {
    if (typeof state !== "object" || state === null) return;
    const { accounts, tokens } = state as { accounts?: Account[]; tokens?: IssuedToken[] };
    if (Array.isArray(accounts)) {
      const dev = this.accounts[0];
      const [savedDev, ...others] = accounts;
      if (dev !== undefined) {
        for (const key of savedDev?.keys ?? []) {
          if (!dev.keys.some((k) => k.accessKey === key.accessKey)) dev.keys.push({ ...key });
        }
        this.accounts.splice(
          1,
          this.accounts.length - 1,
          ...others.map((a) => ({ ...a, keys: [...a.keys] })),
        );
      }
    }
    if (Array.isArray(tokens)) this.tokens = new Map(tokens.map((t) => [t.token, t]));
  }
}

interface ParsedAuthorization {
  readonly accessKey: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const match = /^SDK-HMAC-SHA256\s+(.*)$/.exec(header.trim());
  if (!match || match[1] === undefined) return undefined;
  const fields = new Map<string, string>();
  for (const part of match[1].split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return undefined;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKey = fields.get("Access");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!accessKey || !signedHeaders || !signature) return undefined;
  return { accessKey, signedHeaders: signedHeaders.split(";"), signature: signature.toLowerCase() };
}

/** `YYYYMMDDTHHMMSSZ` → epoch ms. */
function parseSdkDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? undefined : ms;
}

/** RFC 3986 unreserved characters kept, everything else `%XX` (UTF-8, uppercase), as HW-SIGN requires. */
export function signingEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * The signatures a correct client could have produced. Two canonical URIs are accepted: each raw path
 * segment encoded as sent (the Node/Go SDKs, which put `:` raw on the wire) and each segment decoded first
 * (the Python SDK, which unquotes) — they differ only when the wire path already carries `%XX`.
 */
function expectedSignatures(
  request: EmulatorRequest,
  signedHeaders: readonly string[],
  date: string,
  secretKey: string,
): string[] {
  const q = request.rawTarget.indexOf("?");
  const rawPath = q < 0 ? request.rawTarget : request.rawTarget.slice(0, q);
  const rawQuery = q < 0 ? "" : request.rawTarget.slice(q + 1);
  const uris = new Set([canonicalUri(rawPath, false), canonicalUri(rawPath, true)]);
  const query = canonicalQuery(rawQuery);
  let headers = "";
  for (const name of signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return [];
    headers += `${name}:${value.trim()}\n`;
  }
  const payloadHash =
    request.headers["x-sdk-content-sha256"] ??
    (request.body.length === 0 ? emptyBodySha256 : sha256Hex(request.body));
  return [...uris].map((uri) => {
    const canonical = [request.method, uri, query, headers, signedHeaders.join(";"), payloadHash].join("\n");
    const stringToSign = `SDK-HMAC-SHA256\n${date}\n${sha256Hex(canonical)}`;
    return createHmac("sha256", secretKey).update(stringToSign).digest("hex");
  });
}

function canonicalUri(rawPath: string, decodeFirst: boolean): string {
  const encoded = rawPath
    .split("/")
    .map((segment) => signingEncode(decodeFirst ? safeDecode(segment) : segment))
    .join("/");
  return encoded.endsWith("/") ? encoded : `${encoded}/`;
}

function canonicalQuery(rawQuery: string): string {
  if (rawQuery === "") return "";
  const values = new Map<string, string[]>();
  for (const pair of rawQuery.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : safeDecode(pair.slice(eq + 1));
    const list = values.get(key) ?? [];
    list.push(value);
    values.set(key, list);
  }
  return [...values.keys()]
    .sort()
    .flatMap((key) =>
      (values.get(key) ?? [])
        .slice()
        .sort()
        .map((v) => `${signingEncode(key)}=${signingEncode(v)}`),
    )
    .join("&");
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
