import { createHash, createHmac } from "node:crypto";
import type { OutgoingRequest, RequestSigner } from "../../core/request";

/** The signing algorithm name that opens the `Authorization` header and the string to sign. */
export const akSkAlgorithm = "SDK-HMAC-SHA256";

/** SHA-256 of an empty body, the payload hash of body-less requests. */
export const emptyPayloadSha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Access key pair of an IAM user; temporary keys come with a security token. */
export interface AkSkKeys {
  /** Access key id (AK). */
  readonly accessKey: string;
  /** Secret access key (SK); only ever used as the HMAC key. */
  readonly secretKey: string;
  /** Security token of a temporary key pair; sent and signed as `X-Security-Token`. */
  readonly securityToken?: string;
  /** Project id; sent and signed as `X-Project-Id` (required by project-level services with AK/SK). */
  readonly projectId?: string;
}

/** Options of {@link createAkSkSigner}. */
export interface AkSkSignerOptions {
  /** Clock for `X-Sdk-Date`; default `() => new Date()`. Tests pass a fixed date. */
  readonly now?: () => Date;
}

// Headers that are signed when present. A fixed list (rather than "every header", as the Node SDK does)
// keeps headers a proxy or the transport may add or rewrite (user-agent, accept-encoding,
// content-length) out of the signature.
const signableHeaders: readonly string[] = [
  "content-type",
  "host",
  "x-project-id",
  "x-sdk-content-sha256",
  "x-sdk-date",
  "x-security-token",
];

/**
 * `X-Sdk-Date` for a moment: UTC `YYYYMMDDTHHMMSSZ`, e.g. `20191115T033655Z`.
 */
