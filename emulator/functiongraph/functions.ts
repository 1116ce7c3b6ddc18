import type { EmulatorResponse } from "../service";
import { type OperationContext, uuidFrom } from "./context";
import {
  badRequest,
  dependencyNotFound,
  fssError,
  functionNotFound,
  aliasNotFound,
  versionNotFound,
} from "./errors";
import {
  type AliasState,
  type CodeState,
  type FunctionState,
  type Json,
  type VersionState,
  clone,
  codeTypes,
  configDefaults,
  formatTime,
  isObject,
  isPlausibleRuntime,
  memorySizes,
  ok,
  optBoolean,
  optInteger,
  optString,
  page,
  parseJsonObject,
  sha512Hex,
} from "./model";
import { type FunctionRef, functionKey, functionUrn, parseFunctionRef } from "./urn";

/** Most functions a project may hold (FSS.1041). */
export const maxFunctionsPerProject = 400;
const maxInlineCodeBytes = 10 * 1024;
const maxZipCodeBytes = 50 * 1024 * 1024;
const defaultInlineCode = "exports.handler = async (event, context) => event;\n";

/** What a URN path parameter resolved to. */
export interface Resolved {
  readonly ref: FunctionRef;
  readonly fn: FunctionState;
  /** `latest` when the URN has no qualifier or names `latest`. */
  readonly target: Target;
}

/** The code + config a qualifier points at. */
export type Target =
  | { readonly kind: "latest" }
  | { readonly kind: "version"; readonly version: VersionState }
  | { readonly kind: "alias"; readonly alias: AliasState; readonly resolved: "latest" | VersionState };

/** Finds the function a path parameter names (any URN shorthand). Throws 404 `FSS.1051`. */
export function findFunction(
  ctx: OperationContext,
  urnParam: string,
): { ref: FunctionRef; fn: FunctionState } {
  const ref = parseFunctionRef(urnParam, ctx.region, ctx.projectId);
  const fn = ctx.project.functions.find(
    (f) => f.package === ref.packageName && f.func_name === ref.functionName,
  );
  if (fn === undefined) throw functionNotFound(urnParam);
  return { ref, fn };
}

/** Finds the function and resolves its qualifier. Throws 404 `FSS.1051/1052/1053`. */
export function resolve(ctx: OperationContext, urnParam: string): Resolved {
  const { ref, fn } = findFunction(ctx, urnParam);
  return { ref, fn, target: resolveQualifier(fn, ref) };
}

function resolveQualifier(fn: FunctionState, ref: FunctionRef): Target {
  const q = ref.qualifier;
  if (q === undefined || (q.kind === "version" && q.name === "latest")) return { kind: "latest" };
  if (q.kind === "version") {
    const version = fn.versions.find((v) => v.version === q.name);
    if (version) return { kind: "version", version };
    // A bare qualifier that names no version may name an alias (the console accepts both).
    const alias = fn.aliases.find((a) => a.name === q.name);
    if (alias) return aliasTarget(fn, alias);
    throw versionNotFound(q.name);
  }
  const alias = fn.aliases.find((a) => a.name === q.name);
  if (alias === undefined) throw aliasNotFound(q.name);
  return aliasTarget(fn, alias);
}

function aliasTarget(fn: FunctionState, alias: AliasState): Target {
  if (alias.version === "latest") return { kind: "alias", alias, resolved: "latest" };
  const version = fn.versions.find((v) => v.version === alias.version);
  if (version === undefined) throw versionNotFound(alias.version);
  return { kind: "alias", alias, resolved: version };
}

/** The version name a target runs. */
export function targetVersionName(target: Target): string {
  if (target.kind === "latest") return "latest";
  if (target.kind === "version") return target.version.version;
  return target.resolved === "latest" ? "latest" : target.resolved.version;
}

function targetState(
  fn: FunctionState,
  target: Target,
): { config: Json; code: CodeState; last_modified: number } {
  const snapshot =
    target.kind === "version" ? target.version : target.kind === "alias" ? target.resolved : "latest";
  return snapshot === "latest" ? fn : snapshot;
}

/** The qualifier string a trigger or reserved-instance entry binds to: `latest`, a version, or `!alias`. */
export function qualifierOf(ref: FunctionRef): string {
  const q = ref.qualifier;
  if (q === undefined) return "latest";
  return q.kind === "alias" ? `!${q.name}` : q.name;
}

/** 7-field URN of `fn` in this context. */
export function urnOf(ctx: OperationContext, fn: FunctionState): string {
  return functionUrn(ctx.region, ctx.projectId, fn.package, fn.func_name);
}

// ---------------------------------------------------------------- validation

