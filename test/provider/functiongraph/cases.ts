/**
 * Valid baselines and bad inputs for every FunctionGraph resource, shared by the pure `check` tests and
 * the emulator tests (which assert that rejecting them sends no request).
 */
import { tmpdir } from "node:os";
import type { Props } from "../../../provider/handler";

/** A URN of a function in the emulator's region/project (the project id is patched in by callers). */
export function urnOf(projectId: string, name: string): string {
  return `urn:fss:eu-de:${projectId}:function:default:${name}`;
}

/** A valid Function input. */
export function validFunction(name = "hello-fn"): Props {
  return {
    name,
    runtime: "Python3.9",
    handler: "index.handler",
    memorySize: 256,
    timeout: 30,
    inlineCode: "def handler(event, context):\n    return event\n",
  };
}

/** One bad input: what to change in a valid input, and the property the failure must name. */
export interface BadCase {
  readonly what: string;
  readonly patch: Props;
  readonly property: string;
  /** What the failure's reason must say (the rule), when the case pins it. */
  readonly rule?: RegExp;
}

export const badFunctionCases: readonly BadCase[] = [
  {
    what: "codePath that does not exist",
    patch: { inlineCode: undefined, codePath: "/nonexistent/fnstack/code.zip" },
    property: "codePath",
    rule: /does not exist/,
  },
  {
    what: "codePath that is a directory",
    patch: { inlineCode: undefined, codePath: tmpdir() },
    property: "codePath",
    rule: /is a directory/,
  },
  { what: "name starting with a digit", patch: { name: "1abc" }, property: "name" },
  { what: "name of 61 characters", patch: { name: `a${"b".repeat(60)}` }, property: "name" },
  { what: "memory not in the enum", patch: { memorySize: 300 }, property: "memorySize" },
  { what: "timeout below 3 s", patch: { timeout: 2 }, property: "timeout" },
  { what: "timeout above 259200 s", patch: { timeout: 259201 }, property: "timeout" },
  { what: "handler without a dot", patch: { handler: "index" }, property: "handler" },
  {
    what: "21 environment variables",
    patch: { userData: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`V${i}`, "x"])) },
    property: "userData",
  },
  { what: "environment over 4 KB", patch: { userData: { BIG: "x".repeat(5000) } }, property: "userData" },
  {
    what: "environment variable name with a space",
    patch: { userData: { "A B": "x" } },
    property: "userData.A B",
  },
  {
    what: "description over 512 characters",
    patch: { description: "d".repeat(513) },
    property: "description",
  },
  {
    what: "two code sources",
    patch: { codeUrl: "https://b.obs.eu-de.otc.t-systems.com/x.zip" },
    property: "codeUrl",
  },
  { what: "code type not fitting the source", patch: { codeType: "zip" }, property: "codeType" },
  {
    what: "invalid base64 zip",
    patch: { inlineCode: undefined, codeBase64: "not base64!" },
    property: "codeBase64",
  },
  { what: "concurrency above 1000", patch: { concurrency: 1001 }, property: "concurrency" },
  {
    what: "initializer timeout above 300 s",
    patch: { initializerTimeout: 301 },
    property: "initializerTimeout",
  },
  {
    what: "ephemeral storage not 512/10240",
    patch: { ephemeralStorage: 1024 },
    property: "ephemeralStorage",
  },
  { what: "VPC without subnet", patch: { funcVpc: { vpcId: "v" } }, property: "funcVpc.subnetId" },
  { what: "misspelt property", patch: { memory: 256 }, property: "memory" },
  {
    what: "dependency id with spaces",
    patch: { dependVersionList: ["a b"] },
    property: "dependVersionList[0]",
  },
  { what: "unknown type", patch: { type: "v3" }, property: "type" },
  { what: "package with a space", patch: { package: "my app" }, property: "package" },
  { what: "package of 65 characters", patch: { package: "p".repeat(65) }, property: "package" },
  { what: "runtime starting with a digit", patch: { runtime: "3Python" }, property: "runtime" },
  { what: "memory of 0 MB", patch: { memorySize: 0 }, property: "memorySize" },
  { what: "name ending with a dash", patch: { name: "hello-" }, property: "name" },
  { what: "empty name", patch: { name: "" }, property: "name" },
];

