import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock, type RunningEmulator, startEmulator } from "../../emulator";
import { splitRegionPath } from "../../emulator/regions";
import { FnstackError } from "../../sdk/core/errors";
import * as fns from "../../sdk/functiongraph/clients/functions";
import { resolveFunctionGraphSession } from "../../sdk/functiongraph/session";
import { OciTestClient, control } from "./helpers";

// Issue 13: the emulator keeps OCI regions apart behind `/regions/<region>/`, signed by oci-common.
describe("emulator: OCI regions (/regions/<region>/...)", function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  let oci: OciTestClient;
  let clock: ManualClock;
  let n = 0;

  before(async () => {
    clock = new ManualClock();
    emu = await startEmulator({ clock, timing: { lifecycleMs: 1000 } });
    oci = new OciTestClient(emu);
  });
  after(() => emu.close());

  async function createApp(prefix: string): Promise<Record<string, unknown>> {
    const res = await oci.call("POST", `${prefix}/20181201/applications`, {
      body: {
        compartmentId: emu.oci.compartmentOcid,
        displayName: `app-${++n}`,
        subnetIds: [emu.oci.subnetOcid],
      },
    });
    assert.equal(res.status, 200, res.text);
    return res.json;
  }

  it("splits a region prefix and leaves other paths alone", () => {
    assert.deepEqual(splitRegionPath("/regions/us-phoenix-1/20181201/functions"), {
      region: "us-phoenix-1",
      rest: "/20181201/functions",
    });
    assert.equal(splitRegionPath("/20181201/functions"), undefined);
  });

  it("mints OCIDs naming the request's region and finds them only in that region", async () => {
    const phx = await createApp("/regions/us-phoenix-1");
    const iad = await createApp("");
    assert.match(String(phx.id), /^ocid1\.fnapp\.oc1\.us-phoenix-1\./);
    assert.match(String(iad.id), /^ocid1\.fnapp\.oc1\.us-ashburn-1\./);

    assert.equal(
      (await oci.call("GET", `/regions/us-phoenix-1/20181201/applications/${phx.id}`)).status,
      200,
    );
    assert.equal((await oci.call("GET", `/20181201/applications/${phx.id}`)).status, 404);
    assert.equal(
      (await oci.call("GET", `/regions/us-ashburn-1/20181201/applications/${iad.id}`)).status,
      200,
    );
    assert.equal(
      (await oci.call("GET", `/regions/eu-frankfurt-1/20181201/applications/${iad.id}`)).status,
      404,
    );

    const listed = await oci.call(
      "GET",
      `/regions/us-phoenix-1/20181201/applications?compartmentId=${emu.oci.compartmentOcid}`,
    );
    const ids = (listed.body as { id: string }[]).map((a) => a.id);
    assert.deepEqual(ids, [phx.id]);
  });

  it("hands out an invokeEndpoint that stays in the function's region", async () => {
    const app = await createApp("/regions/eu-frankfurt-1");
    clock.advance(1000);
    const res = await oci.call("POST", "/regions/eu-frankfurt-1/20181201/functions", {
      body: {
        applicationId: app.id,
        displayName: `fn-${++n}`,
        memoryInMBs: 128,
        image: "fra.ocir.io/ns/f:1",
      },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.invokeEndpoint, `${emu.url}/regions/eu-frankfurt-1`);
  });

  it("answers 404 for a prefix that is not a region name", async () => {
    const res = await oci.call(
      "GET",
      `/regions/not_a_region/20181201/applications?compartmentId=${emu.oci.compartmentOcid}`,
    );
    assert.equal(res.status, 404);
  });

  it("applies drift in the region that holds the resource, and keeps regions in --state", async () => {
    const phx = await createApp("/regions/us-phoenix-1");
    clock.advance(1000);
    const drift = await control(emu, "POST", "drift", {
      action: "change",
      resourceId: phx.id,
      patch: { freeformTags: { drifted: "yes" } },
    });
    assert.equal(drift.status, 200, drift.text);
    const got = await oci.call("GET", `/regions/us-phoenix-1/20181201/applications/${phx.id}`);
    assert.deepEqual(got.json.freeformTags, { drifted: "yes" });

    const dir = mkdtempSync(join(tmpdir(), "fnstack-regions-"));
    const statePath = join(dir, "state.json");
    try {
      const first = await startEmulator({ dataDir: dir, statePath, timing: { lifecycleMs: 0 } });
      const client = new OciTestClient(first);
      const made = await client.call("POST", "/regions/ap-tokyo-1/20181201/applications", {
        body: {
          compartmentId: first.oci.compartmentOcid,
          displayName: "kept",
          subnetIds: [first.oci.subnetOcid],
        },
      });
      assert.equal(made.status, 200, made.text);
      await first.close();
      const second = await startEmulator({ dataDir: dir, statePath, timing: { lifecycleMs: 0 } });
      try {
        const again = new OciTestClient(second);
        const res = await again.call("GET", `/regions/ap-tokyo-1/20181201/applications/${made.json.id}`);
        assert.equal(res.status, 200, res.text);
        assert.equal((await again.call("GET", `/20181201/applications/${made.json.id}`)).status, 404);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// FunctionGraph regions: URNs name the region; a project is usable only in its own region.
describe("emulator: FunctionGraph regions (/regions/<region>/...)", function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  const nl = {
    accessKey: "FNSTACKNLREGIONKEY01",
    secretKey: "fnstackNlRegionSecretKey0000000001",
    projectId: "e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1",
  };

  before(async () => {
    emu = await startEmulator({ timing: { lifecycleMs: 0, workRequestMs: 0, triggerMs: 0 } });
    await control(emu, "POST", "credentials", { service: "functiongraph", ...nl, projectName: "eu-nl" });
  });
  after(() => emu.close());

  async function context(
    account: { accessKey: string; secretKey: string; projectId: string },
    region: string,
  ) {
    const session = await resolveFunctionGraphSession({
      env: {},
      config: (key) =>
        ({
          "opentelekomcloud:accessKey": account.accessKey,
          "opentelekomcloud:secretKey": account.secretKey,
          "opentelekomcloud:projectId": account.projectId,
          "opentelekomcloud:region": region,
          "fnstack:functiongraphEndpoint": `${emu.url}/regions/{region}`,
        })[key],
    });
    return { ...session.context, retry: { maxAttempts: 1 } };
  }
  const body = (name: string) => ({
    func_name: name,
    package: "default",
    runtime: "Python3.9",
    handler: "index.handler",
    memory_size: 128,
    timeout: 3,
    code_type: "inline",
    func_code: { file: Buffer.from("def handler(e, c):\n    return e\n").toString("base64") },
  });

  it("mints URNs naming the request's region", async () => {
    const made = await fns.createFunction(await context(nl, "eu-nl"), body("nl-fn") as never);
    assert.equal(made.func_urn, `urn:fss:eu-nl:${nl.projectId}:function:default:nl-fn:latest`);
  });

  it("refuses a project outside its region with the gateway's 403", async () => {
    const fg = emu.functiongraph;
    await assert.rejects(
      fns.createFunction(await context(fg, "eu-nl"), body("wrong-region") as never),
      (err: unknown) => err instanceof FnstackError && err.statusCode === 403 && err.code === "APIGW.0302",
    );
    await assert.rejects(
      fns.createFunction(await context(nl, "eu-de"), body("wrong-region") as never),
      (err: unknown) => err instanceof FnstackError && err.statusCode === 403,
    );
  });
});