const functionNamePattern = /^[A-Za-z]([A-Za-z0-9_-]{0,58}[A-Za-z0-9])?$/;

function requireFunctionName(body: Json): string {
  const name = body["func_name"];
  if (typeof name !== "string" || !functionNamePattern.test(name)) {
    throw badRequest(
      "func_name must be 1-60 letters, digits, '-' or '_', start with a letter and end with a letter or digit",
      "FSS.1002",
    );
  }
  return name;
}

function requireRuntime(body: Json): string {
  const runtime = body["runtime"];
  if (typeof runtime !== "string" || runtime === "") throw badRequest("runtime is required", "FSS.1005");
  if (!isPlausibleRuntime(runtime)) throw badRequest(`Invalid runtime: ${runtime}`, "FSS.1005");
  return runtime;
}

function requireHandler(body: Json, runtime: string): string {
  const handler = body["handler"];
  if (typeof handler !== "string" || handler.length < 1 || handler.length > 128) {
    throw badRequest("Invalid function handler: handler must be 1-128 characters", "FSS.1003");
  }
  // Script runtimes name `<file>.<function>`; Go, Java, custom runtimes and images use other forms.
  if (/^(Node\.js|Python|PHP)/.test(runtime) && !/^[^.\s]+(\.[^.\s]+)+$/.test(handler)) {
    throw badRequest(`Invalid function handler for ${runtime}: expected <file>.<function>`, "FSS.1003");
  }
  return handler;
}

function requireMemory(body: Json): number {
  const memory = body["memory_size"];
  if (typeof memory !== "number" || !memorySizes.includes(memory)) {
    throw badRequest(`memory_size must be one of ${memorySizes.join(", ")} (MB)`, "FSS.1007");
  }
  return memory;
}

function requireTimeout(body: Json): number {
  const timeout = body["timeout"];
  if (typeof timeout !== "number" || !Number.isInteger(timeout) || timeout < 3 || timeout > 259200) {
    throw badRequest("timeout must be an integer from 3 to 259200 (seconds)", "FSS.1008");
  }
  return timeout;
}

function validateEnvironment(text: string, key: string): void {
  if (text === "") return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest(`${key} must be a JSON object string`, "FSS.0400");
  }
  if (!isObject(parsed)) throw badRequest(`${key} must be a JSON object string`);
  if (Object.keys(parsed).length > 20)
    throw badRequest(`${key}: at most 20 environment variables`, "FSS.1017");
  if (Buffer.byteLength(text, "utf8") > 4096)
    throw badRequest(`${key}: environment variables exceed 4 KB`, "FSS.1018");
}

/**
 * Keys `PUT .../config` takes: the members of the official SDK's `UpdateFunctionConfigRequestBody`
 * (NODE-FG `v2/model/UpdateFunctionConfigRequestBody.d.ts`). `func_name`, `runtime`, `timeout`, `handler`
 * and `memory_size` are its constructor arguments, i.e. required.
 */
export const updateConfigKeys: readonly string[] = [
  "func_name",
  "runtime",
  "timeout",
  "handler",
  "memory_size",
  "gpu_memory",
  "gpu_type",
  "user_data",
  "encrypted_user_data",
  "xrole",
  "app_xrole",
  "description",
  "func_vpc",
  "peering_cidr",
  "mount_config",
  "strategy_config",
  "custom_image",
  "extend_config",
  "initializer_handler",
  "initializer_timeout",
  "pre_stop_handler",
  "pre_stop_timeout",
  "ephemeral_storage",
  "enterprise_project_id",
  "log_config",
  "network_controller",
  "is_stateful_function",
  "enable_dynamic_memory",
  "enable_auth_in_header",
  "domain_names",
  "restore_hook_handler",
  "restore_hook_timeout",
  "heartbeat_handler",
  "enable_class_isolation",
  "enable_lts_log",
  "lts_custom_tag",
  "user_data_encrypt_kms_key_id",
];

/**
 * Keys of the GET config answer (NODE-FG `ShowFunctionConfigResponse`) that PUT config does not change.
 * A body read with GET may carry them back: they are ignored, so a read–merge–write client round-trips;
 * any key in neither model is rejected.
 */
export const readOnlyConfigKeys: readonly string[] = [
  "func_id",
  "resource_id",
  "func_urn",
  "domain_id",
  "namespace",
  "project_name",
  "package",
  "cpu",
  "code_type",
  "code_url",
  "code_filename",
  "code_size",
  "digest",
  "version",
  "image_name",
  "last_modified",
  "depend_list",
  "depend_version_list",
  "dependencies",
  "long_time",
  "log_group_id",
  "log_stream_id",
  "type",
  "enable_cloud_debug",
  "is_bridge_function",
  "reserved_instance_idle_mode",
  "apig_route_enable",
  "allow_ephemeral_storage",
  "is_return_stream",
  "code_encrypt_kms_key_id",
  // listed in the seed's function response (reference §3), not in the SDK model
  "reserved_instance_count",
];

