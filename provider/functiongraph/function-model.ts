/**
 * The Function resource's pure logic: the one camelCase ↔ snake_case mapping, input validation (the
 * API's rules, checked before any request), code hashing and diffing. No I/O except reading a local code
 * file for its hash.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type {
  CodeType,
  CreateFunctionRequest,
  FuncCode,
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
  sha256Hex,
  snakeCase,
  toWire,
  unknown,
  unknownSentinel,
} from "./common";
import { checkLocalFile } from "./input-rules";

/** Memory sizes in MB (reference §3; 8192 and 10240 are listed by the invocation API's memory header). */
export const memorySizes = [
  128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 8192, 10240,
] as const;
/** Code types the API accepts. */
export const codeTypes: readonly CodeType[] = ["inline", "zip", "obs", "jar", "Custom-Image-Swr"];
/** Function name: 1–60 chars, letters/digits/`-`/`_`, starts with a letter, ends with a letter or digit. */
export const functionNamePattern = /^[A-Za-z](?:[A-Za-z0-9_-]{0,58}[A-Za-z0-9])?$/;
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
export const functionReplaceKeys = ["name", "package", "runtime", "type", "enterpriseProjectId"] as const;

/**
 * Configuration inputs written with `PUT .../config`. Each maps to the wire key `snakeCase(input)`,
 * except `concurrency`/`concurrentNum` (inside `strategy_config`) and the JSON-encoded env var maps.
 */
export const functionConfigKeys = [
  "handler",
  "memorySize",
  "timeout",
  "userData",
  "encryptedUserData",
  "xrole",
  "appXrole",
  "description",
  "funcVpc",
  "mountConfig",
  "customImage",
  "initializerHandler",
  "initializerTimeout",
  "preStopHandler",
  "preStopTimeout",
  "ephemeralStorage",
  "logConfig",
  "networkController",
  "isStatefulFunction",
  "enableDynamicMemory",
  "enableAuthInHeader",
  "domainNames",
  "ltsCustomTag",
  "enableLtsLog",
  "gpuMemory",
  "gpuType",
  "concurrency",
  "concurrentNum",
] as const;

/** Config inputs that are structured objects converted key by key (no user-chosen keys inside). */
const structuredKeys = new Set(["funcVpc", "mountConfig", "customImage", "logConfig", "networkController"]);

/** Code inputs: a change is written with `PUT .../code` (the code is always resent). */
export const functionCodeKeys = [
  "codeType",
  "codeHash",
  "codeUrl",
  "codeFilename",
  "dependVersionList",
] as const;

/** Sources of code; exactly one (or `customImage`) is required. */
export const codeSourceKeys = ["inlineCode", "codeBase64", "codePath", "codeAsset", "codeUrl"] as const;

/** Every input the Function accepts. */
export const functionInputKeys = [
  ...functionReplaceKeys,
  ...functionConfigKeys,
  ...functionCodeKeys,
  "inlineCode",
  "codeBase64",
  "codePath",
  "codeAsset",
  "codeVersion",
  "maxInstanceNum",
  "reservedInstanceCount",
  "reservedInstanceIdleMode",
  "tags",
  "adoptId",
] as const;

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

/** Inputs whose change needs no API call. */
const providerOnlyKeys = ["adoptId", "codeVersion"];

// ---------------------------------------------------------------------------------------------------
// check