/** A valid Version input. */
export function validVersion(funcUrn: string): Props {
  return { funcUrn, version: "v1", description: "first" };
}

export function badVersionCases(funcUrn: string): BadCase[] {
  return [
    { what: "missing funcUrn", patch: { funcUrn: undefined }, property: "funcUrn" },
    { what: "funcUrn that is not a URN", patch: { funcUrn: "hello" }, property: "funcUrn" },
    { what: "alias URN as funcUrn", patch: { funcUrn: `${funcUrn}:!a1` }, property: "funcUrn" },
    { what: "version named latest", patch: { version: "latest" }, property: "version" },
    { what: "version with a space", patch: { version: "v 1" }, property: "version" },
    { what: "version of 43 characters", patch: { version: `v${"1".repeat(42)}` }, property: "version" },
    { what: "description over 512", patch: { description: "d".repeat(513) }, property: "description" },
    { what: "digest that is not SHA-512 hex", patch: { digest: "abc" }, property: "digest" },
    { what: "misspelt property", patch: { versionName: "v1" }, property: "versionName" },
    { what: "adoptId of another function", patch: { adoptId: `${funcUrn}x:v1` }, property: "adoptId" },
    { what: "adoptId without version", patch: { adoptId: funcUrn }, property: "adoptId" },
    { what: "version starting with an underscore", patch: { version: "_v1" }, property: "version" },
    { what: "version starting with a dash", patch: { version: "-v1" }, property: "version" },
    { what: "empty version", patch: { version: "" }, property: "version" },
    { what: "version with a slash", patch: { version: "v1/2" }, property: "version" },
    { what: "digest in upper case", patch: { digest: "A".repeat(128) }, property: "digest" },
    { what: "digest of 127 characters", patch: { digest: "a".repeat(127) }, property: "digest" },
    { what: "adoptId of an alias", patch: { adoptId: `${funcUrn}:!live` }, property: "adoptId" },
    { what: "adoptId that is not a URN", patch: { adoptId: "v1" }, property: "adoptId" },
    { what: "version with a colon", patch: { version: "v:1" }, property: "version" },
    { what: "version starting with '!'", patch: { version: "!v1" }, property: "version" },
    { what: "digest with a non-hex letter", patch: { digest: "g".repeat(128) }, property: "digest" },
    { what: "adoptId with an empty version", patch: { adoptId: `${funcUrn}:` }, property: "adoptId" },
  ];
}

/** A valid Alias input. */
export function validAlias(funcUrn: string): Props {
  return { funcUrn, name: "live", version: "v1" };
}

