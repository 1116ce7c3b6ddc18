import { strict as assert } from "node:assert";
import { ConfigurationError } from "../../sdk/core/errors";
import { effectiveSettings, rateLimiterFor, resetRateLimiters } from "../../sdk/core/rate-limiter";
import type { ResourceHandler } from "../../provider/handler";
import { ociHandlers } from "../../provider/oci/handlers";
import { functionGraphHandlers } from "../../provider/functiongraph/handlers";
import * as sharedRuntime from "../../provider/runtime";
import { freshRuntime } from "./fresh-runtime";

const fnstackVersion = (require("../../package.json") as { version: string }).version;

function echoHandler(tag: string): ResourceHandler {
  return {
    check: async (_olds, news) => ({ inputs: { ...news, tag } }),
    diff: async () => ({ changes: false }),
    create: async () => ({ id: tag, outs: { tag } }),
    read: async (id, props) => ({ id, props }),
    update: async (_id, _olds, news) => ({ outs: news }),
    delete: async () => undefined,
  };
}

describe("provider runtime: stack configuration", () => {
  it("reads nothing before configure runs (plain Node use falls back to env and files)", () => {
    const { runtime } = freshRuntime();
    assert.equal(runtime.stackConfig()("oci:region"), undefined);
  });

  it("reads full namespaced keys through the installed lookup", () => {
    const { runtime } = freshRuntime();
    const values: Record<string, string> = {
      "oci:region": "eu-frankfurt-1",
      "fnstack:ociEndpoint": "http://x",
    };
    runtime.configure((key) => values[key]);
    assert.equal(runtime.stackConfig()("oci:region"), "eu-frankfurt-1");
    assert.equal(runtime.stackConfig()("fnstack:ociEndpoint"), "http://x");
    assert.equal(runtime.stackConfig()("oci:tenancyOcid"), undefined);
  });

  it("gives handlers a lookup that follows a later configure", () => {
    const { runtime } = freshRuntime();
    const lookup = runtime.stackConfig();
    runtime.configure(() => "first");
    assert.equal(lookup("oci:region"), "first");
    runtime.configure(() => "second");
    assert.equal(lookup("oci:region"), "second");
  });

  it("turns null into undefined, structured values into JSON, and unwraps a secret envelope", () => {
    const { runtime } = freshRuntime();
    const raw: Record<string, unknown> = {
      "a:null": null,
      "a:object": { x: [1, 2] },
      "a:number": 3,
      "a:secret": { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "hidden" },
    };
    runtime.configure((key) => raw[key] as string | undefined);
    const lookup = runtime.stackConfig();
    assert.equal(lookup("a:null"), undefined);
    assert.equal(lookup("a:object"), '{"x":[1,2]}');
    assert.equal(lookup("a:number"), "3");
    assert.equal(lookup("a:secret"), "hidden");
  });

  it("reads nothing when the plugin's config object throws (no Configure RPC arrived)", () => {
    const { runtime } = freshRuntime();
    const rawConfig: Record<string, string> | undefined = undefined;
    runtime.configure((key) => (rawConfig as unknown as Record<string, string>)[key]);
    assert.equal(runtime.stackConfig()("oci:region"), undefined);
  });

  it("sets the rate limiter's ceiling from fnstack:maxRequestsPerSecond, and names the key when it is bad", () => {
    // The shared runtime: loading it installed the limiter's ceiling source (a fresh copy's is put back).
    const runtime = sharedRuntime;
    try {
      runtime.configure((key) => (key === "fnstack:maxRequestsPerSecond" ? "7.5" : undefined));
      const limiter = rateLimiterFor("https://h/a", "https://h", 50);
      assert.equal(limiter.stats.requestsPerSecond, 7.5);
      runtime.configure(() => undefined);
      rateLimiterFor("https://h/a", "https://h", 50);
      assert.equal(effectiveSettings(50).maxRequestsPerSecond, 50, "unset again: the cloud default");
      runtime.configure((key) => (key === "fnstack:maxRequestsPerSecond" ? "lots" : undefined));
      assert.throws(
        () => rateLimiterFor("https://h/a", "https://h", 50),
        (error: unknown) =>
          error instanceof ConfigurationError && /fnstack:maxRequestsPerSecond/.test(error.message),
      );
    } finally {
      runtime.configure(() => undefined);
      resetRateLimiters();
    }
  });

  it("rejects a lookup that is not a function", () => {
    const { runtime } = freshRuntime();
    assert.throws(() => runtime.configure("oci:region" as unknown as () => undefined), TypeError);
  });

  it("redacts credential values handed out for secret-like keys, and only those", () => {
    const { runtime } = freshRuntime();
    const values: Record<string, string> = {
      "oci:privateKey": "-----BEGIN PRIVATE KEY-----abc",
      "opentelekomcloud:secretKey": "sk-0123456789",
      "opentelekomcloud:password": "hunter2hunter2",
      "oci:region": "eu-frankfurt-1",
      "opentelekomcloud:securityToken": "tok",
    };
    runtime.configure((key) => values[key]);
    for (const key of Object.keys(values)) runtime.stackConfig()(key);
    const text = Object.values(values).join(" | ");
    assert.equal(
      runtime.redactSecrets(text),
      "[redacted] | [redacted] | [redacted] | eu-frankfurt-1 | tok",
      "region is not a secret; a 3-character token is too short to redact meaningfully",
    );
  });

  it("redacts nothing that was never read", () => {
    const { runtime } = freshRuntime();
    runtime.configure(() => "sk-never-read-value");
    assert.equal(runtime.redactSecrets("sk-never-read-value"), "sk-never-read-value");
  });
});