/** Validates Function inputs with the API's rules and fills defaults; never sends a request. */
export async function checkFunction(news: Props): Promise<pulumi.dynamic.CheckResult> {
  const c = new Checker();
  const inputs: Props = { ...news };
  c.noUnknownKeys("", inputs, functionInputKeys);

  if (c.required("name", inputs.name))
    c.string("name", inputs.name, {
      max: 60,
      pattern: functionNamePattern,
      describe:
        "must be 1–60 letters, digits, '-' or '_', start with a letter and end with a letter or digit",
    });
  if (inputs.package === undefined) inputs.package = "default";
  c.string("package", inputs.package, {
    max: 64,
    pattern: /^[A-Za-z0-9_-]+$/,
    describe: "must be 1–64 letters, digits, '-' or '_'",
  });
  // Unknown runtimes are allowed (OTC lists newer ones than the SDK enums); only the shape is checked.
  if (c.required("runtime", inputs.runtime))
    c.string("runtime", inputs.runtime, { max: 64, pattern: /^[A-Za-z][A-Za-z0-9.#() -]*$/ });
  if (c.required("memorySize", inputs.memorySize)) c.oneOf("memorySize", inputs.memorySize, memorySizes);
  if (c.required("timeout", inputs.timeout)) c.integer("timeout", inputs.timeout, 3, 259200, "seconds");
  c.oneOf("type", inputs.type, ["v1", "v2"]);
  c.string("description", inputs.description, { max: 512 });
  c.string("xrole", inputs.xrole, { max: 256 });
  c.string("appXrole", inputs.appXrole, { max: 256 });
  c.string("enterpriseProjectId", inputs.enterpriseProjectId, { max: 64 });

  checkCode(c, inputs);
  await checkLocalFile(c, "codePath", inputs.codePath);
  checkHandler(c, inputs);
  checkEnvironment(c, inputs);

  c.string("initializerHandler", inputs.initializerHandler, { max: 128 });
  c.integer("initializerTimeout", inputs.initializerTimeout, 1, 300, "seconds");
  c.string("preStopHandler", inputs.preStopHandler, { max: 128 });
  c.integer("preStopTimeout", inputs.preStopTimeout, 1, 90, "seconds");
  c.oneOf("ephemeralStorage", inputs.ephemeralStorage, [512, 10240]);
  c.integer("concurrency", inputs.concurrency, -1, 1000);
  c.integer("concurrentNum", inputs.concurrentNum, 1, 1000);
  if (!c.skip(inputs.concurrentNum) && inputs.type === "v1")
    c.fail("concurrentNum", "requires type v2 (single-instance concurrency is a v2 feature)");
  c.integer("maxInstanceNum", inputs.maxInstanceNum, -1, 100000);
  c.integer("reservedInstanceCount", inputs.reservedInstanceCount, 0, 1000);
  c.boolean("reservedInstanceIdleMode", inputs.reservedInstanceIdleMode);
  for (const k of [
    "isStatefulFunction",
    "enableDynamicMemory",
    "enableAuthInHeader",
    "enableLtsLog",
  ] as const)
    c.boolean(k, inputs[k]);
  c.string("domainNames", inputs.domainNames, { max: 1024 });
  c.integer("gpuMemory", inputs.gpuMemory, 0, 1_000_000);
  c.string("gpuType", inputs.gpuType, { max: 64 });
  c.stringMap("ltsCustomTag", inputs.ltsCustomTag);

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

  if (c.failures.length === 0) inputs.codeHash = await codeHash(inputs);
  else delete inputs.codeHash;
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

/** The code the user supplied, as bytes, with a file name; undefined for OBS and custom images. */
export async function loadCode(inputs: Props): Promise<{ bytes: Buffer; fileName?: string } | undefined> {
  if (typeof inputs.inlineCode === "string") return { bytes: Buffer.from(inputs.inlineCode, "utf8") };
  if (typeof inputs.codeBase64 === "string") return { bytes: Buffer.from(inputs.codeBase64, "base64") };
  if (typeof inputs.codePath === "string") {
    return { bytes: await readFile(inputs.codePath), fileName: basename(inputs.codePath) };
  }
  if (isAssetLike(inputs.codeAsset)) {
    const asset = inputs.codeAsset as { path?: unknown; text?: unknown };
    const path: unknown = await asset.path;
    if (typeof path === "string") return { bytes: await readFile(path), fileName: basename(path) };
    const text: unknown = await asset.text;
    if (typeof text === "string") return { bytes: Buffer.from(text, "utf8") };
  }
  return undefined;
}

/**
 * Hash of the code the user supplied: the bytes for inline/zip/jar (however given), the object's identity
 * (URL + user-given version/etag) for OBS, the image reference for custom images. Never the server's
 * digest, which changes with packaging and cannot be computed before upload.
 */
export async function codeHash(inputs: Props): Promise<string> {
  for (const k of codeSourceKeys) if (unknown(inputs[k])) return unknownSentinel;
  if (unknown(inputs.customImage) || unknown(inputs.codeVersion)) return unknownSentinel;
  if (typeof inputs.codeUrl === "string")
    return `obs:${sha256Hex(`${inputs.codeUrl}\n${typeof inputs.codeVersion === "string" ? inputs.codeVersion : ""}`)}`;
  if (isPlainObject(inputs.customImage)) return `image:${sha256Hex(String(inputs.customImage.image ?? ""))}`;
  const code = await loadCode(inputs);
  return `sha256:${sha256Hex(code?.bytes ?? Buffer.alloc(0))}`;
}

/** The code part of a create or `PUT .../code` body, from the inputs (always includes the code). */
export async function codeBody(inputs: Props): Promise<UpdateFunctionCodeRequest> {
  const codeType = inputs.codeType as CodeType;
  const body: UpdateFunctionCodeRequest = { code_type: codeType };
  if (codeType === "obs") {
    body.code_url = String(inputs.codeUrl);
    body.func_code = { link: String(inputs.codeUrl) };
  } else if (codeType !== "Custom-Image-Swr") {
    const code = await loadCode(inputs);
    const fc: FuncCode = { file: (code?.bytes ?? Buffer.alloc(0)).toString("base64") };
    body.func_code = fc;
    if (codeType === "zip" || codeType === "jar") {
      body.code_filename =
        (typeof inputs.codeFilename === "string" ? inputs.codeFilename : undefined) ??
        code?.fileName ??
        (codeType === "jar" ? "index.jar" : "index.zip");
    }
  }
  if (typeof inputs.codeFilename === "string" && body.code_filename === undefined)
    body.code_filename = inputs.codeFilename;
  if (Array.isArray(inputs.dependVersionList))
    body.depend_version_list = inputs.dependVersionList.map(String);
  return body;
}

// ---------------------------------------------------------------------------------------------------
// mapping (the one place camelCase meets snake_case)

/** Wire value of one config input. */
export function configToWire(key: string, value: unknown): unknown {
  if (key === "userData" || key === "encryptedUserData") return JSON.stringify(value ?? {});
  if (structuredKeys.has(key)) return toWire(value);
  return value;
}

/** Desired wire config: every config input the user set, mapped to its wire key. */
export function desiredConfig(inputs: Props): Plain {
  const out: Plain = {};
  for (const key of functionConfigKeys) {
    const v = inputs[key];
    if (v === undefined || v === null) continue;
    if (key === "concurrency" || key === "concurrentNum") {
      const sc = (out.strategy_config ?? {}) as Plain;
      sc[snakeCase(key)] = v;
      out.strategy_config = sc;
      continue;
    }
    out[snakeCase(key)] = configToWire(key, v);
  }
  return out;
}

/** Wire keys `PUT .../config` accepts that are copied from the current configuration when merging. */
export const mergeableWireKeys = [
  "func_name",
  "package",
  "runtime",
  "timeout",
  "handler",
  "memory_size",
  "user_data",
  "xrole",
  "app_xrole",
  "description",
  "func_vpc",
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
  "lts_custom_tag",
  "enable_lts_log",
  "gpu_memory",
  "gpu_type",
  "restore_hook_handler",
  "restore_hook_timeout",
  "heartbeat_handler",
  "enable_class_isolation",
  "peering_cidr",
] as const;

/** Timeouts whose 0 on read means "not set"; sent back as 0 they would be rejected (ranges start at 1). */
const unsetWhenZero = ["initializer_timeout", "pre_stop_timeout", "restore_hook_timeout"];

/**
 * The complete configuration to send with `PUT .../config`: the current configuration as read, with
 * the user's settings laid over it, and settings the user removed from the program cleared. Settings the
 * user never managed keep their current values — `strategy_config` in particular is merged field by
 * field, so changing the memory never zeroes concurrency (TF-OTC ISSUE #3179/#2936). The encrypted
 * variables are sent only when managed, because reads return them blanked.
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
  // Empty objects the service returns for unset blocks would be rejected when sent back.
  if (isPlainObject(body.func_vpc) && !body.func_vpc.vpc_id) delete body.func_vpc;
  if (isPlainObject(body.mount_config)) {
    const mounts = body.mount_config.func_mounts;
    if (!Array.isArray(mounts) || mounts.length === 0) delete body.mount_config;
  }
  if (isPlainObject(body.custom_image) && !body.custom_image.image) delete body.custom_image;
  if (isPlainObject(body.strategy_config) && body.strategy_config.concurrent_num === 0) {
    // 0 reads as "not set" (v1 functions); the API only accepts 1..1000.
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
    if (key === "concurrency" || key === "concurrentNum") continue; // stop managing, keep the value
    const wire = snakeCase(key);
    if (key === "userData" || key === "encryptedUserData") body[wire] = "{}";
    else if (typeof cur[wire] === "string") body[wire] = "";
    else if (typeof cur[wire] === "boolean") body[wire] = false;
    else delete body[wire];
  }
  body.func_name = inputs.name;
  body.runtime = inputs.runtime;
  body.package = inputs.package;
  return body as unknown as UpdateFunctionConfigRequest;
}

/** The create body: identity, code and every configuration field the user set. */
export async function createBody(inputs: Props): Promise<CreateFunctionRequest> {
  const code = await codeBody(inputs);
  const body = {
    func_name: String(inputs.name),
    package: String(inputs.package ?? "default"),
    runtime: String(inputs.runtime),
    ...desiredConfig(inputs),
    ...code,
  } as CreateFunctionRequest;
  if (typeof inputs.type === "string") body.type = inputs.type;
  if (typeof inputs.enterpriseProjectId === "string") body.enterprise_project_id = inputs.enterpriseProjectId;
  return body;
}

/** Config inputs the service did not take as asked (compares only what the user set; blanked secrets skipped). */
export function configMismatches(inputs: Props, actual: FunctionConfig): string[] {
  const live = liveConfigInputs(actual, inputs);
  return functionConfigKeys.filter(
    (k) =>
      k !== "encryptedUserData" &&
      inputs[k] !== undefined &&
      inputs[k] !== null &&
      !sameValue(inputs[k], live[k]),
  );
}

/**
 * Live values of config inputs, in input shape. With a `template` (the user's inputs), only its keys
 * are returned and objects are trimmed to the keys the user set, so fields the service adds (names,
 * CIDRs, defaults) do not show as drift.
 */
export function liveConfigInputs(config: FunctionConfig, template?: Props): Props {
  const cur = config as unknown as Plain;
  const out: Props = {};
  for (const key of functionConfigKeys) {
    if (template && (template[key] === undefined || template[key] === null)) continue;
    let v: unknown;
    if (key === "concurrency" || key === "concurrentNum") {
      const sc = cur.strategy_config;
      v = isPlainObject(sc) ? sc[snakeCase(key)] : undefined;
    } else if (key === "userData") {
      v = parseEnv(cur.user_data);
    } else if (key === "encryptedUserData") {
      continue; // blanked on read: kept from the inputs
    } else if (structuredKeys.has(key)) {
      v = fromWire(cur[snakeCase(key)]);
      if (template) v = project(v, template[key]);
      else if (isPlainObject(v) && Object.keys(v).length === 0) v = undefined;
    } else {
      v = cur[snakeCase(key)];
    }
    if (v === "" && !template) v = undefined;
    if (v !== undefined && v !== null) out[key] = v;
  }
  return out;
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

const diffKeys = functionInputKeys.filter(
  (k) => !providerOnlyKeys.includes(k) && !["inlineCode", "codeBase64", "codePath", "codeAsset"].includes(k),
);

/** Compares old outputs with new (checked) inputs. */
export function planFunctionChange(olds: Props, news: Props): FunctionChangePlan {
  const changed = changedKeys(olds, news, diffKeys, (key, a, b) => {
    if (key === "dependVersionList")
      return sameValue([...(a as string[])].sort(), [...(b as string[])].sort());
    return sameValue(a, b);
  });
  // Keys the user stopped setting only matter where the provider manages something.
  const relevant = changed.filter((k) => {
    const gone = news[k] === undefined || news[k] === null;
    if (!gone) return true;
    return (functionConfigKeys as readonly string[]).includes(k) || k === "tags" || k === "dependVersionList";
  });
  const config = relevant.filter((k) => (functionConfigKeys as readonly string[]).includes(k));
  return {
    changed: relevant,
    replaces: relevant.filter((k) => (functionReplaceKeys as readonly string[]).includes(k)),
    code: relevant.some((k) => (functionCodeKeys as readonly string[]).includes(k)),
    config,
    removedConfig: config.filter((k) => news[k] === undefined || news[k] === null),
    maxInstances: relevant.includes("maxInstanceNum") && news.maxInstanceNum !== undefined,
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
