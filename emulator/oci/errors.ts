import { type EmulatorResponse, EmulatorHttpError } from "../service";

/**
 * The OCI error factory: one function per real error (oci-api.md §3). Each returns an
 * {@link EmulatorHttpError} to `throw`; {@link ociErrorResponse} renders it as the wire body
 * `{"code","message"}` with `opc-request-id`.
 */
export const OciErrors = {
  /** 400: a field has a wrong type, value or format. */
  invalidParameter: (message: string) => new EmulatorHttpError(400, "InvalidParameter", message),
  /** 400: a required field or query parameter is absent. */
  missingParameter: (name: string) =>
    new EmulatorHttpError(400, "MissingParameter", `Missing required parameter: ${name}`),
  /** 400: the body is not parseable JSON (or not the expected JSON type). */
  cannotParseRequest: (message: string) => new EmulatorHttpError(400, "CannotParseRequest", message),
  /** 400: a referenced resource (application, subnet...) does not exist for the caller. */
  relatedResourceNotFound: (message: string) =>
    new EmulatorHttpError(400, "RelatedResourceNotAuthorizedOrNotFound", message),
  /** 401: signature missing, malformed, unverifiable, or outside the clock-skew window. */
  notAuthenticated: (
    message = "The required information to complete authentication was not provided or was incorrect.",
  ) => new EmulatorHttpError(401, "NotAuthenticated", message),
  /** 404: no such resource for the caller (OCI does not tell the two apart). */
  notFound: (what: string) =>
    new EmulatorHttpError(
      404,
      "NotAuthorizedOrNotFound",
      `Authorization failed or requested resource not found: ${what}`,
    ),
  /** 409: the resource is in a transitional state; retry later. */
  incorrectState: (message: string) => new EmulatorHttpError(409, "IncorrectState", message),
  /** 409: the request conflicts with existing resources (names, children). */
  conflict: (message: string) => new EmulatorHttpError(409, "Conflict", message),
  /** 409: an `opc-retry-token` reused with a different request. */
  invalidatedRetryToken: () =>
    new EmulatorHttpError(
      409,
      "InvalidatedRetryToken",
      "The opc-retry-token was already used for a request with different parameters; use a new token",
    ),
  /** 412: `if-match` does not match the current etag. */
  noEtagMatch: (id: string) =>
    new EmulatorHttpError(412, "NoEtagMatch", `The if-match etag does not match the current etag of ${id}`),
  /** 413: the body exceeds the operation's limit. */
  payloadTooLarge: (limitBytes: number) =>
    new EmulatorHttpError(
      413,
      "PayloadTooLarge",
      `The request body exceeds the limit of ${limitBytes} bytes`,
    ),
  /** 501: an operation the emulator does not implement. */
  notImplemented: (operation: string) =>
    new EmulatorHttpError(501, "MethodNotImplemented", `${operation} is not emulated`),
  /** 415: a JSON operation received another content type. */
  unsupportedMediaType: (contentType: string) =>
    new EmulatorHttpError(
      415,
      "UnsupportedMediaType",
      `Content type ${contentType || "(none)"} is not supported; use application/json`,
    ),
} as const;

/** The OCI wire error: JSON `{code, message}`, `opc-request-id` header. */
export function ociErrorResponse(
  status: number,
  code: string,
  message: string,
  requestId: string,
): EmulatorResponse {
  return {
    status,
    headers: { "opc-request-id": requestId, "content-type": "application/json" },
    body: { code, message },
  };
}