/**
 * Keys a create body takes (NODE-FG `CreateFunctionRequestBody`; `app` is the older name of `package`;
 * `strategy_config`, which TF-OTC's create sends (reference §9), with the same zeroing rule as PUT config).
 */
export const createKeys: readonly string[] = [
  "strategy_config",
  "func_name",
  "package",
  "app",
  "runtime",
  "timeout",
  "handler",
  "depend_version_list",
  "func_vpc",
  "memory_size",
  "gpu_memory",
  "gpu_type",
  "code_type",
  "code_url",
  "code_filename",
  "custom_image",
  "user_data",
  "encrypted_user_data",
  "xrole",
  "app_xrole",
  "description",
  "func_code",
  "mount_config",
  "initializer_handler",
  "initializer_timeout",
  "pre_stop_handler",
  "pre_stop_timeout",
  "enterprise_project_id",
  "type",
  "log_config",
  "network_controller",
  "is_stateful_function",
  "enable_dynamic_memory",
  "enable_lts_log",
  "lts_custom_tag",
  "user_data_encrypt_kms_key_id",
  "code_encrypt_kms_key_id",
  "domain_names",
  "tags",
];

/** Keys `PUT .../code` takes (NODE-FG `UpdateFunctionCodeRequestBody`): no `custom_image` among them. */
export const updateCodeKeys: readonly string[] = [
  "code_type",
  "code_url",
  "code_filename",
  "func_code",
  "depend_version_list",
  "code_encrypt_kms_key_id",
];

function rejectUnknownKeys(body: Json, allowed: readonly (readonly string[])[]): void {
  for (const key of Object.keys(body)) {
    if (!allowed.some((keys) => keys.includes(key)))
      throw badRequest(`Unknown parameter: ${key}`, "FSS.0400");
  }
}

/** Timeouts whose 0 means "not set": GET returns 0 for them, so a PUT of that body must pass. */
function optTimeout(body: Json, key: string, min: number, max: number): number | undefined {
  if (body[key] === 0) return 0;
  return optInteger(body, key, "FSS.0400", min, max);
}

/** A `func_mounts` entry as stored: the four SDK fields in the order given (NODE-FG `FuncMount`). */
function readMounts(value: Json): Json {
  const mounts = value["func_mounts"];
  if (mounts === undefined || mounts === null) return clone(value);
  if (!Array.isArray(mounts)) throw badRequest("mount_config.func_mounts must be a list");
  return {
    ...clone(value),
    func_mounts: mounts.map((m: unknown, i) => {
      if (!isObject(m)) throw badRequest(`mount_config.func_mounts[${i}] must be an object`);
      for (const key of ["mount_type", "mount_resource", "local_mount_path"]) {
        if (typeof m[key] !== "string" || m[key] === "")
          throw badRequest(`mount_config.func_mounts[${i}].${key} is required`);
      }
      const { status: _status, ...rest } = m;
      return clone(rest);
    }),
  };
}

/**
 * Builds a complete config from a create or PUT-config body. PUT config replaces the whole config: every
 * optional field of the update model not sent takes its default — a `strategy_config` without
 * `concurrency` sets it to 0, which disables the function (TF-OTC #3179), exactly as the service does.
 * Fields outside the update model (`type`) and `log_config` (which GET never returns in that form) keep
 * their values (`previous`).
 * `strategy_config.concurrency` is the function's maximum number of instances: the same value
 * `PUT .../config-max-instance` sets (TF-HW and TF-OTC read `max_instance_num` from it; the SDK's
 * ShowFunctionConfigResponse has no other field for it).
 */
