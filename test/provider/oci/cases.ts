/**
 * Valid baselines and bad inputs for the four OCI resources. Each bad input pins the property the
 * failure must name and the rule its reason must state; each group cites the documented API rule it
 * comes from (oci-api.md is /work/shared/reference/oci-api.md; `oci-functions` and
 * `oci-containerinstances` are the official SDK model typings, 2.139.1).
 */
import { tmpdir } from "node:os";
import type { Props } from "../../../provider/handler";

export const compartment = "ocid1.compartment.oc1..aaaaaaaaexample";
export const subnet = "ocid1.subnet.oc1.iad.aaaaaaaaexample";
export const app = "ocid1.fnapp.oc1.iad.aaaaaaaaexample";
export const fn = "ocid1.fnfunc.oc1.iad.aaaaaaaaexample";

/** One bad input: what to change in a valid input, the property the failure names, and its rule. */
export interface BadCase {
  readonly what: string;
  readonly patch: Props;
  readonly property: string;
  readonly rule: RegExp;
}

export { patched } from "../patched";

const c = (what: string, patch: Props, property: string, rule: RegExp): BadCase => ({
  what,
  patch,
  property,
  rule,
});

const notKnown = /is not a known field/;
const mustBe = /^must be/;

/**
 * Bad inputs derived from the SDK typings every model shares: each field has one JSON type (a number
 * where a string belongs is refused), and inputs are the typings' camelCase names (a misspelt or
 * snake_case name is refused, not ignored).
 */
export function derivedCases(valid: Props): BadCase[] {
  const out: BadCase[] = [];
  for (const [key, value] of Object.entries(valid)) {
    const wrong = typeof value === "string" ? 42 : typeof value === "boolean" ? "yes" : "text";
    out.push(c(`${key} of the wrong type`, { [key]: wrong }, key, mustBe));
    out.push(c(`${key} misspelt`, { [`${key}s`]: value }, `${key}s`, notKnown));
    const snake = key.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
    if (snake !== key) out.push(c(`${key} in snake_case`, { [snake]: value }, snake, notKnown));
  }
  return out;
}

/**
 * Provider-only `timeouts` (terraform's create/update/delete, oci-api.md §7: 20 minutes each by
 * default); `phases` are the phases the resource has.
 */
function timeoutCases(): BadCase[] {
  return [
    c("a timeout that is not a duration", { timeouts: { create: "soon" } }, "timeouts.create", /duration/),
    c("a timeout phase that does not exist", { timeouts: { invoke: "1m" } }, "timeouts.invoke", /phase/),
    c("timeouts not an object", { timeouts: "20m" }, "timeouts", /must be an object/),
    c("a timeout over 24 h", { timeouts: { delete: "25h" } }, "timeouts.delete", /at most 24h/),
  ];
}

/** Tags (oci-functions/oci-containerinstances `freeformTags: {[key]: string}`, `definedTags: {ns: {key: any}}`). */
function tagCases(): BadCase[] {
  return [
    c("a freeform tag value not a string", { freeformTags: { team: 1 } }, "freeformTags.team", /string/),
    c("freeformTags a list", { freeformTags: ["a"] }, "freeformTags", /map of strings/),
    c(
      "a freeform tag key over 100 characters",
      { freeformTags: { ["k".repeat(101)]: "v" } },
      `freeformTags.${"k".repeat(101)}`,
      /1 to 100 characters/,
    ),
    c(
      "a freeform tag value over 256 characters",
      { freeformTags: { team: "v".repeat(257) } },
      "freeformTags.team",
      /at most 256/,
    ),
    c(
      "a defined tag namespace not a map",
      { definedTags: { Operations: "x" } },
      "definedTags.Operations",
      /map of tag keys/,
    ),
  ];
}

/** A valid `oci:Application` input. */
export const validApplication: Props = {
  compartmentId: compartment,
  displayName: "orders",
  subnetIds: [subnet],
};

const nsg = (i: number): string => `ocid1.networksecuritygroup.oc1.iad.a${i}`;

