import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { makeProvider } from "../../provider/stub";
import { echoKindPackage } from "./echo-kind-package";
import { echoKind } from "./fixtures/echo-kind";
import {
  type FixtureProject,
  type PluginClient,
  type Props,
  PluginCallError,
  fixtureProject,
  repoRoot,
  serializeKind,
  serializeProvider,
  serializeProviderDetailed,
  startPlugin,
  unknown,
} from "./harness";

// Engine-path tests: the real @pulumi/pulumi dynamic-provider plugin, launched as the engine launches
// it, loads the serialized thin stub, which loads this repository's dist/ through the fixture
// project's node_modules/fnstack. `npm test` builds dist/ first; run `npm run build` when iterating.

const apiKeyValue = "echo-api-key-7f3c9a1e5b";
const stackConfigValues = {
  "fnstack-test:apiKey": apiKeyValue,
  "fnstack-test:endpoint": "http://127.0.0.1:9/echo",
  "oci:region": "eu-frankfurt-1",
  "fnstack-engine-test:flavour": "plain",
};
// FNSTACK_ENGINE_PULUMI_DIR runs these tests against another @pulumi/pulumi (its package directory,
// with its dependencies installed), e.g. the peer-dependency floor 3.139.0.
const pulumiDir =
  process.env.FNSTACK_ENGINE_PULUMI_DIR || dirname(require.resolve("@pulumi/pulumi/package.json"));
const pulumiVersion = (
  JSON.parse(readFileSync(join(pulumiDir, "package.json"), "utf8")) as { version: string }
).version;
const devPulumiVersion = (require("@pulumi/pulumi/package.json") as { version: string }).version;

/** Whether `version` (x.y.z) is at least `floor`. */
function atLeast(version: string, floor: string): boolean {
  const a = version.split(".").map(Number);
  const b = floor.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}
const fnstackVersion = (require("../../package.json") as { version: string }).version;

/** Every `require("...")` argument in a serialized text. */
function requiredModules(text: string): string[] {
  return [...text.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1] as string);
}