export function badAliasCases(funcUrn: string): BadCase[] {
  return [
    { what: "missing version", patch: { version: undefined }, property: "version" },
    { what: "name starting with a digit", patch: { name: "1live" }, property: "name" },
    { what: "name of 65 characters", patch: { name: `a${"b".repeat(64)}` }, property: "name" },
    {
      what: "weight above 100",
      patch: { additionalVersionWeights: { v2: 101 } },
      property: "additionalVersionWeights.v2",
    },
    {
      what: "negative weight",
      patch: { additionalVersionWeights: { v2: -1 } },
      property: "additionalVersionWeights.v2",
    },
    {
      what: "fractional weight",
      patch: { additionalVersionWeights: { v2: 1.5 } },
      property: "additionalVersionWeights.v2",
    },
    {
      what: "additional version equal to major",
      patch: { additionalVersionWeights: { v1: 10 } },
      property: "additionalVersionWeights.v1",
    },
    {
      what: "strategy with a bad operator",
      patch: {
        additionalVersionStrategy: {
          v2: { combineType: "and", rules: [{ ruleType: "header", param: "x", op: "~", value: "1" }] },
        },
      },
      property: "additionalVersionStrategy.v2.rules[0].op",
    },
    {
      what: "strategy with a bad combine type",
      patch: {
        additionalVersionStrategy: {
          v2: { combineType: "xor", rules: [{ ruleType: "header", param: "x", op: "=", value: "1" }] },
        },
      },
      property: "additionalVersionStrategy.v2.combineType",
    },
    {
      what: "strategy without rules",
      patch: { additionalVersionStrategy: { v2: { combineType: "and", rules: [] } } },
      property: "additionalVersionStrategy.v2.rules",
    },
    { what: "description over 512", patch: { description: "d".repeat(513) }, property: "description" },
    { what: "alias URN as funcUrn", patch: { funcUrn: `${funcUrn}:!live` }, property: "funcUrn" },
    { what: "name ending with a dash", patch: { name: "live-" }, property: "name" },
    { what: "name with a dot", patch: { name: "li.ve" }, property: "name" },
    { what: "empty name", patch: { name: "" }, property: "name" },
    { what: "version with a space", patch: { version: "v 1" }, property: "version" },
    { what: "name with a space", patch: { name: "li ve" }, property: "name" },
    { what: "version with a slash", patch: { version: "v1/2" }, property: "version" },
    { what: "adoptId that is not an alias id", patch: { adoptId: "live" }, property: "adoptId" },
    {
      what: "weight given as text",
      patch: { additionalVersionWeights: { v2: "10" } },
      property: "additionalVersionWeights.v2",
    },
    {
      what: "weights that are not an object",
      patch: { additionalVersionWeights: 5 },
      property: "additionalVersionWeights",
    },
    { what: "missing name", patch: { name: undefined }, property: "name" },
    {
      what: "weight keyed by a bad version name",
      patch: { additionalVersionWeights: { "v 2": 10 } },
      property: "additionalVersionWeights.v 2",
    },
  ];
}

/** A valid TIMER trigger input. */
export function validTrigger(funcUrn: string): Props {
  return {
    funcUrn,
    triggerTypeCode: "TIMER",
    eventData: { name: "every5", scheduleType: "Rate", schedule: "5m", userEvent: "tick" },
  };
}

