/**
 * The Function resource's pure logic, derived from its field table (function-fields.ts): validation
 * (the API's rules, checked before any request), the create body, the config merge, the read mapping
 * and the diff. No I/O: the code's bytes and hash come from function-code.ts.
 */
import type * as pulumi from "@pulumi/pulumi";
import type {
  CodeType,
  CreateFunctionRequest,
  FunctionConfig,
  UpdateFunctionCodeRequest,
  UpdateFunctionConfigRequest,
} from "../../sdk/functiongraph/types/function";
import type { Props } from "../handler";
import {
  canonicalJson,
  changedKeys,
  Checker,
  diffResult,
  fromWire,
  isPlainObject,
  type Plain,
  sameValue,
  toWire,
  unknown,
  unknownSentinel,
} from "./common";
import {
  configFields,
  fieldOf,
  type FunctionField,
  functionFields,
  inputsOf,
  unmodelledConfigWireKeys,
} from "./function-fields";

export { memorySizes, functionNamePattern } from "./function-fields";

/** Code types the API accepts. */
export const codeTypes: readonly CodeType[] = ["inline", "zip", "obs", "jar", "Custom-Image-Swr"];
/** Environment variable name (letters, digits, `_`, `.`, `-`; not starting with a digit). */
export const envNamePattern = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** At most 20 environment variables (FSS.1017). */
export const maxEnvVars = 20;
/** Encoded `user_data` + `encrypted_user_data` at most 4 KB (FSS.1018). */
export const maxEnvBytes = 4096;
/** Inline code at most 10 KB (FSS.1072). */
export const maxInlineCodeBytes = 10 * 1024;
/** A zip/jar sent inline at most 50 MB (FSS.1071). */
export const maxZipBytes = 50 * 1024 * 1024;

/** Inputs that force a replacement: the API cannot change them in place. */
export const functionReplaceKeys: readonly string[] = functionFields
  .filter((f) => f.replace)
  .map((f) => f.input);

/** Inputs written with `PUT .../config` (including the strategy and the maximum instances). */
export const functionConfigKeys: readonly string[] = configFields.map((f) => f.input);

/** Code inputs: a change is written with `PUT .../code` (the code is always resent). */
export const functionCodeKeys: readonly string[] = inputsOf("code");

/** Sources of code; exactly one (or `customImage`) is required. */
export const codeSourceKeys = ["inlineCode", "codeBase64", "codePath", "codeAsset", "codeUrl"] as const;

/** Every input the Function accepts. */
export const functionInputKeys: readonly string[] = functionFields.map((f) => f.input);

/** Outputs computed by the service (never inputs). */
export const functionComputedKeys = [
  "funcUrn",
  "funcId",
  "version",
  "digest",
  "codeSize",
  "lastModified",
  "cpu",
  "domainId",
  "namespace",
  "projectName",
] as const;

// ---------------------------------------------------------------------------------------------------
// check

/**
 * Validates Function inputs with the API's rules and fills defaults; never sends a request and reads
 * no file (the code hash is added by the handler's check).
 */
