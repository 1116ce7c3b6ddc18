import { strict as assert } from "node:assert";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import {
  type PluginClient,
  PluginCallError,
  fixtureProject,
  repoRoot,
  secret,
  serializeProvider,
  startPlugin,
  unknown,
} from "./harness";

function processGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("engine harness: plugin process and error decoding", function () {
  this.timeout(60_000);

  it("makes a fixture project whose fnstack/provider resolves to this repository's dist/", () => {
    const project = fixtureProject({ name: "harness-fixture", files: { "extra/x.txt": "x" } });
    try {
      assert.match(readFileSync(join(project.dir, "Pulumi.yaml"), "utf8"), /^name: harness-fixture$/m);
      const resolved = require.resolve("fnstack/provider", { paths: [project.dir] });
      assert.equal(realpathSync(resolved), join(repoRoot, "dist", "provider", "runtime.js"));
      assert.equal(readFileSync(join(project.dir, "extra", "x.txt"), "utf8"), "x");
    } finally {
      project.remove();
    }
    assert.equal(existsSync(project.dir), false);
    assert.ok(
      existsSync(join(repoRoot, "package.json")),
      "removing the fixture leaves the linked repository alone",
    );
  });

  it("runs the plugin in its own process group and kills the group and its own fixture on close", async () => {
    const plugin = await startPlugin();
    assert.ok(plugin.port > 0);
    assert.ok(processGroupAlive(plugin.pid));
    await plugin.close();
    assert.equal(processGroupAlive(plugin.pid), false);
    assert.equal(existsSync(plugin.cwd), false);
    await plugin.close();
  });

  it("reports a plugin that dies before printing its port, with its stderr", async () => {
    const project = fixtureProject();
    try {
      await assert.rejects(
        startPlugin({
          cwd: project.dir,
          env: { ...process.env, NODE_OPTIONS: "--require ./no-such-preload.js" },
        }),
        (err: Error) =>
          /exited .* before printing its port/.test(err.message) && /no-such-preload/.test(err.message),
      );
    } finally {
      project.remove();
    }
  });

  describe("with inline providers on one plugin", () => {
    let plugin: PluginClient;
    before(async () => {
      plugin = await startPlugin({
        project: "harness-project",
        config: {
          "oci:region": "eu-frankfurt-1",
          "acme:token": "t0ken-value",
          "harness-project:colour": "teal",
        },
        secretKeys: ["acme:token"],
      });
      await plugin.configure();
    });
    after(async () => plugin?.close());

    it("decodes a plain provider throw as UNKNOWN without init-failure details", async () => {
      const provider = {
        async create() {
          throw new Error("quota exceeded for fixture");
        },
      };
      const text = await serializeProvider(provider);
      const error = await plugin.create({ __provider: text }).then(
        () => assert.fail("create should fail"),
        (err: unknown) => err,
      );
      assert.ok(error instanceof PluginCallError);
      assert.equal(error.code, 2);
      assert.equal(error.method, "Create");
      assert.equal(error.message, "quota exceeded for fixture");
      assert.equal(error.initFailed, undefined);
    });

    it("marshals inputs as the engine does for this plugin: secrets unwrapped, unknowns kept, undefined dropped", async () => {
      const provider = {
        async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
          return { inputs: { ...news, keys: Object.keys(news).sort() } };
        },
      };
      const text = await serializeProvider(provider);
      const reply = await plugin.check(
        {},
        {
          __provider: text,
          token: secret("s3cr3t"),
          env: { A: unknown, B: [secret(1), null] },
          gone: undefined,
        },
      );
      assert.equal(reply.inputs.token, "s3cr3t");
      assert.deepEqual(reply.inputs.env, { A: unknown, B: [1, null] });
      assert.deepEqual(reply.inputs.keys, ["__provider", "env", "token"]);
    });

    it("hands configure the stack config the engine sent: namespaced keys, secrets unwrapped, project keys", async () => {
      // A provider that reports what its configure saw; nothing but the config crosses into it.
      const provider = {
        async configure(req: { config: { get(key: string): string | undefined } }) {
          const g = globalThis as { seenConfig?: Record<string, unknown> };
          g.seenConfig = {
            region: req.config.get("oci:region"),
            token: req.config.get("acme:token"),
            projectKey: req.config.get("colour"),
            missing: req.config.get("oci:tenancyOcid") ?? null,
          };
        },
        async create() {
          return { id: "1", outs: { seen: (globalThis as { seenConfig?: unknown }).seenConfig } };
        },
      };
      const text = await serializeProvider(provider);
      const created = await plugin.create({ __provider: text });
      assert.deepEqual(created.properties.seen, {
        region: "eu-frankfurt-1",
        token: "t0ken-value",
        projectKey: "teal",
        missing: null,
      });
    });
  });
});