export function badTriggerCases(): BadCase[] {
  return [
    { what: "unknown trigger type", patch: { triggerTypeCode: "CRON" }, property: "triggerTypeCode" },
    { what: "bad status", patch: { status: "PAUSED" }, property: "status" },
    { what: "missing event data", patch: { eventData: undefined }, property: "eventData" },
    {
      what: "Rate above 60 minutes",
      patch: { eventData: { name: "t", scheduleType: "Rate", schedule: "61m" } },
      property: "eventData.schedule",
    },
    {
      what: "Rate with a bad unit",
      patch: { eventData: { name: "t", scheduleType: "Rate", schedule: "5w" } },
      property: "eventData.schedule",
    },
    {
      what: "Cron with minute 61",
      patch: { eventData: { name: "t", scheduleType: "Cron", schedule: "0 61 * * * *" } },
      property: "eventData.schedule",
      rule: /minute must be 0–59, got 61/,
    },
    {
      what: "Cron with hour 25",
      patch: { eventData: { name: "t", scheduleType: "Cron", schedule: "0 0 25 * * *" } },
      property: "eventData.schedule",
      rule: /hour must be 0–23, got 25/,
    },
    {
      what: "Cron with month 13",
      patch: { eventData: { name: "t", scheduleType: "Cron", schedule: "0 0 0 1 13 *" } },
      property: "eventData.schedule",
      rule: /month must be 1–12, got 13/,
    },
    {
      what: "Cron with second 60",
      patch: { eventData: { name: "t", scheduleType: "Cron", schedule: "60 0 0 * * *" } },
      property: "eventData.schedule",
      rule: /second must be 0–59/,
    },
    {
      what: "Cron with day of month 32",
      patch: { eventData: { name: "t", scheduleType: "Cron", schedule: "0 0 0 32 * *" } },
      property: "eventData.schedule",
      rule: /day of month must be 1–31/,
    },
    {
      what: "Cron with day of month 0",
      patch: { eventData: { name: "t", scheduleType: "Cron", schedule: "0 0 0 0 * *" } },
      property: "eventData.schedule",
      rule: /day of month must be 1–31/,
    },
    {
      what: "Cron with day of week 8",
      patch: { eventData: { name: "t", scheduleType: "Cron", schedule: "0 0 0 ? * 8" } },
      property: "eventData.schedule",
      rule: /day of week must be 0–7/,
    },
    {
      what: "Cron with a range ending at minute 75",
      patch: { eventData: { name: "t", scheduleType: "Cron", schedule: "0 10-75 * * * *" } },
      property: "eventData.schedule",
      rule: /minute must be 0–59, got 75/,
    },
    {
      what: "Cron with a step of 0",
      patch: { eventData: { name: "t", scheduleType: "Cron", schedule: "0 */0 * * * *" } },
      property: "eventData.schedule",
      rule: /step/,
    },
    {
      what: "Cron with an unknown month name",
      patch: { eventData: { name: "t", scheduleType: "Cron", schedule: "0 0 0 1 FOO *" } },
      property: "eventData.schedule",
      rule: /not a month name/,
    },
    {
      what: "Cron with 3 fields",
      patch: { eventData: { name: "t", scheduleType: "Cron", schedule: "0 0 *" } },
      property: "eventData.schedule",
    },
    {
      what: "bad schedule type",
      patch: { eventData: { name: "t", scheduleType: "Every", schedule: "5m" } },
      property: "eventData.scheduleType",
    },
    {
      what: "timer without name",
      patch: { eventData: { scheduleType: "Rate", schedule: "5m" } },
      property: "eventData.name",
    },
    {
      what: "misspelt event data key",
      patch: { eventData: { name: "t", scheduleType: "Rate", schedule: "5m", user_event: "x" } },
      property: "eventData.user_event",
    },
    {
      what: "OBS trigger with a bad event",
      patch: { triggerTypeCode: "OBS", eventData: { bucket: "b1", events: ["s3:Bogus"] } },
      property: "eventData.events[0]",
    },
    {
      what: "SMN topic that is not a URN",
      patch: { triggerTypeCode: "SMN", eventData: { topicUrn: "topic" } },
      property: "eventData.topicUrn",
    },
    {
      what: "KAFKA batch size above 1000",
      patch: { triggerTypeCode: "KAFKA", eventData: { instanceId: "i", topicIds: ["t"], batchSize: 1001 } },
      property: "eventData.batchSize",
    },
    {
      what: "SMN trigger disabled",
      patch: { triggerTypeCode: "SMN", status: "DISABLED", eventData: { topicUrn: "urn:smn:eu-de:p:t" } },
      property: "status",
    },
    {
      what: "APIG timeout above 60000 ms",
      patch: {
        triggerTypeCode: "APIG",
        eventData: {
          groupId: "g",
          envId: "e",
          envName: "RELEASE",
          name: "api_1",
          funcInfo: { timeout: 60001 },
        },
      },
      property: "eventData.funcInfo.timeout",
    },
    {
      what: "DDS without password",
      patch: { triggerTypeCode: "DDS", eventData: { instanceId: "i", collectionName: "c", dbName: "d" } },
      property: "eventData.dbPassword",
    },
  ];
}

/** A valid DependencyVersion input (an empty zip). */
export const emptyZipBase64 = Buffer.from([
  0x50,
  0x4b,
  0x05,
  0x06,
  ...new Array<number>(18).fill(0),
]).toString("base64");

export function validDependency(name = "deps-one"): Props {
  return { name, runtime: "Python3.9", fileBase64: emptyZipBase64, description: "libs" };
}