export function validateFunction(news: Props): pulumi.dynamic.CheckResult {
  const c = new Checker();
  const inputs: Props = { ...news };
  c.noUnknownKeys("", inputs, functionInputKeys);
  if (inputs.package === undefined) inputs.package = "default";
  for (const field of functionFields) {
    const value = inputs[field.input];
    if (field.required && !c.required(field.input, value)) continue;
    if (field.rule && !c.skip(value)) field.rule(c, value, field.input);
  }

  checkCode(c, inputs);
  checkHandler(c, inputs);
  checkEnvironment(c, inputs);
  if (!c.skip(inputs.concurrentNum) && inputs.type === "v1")
    c.fail("concurrentNum", "requires type v2 (single-instance concurrency is a v2 feature)");
  // One value on the service: strategy_config.concurrency is the maximum number of instances (both
  // Terraform providers read max_instance_num from it; the SDK's config has no other field for it).
  if (
    !c.skip(inputs.concurrency) &&
    !c.skip(inputs.maxInstanceNum) &&
    inputs.concurrency !== inputs.maxInstanceNum
  )
    c.fail(
      "concurrency",
      `is the same setting as maxInstanceNum (strategy_config.concurrency, the maximum number of instances); ` +
        `got ${String(inputs.concurrency)} and ${String(inputs.maxInstanceNum)}: set only maxInstanceNum`,
    );

  const vpc = c.object("funcVpc", inputs.funcVpc);
  if (vpc) {
    c.required("funcVpc.vpcId", vpc.vpcId);
    c.required("funcVpc.subnetId", vpc.subnetId);
    c.array("funcVpc.securityGroups", vpc.securityGroups);
  }
  const mount = c.object("mountConfig", inputs.mountConfig);
  if (mount) {
    c.required("mountConfig.mountUser", mount.mountUser);
    const user = c.object("mountConfig.mountUser", mount.mountUser);
    if (user) {
      c.integer("mountConfig.mountUser.userId", user.userId, -1, 65534);
      c.integer("mountConfig.mountUser.userGroupId", user.userGroupId, -1, 65534);
    }
    const mounts = c.array("mountConfig.funcMounts", mount.funcMounts, { min: 1 });
    mounts?.forEach((m, i) => {
      const p = `mountConfig.funcMounts[${i}]`;
      const o = c.object(p, m);
      if (!o) return;
      if (c.required(`${p}.mountType`, o.mountType))
        c.oneOf(`${p}.mountType`, o.mountType, ["sfs", "sfsTurbo", "ecs"]);
      c.required(`${p}.mountResource`, o.mountResource);
      if (c.required(`${p}.localMountPath`, o.localMountPath))
        c.string(`${p}.localMountPath`, o.localMountPath, {
          pattern: /^\//,
          describe: "must be an absolute path",
        });
    });
  }
  const log = c.object("logConfig", inputs.logConfig);
  if (log) for (const [k, v] of Object.entries(log)) c.string(`logConfig.${k}`, v, { max: 128 });
  const net = c.object("networkController", inputs.networkController);
  if (net) {
    c.boolean("networkController.disablePublicNetwork", net.disablePublicNetwork);
    c.array("networkController.triggerAccessVpcs", net.triggerAccessVpcs);
  }
  const deps = c.array("dependVersionList", inputs.dependVersionList, { max: 20 });
  deps?.forEach((d, i) =>
    c.string(`dependVersionList[${i}]`, d, {
      min: 1,
      max: 64,
      pattern: /^[A-Za-z0-9-]+$/,
      describe: "must be a dependency version id (the `versionId` output of a DependencyVersion)",
    }),
  );
  const tags = c.stringMap("tags", inputs.tags);
  if (tags) {
    if (Object.keys(tags).length > 20) c.fail("tags", "must have at most 20 tags");
    for (const [k, v] of Object.entries(tags)) {
      if (k.length < 1 || k.length > 128) c.fail(`tags.${k}`, "key must have 1–128 characters");
      if (typeof v === "string" && v.length > 255)
        c.fail(`tags.${k}`, "value must have at most 255 characters");
    }
  }
  c.string("adoptId", inputs.adoptId, {
    pattern: /^urn:fss:[^:]+:[^:]+:function:[^:]+:[^:]+(:latest)?$/,
    describe:
      "must be the URN of an existing function (urn:fss:<region>:<project>:function:<package>:<name>)",
  });

  return c.result(inputs);
}

