/**
 * The Function's fields as one table: input name, wire path, group (which API call writes it), the
 * validation rule, whether a change replaces the function, whether the service returns it, and whether
 * removing it from the program keeps the cloud's value. `check`, the create body, the config merge, the
 * read mapping and `diff` are all derived from it (function-model.ts), so a new config field is one line.
 *
 * Sources: the wire names and the create/update split are the official SDK's models (NODE-FG
 * `CreateFunctionRequestBody`, `UpdateFunctionConfigRequestBody`, `UpdateFunctionCodeRequestBody`,
 * `ShowFunctionConfigResponse`); replace-or-update follows what those models allow (reference §3, §9).
 */
import type { Checker } from "../framework/checker";

/**
 * Which API call writes a field: `identity` (create only; a change replaces), `code` (`PUT .../code`),
 * `source` (the code itself: hashed into `codeHash`, never diffed on its own), `config` (`PUT .../config`,
 * read–merge–write), `strategy` (inside the config's `strategy_config`), `maxInstances`
 * (`strategy_config.concurrency`, also `PUT .../config-max-instance`), `reserved` (`PUT
 * .../reservedinstances`), `tags` (the tag API), `provider` (fnstack's own; never sent).
 */
export type FieldGroup =
  "identity" | "code" | "source" | "config" | "strategy" | "maxInstances" | "reserved" | "tags" | "provider";

/**
 * How a value crosses the wire: `value` as is; `struct` an object of API field names (keys converted
 * camelCase ↔ snake_case, deep); `env` environment variables as JSON text; `map` user-chosen keys as is;
 * `log` sent as `log_config`, read back from the top-level `log_group_id`/`log_stream_id`.
 */
export type WireKind = "value" | "struct" | "env" | "map" | "log";

/** A rule for one value (absent and unknown values never reach it). */
export type FieldRule = (c: Checker, value: unknown, property: string) => void;

/** One row of the table. */
export interface FunctionField {
  /** The input (and output) name, camelCase. */
  readonly input: string;
  /** Path in the create body, the config body and the GET config answer (dots for nested members). */
  readonly wire?: string;
  readonly group: FieldGroup;
  /** Default `value`. */
  readonly kind?: WireKind;
  /** Carried by the create body; other config fields are written by a PUT config right after. */
  readonly onCreate?: boolean;
  /** A change replaces the function (no update API can change it). */
  readonly replace?: boolean;
  /** Never returned by reads (or returned blanked): the output keeps the input. */
  readonly writeOnly?: boolean;
  /** Removing the input stops managing it and keeps the cloud's value, instead of clearing it. */
  readonly keptWhenUnmanaged?: boolean;
  readonly required?: boolean;
  readonly rule?: FieldRule;
}

const text =
  (max: number, pattern?: RegExp, describe?: string): FieldRule =>
  (c, v, p) =>
    c.string(p, v, { max, ...(pattern ? { pattern } : {}), ...(describe ? { describe } : {}) });
const integer =
  (min: number, max: number, unit = ""): FieldRule =>
  (c, v, p) =>
    c.integer(p, v, min, max, unit);
const boolean: FieldRule = (c, v, p) => c.boolean(p, v);
const oneOf =
  (values: readonly (string | number)[]): FieldRule =>
  (c, v, p) =>
    c.oneOf(p, v, values);
const stringMap: FieldRule = (c, v, p) => void c.stringMap(p, v);

/** Memory sizes in MB (reference §3; 8192 and 10240 are listed by the invocation API's memory header). */
export const memorySizes = [
  128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 8192, 10240,
] as const;
/** Function name: 1–60 chars, letters/digits/`-`/`_`, starts with a letter, ends with a letter or digit. */
export const functionNamePattern = /^[A-Za-z](?:[A-Za-z0-9_-]{0,58}[A-Za-z0-9])?$/;