export const badDependencyCases: readonly BadCase[] = [
  { what: "name starting with a digit", patch: { name: "1dep" }, property: "name" },
  { what: "name ending with a dot", patch: { name: "dep." }, property: "name" },
  { what: "name of 97 characters", patch: { name: `a${"b".repeat(96)}` }, property: "name" },
  { what: "missing runtime", patch: { runtime: undefined }, property: "runtime" },
  { what: "no package at all", patch: { fileBase64: undefined }, property: "link" },
  {
    what: "two packages",
    patch: { link: "https://b.obs.eu-de.otc.t-systems.com/d.zip" },
    property: "fileBase64",
  },
  {
    what: "link that is not a zip URL",
    patch: { fileBase64: undefined, link: "ftp://x/y.tar" },
    property: "link",
  },
  { what: "invalid base64", patch: { fileBase64: "???" }, property: "fileBase64" },
  {
    what: "base64 that is not a zip",
    patch: { fileBase64: Buffer.from("hello world").toString("base64") },
    property: "fileBase64",
    rule: /zip signature/,
  },
  {
    what: "file path that is not a zip",
    patch: { fileBase64: undefined, filePath: "/tmp/deps.tar" },
    property: "filePath",
  },
  { what: "description over 512", patch: { description: "d".repeat(513) }, property: "description" },
  { what: "adoptId without version", patch: { adoptId: "abc" }, property: "adoptId" },
  { what: "misspelt property", patch: { file: "x" }, property: "file" },
  {
    what: "a zip file path that does not exist",
    patch: { fileBase64: undefined, filePath: "/nonexistent/fnstack/deps.zip" },
    property: "filePath",
    rule: /does not exist/,
  },
  { what: "runtime starting with a digit", patch: { runtime: "9Python" }, property: "runtime" },
  {
    what: "link that is not an OBS URL",
    patch: { fileBase64: undefined, link: "obs-bucket/deps.zip" },
    property: "link",
  },
  { what: "adoptId with version 0", patch: { adoptId: "dep-id/0" }, property: "adoptId" },
  { what: "adoptId with a space", patch: { adoptId: "dep id/1" }, property: "adoptId" },
  { what: "name with a space", patch: { name: "my deps" }, property: "name" },
  { what: "name with a slash", patch: { name: "my/deps" }, property: "name" },
  { what: "empty runtime", patch: { runtime: "" }, property: "runtime" },
  {
    what: "link over 1024 characters",
    patch: { fileBase64: undefined, link: `https://b.obs.eu-de.otc.t-systems.com/${"a".repeat(1000)}.zip` },
    property: "link",
  },
  { what: "empty filePath", patch: { fileBase64: undefined, filePath: "" }, property: "filePath" },
  { what: "empty fileBase64", patch: { fileBase64: "" }, property: "fileBase64" },
  { what: "fileBase64 of 3 characters", patch: { fileBase64: "UEs" }, property: "fileBase64" },
  { what: "adoptId without a dependency id", patch: { adoptId: "/1" }, property: "adoptId" },
  { what: "adoptId with a version that is not a number", patch: { adoptId: "dep/abc" }, property: "adoptId" },
  { what: "adoptId with a negative version", patch: { adoptId: "dep/-1" }, property: "adoptId" },
  { what: "adoptId with two slashes", patch: { adoptId: "dep/1/2" }, property: "adoptId" },
  { what: "description that is a list", patch: { description: ["libs"] }, property: "description" },
  { what: "empty name", patch: { name: "" }, property: "name" },
];

/** A valid Invocation input. */
export function validInvocation(funcUrn: string): Props {
  return { funcUrn, event: { hello: "world" } };
}

