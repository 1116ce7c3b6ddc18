import { createHash } from "node:crypto";
import type { EmulatorResponse } from "../service";
import { badRequest } from "./errors";

/** A JSON object as it came off the wire. */
export type Json = Record<string, unknown>;

/** Where a function's code lives; `func_code` itself is never stored or returned. */
export interface CodeState {
  code_type: string;
  code_url: string;
  code_filename: string;
  code_size: number;
  /** SHA-512 hex of the code bytes (of `code_url` for `obs`, of the image for custom images). */
  digest: string;
  depend_version_list: string[];
}

/** A published version: an immutable snapshot of the latest config and code at publish time. */
export interface VersionState {
  version: string;
  description: string;
  /** Epoch ms. */
  last_modified: number;
  config: Json;
  code: CodeState;
  fingerprint: string;
}

/** A version alias, with optional weighted or rule-based routing to one more version. */
export interface AliasState {
  name: string;
  version: string;
  description: string;
  last_modified: number;
  additional_version_weights?: Record<string, number>;
  additional_version_strategy?: Json;
}

/** A trigger, bound to `latest`, a version or an alias (`!name`). */
export interface TriggerState {
  trigger_id: string;
  trigger_type_code: string;
  trigger_status: string;
  event_type_code?: string;
  /** As sent, secrets included (they are stripped on read). */
  event_data: Json;
  qualifier: string;
  created_time: number;
  last_updated_time: number;
}

/** Reserved instances of one qualifier. */
export interface ReservedState {
  qualifier_type: "version" | "alias";
  qualifier_name: string;
  count: number;
  idle_mode: boolean;
  tactics_config?: Json;
}

/** One function (its `latest` version plus everything hanging off it). */
export interface FunctionState {
  func_id: string;
  package: string;
  func_name: string;
  created: number;
  last_modified: number;
  config: Json;
  code: CodeState;
  collect: boolean;
  tags: { key: string; value: string }[];
  versions: VersionState[];
  aliases: AliasState[];
  triggers: TriggerState[];
  reserved: ReservedState[];
}

/** One version of a dependency; `id` is what `depend_version_list` holds. */
export interface DependencyVersionState {
  id: string;
  dep_id: string;
  name: string;
  version: number;
  runtime: string;
  description: string;
  depend_type: string;
  link: string;
  etag: string;
  size: number;
  file_name: string;
  /** Epoch ms. */
  last_modified: number;
}

/** Everything one project owns. */
export interface ProjectState {
  functions: FunctionState[];
  dependencyVersions: DependencyVersionState[];
}

/** Memory sizes FunctionGraph accepts, MB (OTC-API create; 8192/10240 on Huawei Cloud). */
export const memorySizes: readonly number[] = [
  128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 8192, 10240,
];

const knownRuntimes = new Set([
  "Java8",
  "Java11",
  "Java17",
  "Java21",
  "Python2.7",
  "Python3.6",
  "Python3.9",
  "Python3.10",
  "Python3.12",
  "Go1.8",
  "Go1.x",
  "Node.js6.10",
  "Node.js8.10",
  "Node.js10.16",
  "Node.js12.13",
  "Node.js14.18",
  "Node.js16.17",
  "Node.js18.15",
  "Node.js20.15",
  "C#(.NET Core 2.0)",
  "C#(.NET Core 2.1)",
  "C#(.NET Core 3.1)",
  "C#(.NET Core 6.0)",
  "Custom",
  "PHP7.3",
  "PHP8.3",
  "Cangjie1.0",
  "http",
  "Custom Image",
]);

/**
 * Known runtimes, plus anything shaped like one (`Node.js22.1`, `Python3.13`, `Java25`, `C#(.NET Core 8.0)`):
 * the user guide lists runtimes the SDK enum lacks, so unknown-but-plausible names pass.
 */
export function isPlausibleRuntime(runtime: string): boolean {
  return (
    knownRuntimes.has(runtime) ||
    /^(Java|Python|Go|Node\.js|PHP|Cangjie)\d+(\.(\d+|x))?$/.test(runtime) ||
    /^C#\(\.NET Core \d+\.\d+\)$/.test(runtime)
  );
}

