import { createHash, createPrivateKey, type KeyObject, sign } from "node:crypto";
import { type HttpMethod, type OutgoingRequest, type RequestSigner } from "../../core/request";

/** SHA-256 of zero bytes, base64: what OCI expects in `x-content-sha256` for an empty body. */
export const emptyBodySha256 = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

/** Methods whose body OCI signs (`content-type`, `content-length`, `x-content-sha256`), even when empty. */
export const ociBodyMethods: readonly HttpMethod[] = Object.freeze(["POST", "PUT", "PATCH"]);

/**
 * Headers fnstack signs for GET, DELETE and HEAD, in the order and spelling that `oci-common`'s
 * `DefaultRequestSigner` uses (so the `Authorization` header is identical to the official SDK's).
 */
export const ociGenericSignedHeaders: readonly string[] = Object.freeze([
  "x-date",
  "(request-target)",
  "host",
]);

/**
 * Headers fnstack signs for POST, PUT and PATCH. The mixed case is `oci-common`'s spelling in the
 * `headers="…"` parameter; the signing string itself always uses lowercase names, and OCI compares the
 * names case-insensitively.
 */
export const ociBodySignedHeaders: readonly string[] = Object.freeze([
  ...ociGenericSignedHeaders,
  "Content-Type",
  "Content-Length",
  "x-content-sha256",
]);

/** Base64 SHA-256 of a body, as sent in `x-content-sha256`. */
export function ociContentSha256(body: Buffer | undefined): string {
  if (body === undefined || body.length === 0) return emptyBodySha256;
  return createHash("sha256").update(body).digest("base64");
}

/** The key material of a signer: an API key's or a session's. */
export interface OciSigningKey {
  /** `<tenancy>/<user>/<fingerprint>` for API keys, `ST$<token>` for session tokens. */
  readonly keyId: string;
  /** The RSA private key. */
  readonly privateKey: KeyObject;
}

/** What {@link signOciRequestWith} produced. */
export interface OciSignature {
  /** The full `Authorization` header value, `Signature version="1",keyId=…`. */
  readonly authorization: string;
  /** The exact text that was signed (for tests and debugging; contains no secret). */
  readonly signingString: string;
}

/**
 * Signs `request` with exactly the listed headers (in that order) and sets its `authorization` header;
 * it adds or changes no other header except `date`, filled in (RFC 1123) when absent. Every listed
 * header must already be present. This is the primitive under {@link createOciSigner}; use it directly
 * only to reproduce a given signing-string layout (Oracle's published vectors list `date` and a
 * different header order).
 *
 * The signing string and the header are draft-cavage HTTP signatures as `http-signature` (which
 * `oci-common` uses) writes them: one `name: value` line per header, names lowercase, `(request-target)`
 * as the lowercase method and the path with its query; parameters `keyId`, `algorithm`, `headers` (the
 * names as given), `signature`, behind OCI's `version="1"`. Signing is one `node:crypto` RSA-SHA256
 * over that string with the already parsed key: re-parsing a PEM on every signature made it 2.2–2.8 ×
 * the cost of the signature itself (issue 12).
 *
 * @param key the RSA private key: a parsed KeyObject, or an unencrypted PEM (parsed on each call).
 */
export function signOciRequestWith(
  request: OutgoingRequest,
  keyId: string,
  key: KeyObject | Buffer,
  headerNames: readonly string[],
): OciSignature {
  const privateKey = Buffer.isBuffer(key) ? createPrivateKey(key) : key;
  const headers = request.headers;
  headers["date"] ??= new Date().toUTCString();
  const lines = headerNames.map((name) => {
    const header = name.toLowerCase();
    if (header === "(request-target)") {
      return `(request-target): ${request.method.toLowerCase()} ${request.url.pathname}${request.url.search}`;
    }
    const value = headers[header];
    if (value === undefined || value === "") {
      throw new Error(`cannot sign the request: header ${header} is missing`);
    }
    return `${header}: ${value}`;
  });
  const signingString = lines.join("\n");
  const signature = sign("sha256", Buffer.from(signingString, "utf8"), privateKey).toString("base64");
  const authorization =
    `Signature version="1",keyId="${keyId}",algorithm="rsa-sha256",` +
    `headers="${headerNames.join(" ")}",signature="${signature}"`;
  headers["authorization"] = authorization;
  return { authorization, signingString };
}