function checkCode(c: Checker, inputs: Props): void {
  const given = codeSourceKeys.filter((k) => inputs[k] !== undefined && inputs[k] !== null);
  const hasImage = inputs.customImage !== undefined && inputs.customImage !== null;
  if (given.length > 1)
    c.fail(given[1] ?? "code", `only one code source may be given, got ${given.join(", ")}`);
  if (given.length === 0 && !hasImage)
    c.fail("code", "one of inlineCode, codeBase64, codePath, codeAsset, codeUrl or customImage is required");
  if (given.length > 0 && hasImage)
    c.fail("customImage", `cannot be combined with ${given[0]} (a custom image carries its own code)`);

  if (inputs.codeType === undefined) inputs.codeType = derivedCodeType(inputs, given[0], hasImage);
  c.oneOf("codeType", inputs.codeType, codeTypes);
  const type = inputs.codeType;
  const source = given[0];
  if (!unknown(type) && source !== undefined) {
    const fits: Record<string, readonly string[]> = {
      inlineCode: ["inline"],
      codeBase64: ["zip", "jar"],
      codePath: ["zip", "jar"],
      codeAsset: ["zip", "jar"],
      codeUrl: ["obs"],
    };
    if (!(fits[source] ?? []).includes(String(type)))
      c.fail(
        "codeType",
        `${String(type)} does not fit ${source} (expected ${(fits[source] ?? []).join(" or ")})`,
      );
  }
  if (!unknown(type) && type === "Custom-Image-Swr" && !hasImage)
    c.fail("customImage", "is required with codeType Custom-Image-Swr");

  c.string("inlineCode", inputs.inlineCode);
  if (typeof inputs.inlineCode === "string" && Buffer.byteLength(inputs.inlineCode) > maxInlineCodeBytes)
    c.fail("inlineCode", `must be at most ${maxInlineCodeBytes} bytes; use codeBase64/codePath with a zip`);
  if (typeof inputs.codeBase64 === "string" && !unknown(inputs.codeBase64)) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(inputs.codeBase64) || inputs.codeBase64.length % 4 !== 0)
      c.fail("codeBase64", "must be base64 (the zip or jar file's bytes)");
    else if (inputs.codeBase64.length === 0) c.fail("codeBase64", "must not be empty");
    else if ((inputs.codeBase64.length / 4) * 3 > maxZipBytes)
      c.fail(
        "codeBase64",
        `must decode to at most ${maxZipBytes} bytes; host larger packages on OBS (codeUrl)`,
      );
  } else c.string("codeBase64", inputs.codeBase64);
  c.string("codePath", inputs.codePath, { min: 1 });
  if (!c.skip(inputs.codeAsset) && !isAssetLike(inputs.codeAsset))
    c.fail("codeAsset", "must be a pulumi.asset.FileAsset or StringAsset");
  c.string("codeUrl", inputs.codeUrl, {
    max: 1024,
    pattern: /^(https?|obs):\/\/\S+$/,
    describe: "must be an OBS object URL (https://<bucket>.obs.<region>.../<key> or obs://...)",
  });
  c.string("codeVersion", inputs.codeVersion, { max: 256 });
  if (!c.skip(inputs.codeVersion) && inputs.codeUrl === undefined)
    c.fail("codeVersion", "only applies to OBS code (codeUrl)");
  c.string("codeFilename", inputs.codeFilename, {
    max: 128,
    pattern: /^[^/\\]+$/,
    describe: "must be a file name without directories",
  });

  const image = c.object("customImage", inputs.customImage);
  if (image) {
    if (c.required("customImage.image", image.image))
      c.string("customImage.image", image.image, {
        max: 512,
        pattern: /^\S+$/,
        describe: "must be an image reference",
      });
    c.boolean("customImage.enabled", image.enabled);
    for (const k of ["command", "args", "workingDir", "uid", "gid"]) c.string(`customImage.${k}`, image[k]);
  }
}

function derivedCodeType(inputs: Props, source: string | undefined, hasImage: boolean): string | undefined {
  if (hasImage) return "Custom-Image-Swr";
  switch (source) {
    case "inlineCode":
      return "inline";
    case "codeUrl":
      return "obs";
    case "codeBase64":
    case "codeAsset":
      return typeof inputs.codeFilename === "string" && inputs.codeFilename.endsWith(".jar") ? "jar" : "zip";
    case "codePath":
      if (unknown(inputs.codePath)) return unknownSentinel;
      return typeof inputs.codePath === "string" && inputs.codePath.endsWith(".jar") ? "jar" : "zip";
    default:
      return undefined;
  }
}