/** The table. Order matters only where two fields share a wire path: the later one wins. */
export const functionFields: readonly FunctionField[] = [
  // identity: create only
  {
    input: "name",
    wire: "func_name",
    group: "identity",
    onCreate: true,
    replace: true,
    required: true,
    rule: text(
      60,
      functionNamePattern,
      "must be 1–60 letters, digits, '-' or '_', start with a letter and end with a letter or digit",
    ),
  },
  {
    input: "package",
    wire: "package",
    group: "identity",
    onCreate: true,
    replace: true,
    rule: text(64, /^[A-Za-z0-9_-]+$/, "must be 1–64 letters, digits, '-' or '_'"),
  },
  // Unknown runtimes are allowed (OTC lists newer ones than the SDK enums); only the shape is checked.
  {
    input: "runtime",
    wire: "runtime",
    group: "identity",
    onCreate: true,
    replace: true,
    required: true,
    rule: text(64, /^[A-Za-z][A-Za-z0-9.#() -]*$/),
  },
  // Not in UpdateFunctionConfigRequestBody; TF-HW marks functiongraph_version ForceNew.
  {
    input: "type",
    wire: "type",
    group: "identity",
    onCreate: true,
    replace: true,
    rule: oneOf(["v1", "v2"]),
  },
  // Create and PUT code only; TF-HW marks it ForceNew.
  {
    input: "codeEncryptKmsKeyId",
    wire: "code_encrypt_kms_key_id",
    group: "identity",
    onCreate: true,
    replace: true,
    rule: text(64),
  },

  // code: PUT .../code (always with the code itself)
  { input: "codeType", wire: "code_type", group: "code", onCreate: true },
  { input: "codeHash", group: "code" },
  { input: "codeUrl", wire: "code_url", group: "code", onCreate: true },
  { input: "codeFilename", wire: "code_filename", group: "code", onCreate: true },
  { input: "dependVersionList", wire: "depend_version_list", group: "code", onCreate: true },
  { input: "inlineCode", group: "source", writeOnly: true },
  { input: "codeBase64", group: "source", writeOnly: true },
  { input: "codePath", group: "source", writeOnly: true },
  { input: "codeAsset", group: "source", writeOnly: true },
  { input: "codeVersion", group: "source", rule: text(256) },

  // config: PUT .../config, read → merge → complete write
  { input: "handler", wire: "handler", group: "config", onCreate: true },
  {
    input: "memorySize",
    wire: "memory_size",
    group: "config",
    onCreate: true,
    required: true,
    rule: oneOf(memorySizes),
  },
  {
    input: "timeout",
    wire: "timeout",
    group: "config",
    onCreate: true,
    required: true,
    rule: integer(3, 259200, "seconds"),
  },
  { input: "userData", wire: "user_data", group: "config", kind: "env", onCreate: true },
  // Values come back blanked (TF-HW PR #6336).
  {
    input: "encryptedUserData",
    wire: "encrypted_user_data",
    group: "config",
    kind: "env",
    onCreate: true,
    writeOnly: true,
  },
  {
    input: "userDataEncryptKmsKeyId",
    wire: "user_data_encrypt_kms_key_id",
    group: "config",
    onCreate: true,
    rule: text(64),
  },
  { input: "xrole", wire: "xrole", group: "config", onCreate: true, rule: text(256) },
  { input: "appXrole", wire: "app_xrole", group: "config", onCreate: true, rule: text(256) },
  { input: "description", wire: "description", group: "config", onCreate: true, rule: text(512) },
  { input: "funcVpc", wire: "func_vpc", group: "config", kind: "struct", onCreate: true },
  { input: "mountConfig", wire: "mount_config", group: "config", kind: "struct", onCreate: true },
  { input: "customImage", wire: "custom_image", group: "config", kind: "struct", onCreate: true },
  {
    input: "initializerHandler",
    wire: "initializer_handler",
    group: "config",
    onCreate: true,
    rule: text(128),
  },
  {
    input: "initializerTimeout",
    wire: "initializer_timeout",
    group: "config",
    onCreate: true,
    rule: integer(1, 300, "seconds"),
  },
  { input: "preStopHandler", wire: "pre_stop_handler", group: "config", onCreate: true, rule: text(128) },
  {
    input: "preStopTimeout",
    wire: "pre_stop_timeout",
    group: "config",
    onCreate: true,
    rule: integer(1, 90, "seconds"),
  },
  { input: "restoreHookHandler", wire: "restore_hook_handler", group: "config", rule: text(128) },
  {
    input: "restoreHookTimeout",
    wire: "restore_hook_timeout",
    group: "config",
    rule: integer(1, 300, "seconds"),
  },
  { input: "heartbeatHandler", wire: "heartbeat_handler", group: "config", rule: text(128) },
  { input: "ephemeralStorage", wire: "ephemeral_storage", group: "config", rule: oneOf([512, 10240]) },
  // GET answers log_group_id/log_stream_id only; an omitted log_config keeps the current one.
  {
    input: "logConfig",
    wire: "log_config",
    group: "config",
    kind: "log",
    onCreate: true,
    keptWhenUnmanaged: true,
  },
  {
    input: "networkController",
    wire: "network_controller",
    group: "config",
    kind: "struct",
    onCreate: true,
  },
  {
    input: "isStatefulFunction",
    wire: "is_stateful_function",
    group: "config",
    onCreate: true,
    rule: boolean,
  },
  {
    input: "enableDynamicMemory",
    wire: "enable_dynamic_memory",
    group: "config",
    onCreate: true,
    rule: boolean,
  },
  { input: "enableAuthInHeader", wire: "enable_auth_in_header", group: "config", rule: boolean },
  { input: "enableClassIsolation", wire: "enable_class_isolation", group: "config", rule: boolean },
  { input: "enableLtsLog", wire: "enable_lts_log", group: "config", onCreate: true, rule: boolean },
  {
    input: "ltsCustomTag",
    wire: "lts_custom_tag",
    group: "config",
    kind: "map",
    onCreate: true,
    rule: stringMap,
  },
  { input: "domainNames", wire: "domain_names", group: "config", onCreate: true, rule: text(1024) },
  { input: "peeringCidr", wire: "peering_cidr", group: "config", rule: text(256) },
  { input: "gpuMemory", wire: "gpu_memory", group: "config", onCreate: true, rule: integer(0, 1_000_000) },
  { input: "gpuType", wire: "gpu_type", group: "config", onCreate: true, rule: text(64) },
  // Updated in place by PUT config (issue 10, defect 7); removing it leaves the function where it is.
  {
    input: "enterpriseProjectId",
    wire: "enterprise_project_id",
    group: "config",
    onCreate: true,
    keptWhenUnmanaged: true,
    rule: text(64),
  },

  // strategy_config: merged member by member (a partial strategy zeroes the rest, TF-OTC #3179)
  {
    input: "concurrency",
    wire: "strategy_config.concurrency",
    group: "strategy",
    onCreate: true,
    keptWhenUnmanaged: true,
    rule: integer(-1, 1000),
  },
  {
    input: "concurrentNum",
    wire: "strategy_config.concurrent_num",
    group: "strategy",
    onCreate: true,
    keptWhenUnmanaged: true,
    rule: integer(1, 1000),
  },
  // The maximum number of instances IS strategy_config.concurrency (issue 10, defect 3): both Terraform
  // providers read max_instance_num from it; -1 unlimited, 0 disabled, at most 1000 (defect 9).
  {
    input: "maxInstanceNum",
    wire: "strategy_config.concurrency",
    group: "maxInstances",
    onCreate: true,
    keptWhenUnmanaged: true,
    rule: integer(-1, 1000),
  },

  { input: "reservedInstanceCount", group: "reserved", keptWhenUnmanaged: true, rule: integer(0, 1000) },
  { input: "reservedInstanceIdleMode", group: "reserved", keptWhenUnmanaged: true, rule: boolean },
  { input: "tags", group: "tags" },

  { input: "adoptId", group: "provider" },
  { input: "timeouts", group: "provider", rule: (c, v, p) => c.timeouts(p, v) },
];

/** The inputs of the fields of `groups`. */
export function inputsOf(...groups: FieldGroup[]): string[] {
  return functionFields.filter((f) => groups.includes(f.group)).map((f) => f.input);
}

/** The field of an input. */
export function fieldOf(input: string): FunctionField | undefined {
  return functionFields.find((f) => f.input === input);
}

/** Groups written by `PUT .../config` (the strategy and the maximum instances are members of it). */
export const configGroups: readonly FieldGroup[] = ["config", "strategy", "maxInstances"];

/** The fields `PUT .../config` writes. */
export const configFields: readonly FunctionField[] = functionFields.filter((f) =>
  configGroups.includes(f.group),
);

/**
 * Wire keys `PUT .../config` accepts that fnstack has no input for, copied from the current config so a
 * write never clears them (NODE-FG UpdateFunctionConfigRequestBody).
 */
export const unmodelledConfigWireKeys = ["extend_config"] as const;