export function badInvocationCases(funcUrn: string): BadCase[] {
  return [
    { what: "missing funcUrn", patch: { funcUrn: undefined }, property: "funcUrn" },
    { what: "funcUrn not a URN", patch: { funcUrn: "fn" }, property: "funcUrn" },
    { what: "event that is a string", patch: { event: "hi" }, property: "event" },
    { what: "event that is a list", patch: { event: [1, 2] }, property: "event" },
    { what: "bad mode", patch: { mode: "later" }, property: "mode" },
    { what: "tail log on async", patch: { mode: "async", tailLog: true }, property: "tailLog" },
    { what: "tailLog not boolean", patch: { tailLog: "yes" }, property: "tailLog" },
    { what: "allowFailure not boolean", patch: { allowFailure: 1 }, property: "allowFailure" },
    { what: "triggers with a number", patch: { triggers: { a: 1 } }, property: "triggers.a" },
    { what: "misspelt property", patch: { payload: {} }, property: "payload" },
    { what: "event that is a number", patch: { event: 42 }, property: "event" },
    { what: "event that is a boolean", patch: { event: true }, property: "event" },
    { what: "empty mode", patch: { mode: "" }, property: "mode" },
    { what: "mode that is a number", patch: { mode: 1 }, property: "mode" },
    { what: "allowFailure as text", patch: { allowFailure: "no" }, property: "allowFailure" },
    { what: "tailLog as a number", patch: { tailLog: 1 }, property: "tailLog" },
    { what: "triggers that are text", patch: { triggers: "x" }, property: "triggers" },
    { what: "triggers with an object value", patch: { triggers: { a: { b: 1 } } }, property: "triggers.a" },
    { what: "triggers with a null value", patch: { triggers: { a: null } }, property: "triggers.a" },
    { what: "triggers with a list value", patch: { triggers: { a: ["x"] } }, property: "triggers.a" },
    { what: "mode in upper case", patch: { mode: "SYNC" }, property: "mode" },
    { what: "triggers with a boolean", patch: { triggers: { a: true } }, property: "triggers.a" },
    { what: "triggers that are a list", patch: { triggers: ["a"] }, property: "triggers" },
    {
      what: "event over 6 MB",
      patch: { event: { big: "x".repeat(6 * 1024 * 1024 + 1) } },
      property: "event",
    },
    { what: "URN with a bad qualifier", patch: { funcUrn: `${funcUrn}:!` }, property: "funcUrn" },
  ];
}

export { patched } from "../patched";

/**
 * Bad inputs derived from the documented input rules every resource shares: each input (and each
 * string member of an object input) has one JSON type (a number where a string belongs, and so on, is
 * refused), and inputs are camelCase names the resource knows (a misspelt or snake_case name is
 * refused, not ignored).
 */
export function derivedCases(valid: Props, freeForm: readonly string[] = ["event"]): BadCase[] {
  const out: BadCase[] = [];
  for (const [key, value] of Object.entries(valid)) {
    const wrong =
      typeof value === "string"
        ? 42
        : typeof value === "number"
          ? String(value)
          : typeof value === "boolean"
            ? "yes"
            : "text";
    out.push({ what: `${key} of the wrong type`, patch: { [key]: wrong }, property: key });
    out.push({ what: `${key} misspelt`, patch: { [`${key}s`]: value }, property: `${key}s` });
    // A free-form payload (an invocation's event) takes any JSON in its members.
    if (typeof value === "object" && value !== null && !Array.isArray(value) && !freeForm.includes(key)) {
      for (const [member, inner] of Object.entries(value as Props)) {
        if (typeof inner !== "string") continue;
        out.push({
          what: `${key}.${member} of the wrong type`,
          patch: { [key]: { ...(value as Props), [member]: 42 } },
          property: `${key}.${member}`,
        });
      }
    }
    const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (snake !== key) out.push({ what: `${key} in snake_case`, patch: { [snake]: value }, property: snake });
  }
  return out;
}

/**
 * Bad `funcUrn`s derived from the URN's documented shape, `urn:fss:<region>:<project>:function:<package>:<name>`
 * (functiongraph-api.md), for every resource that takes one.
 */
export function funcUrnCases(funcUrn: string): BadCase[] {
  const parts = funcUrn.split(":");
  const swap = (index: number, value: string): string =>
    parts.map((p, i) => (i === index ? value : p)).join(":");
  const bad: [string, string][] = [
    ["a service other than fss", swap(1, "fgs")],
    ["no urn prefix", parts.slice(1).join(":")],
    ["an empty region", swap(2, "")],
    ["an empty project", swap(3, "")],
    ["a resource type other than function", swap(4, "func")],
    ["an empty package", swap(5, "")],
    ["an empty function name", swap(6, "")],
    ["a space in the name", swap(6, "hello fn")],
    ["a missing name segment", parts.slice(0, 6).join(":")],
    ["a trailing colon", `${funcUrn}:`],
  ];
  return bad.map(([what, value]) => ({
    what: `funcUrn with ${what}`,
    patch: { funcUrn: value },
    property: "funcUrn",
  }));
}
