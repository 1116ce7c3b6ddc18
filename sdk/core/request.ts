import type { Readable } from "node:stream";

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
  /**
   * A body sent as a stream instead of `body` (never both): signers sign its precomputed length and
   * hash, and the transport opens it only after signing.
   */
  readonly streamedBody?: StreamedBody;
}

/**
 * A request body that is never held in memory whole: its byte length and SHA-256 were measured in an
 * earlier pass, and {@link StreamedBody.open} gives a fresh stream of the same bytes for each attempt
 * (a stream can be read once). If the source changes after it was measured, the bytes sent no longer
 * match the signed length or hash and the server rejects the request (as it should).
 */
export interface StreamedBody {
  /** Byte length, sent as `content-length`. */
  readonly length: number;
  /** Base64 SHA-256 of the bytes, as signed in `x-content-sha256`. */
  readonly sha256: string;
  /** A new stream of the bytes; called once per attempt, after the attempt is signed. */
  open(): Readable;
}

/**
 * Authenticates one attempt by adding headers (date, signature, token). Called once per attempt, after
 * every other header is set, so nothing changes after signing.
 */
export interface RequestSigner {
  sign(request: OutgoingRequest, options?: { signal?: AbortSignal }): Promise<void>;
}