/** Bad `oci:Application` inputs (oci-functions CreateApplicationDetails; oci-api.md §2.1). */
export const badApplicationCases: readonly BadCase[] = [
  // compartmentId: required, a compartment (or tenancy, the root compartment) OCID.
  c("missing compartmentId", { compartmentId: undefined }, "compartmentId", /is required/),
  c(
    "compartmentId of a subnet",
    { compartmentId: subnet },
    "compartmentId",
    /compartment or tenancy OCID, got a subnet/,
  ),
  c("compartmentId not an OCID", { compartmentId: "my-compartment" }, "compartmentId", /ocid1\.<type>/),
  c("compartmentId empty", { compartmentId: "" }, "compartmentId", /is required/),
  // displayName: required, unique name; letters, digits, '-', '_' from a letter; 1–255 characters.
  c("missing displayName", { displayName: undefined }, "displayName", /is required/),
  c("displayName with a space", { displayName: "my app" }, "displayName", /start with a letter/),
  c("displayName starting with a digit", { displayName: "1app" }, "displayName", /start with a letter/),
  c("displayName with a dot", { displayName: "app.v2" }, "displayName", /letters, digits/),
  c("displayName too long", { displayName: "a".repeat(256) }, "displayName", /at most 255/),
  // subnetIds: required `string[]` of subnet OCIDs.
  c("missing subnetIds", { subnetIds: undefined }, "subnetIds", /is required/),
  c("subnetIds empty", { subnetIds: [] }, "subnetIds", /at least 1 item/),
  c("subnetIds not a list", { subnetIds: subnet }, "subnetIds", /must be a list/),
  c("a repeated subnet", { subnetIds: [subnet, subnet] }, "subnetIds[1]", /unique/),
  c(
    "a subnetId of a VCN",
    { subnetIds: ["ocid1.vcn.oc1.iad.aaaa"] },
    "subnetIds[0]",
    /subnet OCID, got a vcn/,
  ),
  c(
    "more than three subnets",
    { subnetIds: [1, 2, 3, 4].map((i) => `ocid1.subnet.oc1.iad.s${i}`) },
    "subnetIds",
    /at most 3/,
  ),
  // shape: GENERIC_X86 | GENERIC_ARM | GENERIC_X86_ARM.
  c("unknown shape", { shape: "GENERIC_RISCV" }, "shape", /one of GENERIC_X86/),
  c("shape in lower case", { shape: "generic_arm" }, "shape", /one of GENERIC_X86/),
  // config: keys [A-Za-z_][A-Za-z0-9_]*, string values, at most 4 KB in total.
  c("config key starting with a digit", { config: { "1BAD": "x" } }, "config.1BAD", /\[A-Za-z_\]/),
  c("config key with a dash", { config: { "BAD-KEY": "x" } }, "config.BAD-KEY", /\[A-Za-z_\]/),
  c("config key with a dot", { config: { "a.b": "x" } }, "config.a.b", /\[A-Za-z_\]/),
  c("config over 4 KB", { config: { BIG: "x".repeat(4100) } }, "config", /4096 bytes/),
  c("config value not a string", { config: { N: 1 } }, "config.N", /must be a string/),
  c("config a list", { config: ["A=1"] }, "config", /map of strings/),
  // networkSecurityGroupIds: `string[]` of NSG OCIDs (at most 5, as for a VNIC).
  c(
    "too many NSGs",
    { networkSecurityGroupIds: [1, 2, 3, 4, 5, 6].map(nsg) },
    "networkSecurityGroupIds",
    /at most 5/,
  ),
  c(
    "an NSG id of a subnet",
    { networkSecurityGroupIds: [subnet] },
    "networkSecurityGroupIds[0]",
    /networksecuritygroup OCID/,
  ),
  c("a repeated NSG", { networkSecurityGroupIds: [nsg(1), nsg(1)] }, "networkSecurityGroupIds[1]", /unique/),
  // syslogUrl: "Supports tcp, udp, and tcp+tls" (host:port).
  c("syslogUrl over http", { syslogUrl: "http://logs:514" }, "syslogUrl", /tcp:\/\/host:port/),
  c("syslogUrl without a port", { syslogUrl: "tcp://logs" }, "syslogUrl", /tcp:\/\/host:port/),
  c("syslogUrl port above 65535", { syslogUrl: "tcp://logs:70000" }, "syslogUrl", /port.*1 and 65535/),
  c("syslogUrl port 0", { syslogUrl: "udp://logs:0" }, "syslogUrl", /port.*1 and 65535/),
  // traceConfig {isEnabled?: bool, domainId?: APM domain OCID}; logging {lineFormat?: JSON|PLAIN_TEXT}.
  c(
    "traceConfig.isEnabled not a boolean",
    { traceConfig: { isEnabled: "yes" } },
    "traceConfig.isEnabled",
    /true or false/,
  ),
  c(
    "traceConfig.domainId of a compartment",
    { traceConfig: { domainId: compartment } },
    "traceConfig.domainId",
    /apmdomain OCID/,
  ),
  c("logging lineFormat", { logging: { lineFormat: "XML" } }, "logging.lineFormat", /JSON, PLAIN_TEXT/),
  c("a misspelt logging field", { logging: { format: "JSON" } }, "logging.format", notKnown),
  // imagePolicyConfig {isPolicyEnabled: bool (required), keyDetails?: [{kmsKeyId}]}.
  c(
    "imagePolicyConfig without isPolicyEnabled",
    { imagePolicyConfig: {} },
    "imagePolicyConfig.isPolicyEnabled",
    /is required/,
  ),
  c(
    "keyDetails without kmsKeyId",
    { imagePolicyConfig: { isPolicyEnabled: true, keyDetails: [{}] } },
    "imagePolicyConfig.keyDetails[0].kmsKeyId",
    /is required/,
  ),
  c(
    "kmsKeyId of a vault",
    { imagePolicyConfig: { isPolicyEnabled: true, keyDetails: [{ kmsKeyId: "ocid1.vault.oc1.iad.v" }] } },
    "imagePolicyConfig.keyDetails[0].kmsKeyId",
    /key OCID/,
  ),
  // securityAttributes: {ns: {key: any}} as definedTags.
  c(
    "securityAttributes namespace not a map",
    { securityAttributes: { "Oracle-ZPR": "x" } },
    "securityAttributes.Oracle-ZPR",
    /map of tag keys/,
  ),
  // adoptId: an existing application's OCID (import by OCID, oci-api.md §7).
  c("adoptId of a function", { adoptId: fn }, "adoptId", /fnapp OCID, got a fnfunc/),
  ...tagCases(),
  ...timeoutCases(),
];

