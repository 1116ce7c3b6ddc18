import { type KeyObject, createHash, createPublicKey, verify } from "node:crypto";
import type { EmulatorRequest, Principal } from "../service";
import { OciErrors } from "./errors";

/** Largest accepted difference between the request's date and the host's wall clock: 5 minutes. */
export const maxClockSkewMs = 5 * 60 * 1000;

const bodyMethods = new Set(["POST", "PUT", "PATCH"]);

/** A trusted API key. */
export interface OciApiKey {
  readonly tenancy: string;
  readonly user: string;
  readonly fingerprint: string;
  readonly publicKey: KeyObject;
}

/** OCI's key fingerprint: MD5 of the DER SubjectPublicKeyInfo, as colon-separated lowercase hex. */
export function keyFingerprint(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return (createHash("md5").update(der).digest("hex").match(/../g) ?? []).join(":");
}

/** A key registered through the control API, as `--state FILE` keeps it (public key in SPKI PEM). */
export interface RegisteredOciKey {
  readonly tenancy: string;
  readonly user: string;
  readonly publicKey: string;
}

/** The API keys the emulator trusts, by keyId `<tenancy>/<user>/<fingerprint>`. */
export class OciKeyRegistry {
  #keys = new Map<string, OciApiKey>();
  // Only control-API keys are persisted: the development account's key is rewritten from the data dir.
  #registered = new Map<string, RegisteredOciKey>();

  /** Trusts a key. */
  add(key: OciApiKey): string {
    const keyId = `${key.tenancy}/${key.user}/${key.fingerprint}`;
    this.#keys.set(keyId, key);
    return keyId;
  }

  /** Looks a keyId up. */
  get(keyId: string): OciApiKey | undefined {
    return this.#keys.get(keyId);
  }

  /**
   * Registers credentials from `POST /_emulator/credentials`: `{service:"oci", tenancy, user, publicKey
   * (PEM), fingerprint?}`. The fingerprint is computed when absent.
   */
  register(body: Readonly<Record<string, unknown>>): string {
    const { tenancy, user, publicKey, fingerprint } = body;
    if (typeof tenancy !== "string" || !tenancy.startsWith("ocid1.tenancy.")) {
      throw new TypeError("`tenancy` must be a tenancy OCID");
    }
    if (typeof user !== "string" || !user.startsWith("ocid1.user."))
      throw new TypeError("`user` must be a user OCID");
    if (typeof publicKey !== "string")
      throw new TypeError("`publicKey` must be a PEM public (or private) key");
    let key: KeyObject;
    try {
      key = createPublicKey(publicKey);
    } catch (err) {
      throw new TypeError(`\`publicKey\` is not a valid PEM key: ${(err as Error).message}`);
    }
    if (key.asymmetricKeyType !== "rsa") throw new TypeError("`publicKey` must be an RSA key");
    const computed = keyFingerprint(key);
    if (fingerprint !== undefined && fingerprint !== computed) {
      throw new TypeError(`\`fingerprint\` ${String(fingerprint)} does not match the key (${computed})`);
    }
    const keyId = this.add({ tenancy, user, fingerprint: computed, publicKey: key });
    this.#registered.set(keyId, {
      tenancy,
      user,
      publicKey: key.export({ type: "spki", format: "pem" }).toString(),
    });
    return keyId;
  }

  /** The keys registered through the control API, for `--state FILE`. */
  exportRegistered(): RegisteredOciKey[] {
    return [...this.#registered.values()];
  }

  /** Trusts again keys saved by {@link exportRegistered}; entries that no longer validate are skipped. */
  importRegistered(saved: unknown): void {
    if (!Array.isArray(saved)) return;
    for (const entry of saved as unknown[]) {
      if (typeof entry !== "object" || entry === null) continue;
      try {
        this.register(entry as Record<string, unknown>);
      } catch {
        // A hand-edited or truncated entry must not stop the emulator from starting.
      }
    }
  }
}

/** Parses `Signature k="v",...` (the `version="1"` the SDK adds is accepted and ignored). */
export function parseAuthorization(header: string | undefined): Record<string, string> | undefined {
  if (header === undefined) return undefined;
  const match = /^Signature\s+(.*)$/i.exec(header.trim());
  if (match === null) return undefined;
  const params: Record<string, string> = {};
  const rest = match[1] ?? "";
  const re = /\s*([A-Za-z]+)\s*=\s*"([^"]*)"\s*(,|$)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(rest)) !== null) {
    params[(m[1] ?? "").toLowerCase()] = m[2] ?? "";
    consumed = re.lastIndex;
    if (m[3] === "") break;
  }
  return consumed === rest.length ? params : undefined;
}

