/**
 * OCI Functions invoke: `POST {invokeEndpoint}/20181201/functions/{id}/actions/invoke` (reference
 * oci-api.md §2.2). The body is raw bytes (at most 6 MB); the answer is the function's output.
 */
import type { ClientContext } from "../../core/client";
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
  /** Request body bytes; a string is sent as UTF-8. Default empty. */
  readonly body?: Buffer | string;
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

/**
 * Invokes a function through `ctx` (see {@link invokeContext}). The body is sent as given, with
 * `content-type: application/octet-stream` unless the body is a string (`text/plain`).
 *
 * @throws RangeError when the body exceeds {@link maxInvokeBodyBytes}.
 */
export async function invokeFunction(
  ctx: ClientContext,
  input: InvokeFunctionInput,
  options: CallOptions = {},
): Promise<InvokeFunctionOutput> {
  const body =
    typeof input.body === "string" ? Buffer.from(input.body, "utf8") : (input.body ?? Buffer.alloc(0));
  if (body.length > maxInvokeBodyBytes) {
    throw new RangeError(
      `the invoke body is ${body.length} bytes; OCI Functions accepts at most ${maxInvokeBodyBytes}`,
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