export function formatSdkDate(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

/**
 * Percent-encodes one path segment, query key or value for signing: RFC 3986 unreserved characters
 * (`A-Z a-z 0-9 - _ . ~`) kept, everything else `%XX` of its UTF-8 bytes, uppercase hex.
 */
export function signingEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decodeLeniently(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The canonical URI of a wire path: each `/`-separated segment decoded, then encoded with
 * {@link signingEncode}, and a `/` appended unless the path already ends with one. So a URN's raw `:`
 * becomes `%3A` here while the wire keeps `:`.
 *
 * @param pathname - the path exactly as sent (`URL.pathname`).
 */
export function canonicalUri(pathname: string): string {
  // Decoding first makes `%3A` and `:` on the wire sign the same (the Python SDK's rule); for paths
  // without `%` it is the Node SDK's rule exactly.
  const encoded = pathname
    .split("/")
    .map((segment) => signingEncode(decodeLeniently(segment)))
    .join("/");
  return encoded.endsWith("/") ? encoded : `${encoded}/`;
}

/**
 * The canonical query string of a wire query (`URL.search`, with or without `?`): parameters sorted by
 * name, repeated names sorted by value, each `name=value` encoded with {@link signingEncode}, joined by
 * `&`; empty when there is no query.
 */
export function canonicalQueryString(search: string): string {
  const raw = search.startsWith("?") ? search.slice(1) : search;
  if (raw === "") return "";
  const byName = new Map<string, string[]>();
  for (const part of raw.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = decodeLeniently(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : decodeLeniently(part.slice(eq + 1));
    const values = byName.get(name);
    if (values === undefined) byName.set(name, [value]);
    else values.push(value);
  }
  // Default string order (UTF-16 code units), as the reference signers sort.
  const names = [...byName.keys()].sort();
  const pairs: string[] = [];
  for (const name of names) {
    for (const value of (byName.get(name) ?? []).sort())
      pairs.push(`${signingEncode(name)}=${signingEncode(value)}`);
  }
  return pairs.join("&");
}

/** Everything computed while signing, for tests and debugging. Holds no secret. */
export interface AkSkSignature {
  readonly canonicalRequest: string;
  /** Lowercase hex SHA-256 of {@link AkSkSignature.canonicalRequest}. */
  readonly canonicalRequestHash: string;
  readonly stringToSign: string;
  /** `;`-joined lowercase names. */
  readonly signedHeaders: string;
  /** Lowercase hex HMAC-SHA256. */
  readonly signature: string;
  /** The complete `Authorization` header value. */
  readonly authorization: string;
}

/**
 * Computes the `SDK-HMAC-SHA256` signature of a request whose headers are final (it must already carry
 * `host` and `x-sdk-date`). Pure: it does not change the request.
 *
 * @param request - method, URL as sent, lowercase headers and exact body bytes.
 * @param keys - the access key and secret key.
 */
export function computeAkSkSignature(
  request: OutgoingRequest,
  keys: Pick<AkSkKeys, "accessKey" | "secretKey">,
): AkSkSignature {
  const date = request.headers["x-sdk-date"];
  if (date === undefined) throw new TypeError("Expected the request to carry an `x-sdk-date` header");
  const names = signableHeaders.filter((name) => request.headers[name] !== undefined);
  const canonicalHeaders = names.map((name) => `${name}:${(request.headers[name] ?? "").trim()}\n`).join("");
  const signedHeaders = names.join(";");
  const payloadHash =
    request.headers["x-sdk-content-sha256"] ??
    (request.body === undefined || request.body.length === 0
      ? emptyPayloadSha256
      : createHash("sha256").update(request.body).digest("hex"));
  const canonicalRequest = [
    request.method,
    canonicalUri(request.url.pathname),
    canonicalQueryString(request.url.search),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join("\n");
  const canonicalRequestHash = createHash("sha256").update(canonicalRequest, "utf8").digest("hex");
  const stringToSign = `${akSkAlgorithm}\n${date}\n${canonicalRequestHash}`;
  const signature = createHmac("sha256", Buffer.from(keys.secretKey, "utf8"))
    .update(stringToSign, "utf8")
    .digest("hex");
  return {
    canonicalRequest,
    canonicalRequestHash,
    stringToSign,
    signedHeaders,
    signature,
    authorization: `${akSkAlgorithm} Access=${keys.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

function requireNonEmpty(value: unknown, name: string): string {
  if (typeof value !== "string" || value.trim() === "")
    throw new TypeError(`Expected \`${name}\` to be a non-empty string`);
  return value;
}

/**
 * A signer for FunctionGraph (and any Huawei Cloud / Open Telekom Cloud API gateway) requests with an
 * access key pair, in the documented `SDK-HMAC-SHA256 Access=…` form. For every attempt it sets
 * `X-Sdk-Date` (from `options.now`), `host`, `X-Project-Id` and `X-Security-Token` (when given), then
 * signs `content-type`, `host`, `x-project-id`, `x-sdk-content-sha256`, `x-sdk-date` and
 * `x-security-token` (those present) and the SHA-256 of the exact body bytes, and sets `Authorization`.
 *
 * The secret key lives only in this closure: the returned object has no property holding it.
 *
 * @throws TypeError when `accessKey` or `secretKey` is missing or empty.
 */
export function createAkSkSigner(keys: AkSkKeys, options: AkSkSignerOptions = {}): RequestSigner {
  const accessKey = requireNonEmpty(keys?.accessKey, "accessKey");
  const secretKey = requireNonEmpty(keys.secretKey, "secretKey");
  const securityToken =
    keys.securityToken === undefined ? undefined : requireNonEmpty(keys.securityToken, "securityToken");
  const projectId = keys.projectId === undefined ? undefined : requireNonEmpty(keys.projectId, "projectId");
  const now = options.now ?? (() => new Date());
  if (typeof now !== "function") throw new TypeError("Expected `now` to be a function");
  return {
    async sign(request: OutgoingRequest): Promise<void> {
      const headers = request.headers;
      headers["x-sdk-date"] = formatSdkDate(now());
      // URL.host already omits the scheme's default port, as the gateway expects (no `:443`).
      headers["host"] = request.url.host;
      if (projectId !== undefined) headers["x-project-id"] = projectId;
      if (securityToken !== undefined) headers["x-security-token"] = securityToken;
      headers["authorization"] = computeAkSkSignature(request, { accessKey, secretKey }).authorization;
    },
  };
}