function buildConfig(body: Json, previous?: Json): Json {
  if (previous !== undefined && body["func_name"] === undefined)
    throw badRequest("func_name is required", "FSS.1002");
  const runtime = requireRuntime(body);
  const config: Json = {
    ...configDefaults(),
    runtime,
    handler: requireHandler(body, runtime),
    memory_size: requireMemory(body),
    timeout: requireTimeout(body),
  };
  if (previous !== undefined) {
    config["type"] = previous["type"];
    // GET answers the log config as top-level log_group_id/log_stream_id, never as log_config, so a
    // read–merge–write client cannot send it back: an omitted log_config keeps the current one.
    if (body["log_config"] === undefined) config["log_config"] = clone(previous["log_config"]);
  }
  for (const key of ["user_data", "encrypted_user_data"]) {
    const value = optString(body, key, "FSS.0400");
    if (value !== undefined) {
      validateEnvironment(value, key);
      config[key] = value;
    }
  }
  const description = optString(body, "description", "FSS.1019", 512);
  if (description !== undefined) config["description"] = description;
  for (const key of [
    "xrole",
    "app_xrole",
    "initializer_handler",
    "pre_stop_handler",
    "extend_config",
    "enterprise_project_id",
    "domain_names",
    "restore_hook_handler",
    "heartbeat_handler",
    "peering_cidr",
    "gpu_type",
    "user_data_encrypt_kms_key_id",
    "code_encrypt_kms_key_id",
  ]) {
    const value = optString(body, key, "FSS.0400", 4096);
    if (value !== undefined) config[key] = value;
  }
  for (const [key, min, max] of [
    ["initializer_timeout", 1, 300],
    ["pre_stop_timeout", 1, 90],
    ["restore_hook_timeout", 1, 300],
  ] as const) {
    const value = optTimeout(body, key, min, max);
    if (value !== undefined) config[key] = value;
  }
  for (const [key, min, max] of [
    ["ephemeral_storage", 512, 10240],
    ["gpu_memory", 0, 16384],
  ] as const) {
    const value = optInteger(body, key, "FSS.0400", min, max);
    if (value !== undefined) config[key] = value;
  }
  for (const key of [
    "is_stateful_function",
    "enable_dynamic_memory",
    "enable_auth_in_header",
    "enable_class_isolation",
    "enable_lts_log",
  ]) {
    const value = optBoolean(body, key);
    if (value !== undefined) config[key] = value;
  }
  for (const key of ["custom_image", "log_config", "network_controller", "lts_custom_tag"]) {
    const value = body[key];
    if (value === undefined || value === null) continue;
    if (!isObject(value)) throw badRequest(`${key} must be an object`);
    config[key] = clone(value);
  }
  const mount = body["mount_config"];
  if (mount !== undefined && mount !== null) {
    if (!isObject(mount)) throw badRequest("mount_config must be an object");
    config["mount_config"] = readMounts(mount);
  }
  const vpc = body["func_vpc"];
  if (vpc !== undefined && vpc !== null) {
    if (!isObject(vpc)) throw badRequest("func_vpc must be an object");
    // GET returns an empty func_vpc for a function outside any VPC; sent back it means "no VPC".
    const empty = (vpc["vpc_id"] ?? "") === "" && (vpc["subnet_id"] ?? "") === "";
    if (!empty) {
      if (typeof vpc["vpc_id"] !== "string" || typeof vpc["subnet_id"] !== "string") {
        throw badRequest("func_vpc requires vpc_id and subnet_id");
      }
      config["func_vpc"] = clone(vpc);
    }
  }
  const strategy = body["strategy_config"];
  if (strategy !== undefined && strategy !== null) {
    if (!isObject(strategy)) throw badRequest("strategy_config must be an object");
    // Members not sent are zeroed, not kept: this is the trap users hit (concurrency 0 = disabled).
    const concurrency = optInteger(strategy, "concurrency", "FSS.0400", -1, 1000) ?? 0;
    // -1 and 0 are accepted and both mean one request per instance (TF-HW fgs_function
    // `concurrency_num` comment, 2024-02-29); GET returns what was set.
    const concurrentNum = optInteger(strategy, "concurrent_num", "FSS.0400", -1, 1000);
    config["strategy_config"] = { concurrency, concurrent_num: concurrentNum ?? 0 };
  }
  if (previous === undefined) {
    const type = optString(body, "type", "FSS.0400");
    if (type !== undefined) {
      if (type !== "v1" && type !== "v2") throw badRequest("type must be v1 or v2");
      config["type"] = type;
    }
  }
  return config;
}

function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, "base64");
}