/** A valid `oci:Function` input. */
export const validFunction: Props = {
  applicationId: app,
  displayName: "hello",
  memoryInMBs: 256,
  image: "iad.ocir.io/ns/hello:1",
};

const digest = `sha256:${"a".repeat(64)}`;

/** Bad `oci:Function` inputs (oci-functions CreateFunctionDetails; oci-api.md §2.1). */
export const badFunctionCases: readonly BadCase[] = [
  // applicationId: required, an application OCID.
  c("missing applicationId", { applicationId: undefined }, "applicationId", /is required/),
  c("applicationId not an OCID", { applicationId: "my-app" }, "applicationId", /ocid1\.<type>/),
  c("applicationId of a function", { applicationId: fn }, "applicationId", /fnapp OCID, got a fnfunc/),
  // displayName: required, as an application's.
  c("missing displayName", { displayName: undefined }, "displayName", /is required/),
  c("displayName with a slash", { displayName: "a/b" }, "displayName", /letters, digits/),
  c("displayName too long", { displayName: "f".repeat(256) }, "displayName", /at most 255/),
  // memoryInMBs: required number (MiB): an integer, 128..3072.
  c("missing memory", { memoryInMBs: undefined }, "memoryInMBs", /is required/),
  c("memory too small", { memoryInMBs: 64 }, "memoryInMBs", /between 128 and 3072/),
  c("memory too large", { memoryInMBs: 4096 }, "memoryInMBs", /between 128 and 3072/),
  c("memory not an integer", { memoryInMBs: 256.5 }, "memoryInMBs", /integer/),
  // image: "qualified name of the Docker image ... including the image tag"; the digest goes in imageDigest.
  c("image with spaces", { image: "my image" }, "image", /without spaces/),
  c("image without a tag", { image: "iad.ocir.io/ns/hello" }, "image", /with its tag/),
  c("image on a registry port, without a tag", { image: "registry:5000/ns/hello" }, "image", /with its tag/),
  c("image with an @digest", { image: `iad.ocir.io/ns/hello@${digest}` }, "image", /@digest/),
  c("image over 512 characters", { image: `iad.ocir.io/ns/${"r".repeat(512)}:1` }, "image", /at most 512/),
  c("neither image nor source", { image: undefined }, "image", /is required unless sourceDetails/),
  // imageDigest: `sha256:…` (64 hex digits), pinning the image named by image.
  c("digest not sha256", { imageDigest: "md5:abc" }, "imageDigest", /sha256: followed by 64/),
  c("a digest of spaces", { imageDigest: " " }, "imageDigest", /sha256: followed by 64/),
  c("a digest in upper case", { imageDigest: `sha256:${"A".repeat(64)}` }, "imageDigest", /lowercase hex/),
  c("a digest too short", { imageDigest: `sha256:${"a".repeat(63)}` }, "imageDigest", /64/),
  c(
    "a digest without image",
    {
      image: undefined,
      imageDigest: digest,
      sourceDetails: { sourceType: "PRE_BUILT_FUNCTIONS", pbfListingId: "ocid1.fnpbf.oc1..a" },
    },
    "imageDigest",
    /needs image/,
  ),
  // sourceDetails: only PRE_BUILT_FUNCTIONS {pbfListingId}; exclusive with image.
  c(
    "both image and source",
    { sourceDetails: { sourceType: "PRE_BUILT_FUNCTIONS", pbfListingId: "ocid1.fnpbf.oc1..aaaa" } },
    "sourceDetails",
    /not both/,
  ),
  c(
    "unknown sourceType",
    { image: undefined, sourceDetails: { sourceType: "ZIP" } },
    "sourceDetails.sourceType",
    /PRE_BUILT_FUNCTIONS/,
  ),
  c(
    "pre-built source without listing",
    { image: undefined, sourceDetails: { sourceType: "PRE_BUILT_FUNCTIONS" } },
    "sourceDetails.pbfListingId",
    /is required/,
  ),
  // config: as the application's.
  c("config key with a dot", { config: { "a.b": "x" } }, "config.a.b", /\[A-Za-z_\]/),
  c("config over 4 KB", { config: { A: "x".repeat(2050), B: "y".repeat(2050) } }, "config", /4096 bytes/),
  // timeoutInSeconds 5..300; detachedModeTimeoutInSeconds 5..3600 (integers).
  c("timeout over 300 s", { timeoutInSeconds: 301 }, "timeoutInSeconds", /between 5 and 300/),
  c("timeout under 5 s", { timeoutInSeconds: 1 }, "timeoutInSeconds", /between 5 and 300/),
  c(
    "detached timeout over 3600 s",
    { detachedModeTimeoutInSeconds: 4000 },
    "detachedModeTimeoutInSeconds",
    /between 5 and 3600/,
  ),
  // provisionedConcurrencyConfig: {strategy: NONE} | {strategy: CONSTANT, count}.
  c(
    "unknown concurrency strategy",
    { provisionedConcurrencyConfig: { strategy: "BURST" } },
    "provisionedConcurrencyConfig.strategy",
    /NONE, CONSTANT/,
  ),
  c(
    "CONSTANT concurrency without count",
    { provisionedConcurrencyConfig: { strategy: "CONSTANT" } },
    "provisionedConcurrencyConfig.count",
    /is required/,
  ),
  c(
    "negative concurrency",
    { provisionedConcurrencyConfig: { strategy: "CONSTANT", count: -1 } },
    "provisionedConcurrencyConfig.count",
    /between 0/,
  ),
  c(
    "a count on NONE",
    { provisionedConcurrencyConfig: { strategy: "NONE", count: 10 } },
    "provisionedConcurrencyConfig.count",
    notKnown,
  ),
  // success/failureDestination: kind NONE | STREAM {streamId} | QUEUE {queueId, channelId?} | NOTIFICATION {topicId}.
  c(
    "STREAM destination without streamId",
    { failureDestination: { kind: "STREAM" } },
    "failureDestination.streamId",
    /is required/,
  ),
  c(
    "QUEUE destination with a stream id",
    { successDestination: { kind: "QUEUE", queueId: "ocid1.stream.oc1.iad.s" } },
    "successDestination.queueId",
    /queue OCID, got a stream/,
  ),
  c(
    "NOTIFICATION destination without topicId",
    { successDestination: { kind: "NOTIFICATION" } },
    "successDestination.topicId",
    /is required/,
  ),
  c(
    "unknown destination kind",
    { failureDestination: { kind: "EMAIL" } },
    "failureDestination.kind",
    /NONE, STREAM, QUEUE, NOTIFICATION/,
  ),
  // traceConfig {isEnabled?: bool}.
  c(
    "traceConfig.isEnabled not a boolean",
    { traceConfig: { isEnabled: "yes" } },
    "traceConfig.isEnabled",
    /true or false/,
  ),
  c(
    "traceConfig.domainId (application only)",
    { traceConfig: { domainId: "ocid1.apmdomain.oc1.iad.a" } },
    "traceConfig.domainId",
    notKnown,
  ),
  c("adoptId of an application", { adoptId: app }, "adoptId", /fnfunc OCID, got a fnapp/),
  ...tagCases(),
  ...timeoutCases(),
];

