/**
 * Issue 11, through the real dynamic-provider plugin against the emulator (run `npm run build` first):
 * for every resource kind, a create whose answer the emulator drops after applying it, and a create
 * repeated after the plugin was killed (SIGKILL) once the cloud had accepted it, each end with exactly
 * one cloud resource. Invocations make no cloud resource: a lost answer is repeated only when the user
 * said the function is idempotent (OCI `idempotent`), and otherwise fails saying so.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "mocha";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { cliEnvironment, stackConfig } from "../../examples/demo/run";
import { countLive } from "../../bench/cloud-inventory";
import {
  type FixtureProject,
  type PluginClient,
  type Props,
  fixtureProject,
  serializeKind,
  startPlugin,
} from "./harness";

const project = "fnstack-reliability";
const stack = "test";
const libsZip = resolve(__dirname, "..", "..", "examples", "demo", "libs.zip");

/** A kind under test: its emulator create operation and inputs (unique per `tag`) once its parents exist. */
interface KindCase {
  readonly kind: string;
  readonly service: "oci" | "functiongraph";
  readonly operation: string;
  inputs(tag: string): Promise<Props>;
}

describe("every create is safe to repeat (lost answer, plugin kill)", function () {
  this.timeout(180_000);
  let workDir: string;
  let statePath: string;
  let emu: RunningEmulator;
  let fixture: FixtureProject;
  let plugin: PluginClient;
  const stubs = new Map<string, string>();

  const launch = (): Promise<PluginClient> =>
    startPlugin({
      cwd: fixture.dir,
      env: cliEnvironment(emu),
      config: stackConfig(emu, true),
      project,
      stack,
      timeoutMs: 60_000,
    });

  before(async () => {
    workDir = mkdtempSync(join(tmpdir(), "fnstack-reliability-test-"));
    statePath = join(workDir, "emulator-state.json");
    emu = await startEmulator({
      dataDir: join(workDir, "emulator"),
      statePath,
      timing: { lifecycleMs: 50, workRequestMs: 50, triggerMs: 50 },
    });
    fixture = fixtureProject({ name: project });
    plugin = await launch();
    await plugin.configure();
  });
  after(async () => {
    await plugin?.close();
    fixture?.remove();
    await emu?.close();
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  });

  async function stub(kind: string): Promise<string> {
    let text = stubs.get(kind);
    if (text === undefined) {
      text = await serializeKind(kind);
      stubs.set(kind, text);
    }
    return text;
  }

  /** The checked inputs of a resource named `name`, with the identity its class would pass. */
  async function checked(kind: string, name: string, news: Props, via = plugin): Promise<Props> {
    const r = await via.check(
      {},
      { ...news, stackIdentity: `${project}/${stack}/${name}`, __provider: await stub(kind) },
      { name, type: typeOf(kind) },
    );
    assert.deepEqual(r.failures, [], `${kind} check: ${JSON.stringify(r.failures)}`);
    return r.inputs;
  }

  /** Creates a parent resource normally; answers its outputs and `id`. */
  async function parent(kind: string, name: string, news: Props): Promise<Props> {
    const inputs = await checked(kind, name, news);
    const created = await plugin.create(inputs, { name, type: typeOf(kind) });
    return { ...created.properties, id: created.id };
  }

  async function control(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${emu.url}/_emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `control ${method} ${path}: ${response.status} ${text}`);
    return text === "" ? undefined : (JSON.parse(text) as unknown);
  }

  /** Resolves once the emulator has carried out `operation` of `service` at least `count` times. */
  async function applied(service: string, operation: string, count: number): Promise<void> {
    while ((await appliedCount(service, operation)) < count) await new Promise((done) => setTimeout(done, 5));
  }

  /** How many times the emulator carried out `operation` of `service` (answered or not). */
  async function appliedCount(service: string, operation: string): Promise<number> {
    const { requests } = (await control("GET", "requests")) as {
      requests: { service: string; operation?: string; status: number; fault?: string }[];
    };
    // A lost answer is logged with status 0 and its rule; it was carried out all the same.
    return requests.filter(
      (r) =>
        r.service === service &&
        r.operation === operation &&
        ((r.status >= 200 && r.status < 300) || (r.status === 0 && r.fault !== undefined)),
    ).length;
  }

  const compartmentId = (): string => emu.oci.compartmentOcid;
  const subnetId = (): string => emu.oci.subnetOcid;
  const application = (tag: string): Promise<Props> =>
    parent("oci:Application", `app-${tag}`, {
      compartmentId: compartmentId(),
      displayName: `app-${tag}`,
      subnetIds: [subnetId()],
    });
  const ociFunction = async (tag: string): Promise<Props> =>
    parent("oci:Function", `fn-${tag}`, {
      applicationId: (await application(`for-${tag}`)).id,
      displayName: `fn-${tag}`,
      image: "iad.ocir.io/fnstack/hello:1.0.0",
      memoryInMBs: 256,
    });
  const fgFunctionInputs = (tag: string): Props => ({
    name: `fg-${tag}`,
    runtime: "Python3.9",
    handler: "index.handler",
    memorySize: 256,
    timeout: 30,
    inlineCode: `def handler(event, context):\n    return '${tag}'\n`,
  });
  const fgFunction = (tag: string): Promise<Props> =>
    parent("functiongraph:Function", `fg-${tag}`, fgFunctionInputs(tag));

  const cases: KindCase[] = [
    {
      kind: "oci:Application",
      service: "oci",
      operation: "CreateApplication",
      inputs: async (tag) => ({
        compartmentId: compartmentId(),
        displayName: `app-${tag}`,
        subnetIds: [subnetId()],
      }),
    },
    {
      kind: "oci:Function",
      service: "oci",
      operation: "CreateFunction",
      inputs: async (tag) => ({
        applicationId: (await application(`parent-${tag}`)).id,
        displayName: `fn-${tag}`,
        image: "iad.ocir.io/fnstack/hello:1.0.0",
        memoryInMBs: 256,
      }),
    },
    {
      kind: "oci:ContainerInstance",
      service: "oci",
      operation: "CreateContainerInstance",
      inputs: async (tag) => ({
        compartmentId: compartmentId(),
        availabilityDomain: "Uocm:PHX-AD-1",
        shape: "CI.Standard.E4.Flex",
        shapeConfig: { ocpus: 1, memoryInGBs: 4 },
        displayName: `ci-${tag}`,
        vnics: [{ subnetId: subnetId() }],
        containers: [{ displayName: "web", imageUrl: "nginx:1.27" }],
      }),
    },
    {
      kind: "functiongraph:Function",
      service: "functiongraph",
      operation: "CreateFunction",
      inputs: async (tag) => fgFunctionInputs(tag),
    },
    {
      kind: "functiongraph:Version",
      service: "functiongraph",
      operation: "CreateFunctionVersion",
      inputs: async (tag) => ({ funcUrn: (await fgFunction(`v-${tag}`)).funcUrn, version: "v1" }),
    },
    {
      kind: "functiongraph:Alias",
      service: "functiongraph",
      operation: "CreateVersionAlias",
      inputs: async (tag) => {
        const fn = await fgFunction(`a-${tag}`);
        const v = await parent("functiongraph:Version", `v-${tag}`, { funcUrn: fn.funcUrn, version: "v1" });
        return { funcUrn: fn.funcUrn, name: "live", version: v.version };
      },
    },
    {
      kind: "functiongraph:Trigger",
      service: "functiongraph",
      operation: "CreateFunctionTrigger",
      inputs: async (tag) => ({
        funcUrn: (await fgFunction(`t-${tag}`)).funcUrn,
        triggerTypeCode: "TIMER",
        eventData: {
          name: `nightly${tag.replace(/[^a-z0-9]/g, "")}`,
          scheduleType: "Cron",
          schedule: "0 0 2 * * *",
        },
      }),
    },
    {
      kind: "functiongraph:DependencyVersion",
      service: "functiongraph",
      operation: "CreateDependencyVersion",
      inputs: async (tag) => ({ name: `libs-${tag}`, runtime: "Python3.9", filePath: libsZip }),
    },
  ];

  for (const c of cases) {
    it(`${c.kind}: a create whose answer is lost ends with one cloud resource`, async () => {
      const name = `lost-${c.kind.split(":")[1]?.toLowerCase() ?? "x"}`;
      const inputs = await checked(c.kind, name, await c.inputs(name));
      const before = countLive(statePath, c.kind);
      await control("POST", "faults", {
        service: c.service,
        operation: c.operation,
        answerLost: true,
        times: 1,
      });
      const created = await plugin.create(inputs, { name, type: typeOf(c.kind) });
      const { faults } = (await control("GET", "faults")) as { faults: { fired: number }[] };
      await control("DELETE", "faults");
      assert.equal(faults[0]?.fired, 1, "the answer of the create was dropped once");
      assert.ok(created.id !== "", "the create answered an id");
      assert.equal(countLive(statePath, c.kind) - before, 1, `one ${c.kind} more in the cloud`);
      assert.equal(created.properties.stackIdentity, `${project}/${stack}/${name}`);
    });

    it(`${c.kind}: a create repeated after a plugin kill ends with one cloud resource`, async () => {
      const name = `kill-${c.kind.split(":")[1]?.toLowerCase() ?? "x"}`;
      const inputs = await checked(c.kind, name, await c.inputs(name));
      const before = countLive(statePath, c.kind);
      const creates = await appliedCount(c.service, c.operation);
      const victim = await launch();
      await victim.configure();
      const pending = victim.create(inputs, { name, type: typeOf(c.kind) }).then(
        () => "answered",
        () => "killed",
      );
      // Killed once the cloud has accepted the create: the engine never records what it made.
      await applied(c.service, c.operation, creates + 1);
      process.kill(-victim.pid, "SIGKILL");
      await pending;
      await victim.close();
      assert.equal(countLive(statePath, c.kind) - before, 1, "the killed run made the resource");
      const created = await plugin.create(inputs, { name, type: typeOf(c.kind) });
      assert.ok(created.id !== "");
      assert.equal(countLive(statePath, c.kind) - before, 1, `still one ${c.kind} after the next create`);
      assert.equal(await appliedCount(c.service, c.operation), creates + 1, "no second create was sent");
    });
  }

  it("oci:InvokeFunction: a lost answer is repeated only for an idempotent function", async () => {
    const fn = await ociFunction("invoke");
    const inputs = (idempotent: boolean): Promise<Props> =>
      checked("oci:InvokeFunction", `smoke-${idempotent}`, {
        functionId: fn.id,
        invokeFunctionBody: "{}",
        idempotent,
      });
    await control("POST", "faults", {
      service: "oci",
      operation: "InvokeFunction",
      answerLost: true,
      times: 2,
    });
    await assert.rejects(
      plugin.create(await inputs(false), { name: "smoke-false", type: typeOf("oci:InvokeFunction") }),
      /InvokeFunction/,
    );
    const created = await plugin.create(await inputs(true), {
      name: "smoke-true",
      type: typeOf("oci:InvokeFunction"),
    });
    await control("DELETE", "faults");
    assert.ok(created.id.startsWith("invoke-"));
  });

  it("functiongraph:Invocation: a lost answer fails the create instead of invoking twice", async () => {
    const fn = await fgFunction("invocation");
    const before = await appliedCount("functiongraph", "InvokeFunction");
    await control("POST", "faults", {
      service: "functiongraph",
      operation: "InvokeFunction",
      answerLost: true,
      times: 1,
    });
    const inputs = await checked("functiongraph:Invocation", "greet", { funcUrn: fn.funcUrn, event: {} });
    await assert.rejects(plugin.create(inputs, { name: "greet", type: typeOf("functiongraph:Invocation") }));
    await control("DELETE", "faults");
    assert.equal(await appliedCount("functiongraph", "InvokeFunction"), before + 1, "invoked once");
  });
});

function typeOf(kind: string): string {
  const [cloud, type] = kind.split(":");
  return `pulumi-nodejs:dynamic/fnstack/${cloud}:${type}`;
}