function isZip(bytes: Buffer): boolean {
  // Local file header, or the end-of-central-directory record of an empty archive.
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/**
 * Computes where the code lives, its size and digest from a create or PUT-code body. `func_code` is
 * required on PUT code for inline/zip/jar; a zip/jar without a valid archive fails with the service's
 * `FSS.1011 "zip: not a valid zip file"` (TF-OTC #3426).
 */
function buildCode(body: Json, mode: "create" | "update", previous?: CodeState): CodeState {
  let codeType = body["code_type"];
  const customImage = body["custom_image"];
  if (codeType === undefined && isObject(customImage)) codeType = "Custom-Image-Swr";
  if (typeof codeType !== "string" || !codeTypes.includes(codeType)) {
    throw badRequest(`code_type must be one of ${codeTypes.join(", ")}`, "FSS.1006");
  }
  const funcCode = body["func_code"];
  const file =
    isObject(funcCode) && typeof funcCode["file"] === "string" && funcCode["file"] !== ""
      ? funcCode["file"]
      : undefined;
  const codeFilename = optString(body, "code_filename", "FSS.0400", 255);
  const codeUrl = optString(body, "code_url", "FSS.0400", 2048);
  const dependencies = previous?.depend_version_list ?? [];
  switch (codeType) {
    case "inline": {
      let bytes: Buffer;
      if (file === undefined) {
        if (mode === "update") throw badRequest("func_code is required", "FSS.1012");
        bytes = Buffer.from(defaultInlineCode);
      } else {
        const decoded = decodeBase64(file);
        if (decoded === undefined) throw badRequest("func_code.file is not valid base64", "FSS.1011");
        bytes = decoded;
      }
      if (bytes.length > maxInlineCodeBytes) throw fssError(413, "FSS.1072", "Inline code exceeds 10 KB");
      return {
        code_type: codeType,
        code_url: "",
        code_filename: codeFilename ?? "index.js",
        code_size: bytes.length,
        digest: sha512Hex(bytes),
        depend_version_list: [...dependencies],
      };
    }
    case "zip":
    case "jar": {
      const bytes = file === undefined ? undefined : decodeBase64(file);
      if (bytes === undefined || !isZip(bytes)) throw badRequest("zip: not a valid zip file", "FSS.1011");
      if (bytes.length > maxZipCodeBytes) throw fssError(413, "FSS.1071", "Code package exceeds 50 MB");
      return {
        code_type: codeType,
        code_url: "",
        code_filename: codeFilename ?? (codeType === "jar" ? "index.jar" : "index.zip"),
        code_size: bytes.length,
        digest: sha512Hex(bytes),
        depend_version_list: [...dependencies],
      };
    }
    case "obs": {
      if (codeUrl === undefined || codeUrl === "")
        throw badRequest("code_url is required for obs code", "FSS.1012");
      return {
        code_type: codeType,
        code_url: codeUrl,
        code_filename: codeFilename ?? codeUrl.slice(codeUrl.lastIndexOf("/") + 1),
        code_size: 0,
        digest: sha512Hex(codeUrl),
        depend_version_list: [...dependencies],
      };
    }
    default: {
      const image =
        isObject(customImage) && typeof customImage["image"] === "string" ? customImage["image"] : undefined;
      if (image === undefined || image === "")
        throw badRequest("custom_image.image is required for Custom-Image-Swr");
      return {
        code_type: codeType,
        code_url: "",
        code_filename: "",
        code_size: 0,
        digest: sha512Hex(image),
        depend_version_list: [...dependencies],
      };
    }
  }
}

function readDependencyList(ctx: OperationContext, body: Json): string[] | undefined {
  const list = body["depend_version_list"];
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list) || !list.every((id): id is string => typeof id === "string")) {
    throw badRequest("depend_version_list must be an array of dependency version ids");
  }
  for (const id of list) {
    if (!ctx.project.dependencyVersions.some((d) => d.id === id)) throw dependencyNotFound(id);
  }
  return [...new Set(list)];
}

// ---------------------------------------------------------------- rendering

function blankValues(text: unknown): string {
  if (typeof text !== "string" || text === "") return "";
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isObject(parsed)) return "";
    return JSON.stringify(Object.fromEntries(Object.keys(parsed).map((k) => [k, ""])));
  } catch {
    return "";
  }
}

function renderDependencies(ctx: OperationContext, ids: readonly string[]): Json[] {
  return ids.flatMap((id) => {
    const dep = ctx.project.dependencyVersions.find((d) => d.id === id);
    if (dep === undefined) return [];
    return [
      {
        id: dep.id,
        dep_id: dep.dep_id,
        name: dep.name,
        version: dep.version,
        owner: ctx.domain.name,
        link: dep.link,
        runtime: dep.runtime,
        etag: dep.etag,
        size: dep.size,
        description: dep.description,
        file_name: dep.file_name,
        last_modified: Math.floor(dep.last_modified / 1000),
      },
    ];
  });
}

/**
 * `mount_config` as read: the mounts in the order they were set, each with the mount's `status`
 * (TF-HW fgs_function `func_mounts.status`, computed).
 */
function renderMounts(mount: unknown): Json | undefined {
  if (!isObject(mount)) return undefined;
  const mounts = Array.isArray(mount["func_mounts"]) ? mount["func_mounts"] : [];
  return {
    ...clone(mount),
    func_mounts: mounts.map((m: unknown) => ({ ...(isObject(m) ? clone(m) : {}), status: "ACTIVE" })),
  };
}

/**
 * The function object as create, GET/PUT config, publish and the version list return it (`form: "list"`:
 * the list item shape — URN without version, no `func_id`, plus `func_vpc_id`).
 */
