/**
 * OCI Functions invoke: `POST {invokeEndpoint}/20181201/functions/{id}/actions/invoke` (reference
 * oci-api.md §2.2). The body is raw bytes (at most 6 MB); the answer is the function's output.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { ClientContext } from "../../core/client";
import type { StreamedBody } from "../../core/request";
import { send } from "../../core/send";
import type { FnIntent, FnInvokeType } from "../types/functions";
import { type CallOptions, pathParam } from "./common";

/** Largest invoke body the service accepts, in bytes. */
export const maxInvokeBodyBytes = 6 * 1024 * 1024;

/** Version path of the invoke API. */
const invokeVersionPath = "/20181201";

/** One invocation. */
export interface InvokeFunctionInput {
  readonly functionId: string;
  /**
   * Request body: bytes, a string (sent as UTF-8), or a {@link StreamedBody} such as
   * {@link measureBodyFile}'s, streamed without holding it in memory. Default empty.
   */
  readonly body?: Buffer | string | StreamedBody;
  readonly fnIntent?: FnIntent;
  readonly fnInvokeType?: FnInvokeType;
  /** Validate without running the function. */
  readonly isDryRun?: boolean;
}

/** The function's answer. */
export interface InvokeFunctionOutput {
  readonly statusCode: number;
  /** Response body bytes (empty for detached invocations). */
  readonly body: Buffer;
  /** Response headers, lowercase names. */
  readonly headers: Record<string, string>;
  readonly requestId?: string;
}

/**
 * The context to invoke through: `base` (signer, error parser, dispatcher, retry) with the endpoint
 * set to the function's `invokeEndpoint` plus the version path.
 *
 * @throws TypeError when `invokeEndpoint` is not an absolute http(s) URL.
 */
export function invokeContext(base: ClientContext, invokeEndpoint: string): ClientContext {
  let url: URL;
  try {
    url = new URL(invokeEndpoint);
  } catch {
    throw new TypeError(`invokeEndpoint must be an absolute URL, got ${JSON.stringify(invokeEndpoint)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`invokeEndpoint must use http or https, got ${url.protocol}`);
  }
  const prefix = url.pathname.replace(/\/+$/, "");
  return { ...base, endpoint: new URL(`${url.origin}${prefix}${invokeVersionPath}`) };
}

/** Options of {@link measureBodyFile}. */
export interface MeasureBodyFileOptions {
  /** Stops reading the file. */
  readonly signal?: AbortSignal;
}

/**
 * Measures the file at `path` as an invoke body, in one streaming pass that holds one chunk at a time:
 * its byte length and base64 SHA-256 (what OCI signs as `content-length` and `x-content-sha256`). The
 * result's `open()` streams the file again for each attempt of the invoke. If the file changes between
 * this pass and the send, the bytes no longer match the signed hash (or length) and OCI rejects the
 * request with 401 NotAuthenticated (or the transport fails on the length): nothing else is invoked.
 *
 * @throws RangeError as soon as the file holds more than {@link maxInvokeBodyBytes}, before any request.
 * @throws the file system's error when the file cannot be read (e.g. `ENOENT`).
 */
export async function measureBodyFile(
  path: string,
  options: MeasureBodyFileOptions = {},
): Promise<StreamedBody> {
  const hash = createHash("sha256");
  let length = 0;
  const stream = createReadStream(path, { signal: options.signal, highWaterMark: 256 * 1024 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > maxInvokeBodyBytes) {
      stream.destroy();
      throw new RangeError(
        `${JSON.stringify(path)} holds more than ${maxInvokeBodyBytes} bytes; OCI Functions accepts at most ${maxInvokeBodyBytes}`,
      );
    }
    hash.update(chunk);
  }
  const sha256 = hash.digest("base64");
  return { length, sha256, open: () => createReadStream(path, { highWaterMark: 256 * 1024 }) };
}

function isStreamedBody(body: InvokeFunctionInput["body"]): body is StreamedBody {
  return typeof body === "object" && !Buffer.isBuffer(body);
}

/**
 * Invokes a function through `ctx` (see {@link invokeContext}). The body is sent as given, with
 * `content-type: application/octet-stream` unless the body is a string (`text/plain`). A
 * {@link StreamedBody} is streamed (opened anew for each attempt), signed with its measured hash.
 *
 * @throws RangeError when the body exceeds {@link maxInvokeBodyBytes}.
 */
export async function invokeFunction(
  ctx: ClientContext,
  input: InvokeFunctionInput,
  options: CallOptions = {},
): Promise<InvokeFunctionOutput> {
  const streamed = isStreamedBody(input.body) ? input.body : undefined;
  const body =
    typeof input.body === "string"
      ? Buffer.from(input.body, "utf8")
      : streamed === undefined
        ? (input.body ?? Buffer.alloc(0))
        : undefined;
  const length = body?.length ?? streamed?.length ?? 0;
  if (length > maxInvokeBodyBytes) {
    throw new RangeError(
      `the invoke body is ${length} bytes; OCI Functions accepts at most ${maxInvokeBodyBytes}`,
    );
  }
  const headers: Record<string, string> = {
    "content-type": typeof input.body === "string" ? "text/plain" : "application/octet-stream",
  };
  if (input.fnIntent !== undefined) headers["fn-intent"] = input.fnIntent;
  if (input.fnInvokeType !== undefined) headers["fn-invoke-type"] = input.fnInvokeType;
  if (input.isDryRun === true) headers["is-dry-run"] = "true";
  const response = await send<Buffer>(
    ctx,
    {
      operation: "InvokeFunction",
      method: "POST",
      path: `/functions/${pathParam(input.functionId)}/actions/invoke`,
      headers,
      body,
      streamedBody: streamed,
      responseType: "buffer",
      resource: `function ${input.functionId}`,
    },
    { signal: options.signal },
  );
  return {
    statusCode: response.statusCode,
    body: Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body ?? ""),
    headers: response.headers,
    requestId: response.requestId,
  };
}