describe("provider runtime: handlers", () => {
  it("fails on an unknown kind with a ConfigurationError naming the kind and the installed version", () => {
    const { runtime } = freshRuntime();
    assert.throws(
      () => runtime.handlers["oci:NotAKind"],
      (err: unknown) =>
        err instanceof ConfigurationError &&
        err.code === "UnknownResourceKind" &&
        err.message.includes('"oci:NotAKind"') &&
        err.message.includes(`fnstack ${fnstackVersion}`) &&
        err.message.includes("newer fnstack"),
    );
  });

  it("answers undefined for probes that are not kinds (then, toJSON, symbols)", () => {
    const { runtime } = freshRuntime();
    const bag = runtime.handlers as unknown as Record<string | symbol, unknown>;
    assert.equal(bag.then, undefined);
    assert.equal(bag.toJSON, undefined);
    assert.equal(bag[Symbol.toStringTag], undefined);
  });

  it("builds a kind's handler on first use, once", async () => {
    const { runtime } = freshRuntime();
    let builds = 0;
    runtime.registerHandler("test:Counted", () => {
      builds += 1;
      return echoHandler("counted");
    });
    assert.equal(builds, 0, "registering builds nothing");
    const handler = runtime.handlers["test:Counted"];
    assert.equal(runtime.handlers["test:Counted"], handler);
    assert.equal(builds, 1);
    assert.deepEqual(await handler?.check({}, { a: 1 }), { inputs: { a: 1, tag: "counted" } });
  });

  it("refuses to register a kind twice or to replace a built-in kind", () => {
    const { runtime } = freshRuntime();
    runtime.registerHandler("test:Once", () => echoHandler("once"));
    assert.throws(
      () => runtime.registerHandler("test:Once", () => echoHandler("again")),
      /already registered/,
    );
    for (const kind of [...Object.keys(ociHandlers), ...Object.keys(functionGraphHandlers)]) {
      assert.throws(() => runtime.registerHandler(kind, () => echoHandler("x")), /already registered/, kind);
    }
  });

  it("rejects a factory whose handler lacks a method", () => {
    const { runtime } = freshRuntime();
    runtime.registerHandler("test:Broken", () => ({ ...echoHandler("b"), delete: undefined }) as never);
    assert.throws(() => runtime.handlers["test:Broken"], /test:Broken has no delete\(\) method/);
  });

  it("lists exactly the shipped kinds plus registered ones, and is read-only", () => {
    const { runtime } = freshRuntime();
    runtime.registerHandler("test:Listed", () => echoHandler("l"));
    const shipped = [...Object.keys(ociHandlers), ...Object.keys(functionGraphHandlers)];
    assert.deepEqual(runtime.knownKinds(), [...shipped, "test:Listed"].sort());
    assert.deepEqual(Object.keys(runtime.handlers).sort(), [...shipped, "test:Listed"].sort());
    assert.equal("test:Listed" in runtime.handlers, true);
    assert.equal("test:Missing" in runtime.handlers, false);
    assert.throws(() => {
      (runtime.handlers as Record<string, ResourceHandler>)["test:Listed"] = echoHandler("replaced");
    }, TypeError);
  });

  it("drops undefined from what handlers return, which the plugin's Struct encoding rejects", async () => {
    const { runtime } = freshRuntime();
    runtime.registerHandler("test:Sloppy", () => ({
      ...echoHandler("s"),
      check: async (_olds, news) => ({ inputs: { ...news, optional: undefined } }),
      create: async () => ({
        id: "s-1",
        outs: { a: undefined, list: [1, undefined], nested: { b: undefined, c: 2 } },
      }),
      read: async (id) => ({
        id: id === "gone" ? "" : id,
        props: id === "gone" ? undefined : { x: undefined },
      }),
    }));
    const handler = runtime.handlers["test:Sloppy"] as ResourceHandler;
    assert.deepEqual(await handler.check({}, { name: "n" }), { inputs: { name: "n" } });
    assert.deepEqual(await handler.create({}), { id: "s-1", outs: { list: [1, null], nested: { c: 2 } } });
    assert.deepEqual(await handler.read("r", {}), { id: "r", props: {} });
    assert.deepEqual(await handler.read("gone", {}), { id: "", props: undefined });
  });

  it("leaves non-plain objects and primitives alone when cleaning", () => {
    const { runtime } = freshRuntime();
    const date = new Date(0);
    assert.equal(runtime.withoutUndefined(date), date);
    assert.equal(runtime.withoutUndefined("x"), "x");
    assert.equal(runtime.withoutUndefined(null), null);
    assert.deepEqual(runtime.withoutUndefined(Object.assign(Object.create(null), { a: 1, b: undefined })), {
      a: 1,
    });
  });
});
