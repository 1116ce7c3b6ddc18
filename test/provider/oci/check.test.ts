import { strict as assert } from "node:assert";
import { unknownSentinel } from "../../../provider/inputs";
import { handlerFor } from "../../../provider/runtime";
import { PluginCallError, serializeKind, startPlugin, type PluginClient } from "../../engine/harness";
import {
  type BadCase,
  badApplicationCases,
  badFunctionCases,
  badInstanceCases,
  badInvokeCases,
  derivedCases,
  fullInvoke,
  patched,
  subnet,
  validApplication,
  validFunction,
  validInstance,
  validInvoke,
} from "./cases";
import { ociTestEnv, startOciFixture, type OciFixture } from "./emulator-fixture";

type Props = Record<string, unknown>;

const cases: Record<string, { valid: Props; bad: readonly BadCase[] }> = {
  "oci:Application": {
    valid: validApplication,
    bad: [...badApplicationCases, ...derivedCases(validApplication)],
  },
  "oci:Function": { valid: validFunction, bad: [...badFunctionCases, ...derivedCases(validFunction)] },
  "oci:InvokeFunction": { valid: validInvoke, bad: [...badInvokeCases, ...derivedCases(fullInvoke)] },
  "oci:ContainerInstance": {
    valid: validInstance,
    bad: [...badInstanceCases, ...derivedCases(validInstance)],
  },
};

describe("OCI resources: check", function () {
  this.timeout(60_000);
  let fx: OciFixture;
  let plugin: PluginClient;
  const providers: Record<string, string> = {};

  before(async () => {
    fx = await startOciFixture();
    plugin = await startPlugin({ env: { ...process.env, ...ociTestEnv(fx.emulator) } });
    await plugin.configure();
    for (const kind of Object.keys(cases)) providers[kind] = await serializeKind(kind);
  });
  after(async () => {
    await plugin?.close();
    await fx?.close();
  });

  for (const [kind, { valid, bad }] of Object.entries(cases)) {
    describe(kind, () => {
      it("accepts valid inputs", async () => {
        for (const inputs of [valid, ...(kind === "oci:InvokeFunction" ? [fullInvoke] : [])]) {
          const result = await handlerFor(kind).check({}, inputs);
          assert.deepEqual(result.failures ?? [], []);
        }
      });

      it(`rejects every bad input (${bad.length} cases) naming the field and the rule, directly and through the plugin, without sending a request`, async () => {
        const before = await fx.ociRequestCount();
        const missed: string[] = [];
        for (const { what, patch, property, rule } of bad) {
          const inputs = patched(valid, patch);
          const direct = (await handlerFor(kind).check({}, inputs)).failures ?? [];
          if (!direct.some((f) => f.property === property && rule.test(f.reason)))
            missed.push(`${what}: expected ${property} ${rule}, got ${JSON.stringify(direct)}`);
          // The harness's gRPC client caps messages at 4 MB (the engine's cap is higher): bigger cases run directly only.
          if (Buffer.byteLength(JSON.stringify(inputs)) > 4_000_000) continue;
          const viaEngine = await plugin.check({}, { ...inputs, __provider: providers[kind] });
          if (!viaEngine.failures.some((f) => f.property === property && rule.test(f.reason)))
            missed.push(
              `${what} (engine): expected ${property} ${rule}, got ${JSON.stringify(viaEngine.failures)}`,
            );
        }
        assert.deepEqual(missed, []);
        assert.equal(await fx.ociRequestCount(), before, "check sent no request");
      });

      it("tolerates unknown values at any depth during preview", async () => {
        const unknowns: Props = {};
        for (const [key, value] of Object.entries(valid)) {
          unknowns[key] = Array.isArray(value) ? [unknownSentinel] : unknownSentinel;
        }
        assert.deepEqual((await handlerFor(kind).check({}, unknowns)).failures ?? [], []);
        const reply = await plugin.check({}, { ...unknowns, __provider: providers[kind] });
        assert.deepEqual(reply.failures, []);
      });
    });
  }

  it("does not reject unknown members under the cross-field rules (preview)", async () => {
    const u = unknownSentinel;
    const app = await handlerFor("oci:Application").check({}, { ...validApplication, syslogUrl: u });
    assert.deepEqual(app.failures ?? [], []);
    const files = [
      { fileName: u, data: "eA==" },
      { fileName: u, data: "eQ==" },
    ];
    const ci = await handlerFor("oci:ContainerInstance").check(
      {},
      {
        ...validInstance,
        volumes: [{ volumeType: "CONFIGFILE", name: "cfg", configs: files }],
        dnsConfig: { nameservers: [u] },
        vnics: [{ subnetId: subnet, privateIp: u, hostnameLabel: u }],
        containers: [
          {
            imageUrl: "nginx",
            arguments: [u, u],
            securityContext: { securityContextType: "LINUX", runAsUser: u, runAsGroup: u },
          },
        ],
      },
    );
    assert.deepEqual(ci.failures ?? [], []);
  });

  it("reports a missing required field through the plugin as a check failure, not an error", async () => {
    const reply = await plugin
      .check({}, { __provider: providers["oci:Application"] })
      .catch((e: unknown) => e);
    assert.ok(!(reply instanceof PluginCallError));
    assert.deepEqual((reply as { failures: { property: string }[] }).failures.map((f) => f.property).sort(), [
      "compartmentId",
      "displayName",
      "subnetIds",
    ]);
  });
});