/**
 * Verifies an OCI "Signature Version 1" request (oci-api.md §4): the Authorization header, the signed
 * header set required for the method, the body hash, the clock skew against the host's wall clock, and
 * the RSA-SHA256 signature over the rebuilt signing string. Throws 401 `NotAuthenticated` on any failure.
 *
 * @param now wall-clock milliseconds (not the emulator clock: advancing a ManualClock must not invalidate
 *   signatures).
 */
export function verifyOciRequest(
  request: EmulatorRequest,
  keys: OciKeyRegistry,
  now: number = Date.now(),
): Principal {
  const params = parseAuthorization(request.headers.authorization);
  if (params === undefined)
    throw OciErrors.notAuthenticated(
      "Missing or malformed Authorization header; expected 'Signature keyId=...,signature=...'",
    );
  const { keyid: keyId, signature, algorithm } = params;
  if (!keyId || !signature)
    throw OciErrors.notAuthenticated("The Authorization header lacks keyId or signature");
  if (algorithm !== undefined && algorithm.toLowerCase() !== "rsa-sha256") {
    throw OciErrors.notAuthenticated(`Unsupported signature algorithm '${algorithm}'; use rsa-sha256`);
  }
  if (params.version !== undefined && params.version !== "1") {
    throw OciErrors.notAuthenticated(`Unsupported signature version '${params.version}'`);
  }
  const signed = (params.headers ?? "date")
    .toLowerCase()
    .split(/\s+/)
    .filter((h) => h !== "");
  const signedSet = new Set(signed);
  const method = request.method.toUpperCase();
  const required = ["(request-target)", "host"];
  if (bodyMethods.has(method)) required.push("content-length", "content-type", "x-content-sha256");
  for (const name of required) {
    if (!signedSet.has(name))
      throw OciErrors.notAuthenticated(`The signature must cover the '${name}' header for ${method}`);
  }
  if (!signedSet.has("date") && !signedSet.has("x-date")) {
    throw OciErrors.notAuthenticated("The signature must cover the 'date' or 'x-date' header");
  }
  for (const name of signed) {
    if (name !== "(request-target)" && request.headers[name] === undefined) {
      throw OciErrors.notAuthenticated(`Signed header '${name}' is missing from the request`);
    }
  }

  // Oracle uses x-date when both are present (oci-api.md §4).
  const dateText = signedSet.has("x-date") ? request.headers["x-date"] : request.headers.date;
  const date = Date.parse(dateText ?? "");
  if (Number.isNaN(date)) throw OciErrors.notAuthenticated(`Unparseable date header '${dateText ?? ""}'`);
  if (Math.abs(now - date) > maxClockSkewMs) {
    throw OciErrors.notAuthenticated(
      `The request date ${new Date(date).toISOString()} is more than 5 minutes from the server time ${new Date(now).toISOString()}`,
    );
  }

  if (signedSet.has("x-content-sha256")) {
    const actual = createHash("sha256").update(request.body).digest("base64");
    if (request.headers["x-content-sha256"] !== actual) {
      throw OciErrors.notAuthenticated("x-content-sha256 does not match the SHA-256 of the request body");
    }
  }
  if (signedSet.has("content-length") && Number(request.headers["content-length"]) !== request.body.length) {
    throw OciErrors.notAuthenticated("content-length does not match the request body");
  }

  const key = keys.get(keyId);
  if (key === undefined) throw OciErrors.notAuthenticated(`Unknown keyId '${keyId}'`);
  const signingString = signed
    .map((name) =>
      name === "(request-target)"
        ? `(request-target): ${method.toLowerCase()} ${request.rawTarget}`
        : `${name}: ${request.headers[name] ?? ""}`,
    )
    .join("\n");
  let ok = false;
  try {
    ok = verify(
      "sha256",
      Buffer.from(signingString, "utf8"),
      key.publicKey,
      Buffer.from(signature, "base64"),
    );
  } catch {
    ok = false;
  }
  if (!ok)
    throw OciErrors.notAuthenticated(
      "The signature does not verify against the signing string and the registered key",
    );
  return { tenant: key.tenancy, subject: keyId };
}
