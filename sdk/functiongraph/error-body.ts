import type { ErrorBodyParser } from "../core/client";

function text(value: unknown): string | undefined {
  if (typeof value === "string" && value.trim() !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `{error_code, error_msg}` at the top level or one level down (`details`, `error`). */
function fromRecord(body: Record<string, unknown>): { code?: string; message?: string } {
  let code = text(body["error_code"]) ?? text(body["errorCode"]);
  let message = text(body["error_msg"]) ?? text(body["errorMsg"]) ?? text(body["message"]);
  for (const key of ["details", "error"]) {
    const nested = body[key];
    if (!isRecord(nested)) continue;
    // IAM: {"error": {"code": 401, "message": "...", "title": "Unauthorized"}}; FunctionGraph sometimes
    // nests the real message in "details" (TF-OTC issue #3426).
    code ??= text(nested["error_code"]) ?? text(nested["code"]);
    const nestedMessage = text(nested["error_msg"]) ?? text(nested["message"]);
    if (nestedMessage !== undefined)
      message = message === undefined ? nestedMessage : `${message}: ${nestedMessage}`;
  }
  const result: { code?: string; message?: string } = {};
  if (code !== undefined) result.code = code;
  if (message !== undefined) result.message = message;
  return result;
}

/**
 * Reads a FunctionGraph (or IAM, or API Gateway) error body into a code and message. Handles
 * `{"error_code": "FSS.1051", "error_msg": "..."}`, a nested `details` object, the gateway's
 * `{"error_code": "APIGW.0301", "error_msg": "...", "request_id": "..."}` and IAM's
 * `{"error": {"code": 401, "message": "..."}}`. A body that is not JSON gives its text as the message
 * (HTML error pages from proxies are reduced to nothing). Never throws.
 */
export const parseFunctionGraphErrorBody: ErrorBodyParser = (status, _headers, bodyText) => {
  const trimmed = bodyText.trim();
  if (trimmed === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return trimmed.startsWith("<") ? {} : { message: trimmed };
  }
  if (!isRecord(parsed)) return {};
  const result = fromRecord(parsed);
  return isFunctionDisabledAnswer(status, result) ? { ...result, final: true } : result;
};

/**
 * The service's answer to invoking a function whose maximum instances (`strategy_config.concurrency`) is
 * 0: 429 `FSS.0429` "Function Disabled". Waiting does not help, so it is final, not a rate limit (issue
 * 10, defect 13).
 */
function isFunctionDisabledAnswer(status: number, parsed: { code?: string; message?: string }): boolean {
  return status === 429 && parsed.code === "FSS.0429" && /function disabled/i.test(parsed.message ?? "");
}