function checkHandler(c: Checker, inputs: Props): void {
  if (inputs.codeType === "Custom-Image-Swr") {
    if (!unknown(inputs.runtime) && inputs.runtime !== "Custom Image")
      c.fail("runtime", 'must be "Custom Image" for a custom image (customImage)');
    // Custom images need the literal "-" handler (TF-OTC ISSUE #2919).
    if (inputs.handler === undefined) inputs.handler = "-";
    else if (!unknown(inputs.handler) && inputs.handler !== "-")
      c.fail("handler", 'must be "-" for a custom image (codeType Custom-Image-Swr)');
    return;
  }
  if (!c.required("handler", inputs.handler)) return;
  const runtime = typeof inputs.runtime === "string" ? inputs.runtime : "";
  const needsDot = !/^(Go|Custom|http|Cangjie)/i.test(runtime);
  c.string("handler", inputs.handler, {
    min: needsDot ? 3 : 1,
    max: 128,
    pattern: needsDot ? /^\S+\.\S+$/ : /^\S+$/,
    describe: needsDot ? "must look like <file>.<function> (3–128 characters)" : "must not contain spaces",
  });
}

function checkEnvironment(c: Checker, inputs: Props): void {
  const plain = c.stringMap("userData", inputs.userData);
  const secret = c.stringMap("encryptedUserData", inputs.encryptedUserData);
  const names = [...Object.keys(plain ?? {}), ...Object.keys(secret ?? {})];
  for (const [prop, map] of [
    ["userData", plain],
    ["encryptedUserData", secret],
  ] as const) {
    for (const k of Object.keys(map ?? {}))
      if (!envNamePattern.test(k) || k.length > 64)
        c.fail(
          `${prop}.${k}`,
          "environment variable names are letters, digits, '_', '.', '-' (not starting with a digit), ≤64 chars",
        );
  }
  const dup = Object.keys(plain ?? {}).filter((k) => secret && k in secret);
  if (dup.length > 0) c.fail("encryptedUserData", `names also in userData: ${dup.join(", ")}`);
  if (names.length > maxEnvVars)
    c.fail("userData", `at most ${maxEnvVars} environment variables in all, got ${names.length}`);
  const bytes =
    (plain ? Buffer.byteLength(JSON.stringify(plain)) : 0) +
    (secret ? Buffer.byteLength(JSON.stringify(secret)) : 0);
  if (bytes > maxEnvBytes)
    c.fail("userData", `environment variables must encode to at most ${maxEnvBytes} bytes, got ${bytes}`);
}

// ---------------------------------------------------------------------------------------------------
// code

/** A Pulumi asset as the plugin deserializes it (fields may be promises) or as plain JSON. */
export function isAssetLike(value: unknown): value is { path?: unknown; text?: unknown } {
  return typeof value === "object" && value !== null && ("path" in value || "text" in value);
}

// ---------------------------------------------------------------------------------------------------
// mapping (the one place camelCase meets snake_case, driven by the field table)

/** Wire value of one field's input value. */
function toWireValue(field: FunctionField, value: unknown): unknown {
  switch (field.kind ?? "value") {
    case "env":
      return JSON.stringify(value ?? {});
    case "struct":
    case "log":
      return toWire(value);
    default:
      return value;
  }
}

/** Sets `value` at a dotted wire path. */
function setPath(body: Plain, path: string, value: unknown): void {
  const [head, ...rest] = path.split(".");
  if (head === undefined) return;
  if (rest.length === 0) {
    body[head] = value;
    return;
  }
  const inner = isPlainObject(body[head]) ? (body[head] as Plain) : {};
  setPath(inner, rest.join("."), value);
  body[head] = inner;
}

