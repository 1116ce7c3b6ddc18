import type { EmulatorRequest } from "../service";
import { OciErrors } from "./errors";
import { isCompartmentId, ocidType } from "./ids";

/** A JSON object as parsed from a request body. */
export type Json = Record<string, unknown>;

/**
 * Parses a JSON request body for an OCI operation: `application/json` only (415 otherwise), valid JSON
 * (400 `CannotParseRequest`), a JSON object.
 */
export function jsonBody(request: EmulatorRequest): Json {
  const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (request.body.length === 0) throw OciErrors.cannotParseRequest("The request body is required");
  if (contentType !== "application/json") throw OciErrors.unsupportedMediaType(contentType);
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString("utf8"));
  } catch (err) {
    throw OciErrors.cannotParseRequest(`The request body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw OciErrors.cannotParseRequest("The request body must be a JSON object");
  }
  return parsed as Json;
}

/** Rejects fields outside `allowed` (400 InvalidParameter), so a client's misspelt field shows up. */
export function onlyFields(body: Json, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key))
      throw OciErrors.invalidParameter(`${what} has no field '${key}' (or it cannot be set here)`);
  }
}

const isPlainObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

// Integers and finite numbers differ only in the check and the word in the message.
function readNumber(
  body: Json,
  key: string,
  opts: { required?: boolean; min?: number; max?: number; path?: string },
  accepts: (v: number) => boolean,
  kind: string,
): number | undefined {
  const v = body[key];
  const name = opts.path ?? key;
  if (v === undefined || v === null) {
    if (opts.required) throw OciErrors.missingParameter(name);
    return undefined;
  }
  if (typeof v !== "number" || !accepts(v)) throw OciErrors.invalidParameter(`${name} must be ${kind}`);
  if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
    throw OciErrors.invalidParameter(
      `${name} must be between ${opts.min ?? "-∞"} and ${opts.max ?? "∞"}, got ${v}`,
    );
  }
  return v;
}

/** Field readers that throw the real OCI 400s (`MissingParameter`, `InvalidParameter`). */
export const read = {
  string(
    body: Json,
    key: string,
    opts: { required?: boolean; max?: number; pattern?: RegExp; path?: string } = {},
  ): string | undefined {
    const v = body[key];
    const name = opts.path ?? key;
    if (v === undefined || v === null) {
      if (opts.required) throw OciErrors.missingParameter(name);
      return undefined;
    }
    if (typeof v !== "string") throw OciErrors.invalidParameter(`${name} must be a string`);
    if (opts.required && v.trim() === "") throw OciErrors.invalidParameter(`${name} must not be empty`);
    if (opts.max !== undefined && v.length > opts.max)
      throw OciErrors.invalidParameter(`${name} must be at most ${opts.max} characters`);
    if (opts.pattern !== undefined && !opts.pattern.test(v))
      throw OciErrors.invalidParameter(`${name} has an invalid format: '${v}'`);
    return v;
  },
  integer(
    body: Json,
    key: string,
    opts: { required?: boolean; min?: number; max?: number; path?: string } = {},
  ): number | undefined {
    return readNumber(body, key, opts, Number.isInteger, "an integer");
  },
  number(
    body: Json,
    key: string,
    opts: { required?: boolean; min?: number; max?: number; path?: string } = {},
  ): number | undefined {
    return readNumber(body, key, opts, Number.isFinite, "a number");
  },
  boolean(body: Json, key: string, opts: { required?: boolean; path?: string } = {}): boolean | undefined {
    const v = body[key];
    const name = opts.path ?? key;
    if (v === undefined || v === null) {
      if (opts.required) throw OciErrors.missingParameter(name);
      return undefined;
    }
    if (typeof v !== "boolean") throw OciErrors.invalidParameter(`${name} must be a boolean`);
    return v;
  },
  enumOf<T extends string>(
    body: Json,
    key: string,
    values: readonly T[],
    opts: { required?: boolean; path?: string } = {},
  ): T | undefined {
    const v = read.string(body, key, opts);
    if (v === undefined) return undefined;
    if (!values.includes(v as T))
      throw OciErrors.invalidParameter(`${opts.path ?? key} must be one of ${values.join(", ")}, got '${v}'`);
    return v as T;
  },
  stringArray(
    body: Json,
    key: string,
    opts: {
      required?: boolean;
      nonEmpty?: boolean;
      path?: string;
      item?: (v: string, path: string) => void;
    } = {},
  ): string[] | undefined {
    const v = body[key];
    const name = opts.path ?? key;
    if (v === undefined || v === null) {
      if (opts.required) throw OciErrors.missingParameter(name);
      return undefined;
    }
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string"))
      throw OciErrors.invalidParameter(`${name} must be an array of strings`);
    if (opts.nonEmpty && v.length === 0) throw OciErrors.invalidParameter(`${name} must not be empty`);
    v.forEach((x, i) => opts.item?.(x as string, `${name}[${i}]`));
    return v as string[];
  },
  object(body: Json, key: string, opts: { required?: boolean; path?: string } = {}): Json | undefined {
    const v = body[key];
    const name = opts.path ?? key;
    if (v === undefined || v === null) {
      if (opts.required) throw OciErrors.missingParameter(name);
      return undefined;
    }
    if (!isPlainObject(v)) throw OciErrors.invalidParameter(`${name} must be an object`);
    return v;
  },
  objectArray(
    body: Json,
    key: string,
    opts: { required?: boolean; nonEmpty?: boolean; path?: string } = {},
  ): Json[] | undefined {
    const v = body[key];
    const name = opts.path ?? key;
    if (v === undefined || v === null) {
      if (opts.required) throw OciErrors.missingParameter(name);
      return undefined;
    }
    if (!Array.isArray(v) || !v.every(isPlainObject))
      throw OciErrors.invalidParameter(`${name} must be an array of objects`);
    if (opts.nonEmpty && v.length === 0) throw OciErrors.invalidParameter(`${name} must not be empty`);
    return v as Json[];
  },
  /** `freeformTags`: a map of strings. */
  freeformTags(body: Json, key = "freeformTags"): Record<string, string> | undefined {
    const v = read.object(body, key);
    if (v === undefined) return undefined;
    for (const [k, value] of Object.entries(v)) {
      if (typeof value !== "string") throw OciErrors.invalidParameter(`${key}.${k} must be a string`);
    }
    return v as Record<string, string>;
  },
  /** `definedTags` / `securityAttributes`: a map of namespaces to maps. */
  nestedTags(body: Json, key: string): Record<string, Json> | undefined {
    const v = read.object(body, key);
    if (v === undefined) return undefined;
    for (const [ns, value] of Object.entries(v)) {
      if (!isPlainObject(value)) throw OciErrors.invalidParameter(`${key}.${ns} must be an object`);
    }
    return v as Record<string, Json>;
  },
};

const configKey = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Functions `config`: keys `[A-Za-z_][A-Za-z0-9_]*`, string values, at most 4 KB of keys and values in total. */
export function readFunctionsConfig(body: Json): Record<string, string> | undefined {
  const v = read.object(body, "config");
  if (v === undefined) return undefined;
  let size = 0;
  for (const [key, value] of Object.entries(v)) {
    if (!configKey.test(key))
      throw OciErrors.invalidParameter(`config key '${key}' must match [A-Za-z_][A-Za-z0-9_]*`);
    if (typeof value !== "string") throw OciErrors.invalidParameter(`config.${key} must be a string`);
    size += Buffer.byteLength(key, "utf8") + Buffer.byteLength(value, "utf8");
  }
  if (size > 4096)
    throw OciErrors.invalidParameter(`config is ${size} bytes; the limit is 4096 bytes of keys and values`);
  return v as Record<string, string>;
}

/** Throws `InvalidParameter` unless `value` is a well-formed OCID of `type`; `path` names it in the message. */
export function requireOcidOf(type: string, value: string, path: string): void {
  if (ocidType(value) !== type)
    throw OciErrors.invalidParameter(`${path} must be a ${type} OCID, got '${value}'`);
}

/** The required `compartmentId` of a body: a compartment (or tenancy) OCID. */
export function readCompartmentId(body: Json): string {
  const compartmentId = read.string(body, "compartmentId", { required: true }) as string;
  if (!isCompartmentId(compartmentId))
    throw OciErrors.invalidParameter(`compartmentId must be a compartment OCID, got '${compartmentId}'`);
  return compartmentId;
}
