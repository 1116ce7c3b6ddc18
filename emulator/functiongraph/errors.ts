import { EmulatorHttpError, type EmulatorResponse } from "../service";

/**
 * One factory per FunctionGraph error the emulator produces, so every call site yields the real code,
 * status and wording. Bodies are rendered by {@link functionGraphErrorResponse}.
 */
export function fssError(status: number, code: string, message: string): EmulatorHttpError {
  return new EmulatorHttpError(status, code, message);
}

/** 400 `FSS.0400` (or a more specific 10xx code) for a bad request parameter. */
export function badRequest(message: string, code = "FSS.0400"): EmulatorHttpError {
  return fssError(400, code, message);
}

/** 404 `FSS.1051`: the function (or the project in its URN) does not exist. */
export function functionNotFound(urn: string): EmulatorHttpError {
  return fssError(404, "FSS.1051", `Not found the function: ${urn}`);
}

/** 404 `FSS.1052`: the version does not exist. */
export function versionNotFound(version: string): EmulatorHttpError {
  return fssError(404, "FSS.1052", `Not found the function version: ${version}`);
}

/** 404 `FSS.1053`: the alias does not exist. */
export function aliasNotFound(alias: string): EmulatorHttpError {
  return fssError(404, "FSS.1053", `Not found the function alias: ${alias}`);
}

/** 404 `FSS.1056`: the dependency (version) does not exist. */
export function dependencyNotFound(what: string): EmulatorHttpError {
  return fssError(404, "FSS.1056", `Not found the dependency: ${what}`);
}

/** 404 `FSS.1131`: the trigger does not exist (used by update and delete; GET answers 500, see triggers.ts). */
export function triggerNotFound(id: string): EmulatorHttpError {
  return fssError(404, "FSS.1131", `Not found the trigger: ${id}`);
}

/**
 * 401 from the API Gateway in front of FunctionGraph and IAM (`APIGW.0301`): signature, date or token
 * failures never reach the service, so the body is the gateway's, with its `request_id`.
 */
export function gatewayUnauthorized(message: string): EmulatorHttpError {
  return new EmulatorHttpError(401, "APIGW.0301", `Incorrect IAM authentication information: ${message}`);
}

/** 403 from the gateway (`APIGW.0302`): authenticated, but not allowed on this project. */
export function gatewayForbidden(message: string): EmulatorHttpError {
  return new EmulatorHttpError(
    403,
    "APIGW.0302",
    `The IAM user is forbidden in the currently selected project: ${message}`,
  );
}

/**
 * 404 from the gateway (`APIG.0101`, the code the API Gateway's error table lists for "The API does not
 * exist or has not been published in the environment", support.huaweicloud.com usermanual-apig
 * apig_03_0048): no API is published at this path and method.
 */
export function gatewayNoSuchApi(method: string, path: string): EmulatorHttpError {
  return new EmulatorHttpError(
    404,
    "APIG.0101",
    `The API does not exist or has not been published in the environment: ${method} ${path}`,
  );
}

/** An IAM (Keystone) error: `IAM.*` codes render as `{"error":{"code","title","message"}}`. */
export function iamError(status: number, message: string, code = "IAM.0001"): EmulatorHttpError {
  return new EmulatorHttpError(status, code, message);
}

const statusTitles: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

/**
 * Renders the wire shape of an error: FunctionGraph `{error_code, error_msg}`, the API Gateway's
 * `{error_code, error_msg, request_id}` for `APIGW.*` codes, Keystone's `{error:{code,title,message}}`
 * for `IAM.*` codes. Every response carries `X-Request-Id`.
 */
export function functionGraphErrorResponse(
  status: number,
  code: string,
  message: string,
  requestId: string,
): EmulatorResponse {
  const headers = { "x-request-id": requestId };
  if (code.startsWith("APIGW.") || code.startsWith("APIG.")) {
    return { status, headers, body: { error_code: code, error_msg: message, request_id: requestId } };
  }
  if (code.startsWith("IAM.")) {
    return {
      status,
      headers,
      body: { error: { code: status, title: statusTitles[status] ?? "Error", message }, error_code: code },
    };
  }
  return { status, headers, body: { error_code: code, error_msg: message } };
}