describe("engine harness: the thin-stub provider through the real dynamic-provider plugin", function () {
  this.timeout(60_000);

  let project: FixtureProject;
  let plugin: PluginClient;
  let providerText: string;

  before(async () => {
    project = fixtureProject({ pulumiPackageDir: pulumiDir });
    const register = echoKindPackage(join(project.dir, "node_modules", "fnstack-echo-kind"));
    providerText = await serializeProvider(makeProvider(echoKind));
    const started = process.hrtime.bigint();
    plugin = await startPlugin({
      cwd: project.dir,
      env: { ...process.env, NODE_OPTIONS: `--require ${register}` },
      config: stackConfigValues,
      secretKeys: ["fnstack-test:apiKey"],
    });
    const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(
      `      plugin start-up (spawn, port, Handshake, GetPluginInfo, CheckConfig): ${startupMs.toFixed(0)} ms`,
    );
  });

  after(async () => {
    await plugin?.close();
    project?.remove();
  });

  it("answers the engine's start-up probes like the legacy-protocol plugin it is", () => {
    assert.equal(plugin.startup.handshakeCode, 12, "Handshake is UNIMPLEMENTED");
    assert.equal(plugin.startup.version, pulumiVersion);
    assert.equal(plugin.startup.checkConfigCode, 12, "CheckConfig is UNIMPLEMENTED");
  });

  it("accepts the full stack config with a wrapped secret and declines secrets itself", async () => {
    const reply = await plugin.configure();
    assert.deepEqual(reply, {
      acceptSecrets: false,
      acceptResources: false,
      supportsPreview: false,
      acceptOutputs: false,
    });
  });

  it("serializes the stub to a few KB holding no credential and requiring only fnstack/provider", async () => {
    const detailed = await serializeProviderDetailed(makeProvider(echoKind));
    console.log(`      serialized ${echoKind} stub: ${Buffer.byteLength(providerText)} bytes`);
    assert.equal(detailed.text, providerText, "serialization is deterministic");
    assert.ok(Buffer.byteLength(providerText) < 4096, `stub is ${Buffer.byteLength(providerText)} bytes`);
    assert.equal(detailed.containsSecrets, false);
    assert.ok(!providerText.includes(apiKeyValue), "the API key is not in the stub");
    assert.ok(!providerText.includes("eu-frankfurt-1") && !providerText.includes("127.0.0.1"));
    assert.ok(!providerText.includes("process.env"));
    assert.deepEqual([...new Set(requiredModules(providerText))], ["fnstack/provider"]);
  });

  it("runs Check, Create, Read, Diff (none, some, replace), Update and Delete", async () => {
    const started = process.hrtime.bigint();
    const news: Props = { __provider: providerText, name: "alpha", size: 3, tags: { team: "a" } };

    // Preview: an unknown input passes through Check untouched and is not validated.
    const preview = await plugin.check({}, { ...news, name: unknown });
    assert.equal(preview.inputs.name, unknown);
    assert.deepEqual(preview.failures, []);

    const rejected = await plugin.check({}, { ...news, size: 0 });
    assert.deepEqual(rejected.failures, [{ property: "size", reason: "must be an integer from 1 to 100" }]);

    const checked = await plugin.check({}, news);
    assert.deepEqual(checked.failures, []);
    assert.equal(checked.inputs.__provider, providerText);

    const created = await plugin.create(checked.inputs);
    assert.match(created.id, /^echo-\d+$/);
    assert.equal(created.properties.__provider, providerText);
    assert.equal(created.properties.size, 3);
    // The secret reached the implementation unwrapped, through configure → stackConfig().
    const expectedFingerprint = createHash("sha256").update(apiKeyValue).digest("hex").slice(0, 16);
    assert.equal(created.properties.keyFingerprint, expectedFingerprint);
    assert.equal(created.properties.endpoint, stackConfigValues["fnstack-test:endpoint"]);

    const refreshed = await plugin.read(created.id, created.properties, checked.inputs);
    assert.equal(refreshed.id, created.id);
    assert.deepEqual(refreshed.properties, created.properties);
    // `read` may return inputs since 3.216 (pulumi/pulumi#21315); older plugins drop them.
    const expectedInputs = { name: "alpha", size: 3, tags: { team: "a" }, __provider: providerText };
    assert.deepEqual(refreshed.inputs, atLeast(pulumiVersion, "3.216.0") ? expectedInputs : undefined);

    const same = await plugin.diff(created.id, created.properties, checked.inputs);
    assert.equal(same.changes, "DIFF_NONE");

    const grown = (await plugin.check(checked.inputs, { ...news, size: 5 })).inputs;
    const some = await plugin.diff(created.id, created.properties, grown, checked.inputs);
    assert.equal(some.changes, "DIFF_SOME");
    assert.deepEqual(some.replaces, []);
    assert.equal(some.hasDetailedDiff, false, "the plugin never forwards a detailed diff");

    const updated = await plugin.update(created.id, created.properties, grown, checked.inputs);
    assert.equal(updated.properties.size, 5);
    assert.equal(updated.properties.generation, 2);
    assert.equal(updated.properties.keyFingerprint, expectedFingerprint, "update keeps every output");
    assert.equal(updated.properties.__provider, providerText);

    const renamed = (await plugin.check(grown, { ...news, size: 5, name: "beta" })).inputs;
    const replace = await plugin.diff(created.id, updated.properties, renamed, grown);
    assert.equal(replace.changes, "DIFF_SOME");
    assert.deepEqual(replace.replaces, ["name"]);
    assert.equal(replace.deleteBeforeReplace, true);

    await plugin.delete(created.id, updated.properties, grown);
    const gone = await plugin.read(created.id, updated.properties, grown);
    assert.equal(gone.id, "", "an empty id tells the engine the resource is gone");

    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`      lifecycle through the plugin: ${elapsedMs.toFixed(0)} ms (13 RPCs)`);
  });

  it("decodes a partial failure with its id and properties, and a Delete with them works", async () => {
    const inputs = (
      await plugin.check({}, { __provider: providerText, name: "half", size: 1, failAfterCreate: true })
    ).inputs;
    const error = await plugin.create(inputs).then(
      () => assert.fail("create should have failed"),
      (err: unknown) => err,
    );
    assert.ok(error instanceof PluginCallError);
    assert.equal(error.code, 2, "UNKNOWN, as grpcResponseFromError answers");
    const failed = error.initFailed;
    assert.ok(failed, "grpc-status-details-bin carried ErrorResourceInitFailed");
    assert.match(failed.id, /^echo-\d+$/);
    assert.equal(failed.properties.__provider, providerText, "__provider copied from the inputs");
    assert.equal(failed.properties.name, "half");
    assert.equal(failed.reasons.length, 1);
    assert.ok(failed.reasons[0]?.includes(failed.id), `reason names the id: ${failed.reasons[0]}`);
    assert.ok(error.message.includes(failed.id) && error.message.includes("health check rejected key"));
    assert.ok(!error.message.includes(apiKeyValue), "the configured secret is redacted from the message");
    assert.ok(!JSON.stringify(failed).includes(apiKeyValue));

    // `pulumi destroy` before the next `up`: Delete(id, recorded properties).
    await plugin.delete(failed.id, failed.properties);
    assert.equal((await plugin.read(failed.id, failed.properties)).id, "");
  });

  it("reads with inputs only (opts.id), and shows why `pulumi import` cannot work", async () => {
    const inputs = (await plugin.check({}, { __provider: providerText, name: "adopted", size: 2 })).inputs;
    const created = await plugin.create(inputs);

    // ReadStep for `opts.id`: the inputs are sent as properties and as inputs.
    const viaReadStep = await plugin.read(created.id, inputs, inputs);
    assert.equal(viaReadStep.id, created.id);
    assert.equal(viaReadStep.properties.keyFingerprint, created.properties.keyFingerprint);
    // 3.270 also falls back to the inputs when no properties are sent; 3.139 does not.
    if (pulumiVersion === devPulumiVersion) {
      const inputsOnly = await plugin.read(created.id, {}, inputs);
      assert.equal(inputsOnly.properties.name, "adopted");
      assert.equal(inputsOnly.properties.__provider, providerText);
    }

    // Import sends neither, so the plugin has no provider text to load.
    const importError = await plugin.read(created.id).then(
      () => assert.fail("import-style read should fail"),
      (err: unknown) => err,
    );
    assert.ok(importError instanceof PluginCallError);
    // 3.270: "code must be a string, not undefined"; 3.139 fails one step earlier on the nil properties.
    assert.match(importError.message, /code must be a string|reading 'toJavaScript'/);

    await plugin.delete(created.id, created.properties);
  });

  it("fails with a message naming the kind and the installed version when the kind is unknown", async () => {
    const unknownKindText = await serializeProvider(makeProvider("fnstack-test:FromTheFuture"));
    const error = await plugin.check({}, { __provider: unknownKindText, name: "x" }).then(
      () => assert.fail("check should have failed"),
      (err: unknown) => err,
    );
    assert.ok(error instanceof PluginCallError);
    assert.match(error.message, /"fnstack-test:FromTheFuture"/);
    assert.ok(error.message.includes(`fnstack ${fnstackVersion}`), error.message);
  });
});

