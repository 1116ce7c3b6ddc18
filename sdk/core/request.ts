/** HTTP methods the clouds' APIs use. */
export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * One attempt of a request, as it will go on the wire. A signer adds headers to it; `send()` builds a
 * fresh one for every attempt so each carries its own date and signature.
 */
export interface OutgoingRequest {
  readonly method: HttpMethod;
  /** Absolute URL; its `pathname + search` and `host` are exactly what is sent and signed. */
  readonly url: URL;
  /** Header names are lowercase. Signers add to this map. */
  readonly headers: Record<string, string>;
  /** Exact body bytes (signers hash these); absent for body-less requests. */
  readonly body?: Buffer;
}

/**
 * Authenticates one attempt by adding headers (date, signature, token). Called once per attempt, after
 * every other header is set, so nothing changes after signing.
 */
export interface RequestSigner {
  sign(request: OutgoingRequest, options?: { signal?: AbortSignal }): Promise<void>;
}