/** A valid `oci:InvokeFunction` input. */
export const validInvoke: Props = { functionId: fn, invokeFunctionBody: "{}" };

/** Every optional `oci:InvokeFunction` input set validly: the baseline the derived cases come from. */
export const fullInvoke: Props = {
  ...validInvoke,
  fnIntent: "httprequest",
  fnInvokeType: "sync",
  isDryRun: false,
  base64EncodeContent: false,
  idempotent: true,
};

/** Bad `oci:InvokeFunction` inputs (oci-functions InvokeFunctionRequest; oci-api.md §2.2). */
export const badInvokeCases: readonly BadCase[] = [
  // functionId: required, a function OCID (path parameter).
  c("missing functionId", { functionId: undefined }, "functionId", /is required/),
  c("functionId of an application", { functionId: app }, "functionId", /fnfunc OCID, got a fnapp/),
  c("functionId not an OCID", { functionId: "hello" }, "functionId", /ocid1\.<type>/),
  c("functionId with a space", { functionId: "ocid1.fnfunc.oc1.iad.aa aa" }, "functionId", /ocid1\.<type>/),
  c(
    "functionId over 255 characters",
    { functionId: `ocid1.fnfunc.oc1.iad.${"a".repeat(250)}` },
    "functionId",
    /OCID/,
  ),
  c("functionId empty", { functionId: "" }, "functionId", /is required/),
  c(
    "functionId of a container instance",
    { functionId: "ocid1.computecontainerinstance.oc1.iad.a" },
    "functionId",
    /fnfunc OCID, got a computecontainerinstance/,
  ),
  c(
    "functionId with an upper-case type",
    { functionId: "ocid1.FNFUNC.oc1.iad.aaaa" },
    "functionId",
    /ocid1\.<type>/,
  ),
  // The body: raw bytes, at most 6 MB; one of text, base64 or a file.
  c("body not a string", { invokeFunctionBody: { a: 1 } }, "invokeFunctionBody", /must be a string/),
  c(
    "body over 6 MB",
    { invokeFunctionBody: "x".repeat(6 * 1024 * 1024 + 1) },
    "invokeFunctionBody",
    /at most 6291456/,
  ),
  c(
    "a 6 MB body of multi-byte characters",
    { invokeFunctionBody: "é".repeat(3 * 1024 * 1024 + 1) },
    "invokeFunctionBody",
    /6291458 bytes; OCI Functions accepts at most 6291456/,
  ),
  c(
    "both bodies",
    { invokeFunctionBodyBase64Encoded: "e30=" },
    "invokeFunctionBodyBase64Encoded",
    /give one body/,
  ),
  c("text body and a file", { inputBodySourcePath: "/etc/hostname" }, "inputBodySourcePath", /give one body/),
  c(
    "base64 body that is not base64",
    { invokeFunctionBody: undefined, invokeFunctionBodyBase64Encoded: "not base64!" },
    "invokeFunctionBodyBase64Encoded",
    /must be base64/,
  ),
  c(
    "base64 body with bad padding",
    { invokeFunctionBody: undefined, invokeFunctionBodyBase64Encoded: "e30" },
    "invokeFunctionBodyBase64Encoded",
    /must be base64/,
  ),
  c(
    "base64 body in the URL alphabet",
    { invokeFunctionBody: undefined, invokeFunctionBodyBase64Encoded: "a-_b" },
    "invokeFunctionBodyBase64Encoded",
    /must be base64/,
  ),
  c(
    "base64 body decoding to over 6 MB",
    { invokeFunctionBody: undefined, invokeFunctionBodyBase64Encoded: "AAAA".repeat(2 * 1024 * 1024 + 1) },
    "invokeFunctionBodyBase64Encoded",
    /at most 8388608/,
  ),
  c(
    "body file that does not exist",
    { invokeFunctionBody: undefined, inputBodySourcePath: "/nonexistent/fnstack/body.json" },
    "inputBodySourcePath",
    /cannot read .*ENOENT/,
  ),
  c(
    "body file that is a directory",
    { invokeFunctionBody: undefined, inputBodySourcePath: tmpdir() },
    "inputBodySourcePath",
    /not a regular file/,
  ),
  c(
    "body file path empty",
    { invokeFunctionBody: undefined, inputBodySourcePath: "" },
    "inputBodySourcePath",
    /must not be empty/,
  ),
  c("body file hash not hex", { inputBodySourceSha256: "xyz" }, "inputBodySourceSha256", /hex SHA-256/),
  // fn-intent: httprequest | cloudevent; fn-invoke-type: sync | detached; is-dry-run: boolean.
  c(
    "all three bodies",
    { invokeFunctionBodyBase64Encoded: "e30=", inputBodySourcePath: "/etc/hostname" },
    "invokeFunctionBodyBase64Encoded",
    /invokeFunctionBody and invokeFunctionBodyBase64Encoded and inputBodySourcePath/,
  ),
  c(
    "base64 body and a file",
    {
      invokeFunctionBody: undefined,
      invokeFunctionBodyBase64Encoded: "e30=",
      inputBodySourcePath: "/etc/hostname",
    },
    "inputBodySourcePath",
    /give one body/,
  ),
  c(
    "base64 body of one character",
    { invokeFunctionBody: undefined, invokeFunctionBodyBase64Encoded: "e" },
    "invokeFunctionBodyBase64Encoded",
    /must be base64/,
  ),
  c(
    "body file path over 4096 characters",
    { invokeFunctionBody: undefined, inputBodySourcePath: `/${"p".repeat(4096)}` },
    "inputBodySourcePath",
    /at most 4096/,
  ),
  c(
    "body file hash in upper case",
    { inputBodySourceSha256: "A".repeat(64) },
    "inputBodySourceSha256",
    /hex SHA-256/,
  ),
  c(
    "body file hash too short",
    { inputBodySourceSha256: "a".repeat(63) },
    "inputBodySourceSha256",
    /hex SHA-256/,
  ),
  c("fnIntent empty", { fnIntent: "" }, "fnIntent", /httprequest, cloudevent/),
  c("fnInvokeType empty", { fnInvokeType: "" }, "fnInvokeType", /sync, detached/),
  c("idempotent a string", { idempotent: "no" }, "idempotent", /true or false/),
  c("fnIntent not documented", { fnIntent: "event" }, "fnIntent", /httprequest, cloudevent/),
  c("fnIntent in upper case", { fnIntent: "HTTPREQUEST" }, "fnIntent", /httprequest, cloudevent/),
  c("fnInvokeType not documented", { fnInvokeType: "async" }, "fnInvokeType", /sync, detached/),
  c("fnInvokeType in upper case", { fnInvokeType: "DETACHED" }, "fnInvokeType", /sync, detached/),
  c("isDryRun a string", { isDryRun: "true" }, "isDryRun", /true or false/),
  c("base64EncodeContent a number", { base64EncodeContent: 1 }, "base64EncodeContent", /true or false/),
  ...timeoutCases(),
];