/**
 * Checks that `privateKey` is an RSA private key (OCI API keys are RSA) and returns it.
 *
 * @throws TypeError for a public or non-RSA key.
 */
export function assertRsaPrivateKey(privateKey: KeyObject): KeyObject {
  if (privateKey?.type !== "private" || privateKey.asymmetricKeyType !== "rsa") {
    throw new TypeError("OCI request signing needs an RSA private key");
  }
  return privateKey;
}

/**
 * Exports an RSA private key as an unencrypted PKCS#8 PEM (for {@link signOciRequestWith}'s PEM form
 * and for tools). Throws a TypeError for a non-private or non-RSA key.
 */
export function toSigningPem(privateKey: KeyObject): Buffer {
  return Buffer.from(assertRsaPrivateKey(privateKey).export({ format: "pem", type: "pkcs8" }));
}

/** Options of {@link createOciSigner}. */
export interface OciSignerOptions {
  /** Clock for the `date`/`x-date` headers; default `() => new Date()`. Tests pass a fixed date. */
  readonly now?: () => Date;
}

/**
 * A {@link RequestSigner} for OCI's "Signature Version 1" (draft-cavage HTTP signatures, rsa-sha256),
 * following `oci-common`'s `DefaultRequestSigner` so the `Authorization` header is byte-identical to
 * the official SDK's for the same request and date. For each attempt it:
 *
 * - sets `date` and `x-date` to the current time (RFC 1123) and `host` to the URL's host if absent;
 * - for POST, PUT and PATCH, even with no body: sets `content-type: application/json` if absent,
 *   `content-length` to the body's byte length (`0` without body) and `x-content-sha256` to the body's
 *   base64 SHA-256 ({@link emptyBodySha256} without body), and signs them ({@link ociBodySignedHeaders});
 *   for a `streamedBody` it signs the length and hash measured beforehand and reads no byte of it;
 * - otherwise signs {@link ociGenericSignedHeaders};
 * - sets `authorization: Signature version="1",keyId="…",algorithm="rsa-sha256",headers="…",signature="…"`.
 *
 * `(request-target)` is the lowercase method and the URL's `pathname + search` exactly as sent.
 */
export function createOciSigner(
  credentials: Pick<OciSigningKey, "keyId" | "privateKey">,
  options: OciSignerOptions = {},
): RequestSigner {
  const { keyId } = credentials;
  if (typeof keyId !== "string" || keyId === "") throw new TypeError("keyId must be a non-empty string");
  // Parsed once, when the credential was read: each signature is one RSA operation, nothing more.
  const privateKey = assertRsaPrivateKey(credentials.privateKey);
  const now = options.now ?? (() => new Date());
  if (typeof now !== "function") throw new TypeError("options.now must be a function");
  return {
    async sign(request: OutgoingRequest): Promise<void> {
      const headers = request.headers;
      const date = now().toUTCString();
      headers["date"] = date;
      headers["x-date"] = date;
      headers["host"] ??= request.url.host;
      let headerNames = ociGenericSignedHeaders;
      if (ociBodyMethods.includes(request.method)) {
        headers["content-type"] ??= "application/json";
        // A streamed body was measured before sending: sign its precomputed length and hash.
        const streamed = request.streamedBody;
        headers["content-length"] = String(streamed?.length ?? request.body?.length ?? 0);
        headers["x-content-sha256"] = streamed?.sha256 ?? ociContentSha256(request.body);
        headerNames = ociBodySignedHeaders;
      }
      signOciRequestWith(request, keyId, privateKey, headerNames);
    },
  };
}
