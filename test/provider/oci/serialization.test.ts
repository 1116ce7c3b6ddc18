import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { makeProvider } from "../../../provider/stub";
import { serializeProviderDetailed } from "../../engine/harness";
import { startOciFixture, type OciFixture } from "./emulator-fixture";

const kinds = ["oci:Application", "oci:Function", "oci:InvokeFunction", "oci:ContainerInstance"];

describe("OCI resources: the serialized provider", function () {
  this.timeout(60_000);
  let fx: OciFixture;
  let keyPem: string;

  before(async () => {
    fx = await startOciFixture();
    // Resolve credentials first, as a deployment would, so anything cached would show up in the text.
    const { ociContexts } = await import("../../../provider/oci/common");
    await ociContexts(undefined);
    const config = readFileSync(fx.emulator.oci.configFile, "utf8");
    const keyFile = /key_file\s*=\s*(.+)/.exec(config)?.[1]?.trim() ?? "";
    keyPem = readFileSync(keyFile, "utf8");
  });
  after(() => fx?.close());

  for (const kind of kinds) {
    it(`${kind} stays a few KB and holds no credential or endpoint`, async () => {
      const { text, containsSecrets } = await serializeProviderDetailed(makeProvider(kind));
      console.log(`      ${kind}: ${text.length} bytes`);
      assert.ok(text.length < 4096, `${text.length} bytes`);
      assert.equal(containsSecrets, false);
      assert.ok(text.includes(JSON.stringify(kind)), "the kind is the captured value");
      const keyBody = keyPem.split("\n").filter((l) => l !== "" && !l.startsWith("-----"))[1] ?? "";
      assert.ok(keyBody.length > 20);
      for (const forbidden of [
        keyBody,
        fx.emulator.oci.tenancyOcid,
        fx.emulator.url,
        fx.emulator.oci.configFile,
      ]) {
        assert.equal(text.includes(forbidden), false, `the text must not contain ${forbidden.slice(0, 30)}…`);
      }
      const requires = [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
      assert.deepEqual([...new Set(requires)], ["fnstack/provider"]);
    });
  }

  it("registers config, pull-secret credentials and config-file data as additional secret outputs", async () => {
    const seen: Record<string, string[]> = {};
    pulumi.runtime.setMocks(
      { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs },
      "project",
      "stack",
      false,
    );
    // The mock monitor drops resource options; read them off the RegisterResource request it receives.
    type Monitor = { registerResource(req: RegisterRequest, cb: unknown): unknown };
    type RegisterRequest = { getType(): string; getAdditionalsecretoutputsList(): string[] };
    const monitor = (pulumi.runtime as unknown as { getMonitor(): Monitor }).getMonitor();
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
      seen[req.getType()] = req.getAdditionalsecretoutputsList();
      return original(req, cb);
    };
    const oci = await import("../../../provider/oci");
    const app = new oci.Application(
      "a",
      { compartmentId: "c", displayName: "d", subnetIds: ["s"] },
      { additionalSecretOutputs: ["syslogUrl"] },
    );
    const fn = new oci.Function("f", { applicationId: "a", displayName: "f", memoryInMBs: 128, image: "i" });
    const ci = new oci.ContainerInstance("c", {
      compartmentId: "c",
      availabilityDomain: "x:y",
      shape: "s",
      shapeConfig: { ocpus: 1 },
      vnics: [],
      containers: [],
    });
    await new Promise<void>((resolve) => pulumi.all([app.id, fn.id, ci.id]).apply(() => resolve()));
    assert.deepEqual(seen["pulumi-nodejs:dynamic/fnstack/oci:Application"]?.sort(), ["config", "syslogUrl"]);
    assert.deepEqual(seen["pulumi-nodejs:dynamic/fnstack/oci:Function"], ["config"]);
    assert.deepEqual(seen["pulumi-nodejs:dynamic/fnstack/oci:ContainerInstance"]?.sort(), [
      "imagePullSecrets",
      "volumes",
    ]);
  });
});
