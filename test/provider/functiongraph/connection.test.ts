import { strict as assert } from "node:assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { RunningEmulator } from "../../../emulator";
import { unknownSentinel } from "../../../provider/inputs";
import { NotFoundError } from "../../../sdk/core/errors";
import * as fns from "../../../sdk/functiongraph/clients/functions";
import type { FunctionConfig } from "../../../sdk/functiongraph/types/function";
import {
  type FunctionGraphConnectionSettings,
  resolveFunctionGraphSession,
} from "../../../sdk/functiongraph/session";
import { type PluginClient, type Props, serializeKind, startPlugin } from "../../engine/harness";
import {
  control,
  functionGraphRequestCount,
  startTestEmulator,
} from "../../sdk/functiongraph/clients/helpers";
import { validFunction } from "./cases";

// Issue 13 through the real plugin: FunctionGraph functions of one stack in two accounts (projects) and
// two regions, each naming its own `connection`. The emulator serves each region under
// /regions/<region>/; the stack's endpoint carries the {region} placeholder.

const teamB = {
  accessKey: "FNSTACKTEAMBACCESSKEY",
  secretKey: "fnstackTeamBSecretKeyForTheLocalEmulator",
  projectId: "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0",
  projectName: "eu-de",
};
const netherlands = {
  accessKey: "FNSTACKEUNLACCESSKEY1",
  secretKey: "fnstackEuNlSecretKeyForTheLocalEmulator1",
  projectId: "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1",
  projectName: "eu-nl",
};

