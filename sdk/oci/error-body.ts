import { type ErrorBodyParser } from "../core/client";

/**
 * Reads an OCI error response body. OCI answers errors with JSON `{"code": "...", "message": "..."}`
 * (e.g. `NotAuthorizedOrNotFound`); proxies and load balancers in front of it may answer with plain
 * text or HTML, in which case `code` is undefined and the trimmed text (capped at 1,000 characters)
 * becomes the message. Empty bodies give `{}`. Never throws.
 */
export const parseOciErrorBody: ErrorBodyParser = (_status, _headers, bodyText) => {
  const text = bodyText.trim();
  if (text === "") return {};
  if (text.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
        const { code, message } = parsed as Record<string, unknown>;
        return {
          code: typeof code === "string" && code !== "" ? code : undefined,
          message: typeof message === "string" ? message : undefined,
        };
      }
    } catch {
      // Not JSON after all: fall through and report it as text.
    }
  }
  return { message: text.length > maxTextLength ? `${text.slice(0, maxTextLength)}…` : text };
};

const maxTextLength = 1000;