export function renderFunction(
  ctx: OperationContext,
  fn: FunctionState,
  target: Target,
  form: "config" | "list" = "config",
): Json {
  const state = targetState(fn, target);
  const version = targetVersionName(target);
  const config = state.config;
  const urn = urnOf(ctx, fn);
  const log = isObject(config["log_config"]) ? config["log_config"] : {};
  const vpc = isObject(config["func_vpc"]) ? config["func_vpc"] : undefined;
  const memory = typeof config["memory_size"] === "number" ? config["memory_size"] : 128;
  const rendered: Json = {
    func_id: fn.func_id,
    resource_id: `${fn.func_id}/${version}`,
    func_urn: form === "list" ? urn : `${urn}:${version}`,
    func_name: fn.func_name,
    domain_id: ctx.domain.id,
    namespace: ctx.projectId,
    project_name: ctx.projectName,
    package: fn.package,
    runtime: config["runtime"],
    timeout: config["timeout"],
    handler: config["handler"],
    memory_size: memory,
    cpu: Math.round((memory / 128) * 300),
    code_type: state.code.code_type,
    code_url: state.code.code_url,
    code_filename: state.code.code_filename,
    code_size: state.code.code_size,
    digest: state.code.digest,
    version,
    image_name: `${version}-${formatTime(state.last_modified).replace(/\D/g, "").slice(2)}`,
    xrole: config["xrole"],
    app_xrole: config["app_xrole"],
    description: config["description"],
    last_modified: formatTime(state.last_modified),
    user_data: config["user_data"],
    // Values of encrypted variables are never returned (TF-HW PR #6336).
    encrypted_user_data: blankValues(config["encrypted_user_data"]),
    func_vpc: vpc === undefined ? undefined : clone(vpc),
    mount_config: renderMounts(config["mount_config"]),
    strategy_config: clone(config["strategy_config"]),
    extend_config: config["extend_config"],
    depend_version_list: [...state.code.depend_version_list],
    dependencies: renderDependencies(ctx, state.code.depend_version_list),
    initializer_handler: config["initializer_handler"],
    initializer_timeout: config["initializer_timeout"],
    pre_stop_handler: config["pre_stop_handler"],
    pre_stop_timeout: config["pre_stop_timeout"],
    ephemeral_storage: config["ephemeral_storage"],
    enterprise_project_id: config["enterprise_project_id"],
    type: config["type"],
    log_group_id: typeof log["group_id"] === "string" ? log["group_id"] : "",
    log_stream_id: typeof log["stream_id"] === "string" ? log["stream_id"] : "",
    custom_image: config["custom_image"] ?? undefined,
    network_controller: config["network_controller"] ?? undefined,
    is_stateful_function: config["is_stateful_function"],
    enable_dynamic_memory: config["enable_dynamic_memory"],
    enable_auth_in_header: config["enable_auth_in_header"],
    enable_class_isolation: config["enable_class_isolation"],
    enable_lts_log: config["enable_lts_log"],
    lts_custom_tag: config["lts_custom_tag"] ?? undefined,
    domain_names: config["domain_names"],
    restore_hook_handler: config["restore_hook_handler"],
    restore_hook_timeout: config["restore_hook_timeout"],
    heartbeat_handler: config["heartbeat_handler"],
    peering_cidr: config["peering_cidr"],
    gpu_memory: config["gpu_memory"],
    gpu_type: config["gpu_type"],
    user_data_encrypt_kms_key_id: config["user_data_encrypt_kms_key_id"] ?? "",
    code_encrypt_kms_key_id: config["code_encrypt_kms_key_id"] ?? "",
    reserved_instance_count: fn.reserved
      .filter(
        (r) =>
          r.qualifier_name === version || (target.kind === "alias" && r.qualifier_name === target.alias.name),
      )
      .reduce((n, r) => n + r.count, 0),
  };
  if (form === "list") {
    delete rendered["func_id"];
    rendered["func_vpc_id"] = typeof vpc?.["vpc_id"] === "string" ? vpc["vpc_id"] : "";
  }
  return rendered;
}

function renderCode(ctx: OperationContext, fn: FunctionState, target: Target): Json {
  const state = targetState(fn, target);
  return {
    func_urn: `${urnOf(ctx, fn)}:${targetVersionName(target)}`,
    func_name: fn.func_name,
    runtime: state.config["runtime"],
    code_type: state.code.code_type,
    code_url: state.code.code_url,
    code_filename: state.code.code_filename,
    code_size: state.code.code_size,
    digest: state.code.digest,
    last_modified: formatTime(state.last_modified),
    // The code itself is never returned ("Nothing will be returned", function model).
    func_code: { file: "", link: "" },
    depend_version_list: [...state.code.depend_version_list],
    dependencies: renderDependencies(ctx, state.code.depend_version_list),
  };
}