describe("engine harness: the shipped stubs", function () {
  this.timeout(120_000);

  it("loads every shipped kind in the plugin, and each answers Check on empty inputs with failures", async () => {
    const kinds = (require(join(repoRoot, "dist", "provider", "runtime.js")) as { knownKinds(): string[] })
      .knownKinds()
      // Other tests in this process may have registered test kinds.
      .filter((kind) => kind.startsWith("oci:") || kind.startsWith("functiongraph:"));
    assert.ok(kinds.includes("oci:Function") && kinds.includes("functiongraph:Trigger"), kinds.join(", "));
    // No credentials anywhere: Check must not need them.
    const plugin = await startPlugin({ env: { PATH: process.env.PATH, HOME: "/nonexistent" } });
    try {
      await plugin.configure();
      for (const kind of kinds) {
        const __provider = await serializeKind(kind);
        const reply = await plugin
          .check({}, { __provider })
          .catch((err: Error) => assert.fail(`${kind}: ${err.message}`));
        assert.ok(reply.failures.length > 0, `${kind} accepts empty inputs`);
        assert.equal(reply.inputs.__provider, __provider);
      }
    } finally {
      await plugin.close();
    }
  });

  it("serializes makeProvider('oci:Function') to a few KB whose only require is fnstack/provider", async () => {
    const { text, containsSecrets } = await serializeProviderDetailed(makeProvider("oci:Function"));
    console.log(`      serialized oci:Function stub: ${Buffer.byteLength(text)} bytes`);
    assert.ok(Buffer.byteLength(text) < 4096, `stub is ${Buffer.byteLength(text)} bytes`);
    assert.equal(containsSecrets, false);
    assert.deepEqual([...new Set(requiredModules(text))], ["fnstack/provider"]);
    assert.ok(text.includes('"oci:Function"'), "the kind is the one captured value");
    assert.ok(!text.includes("process.env"));
  });

  it("keeps the shipped stub text byte-identical to the recorded snapshot (it is an ABI stored in state)", async () => {
    // A changed text makes every existing resource's __provider differ on the next `up`, and old
    // texts keep running refresh/destroy against new runtimes. Change the stub only on purpose, then
    // re-record fixtures/oci-function-stub.txt.
    const text = await serializeKind("oci:Function");
    assert.equal(text, readFileSync(join(__dirname, "fixtures", "oci-function-stub.txt"), "utf8"));
  });

  it("gives one instance per kind, so Pulumi's per-object serialization cache hits", () => {
    const stub = makeProvider("functiongraph:Trigger");
    assert.equal(makeProvider("functiongraph:Trigger"), stub);
    assert.notEqual(makeProvider("functiongraph:Function"), stub);
  });
});