/** Code types FunctionGraph accepts. */
export const codeTypes: readonly string[] = ["inline", "zip", "obs", "jar", "Custom-Image-Swr"];

/** Config fields PUT config accepts and their defaults (what an omitted field is reset to). */
export function configDefaults(): Json {
  return {
    user_data: "",
    encrypted_user_data: "",
    xrole: "",
    app_xrole: "",
    description: "",
    func_vpc: null,
    mount_config: null,
    strategy_config: { concurrency: 400, concurrent_num: 1 },
    custom_image: null,
    extend_config: "",
    initializer_handler: "",
    initializer_timeout: 0,
    pre_stop_handler: "",
    pre_stop_timeout: 0,
    ephemeral_storage: 512,
    enterprise_project_id: "0",
    log_config: null,
    network_controller: null,
    is_stateful_function: false,
    enable_dynamic_memory: false,
    enable_auth_in_header: false,
    enable_class_isolation: false,
    enable_lts_log: false,
    lts_custom_tag: null,
    domain_names: "",
    restore_hook_handler: "",
    restore_hook_timeout: 0,
    heartbeat_handler: "",
    peering_cidr: "",
    gpu_memory: 0,
    gpu_type: "",
    type: "v2",
  };
}

/** Is `value` a plain JSON object? */
export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses a JSON request body that must be an object (empty body → `{}` when allowed). */
export function parseJsonObject(body: Buffer, allowEmpty = false): Json {
  if (body.length === 0) {
    if (allowEmpty) return {};
    throw badRequest("The request body is empty; expected a JSON object");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw badRequest("The request body is not valid JSON");
  }
  if (!isObject(parsed)) throw badRequest("The request body must be a JSON object");
  return parsed;
}

/** `"2019-10-25 15:37:27"` (UTC), the format of `last_modified` and trigger times. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** SHA-512 hex, the algorithm of a function's `digest`. */
export function sha512Hex(data: Buffer | string): string {
  return createHash("sha512").update(data).digest("hex");
}

/** Deep copy of JSON data. */
export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Reads an optional string field; throws `code` when present with another type or too long. */
export function optString(
  body: Json,
  key: string,
  code: string,
  maxLength = Number.MAX_SAFE_INTEGER,
): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badRequest(`${key} must be a string`, code);
  if (value.length > maxLength) throw badRequest(`${key} must be at most ${maxLength} characters`, code);
  return value;
}

/** Reads an optional integer field within bounds. */
export function optInteger(
  body: Json,
  key: string,
  code: string,
  min: number,
  max: number,
): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`${key} must be an integer from ${min} to ${max}`, code);
  }
  return value;
}

/** Reads an optional boolean field. */
export function optBoolean(body: Json, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw badRequest(`${key} must be a boolean`);
  return value;
}

/** Parses `marker` / `maxitems` (offset-like marker; maxitems 0, unset or > 400 → 400; < 0 → error). */
export function pageParams(query: URLSearchParams, maxName = "maxitems"): { offset: number; limit: number } {
  const markerText = query.get("marker");
  const maxText = query.get(maxName);
  const offset = markerText === null || markerText === "" ? 0 : Number(markerText);
  if (!Number.isInteger(offset) || offset < 0)
    throw badRequest(`marker must be a non-negative integer: ${markerText}`);
  const max = maxText === null || maxText === "" ? 0 : Number(maxText);
  if (!Number.isInteger(max) || max < 0)
    throw badRequest(`${maxName} must be a non-negative integer: ${maxText}`);
  return { offset, limit: max === 0 || max > 400 ? 400 : max };
}

/** One page of `items` and the FunctionGraph paging fields (`next_marker` = offset after this page). */
export function page<T>(
  items: readonly T[],
  query: URLSearchParams,
): { items: T[]; next_marker: number; count: number } {
  const { offset, limit } = pageParams(query);
  const slice = items.slice(offset, offset + limit);
  return { items: slice, next_marker: Math.min(offset + slice.length, items.length), count: items.length };
}

/** A JSON answer (200 unless told). */
export function ok(body: unknown, status = 200): EmulatorResponse {
  return { status, body: body as object };
}