function requireLatest(resolved: Resolved, what: string): void {
  if (resolved.target.kind !== "latest") {
    throw badRequest(`${what}: published versions are immutable; use the function URN or :latest`);
  }
}

// ---------------------------------------------------------------- operations

/** `POST /fgs/functions` → 200 with the function object (`func_urn` ending `:latest`). */
export function createFunction(ctx: OperationContext): EmulatorResponse {
  const body = parseJsonObject(ctx.request.body);
  rejectUnknownKeys(body, [createKeys]);
  const name = requireFunctionName(body);
  const pkg = body["package"] ?? body["app"];
  if (typeof pkg !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(pkg)) {
    throw badRequest("package must be 1-64 letters, digits, '-' or '_'", "FSS.1001");
  }
  const config = buildConfig(body);
  const code = buildCode(body, "create");
  code.depend_version_list = readDependencyList(ctx, body) ?? [];
  if (ctx.project.functions.some((f) => f.package === pkg && f.func_name === name)) {
    throw fssError(409, "FSS.1061", `The function already exists: ${functionKey(pkg, name)}`);
  }
  if (ctx.project.functions.length >= maxFunctionsPerProject) {
    throw fssError(403, "FSS.1041", `The number of functions exceeds the quota of ${maxFunctionsPerProject}`);
  }
  const fn: FunctionState = {
    func_id: uuidFrom(ctx.newId),
    package: pkg,
    func_name: name,
    created: ctx.now,
    last_modified: ctx.now,
    config,
    code,
    collect: false,
    tags: [],
    versions: [],
    aliases: [],
    triggers: [],
    reserved: [],
  };
  ctx.project.functions.push(fn);
  return ok(renderFunction(ctx, fn, { kind: "latest" }));
}

/** `GET /fgs/functions?marker&maxitems&package_name&func_name` → `{functions, next_marker, count}`. */
export function listFunctions(ctx: OperationContext): EmulatorResponse {
  const packageName = ctx.request.query.get("package_name");
  const funcName = ctx.request.query.get("func_name");
  const matching = ctx.project.functions.filter(
    (f) =>
      (packageName === null || f.package === packageName) &&
      (funcName === null || f.func_name.includes(funcName)),
  );
  const { items, next_marker, count } = page(matching, ctx.request.query);
  return ok({
    functions: items.map((f) => renderFunction(ctx, f, { kind: "latest" }, "list")),
    next_marker,
    count,
  });
}

/** `GET /fgs/functions/{urn}/config`. */
export function showFunctionConfig(ctx: OperationContext): EmulatorResponse {
  const { fn, target } = resolve(ctx, ctx.params["function_urn"] ?? "");
  return ok(renderFunction(ctx, fn, target));
}

/** `PUT /fgs/functions/{urn}/config`: full replacement of the latest config (see {@link buildConfig}). */
export function updateFunctionConfig(ctx: OperationContext): EmulatorResponse {
  const resolved = resolve(ctx, ctx.params["function_urn"] ?? "");
  requireLatest(resolved, "UpdateFunctionConfig");
  const body = parseJsonObject(ctx.request.body);
  const { fn } = resolved;
  rejectUnknownKeys(body, [updateConfigKeys, readOnlyConfigKeys]);
  if (body["func_name"] !== undefined && body["func_name"] !== fn.func_name) {
    throw badRequest("func_name cannot be changed", "FSS.1002");
  }
  const codeKey = fn.config["code_encrypt_kms_key_id"];
  fn.config = buildConfig(body, fn.config);
  // The code's key is set with the code (create, PUT code), not with the config.
  if (codeKey !== undefined) fn.config["code_encrypt_kms_key_id"] = codeKey;
  else delete fn.config["code_encrypt_kms_key_id"];
  const image = fn.config["custom_image"];
  if (fn.code.code_type === "Custom-Image-Swr") {
    if (!isObject(image) || typeof image["image"] !== "string" || image["image"] === "")
      throw badRequest("custom_image.image is required for a Custom-Image-Swr function");
    fn.code = { ...fn.code, digest: sha512Hex(image["image"]) };
  }
  fn.last_modified = ctx.now;
  return ok(renderFunction(ctx, fn, { kind: "latest" }));
}

/** `GET /fgs/functions/{urn}/code`: `func_code` is always empty. */
export function showFunctionCode(ctx: OperationContext): EmulatorResponse {
  const { fn, target } = resolve(ctx, ctx.params["function_urn"] ?? "");
  return ok(renderCode(ctx, fn, target));
}