/** The value at a dotted wire path. */
function getPath(body: Plain, path: string): unknown {
  let cur: unknown = body;
  for (const part of path.split(".")) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** Desired wire config: every config field the user set (of `fields`), at its wire path. */
export function desiredConfig(inputs: Props, fields: readonly FunctionField[] = configFields): Plain {
  const out: Plain = {};
  for (const field of fields) {
    const v = inputs[field.input];
    if (v === undefined || v === null || field.wire === undefined) continue;
    setPath(out, field.wire, toWireValue(field, v));
  }
  return out;
}

/** Top-level wire keys of the config body that are copied from the current configuration when merging. */
export const mergeableWireKeys: readonly string[] = [
  ...new Set([
    "func_name",
    "package",
    "runtime",
    ...configFields
      // GET never returns log_config (it answers log_group_id/log_stream_id): not copied, and an
      // omitted log_config keeps the current one.
      .filter((f) => f.kind !== "log")
      .map((f) => (f.wire ?? "").split(".")[0] ?? ""),
    ...unmodelledConfigWireKeys,
  ]),
].filter((k) => k !== "");

/** Timeouts whose 0 on read means "not set". */
const unsetWhenZero = ["initializer_timeout", "pre_stop_timeout", "restore_hook_timeout"];

/**
 * The complete configuration to send with `PUT .../config`: the current configuration as read, with
 * the user's settings laid over it, and settings the user removed from the program cleared unless the
 * table keeps them when unmanaged. Settings the user never managed keep their current values —
 * `strategy_config` in particular is merged member by member, so changing the memory never zeroes
 * concurrency (TF-OTC ISSUE #3179/#2936). The encrypted variables are sent only when managed, because
 * reads return them blanked.
 */
export function mergedConfig(
  current: FunctionConfig,
  inputs: Props,
  removed: readonly string[],
): UpdateFunctionConfigRequest {
  const body: Plain = {};
  const cur = current as unknown as Plain;
  for (const k of mergeableWireKeys) {
    const v = cur[k];
    if (v === undefined || v === null) continue;
    if (v === 0 && unsetWhenZero.includes(k)) continue;
    body[k] = v;
  }
  // Blanked values read back would overwrite the real ones.
  delete body.encrypted_user_data;
  // Empty objects the service returns for unset blocks are not sent back.
  if (isPlainObject(body.func_vpc) && !body.func_vpc.vpc_id) delete body.func_vpc;
  if (isPlainObject(body.mount_config)) {
    const mounts = body.mount_config.func_mounts;
    if (!Array.isArray(mounts) || mounts.length === 0) delete body.mount_config;
    else
      body.mount_config = {
        ...body.mount_config,
        // `status` is the service's, per mount (TF-HW func_mounts.status).
        func_mounts: mounts.map((m: unknown) => {
          if (!isPlainObject(m)) return m;
          const { status: _status, ...rest } = m;
          return rest;
        }),
      };
  }
  if (isPlainObject(body.custom_image) && !body.custom_image.image) delete body.custom_image;
  if (isPlainObject(body.strategy_config) && body.strategy_config.concurrent_num === 0) {
    // 0 reads as "not set" (v1 functions); sent, it is kept as 0.
    const { concurrent_num: _unset, ...rest } = body.strategy_config;
    body.strategy_config = rest;
  }

  const desired = desiredConfig(inputs);
  for (const [k, v] of Object.entries(desired)) {
    if (k === "strategy_config" && isPlainObject(body.strategy_config) && isPlainObject(v))
      body.strategy_config = { ...body.strategy_config, ...v };
    else body[k] = v;
  }
  for (const key of removed) {
    const field = fieldOf(key);
    if (!field?.wire || field.keptWhenUnmanaged) continue;
    const wire = field.wire;
    if (field.kind === "env") body[wire] = "{}";
    else if (typeof cur[wire] === "string") body[wire] = "";
    else if (typeof cur[wire] === "boolean") body[wire] = false;
    else delete body[wire];
  }
  body.func_name = inputs.name;
  body.runtime = inputs.runtime;
  body.package = inputs.package;
  return body as unknown as UpdateFunctionConfigRequest;
}

/** The fields the create body carries. */
const createFields = functionFields.filter((f) => f.onCreate && f.group !== "code");

/**
 * The create body: identity, code (`code`, from function-code.ts) and every create-model field the user
 * set. The other config fields are written by a PUT config right after (see configMismatches).
 */
export function createBody(inputs: Props, code: UpdateFunctionCodeRequest): CreateFunctionRequest {
  const body = { ...desiredConfig(inputs, createFields), ...code } as unknown as Plain;
  body.func_name = String(inputs.name);
  body.package = String(inputs.package ?? "default");
  body.runtime = String(inputs.runtime);
  // A strategy without `concurrency` would set it to 0 and leave the function disabled (TF-OTC #3179,
  // issue 10 defect 1): `concurrent_num` alone is written by the PUT config after the create, which
  // merges it with the service's current strategy.
  if (isPlainObject(body.strategy_config) && body.strategy_config.concurrency === undefined)
    delete body.strategy_config;
  return body as unknown as CreateFunctionRequest;
}

/**
 * Config inputs the service did not take as asked (compares only what the user set; write-only values
 * skipped), and `maxInstanceNum` when the function was left disabled without the user asking (defect 1).
 */
export function configMismatches(inputs: Props, actual: FunctionConfig): string[] {
  const live = liveConfigInputs(actual, inputs);
  const disabled =
    actual.strategy_config?.concurrency === 0 && inputs.maxInstanceNum !== 0 && inputs.concurrency !== 0;
  const differing = configFields
    .filter(
      (f) =>
        !f.writeOnly &&
        inputs[f.input] !== undefined &&
        inputs[f.input] !== null &&
        !sameValue(inputs[f.input], live[f.input]),
    )
    .map((f) => f.input);
  return disabled && !differing.includes("maxInstanceNum") ? ["maxInstanceNum", ...differing] : differing;
}

/**
 * Live values of config inputs, in input shape. With a `template` (the user's inputs), only its keys
 * are returned and objects are trimmed to the keys the user set, so fields the service adds (names,
 * CIDRs, defaults, mount status) do not show as drift.
 */
export function liveConfigInputs(config: FunctionConfig, template?: Props): Props {
  const cur = config as unknown as Plain;
  const out: Props = {};
  for (const field of configFields) {
    const key = field.input;
    if (template && (template[key] === undefined || template[key] === null)) continue;
    if (field.writeOnly || field.wire === undefined) continue; // kept from the inputs
    let v: unknown;
    switch (field.kind ?? "value") {
      case "env":
        v = parseEnv(cur[field.wire]);
        break;
      case "log":
        v = liveLogConfig(cur, template?.logConfig);
        break;
      case "struct":
        v = fromWire(getPath(cur, field.wire));
        if (template) v = project(v, template[key]);
        else if (isPlainObject(v) && Object.keys(v).length === 0) v = undefined;
        break;
      default:
        v = getPath(cur, field.wire);
    }
    if (v === "" && !template) v = undefined;
    if (v !== undefined && v !== null) out[key] = v;
  }
  return out;
}

/**
 * The log config as GET answers it: top-level `log_group_id`/`log_stream_id` (NODE-FG
 * ShowFunctionConfigResponse), never `log_config`. The group and stream names are not returned: they
 * are kept from the inputs (`template`).
 */
function liveLogConfig(cur: Plain, template: unknown): Plain | undefined {
  const groupId = typeof cur.log_group_id === "string" ? cur.log_group_id : "";
  const streamId = typeof cur.log_stream_id === "string" ? cur.log_stream_id : "";
  if (groupId === "" && streamId === "") return undefined;
  const names: Plain = {};
  if (isPlainObject(template))
    for (const k of ["groupName", "streamName"]) if (template[k] !== undefined) names[k] = template[k];
  return { ...names, groupId, streamId };
}

function parseEnv(text: unknown): Record<string, string> | undefined {
  if (typeof text !== "string" || text === "") return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isPlainObject(parsed) ? (parsed as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

/** Trims `value` to the shape of `template` (keys of objects, recursively; arrays element-wise). */
export function project(value: unknown, template: unknown): unknown {
  if (isPlainObject(template) && isPlainObject(value)) {
    const out: Plain = {};
    for (const k of Object.keys(template))
      if (value[k] !== undefined) out[k] = project(value[k], template[k]);
    return out;
  }
  if (Array.isArray(template) && Array.isArray(value)) {
    return value.map((v, i) => project(v, template[i] ?? template[0]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------
// diff

/** What a change of inputs needs: replacement, a code write, a config write, limits, tags. */
export interface FunctionChangePlan {
  readonly changed: string[];
  readonly replaces: string[];
  readonly code: boolean;
  readonly config: string[];
  readonly removedConfig: string[];
  readonly maxInstances: boolean;
  readonly reserved: boolean;
  readonly tags: boolean;
}

/** Inputs compared by diff: sources are compared through `codeHash`, provider inputs never. */
const diffKeys = functionFields
  .filter((f) => f.group !== "source" && f.group !== "provider")
  .map((f) => f.input);

/** Compares old outputs with new (checked) inputs. */
export function planFunctionChange(olds: Props, news: Props): FunctionChangePlan {
  const changed = changedKeys(olds, news, diffKeys, (key, a, b) => {
    if (key === "dependVersionList")
      return sameValue([...(a as string[])].sort(), [...(b as string[])].sort());
    return sameValue(a, b);
  });
  // Keys the user stopped setting only matter where removing them clears something in the cloud.
  const relevant = changed.filter((k) => {
    const gone = news[k] === undefined || news[k] === null;
    if (!gone) return true;
    if (fieldOf(k)?.keptWhenUnmanaged) return false;
    return functionConfigKeys.includes(k) || k === "tags" || k === "dependVersionList";
  });
  const config = relevant.filter((k) => functionConfigKeys.includes(k) && k !== "maxInstanceNum");
  const codeChanged = relevant.some((k) => functionCodeKeys.includes(k));
  // A custom image is config, not code: PUT code has no custom_image (NODE-FG
  // UpdateFunctionCodeRequestBody), so a new image is written with PUT config (issue 10, defect 2).
  const image = news.codeType === "Custom-Image-Swr";
  if (image && codeChanged && !config.includes("customImage")) config.push("customImage");
  return {
    changed: relevant,
    replaces: relevant.filter((k) => functionReplaceKeys.includes(k)),
    code: codeChanged && !image,
    config,
    removedConfig: config.filter((k) => news[k] === undefined || news[k] === null),
    // A config write carries the maximum instances (strategy_config.concurrency); config-max-instance
    // is only needed when nothing else in the config changes.
    maxInstances:
      relevant.includes("maxInstanceNum") && news.maxInstanceNum !== undefined && config.length === 0,
    reserved:
      (relevant.includes("reservedInstanceCount") || relevant.includes("reservedInstanceIdleMode")) &&
      news.reservedInstanceCount !== undefined,
    tags: relevant.includes("tags"),
  };
}

/** The engine's DiffResult for a Function. A replacement with the same name deletes first (names are unique). */
export function diffFunction(olds: Props, news: Props): pulumi.dynamic.DiffResult {
  const plan = planFunctionChange(olds, news);
  const sameName =
    !unknown(news.name) &&
    olds.name === news.name &&
    (news.package ?? "default") === (olds.package ?? "default");
  return diffResult(plan.changed, functionReplaceKeys, sameName);
}

/** Tags as the wire list. */
export function tagList(tags: unknown): { key: string; value: string }[] {
  if (!isPlainObject(tags)) return [];
  return Object.entries(tags).map(([key, value]) => ({ key, value: String(value) }));
}

/** Output key for a value the service computed, from the wire response. */
export function computedOutputs(config: FunctionConfig, unqualified: string): Props {
  return {
    funcUrn: unqualified,
    funcId: config.func_id,
    version: config.version ?? "latest",
    digest: config.digest,
    codeSize: config.code_size,
    lastModified: config.last_modified,
    cpu: config.cpu,
    domainId: config.domain_id,
    namespace: config.namespace,
    projectName: config.project_name,
  };
}

/** Stable text of a value for messages. */
export function describeValue(v: unknown): string {
  return canonicalJson(v);
}
