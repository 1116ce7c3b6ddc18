import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { type PluginClient, type Props, serializeKind, startPlugin } from "../engine/harness";
import { ociTestEnv } from "./oci/emulator-fixture";

// Stubs already in users' state keep working after the stub shrank (issue 12): the state file below
// was written by fnstack 0.1, whose stubs serialized seven closures (3.1 KB each) that call
// `require("fnstack/provider").configure(...)` and `.handlers[kind].<method>(...)`. The real plugin
// deserializes those texts and runs them against today's dist/ (run `npm run build` first).

interface StateResource {
  readonly urn: string;
  readonly inputs: Props;
  readonly outputs: Props;
}
const state = JSON.parse(readFileSync(join(__dirname, "fixtures", "state-v0.1.json"), "utf8")) as {
  deployment: { resources: StateResource[] };
};
const byName = (name: string): StateResource => {
  const found = state.deployment.resources.find((r) => r.urn.endsWith(`::${name}`));
  if (found === undefined) throw new Error(`state-v0.1.json has no resource ${name}`);
  return found;
};

describe("stubs written by fnstack 0.1, loaded from a state file", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let plugin: PluginClient;

  before(async () => {
    emulator = await startEmulator({ timing: { lifecycleMs: 100, workRequestMs: 150, triggerMs: 100 } });
    const env: NodeJS.ProcessEnv = { ...process.env, ...ociTestEnv(emulator) };
    for (const key of Object.keys(env)) if (key.startsWith("OS_")) delete env[key];
    plugin = await startPlugin({
      env: {
        ...env,
        FNSTACK_FUNCTIONGRAPH_ENDPOINT: emulator.url,
        OS_CLIENT_CONFIG_FILE: emulator.functiongraph.cloudsYaml,
        OS_CLOUD: "fnstack",
      },
    });
    await plugin.configure();
  });
  after(async () => {
    await plugin?.close();
    await emulator?.close();
  });

  it("holds the seven-closure stub texts this test is about, not today's", async () => {
    for (const name of ["app", "fn", "fg"]) {
      const text = byName(name).inputs.__provider as string;
      assert.ok(Buffer.byteLength(text) > 3000, `${name}: an old stub is about 3.1 KB`);
      assert.match(text, /\.handlers\[kind\]\.delete\(id, props\)/);
    }
    assert.notEqual(byName("app").inputs.__provider, await serializeKind("oci:Application"));
  });

  /** The old inputs with the emulator's ids patched in, as the engine would send them. */
  function inputsOf(name: string, ids: Record<string, string>): Props {
    return JSON.parse(
      JSON.stringify(byName(name).inputs).replace(/"\$(\w+)"/g, (_m, key: string) =>
        JSON.stringify(ids[key] ?? `unset ${key}`),
      ),
    ) as Props;
  }

  for (const [name, change] of [
    ["app", { config: { LOG_LEVEL: "debug" } }],
    ["fn", { memoryInMBs: 512 }],
    ["fg", { memorySize: 512 }],
  ] as const) {
    it(`runs create, read, update and delete of "${name}" with its old stub`, async () => {
      const ids: Record<string, string> = {
        compartmentId: emulator.oci.compartmentOcid,
        subnetId: emulator.oci.subnetOcid,
      };
      if (name === "fn") {
        const app = inputsOf("app", ids);
        const parent = await plugin.create({ ...app, displayName: "old-stub-parent" });
        ids.applicationId = parent.id;
      }
      const inputs = inputsOf(name, ids);
      const checked = (await plugin.check({}, inputs)).inputs;
      const created = await plugin.create(checked);
      assert.ok(created.id !== "", "create returned an id");
      assert.equal(created.properties.__provider, inputs.__provider, "the plugin copies the stub to outputs");

      const read = await plugin.read(created.id, created.properties, checked);
      assert.equal(read.id, created.id);

      const news = (await plugin.check(checked, { ...inputs, ...change })).inputs;
      const diff = await plugin.diff(created.id, read.properties, news, checked);
      assert.equal(diff.changes, "DIFF_SOME");
      const updated = await plugin.update(created.id, read.properties, news, checked);
      const [key, value] = Object.entries(change)[0] as [string, unknown];
      assert.deepEqual(updated.properties[key], value, `update changed ${key}`);

      await plugin.delete(created.id, updated.properties, news);
      const gone = await plugin.read(created.id, updated.properties, news);
      assert.equal(gone.id, "", "read after delete reports the resource gone");
    });
  }
});