/**
 * `PUT /fgs/functions/{urn}/code`. `depend_version_list` changes only when sent; an explicit `[]` clears it
 * (TF-OTC #3425).
 */
export function updateFunctionCode(ctx: OperationContext): EmulatorResponse {
  const resolved = resolve(ctx, ctx.params["function_urn"] ?? "");
  requireLatest(resolved, "UpdateFunctionCode");
  const body = parseJsonObject(ctx.request.body);
  const { fn } = resolved;
  rejectUnknownKeys(body, [updateCodeKeys]);
  if (body["code_type"] === "Custom-Image-Swr" || fn.code.code_type === "Custom-Image-Swr") {
    // The code model has no custom_image: an image function's image is its config (PUT config).
    throw badRequest("A custom image function's image is changed with PUT config (custom_image)");
  }
  const code = buildCode(body, "update", fn.code);
  const dependencies = readDependencyList(ctx, body);
  if (dependencies !== undefined) code.depend_version_list = dependencies;
  const kmsKey = optString(body, "code_encrypt_kms_key_id", "FSS.0400", 64);
  if (kmsKey !== undefined) fn.config["code_encrypt_kms_key_id"] = kmsKey;
  fn.code = code;
  fn.last_modified = ctx.now;
  return ok(renderCode(ctx, fn, { kind: "latest" }));
}

/**
 * `PUT /fgs/functions/{urn}/config-max-instance` `{max_instance_num}` (-1 unlimited, 0 disables). It sets
 * `strategy_config.concurrency`: one value, which GET config reports there (see {@link buildConfig}).
 */
export function updateMaxInstances(ctx: OperationContext): EmulatorResponse {
  const { fn } = resolve(ctx, ctx.params["function_urn"] ?? "");
  const body = parseJsonObject(ctx.request.body);
  rejectUnknownKeys(body, [["max_instance_num"]]);
  const value = optInteger(body, "max_instance_num", "FSS.0400", -1, 1000);
  if (value === undefined) throw badRequest("max_instance_num is required");
  const strategy = isObject(fn.config["strategy_config"]) ? fn.config["strategy_config"] : {};
  fn.config["strategy_config"] = { concurrent_num: 0, ...strategy, concurrency: value };
  fn.last_modified = ctx.now;
  return ok(renderFunction(ctx, fn, { kind: "latest" }));
}

/** `PUT /fgs/functions/{urn}/collect/{true|false}` (pin in the console). */
export function updateCollectState(ctx: OperationContext): EmulatorResponse {
  const { fn } = resolve(ctx, ctx.params["function_urn"] ?? "");
  const state = ctx.params["state"];
  if (state !== "true" && state !== "false") throw badRequest("state must be true or false");
  fn.collect = state === "true";
  return ok({});
}

/**
 * `DELETE /fgs/functions/{urn}`: without a qualifier the whole function (versions, aliases, triggers);
 * with a version only that version (and aliases on it, and its triggers); with `!alias` the version the
 * alias points to. `latest` alone cannot be deleted.
 */
export function deleteFunction(ctx: OperationContext): EmulatorResponse {
  const { ref, fn, target } = resolve(ctx, ctx.params["function_urn"] ?? "");
  if (ref.qualifier === undefined) {
    ctx.project.functions.splice(ctx.project.functions.indexOf(fn), 1);
    return { status: 204 };
  }
  const versionName = targetVersionName(target);
  if (versionName === "latest") {
    throw badRequest("The latest version cannot be deleted on its own; delete the function instead");
  }
  deleteVersion(fn, versionName);
  return { status: 204 };
}

/** Removes a published version with the aliases, triggers and reserved instances bound to it. */
export function deleteVersion(fn: FunctionState, versionName: string): void {
  if (
    fn.aliases.some(
      (a) =>
        a.additional_version_weights?.[versionName] !== undefined ||
        a.additional_version_strategy?.[versionName] !== undefined,
    )
  ) {
    throw fssError(
      403,
      "FSS.1094",
      `Version ${versionName} is an additional version of an alias and cannot be deleted`,
    );
  }
  const removedAliases = new Set(
    fn.aliases.filter((a) => a.version === versionName).map((a) => `!${a.name}`),
  );
  fn.versions = fn.versions.filter((v) => v.version !== versionName);
  fn.aliases = fn.aliases.filter((a) => a.version !== versionName);
  fn.triggers = fn.triggers.filter((t) => t.qualifier !== versionName && !removedAliases.has(t.qualifier));
  fn.reserved = fn.reserved.filter(
    (r) => r.qualifier_name !== versionName && !removedAliases.has(`!${r.qualifier_name}`),
  );
}