/** A valid `oci:ContainerInstance` input. */
export const validInstance: Props = {
  compartmentId: compartment,
  availabilityDomain: "Uocm:PHX-AD-1",
  shape: "CI.Standard.E4.Flex",
  shapeConfig: { ocpus: 1, memoryInGBs: 4 },
  vnics: [{ subnetId: subnet }],
  containers: [{ imageUrl: "nginx:1.27" }],
};

/** One container with `extra` fields. */
const container = (extra: Props): Props => ({ containers: [{ imageUrl: "nginx", ...extra }] });
const health = (check: Props): Props =>
  container({ healthChecks: [{ healthCheckType: "TCP", port: 80, ...check }] });
const vnic = (extra: Props): Props => ({ vnics: [{ subnetId: subnet, ...extra }] });

/** Bad `oci:ContainerInstance` inputs (oci-containerinstances CreateContainerInstanceDetails; oci-api.md §2.3). */
export const badInstanceCases: readonly BadCase[] = [
  // Required: compartmentId, availabilityDomain, shape, shapeConfig {ocpus}, containers, vnics.
  c("missing compartmentId", { compartmentId: undefined }, "compartmentId", /is required/),
  c("compartmentId of a subnet", { compartmentId: subnet }, "compartmentId", /compartment or tenancy OCID/),
  c("missing availabilityDomain", { availabilityDomain: undefined }, "availabilityDomain", /is required/),
  c(
    "availabilityDomain without the tenancy prefix",
    { availabilityDomain: "AD-1" },
    "availabilityDomain",
    /Uocm:PHX-AD-1/,
  ),
  c("shape of a compute VM", { shape: "VM.Standard2.1" }, "shape", /container instance shape/),
  c("missing shapeConfig", { shapeConfig: undefined }, "shapeConfig", /is required/),
  c("shapeConfig without ocpus", { shapeConfig: { memoryInGBs: 4 } }, "shapeConfig.ocpus", /is required/),
  c("zero OCPUs", { shapeConfig: { ocpus: 0 } }, "shapeConfig.ocpus", /between 1 and 128/),
  // Shape memoryOptions: memory per OCPU within the shape's bounds (1–64 GB per OCPU).
  c(
    "more than 64 GB per OCPU",
    { shapeConfig: { ocpus: 1, memoryInGBs: 65 } },
    "shapeConfig.memoryInGBs",
    /per OCPU/,
  ),
  c(
    "less than 1 GB per OCPU",
    { shapeConfig: { ocpus: 4, memoryInGBs: 2 } },
    "shapeConfig.memoryInGBs",
    /per OCPU/,
  ),
  c("no containers", { containers: [] }, "containers", /at least 1 item/),
  c(
    "a container without imageUrl",
    { containers: [{ displayName: "x" }] },
    "containers[0].imageUrl",
    /is required/,
  ),
  c(
    "an imageUrl with a space",
    container({ imageUrl: "my image" }),
    "containers[0].imageUrl",
    /without spaces/,
  ),
  c("two VNICs", { vnics: [{ subnetId: subnet }, { subnetId: subnet }] }, "vnics", /at most 1/),
  c("no VNIC", { vnics: [] }, "vnics", /at least 1 item/),
  c(
    "VNIC subnet of the wrong type",
    { vnics: [{ subnetId: compartment }] },
    "vnics[0].subnetId",
    /subnet OCID/,
  ),
  // CreateContainerVnicDetails: hostnameLabel a DNS label; privateIp an IP address; nsgIds NSG OCIDs.
  c(
    "hostnameLabel with an underscore",
    vnic({ hostnameLabel: "web_1" }),
    "vnics[0].hostnameLabel",
    /DNS label/,
  ),
  c(
    "hostnameLabel ending with '-'",
    vnic({ hostnameLabel: "web-" }),
    "vnics[0].hostnameLabel",
    /not ending with '-'/,
  ),
  c(
    "hostnameLabel over 63 characters",
    vnic({ hostnameLabel: "h".repeat(64) }),
    "vnics[0].hostnameLabel",
    /at most 63/,
  ),

  c("privateIp not an address", vnic({ privateIp: "ten.0.0.1" }), "vnics[0].privateIp", /IPv4 address/),
  c("privateIp octet above 255", vnic({ privateIp: "10.0.0.300" }), "vnics[0].privateIp", /IPv4 address/),
  c("an NSG id of a subnet", vnic({ nsgIds: [subnet] }), "vnics[0].nsgIds[0]", /networksecuritygroup OCID/),
  // CreateContainerDetails: arguments ≤ 64 KB in total; environmentVariables ≤ 64 KB in total.
  c(
    "arguments over 64 KB in total",
    container({ arguments: ["a".repeat(40_000), "b".repeat(40_000)] }),
    "containers[0].arguments",
    /64 KB/,
  ),
  c(
    "environment over 64 KB in total",
    container({ environmentVariables: { A: "a".repeat(40_000), B: "b".repeat(40_000) } }),
    "containers[0].environmentVariables",
    /65536 bytes/,
  ),
  c(
    "environment variable value not a string",
    container({ environmentVariables: { PORT: 80 } }),
    "containers[0].environmentVariables.PORT",
    /must be a string/,
  ),
  c(
    "a command that is not a list",
    container({ command: "nginx -g daemon off;" }),
    "containers[0].command",
    /must be a list/,
  ),
  // Health checks: HTTP {path, port} | TCP {port}; failureAction KILL | NONE (COMMAND removed, oci-api.md §7).
  c(
    "HTTP health check without path",
    container({ healthChecks: [{ healthCheckType: "HTTP", port: 80 }] }),
    "containers[0].healthChecks[0].path",
    /is required/,
  ),
  c(
    "HTTP health check without port",
    container({ healthChecks: [{ healthCheckType: "HTTP", path: "/" }] }),
    "containers[0].healthChecks[0].port",
    /is required/,
  ),
  c(
    "health check port out of range",
    health({ port: 70000 }),
    "containers[0].healthChecks[0].port",
    /between 1 and 65535/,
  ),
  c(
    "COMMAND health check (unsupported)",
    container({ healthChecks: [{ healthCheckType: "COMMAND", command: ["true"] }] }),
    "containers[0].healthChecks[0].healthCheckType",
    /HTTP, TCP/,
  ),
  c(
    "health check failureAction",
    health({ failureAction: "RESTART" }),
    "containers[0].healthChecks[0].failureAction",
    /KILL, NONE/,
  ),
  c("a path on a TCP health check", health({ path: "/" }), "containers[0].healthChecks[0].path", notKnown),
  // CreateLinuxSecurityContextDetails: runAsUser "must be provided if runAsGroup is provided".
  c(
    "runAsGroup without runAsUser",
    container({ securityContext: { securityContextType: "LINUX", runAsGroup: 1000 } }),
    "containers[0].securityContext.runAsUser",
    /runAsGroup/,
  ),
  // Resource limits within the instance's shape (CreateContainerResourceConfigDetails).
  c(
    "vcpusLimit above the instance's OCPUs",
    container({ resourceConfig: { vcpusLimit: 2 } }),
    "containers[0].resourceConfig.vcpusLimit",
    /shapeConfig\.ocpus/,
  ),
  c(
    "memoryLimitInGBs above the instance's memory",
    container({ resourceConfig: { memoryLimitInGBs: 8 } }),
    "containers[0].resourceConfig.memoryLimitInGBs",
    /shapeConfig\.memoryInGBs/,
  ),
  // containerRestartPolicy ALWAYS | NEVER | ON_FAILURE; gracefulShutdownTimeoutInSeconds 0..300.
  c(
    "restart policy",
    { containerRestartPolicy: "SOMETIMES" },
    "containerRestartPolicy",
    /ALWAYS, NEVER, ON_FAILURE/,
  ),
  c(
    "graceful shutdown over 300 s",
    { gracefulShutdownTimeoutInSeconds: 301 },
    "gracefulShutdownTimeoutInSeconds",
    /between 0 and 300/,
  ),
  c("faultDomain format", { faultDomain: "FD-1" }, "faultDomain", /FAULT-DOMAIN-1/),
  // dnsConfig.nameservers: "either an IPv4 address (in dot notation), or an IPv6 address".
  c(
    "a nameserver that is a host name",
    { dnsConfig: { nameservers: ["dns.example.com"] } },
    "dnsConfig.nameservers[0]",
    /IPv4 or IPv6/,
  ),
  c(
    "more than 3 nameservers",
    { dnsConfig: { nameservers: ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"] } },
    "dnsConfig.nameservers",
    /at most 3/,
  ),
  // imagePullSecrets: BASIC {registryEndpoint, username, password (base64)} | VAULT {registryEndpoint, secretId}.
  c(
    "BASIC pull secret without password",
    { imagePullSecrets: [{ secretType: "BASIC", registryEndpoint: "docker.io", username: "dXNlcg==" }] },
    "imagePullSecrets[0].password",
    /is required/,
  ),
  c(
    "pull secret username not base64",
    {
      imagePullSecrets: [
        { secretType: "BASIC", registryEndpoint: "docker.io", username: "user!", password: "cGFzcw==" },
      ],
    },
    "imagePullSecrets[0].username",
    /must be base64/,
  ),
  c(
    "VAULT pull secret with a key id",
    {
      imagePullSecrets: [
        { secretType: "VAULT", registryEndpoint: "docker.io", secretId: "ocid1.key.oc1.iad.k" },
      ],
    },
    "imagePullSecrets[0].secretId",
    /vaultsecret OCID/,
  ),
  // Volumes: names unique, EMPTYDIR/CONFIGFILE (base64 data)/OCI_FSS_FILE_SYSTEM; at most 32.
  c(
    "CONFIGFILE data not base64",
    { volumes: [{ volumeType: "CONFIGFILE", name: "cfg", configs: [{ fileName: "a", data: "%%%" }] }] },
    "volumes[0].configs[0].data",
    /must be base64/,
  ), // ContainerConfigFile: fileName unique across the volume; path relative to the mount directory.
  c(
    "two config files of one name",
    {
      volumes: [
        {
          volumeType: "CONFIGFILE",
          name: "cfg",
          configs: [
            { fileName: "a", data: "eA==" },
            { fileName: "a", data: "eQ==" },
          ],
        },
      ],
    },
    "volumes[0].configs[1].fileName",
    /unique in the volume/,
  ),
  c(
    "a config file path that is absolute",
    {
      volumes: [
        { volumeType: "CONFIGFILE", name: "cfg", configs: [{ fileName: "a", data: "eA==", path: "/etc" }] },
      ],
    },
    "volumes[0].configs[0].path",
    /relative path/,
  ),

  c(
    "a volume name with a space",
    { volumes: [{ volumeType: "EMPTYDIR", name: "my vol" }] },
    "volumes[0].name",
    /letters, digits/,
  ),
  c(
    "two volumes of one name",
    {
      volumes: [
        { volumeType: "EMPTYDIR", name: "v" },
        { volumeType: "EMPTYDIR", name: "v" },
      ],
    },
    "volumes[1].name",
    /unique/,
  ),
  c(
    "an unknown volumeType",
    { volumes: [{ volumeType: "HOSTPATH", name: "h" }] },
    "volumes[0].volumeType",
    /EMPTYDIR, CONFIGFILE/,
  ),
  c(
    "EMPTYDIR backingStore",
    { volumes: [{ volumeType: "EMPTYDIR", name: "v", backingStore: "DISK" }] },
    "volumes[0].backingStore",
    /EPHEMERAL_STORAGE, MEMORY/,
  ),
  c(
    "FSS volume without mountTarget",
    {
      volumes: [
        {
          volumeType: "OCI_FSS_FILE_SYSTEM",
          name: "f",
          export: { ociFssExportType: "OCID", id: "ocid1.export.oc1.iad.e" },
        },
      ],
    },
    "volumes[0].mountTarget",
    /is required/,
  ),
  c(
    "a mount naming no volume",
    container({ volumeMounts: [{ mountPath: "/data", volumeName: "missing" }] }),
    "containers[0].volumeMounts[0].volumeName",
    /names no volume/,
  ),
  c(
    "a relative mountPath",
    {
      ...container({ volumeMounts: [{ mountPath: "data", volumeName: "v" }] }),
      volumes: [{ volumeType: "EMPTYDIR", name: "v" }],
    },
    "containers[0].volumeMounts[0].mountPath",
    /absolute path/,
  ),
  c(
    "more than 32 volumes",
    { volumes: Array.from({ length: 33 }, (_, i) => ({ volumeType: "EMPTYDIR", name: `v${i}` })) },
    "volumes",
    /at most 32/,
  ),
  // securityContext (instance): LINUX {fsGroup?, fsGroupChangePolicy?: ALWAYS | ON_ROOT_MISMATCH}.
  c(
    "fsGroupChangePolicy",
    { securityContext: { securityContextType: "LINUX", fsGroupChangePolicy: "NEVER" } },
    "securityContext.fsGroupChangePolicy",
    /ALWAYS, ON_ROOT_MISMATCH/,
  ),
  // state (terraform's `state`): ACTIVE | INACTIVE.
  c("desired state", { state: "STOPPED" }, "state", /ACTIVE, INACTIVE/),
  c("adoptId of an application", { adoptId: app }, "adoptId", /computecontainerinstance OCID/),
  ...tagCases(),
  ...timeoutCases(),
];