describe("functiongraph: per-resource connection through the engine path", function () {
  this.timeout(120_000);
  let emu: RunningEmulator;
  let cloudsYaml: string;
  let stub: string;
  let env: NodeJS.ProcessEnv;
  const plugins: PluginClient[] = [];
  let n = 0;

  before(async () => {
    emu = await startTestEmulator();
    for (const account of [teamB, netherlands])
      await control(emu, "POST", "credentials", { service: "functiongraph", ...account });
    const entry = (a: typeof teamB, region: string): Record<string, unknown> => ({
      auth: { auth_url: `${emu.url}/v3`, project_id: a.projectId, project_name: a.projectName },
      region_name: region,
      ak: a.accessKey,
      sk: a.secretKey,
    });
    const fg = emu.functiongraph;
    const dev = {
      accessKey: fg.accessKey,
      secretKey: fg.secretKey,
      projectId: fg.projectId,
      projectName: "eu-de",
    };
    cloudsYaml = join(emu.dataDir, "teams.clouds.yaml");
    writeFileSync(
      cloudsYaml,
      stringify({
        clouds: {
          fnstack: entry(dev, "eu-de"),
          "team-b": entry(teamB, "eu-de"),
          "team-b-renamed": entry(teamB, "eu-de"),
          nl: entry(netherlands, "eu-nl"),
        },
      }),
      { mode: 0o600 },
    );
    const base: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(base)) if (key.startsWith("OS_")) delete base[key];
    env = {
      ...base,
      OS_CLIENT_CONFIG_FILE: cloudsYaml,
      OS_CLOUD: "fnstack",
      FNSTACK_FUNCTIONGRAPH_ENDPOINT: `${emu.url}/regions/{region}`,
      FNSTACK_RETRY_BASE_DELAY_MS: "5",
      FNSTACK_RETRY_MAX_DELAY_MS: "40",
    };
    stub = await serializeKind("functiongraph:Function");
  });
  after(async () => {
    for (const p of plugins) await p.close();
    await emu?.close();
  });

  async function plugin(config: Record<string, string> = {}): Promise<PluginClient> {
    const p = await startPlugin({ env, config });
    plugins.push(p);
    await p.configure();
    return p;
  }

  async function create(p: PluginClient, news: Props): Promise<{ id: string; outs: Props; inputs: Props }> {
    const checked = await p.check({}, { ...news, __provider: stub });
    assert.deepEqual(checked.failures, []);
    const made = await p.create(checked.inputs);
    return { id: made.id, outs: made.properties, inputs: checked.inputs };
  }

  /** The function as the account of `connection` sees it, or undefined when it has none such. */
  async function live(
    connection: FunctionGraphConnectionSettings,
    urn: string,
  ): Promise<FunctionConfig | undefined> {
    const session = await resolveFunctionGraphSession({ env, connection });
    try {
      return await fns.getFunctionConfig({ ...session.context, retry: { maxAttempts: 1 } }, { funcUrn: urn });
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }

  it("deploys the same function to two projects and two regions in one stack", async () => {
    const p = await plugin();
    const name = `multi-${++n}`;
    const home = await create(p, validFunction(name));
    const b = await create(p, { ...validFunction(name), connection: { cloud: "team-b" } });
    const nl = await create(p, { ...validFunction(name), connection: { cloud: "nl" } });

    assert.equal(home.id, `urn:fss:eu-de:${emu.functiongraph.projectId}:function:default:${name}`);
    assert.equal(b.id, `urn:fss:eu-de:${teamB.projectId}:function:default:${name}`);
    assert.equal(nl.id, `urn:fss:eu-nl:${netherlands.projectId}:function:default:${name}`);
    // check derives funcUrn (for a preview's dependents) where the connection points, not from the stack.
    for (const r of [home, b, nl]) assert.equal(r.inputs.funcUrn, r.id, "funcUrn from check");
    const pending = await p.check(
      {},
      { ...validFunction(name), connection: unknownSentinel, __provider: stub },
    );
    assert.equal(pending.inputs.funcUrn, undefined, "no funcUrn while the connection is unknown");
    assert.deepEqual(home.outs.connection, { region: "eu-de", projectId: emu.functiongraph.projectId });
    assert.deepEqual(b.outs.connection, { region: "eu-de", projectId: teamB.projectId, cloud: "team-b" });
    assert.deepEqual(nl.outs.connection, { region: "eu-nl", projectId: netherlands.projectId, cloud: "nl" });
    for (const secret of [teamB.secretKey, netherlands.secretKey, emu.functiongraph.secretKey])
      assert.ok(!JSON.stringify([home, b, nl]).includes(secret), "no secret in state");

    assert.ok(await live({ cloud: "team-b" }, b.id));
    assert.ok(await live({ cloud: "nl" }, nl.id));
    assert.ok(await live({ cloud: "fnstack" }, home.id));
    // Each project holds only its own copy.
    assert.equal(
      await live({ cloud: "team-b" }, home.id),
      undefined,
      "team-b cannot see the default project's copy",
    );

    for (const r of [home, b, nl]) {
      const read = await p.read(r.id, r.outs, r.inputs);
      assert.equal(read.id, r.id);
      assert.equal((await p.diff(r.id, read.properties, r.inputs)).changes, "DIFF_NONE");
    }
    for (const r of [home, b, nl]) await p.delete(r.id, r.outs);
    assert.equal(await live({ cloud: "team-b" }, b.id), undefined);
    assert.equal(await live({ cloud: "nl" }, nl.id), undefined);
    assert.equal(await live({ cloud: "fnstack" }, home.id), undefined);
  });

  it("replaces on a change of project or region, not on a renamed cloud entry", async () => {
    const p = await plugin();
    const b = await create(p, { ...validFunction(`move-${++n}`), connection: { cloud: "team-b" } });

    const toDefault = await p.check(b.inputs, { ...b.inputs, connection: undefined, __provider: stub });
    const { connection: _c, ...withoutConnection } = toDefault.inputs;
    assert.ok(
      (await p.diff(b.id, b.outs, withoutConnection)).replaces.includes("connection"),
      "project change",
    );

    const toNl = await p.check(b.inputs, { ...b.inputs, connection: { cloud: "nl" } });
    assert.ok((await p.diff(b.id, b.outs, toNl.inputs)).replaces.includes("connection"), "region change");

    const renamed = await p.check(b.inputs, { ...b.inputs, connection: { cloud: "team-b-renamed" } });
    const d = await p.diff(b.id, b.outs, renamed.inputs);
    assert.equal(d.changes, "DIFF_SOME");
    assert.deepEqual(d.replaces, []);
    const before = await functionGraphRequestCount(emu);
    const updated = await p.update(b.id, b.outs, renamed.inputs);
    assert.equal(await functionGraphRequestCount(emu), before, "a renamed cloud entry sends nothing");
    assert.deepEqual(updated.properties.connection, {
      region: "eu-de",
      projectId: teamB.projectId,
      cloud: "team-b-renamed",
    });
    await p.delete(b.id, updated.properties);
  });

  it("reports drift in one project without touching the other project's twin", async () => {
    const p = await plugin();
    const name = `twin-${++n}`;
    const home = await create(p, validFunction(name));
    const b = await create(p, { ...validFunction(name), connection: { cloud: "team-b" } });
    await control(emu, "POST", "drift", { action: "change", resourceId: b.id, patch: { memory_size: 512 } });

    const bRead = await p.read(b.id, b.outs, b.inputs);
    assert.equal(bRead.properties.memorySize, 512);
    assert.equal((await p.diff(b.id, bRead.properties, b.inputs)).changes, "DIFF_SOME");
    const homeRead = await p.read(home.id, home.outs, home.inputs);
    assert.equal(homeRead.properties.memorySize, 256);
    assert.equal((await p.diff(home.id, homeRead.properties, home.inputs)).changes, "DIFF_NONE");

    await control(emu, "POST", "drift", { action: "delete", resourceId: b.id });
    assert.equal((await p.read(b.id, bRead.properties, b.inputs)).id, "");
    assert.equal((await p.read(home.id, home.outs, home.inputs)).id, home.id);
    await p.delete(home.id, home.outs);
  });

  it("destroys in the recorded region after the stack's default region changed, also for old state", async () => {
    const p = await plugin();
    const recorded = await create(p, validFunction(`gone-${++n}`));
    const old = await create(p, validFunction(`old-${++n}`));
    const { connection: _dropped, ...oldOuts } = old.outs;

    // The stack now defaults to eu-nl: its gateway refuses eu-de's project, so only the recorded
    // region (or, for old state, the URN's) reaches the functions.
    const later = await plugin({ "opentelekomcloud:region": "eu-nl" });
    await later.delete(recorded.id, recorded.outs);
    await later.delete(old.id, oldOuts);
    assert.equal(await live({ cloud: "fnstack" }, recorded.id), undefined);
    assert.equal(await live({ cloud: "fnstack" }, old.id), undefined);
  });
});
