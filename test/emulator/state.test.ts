import { strict as assert } from "node:assert";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { ManualClock, type RunningEmulator, startEmulator } from "../../emulator";
import { keyFingerprint } from "../../emulator/oci/auth";
import { passwordLoginBody } from "./functiongraph/harness";
import { OciTestClient, control } from "./helpers";

function containerInstanceBody(emulator: RunningEmulator): Record<string, unknown> {
  return {
    compartmentId: emulator.oci.compartmentOcid,
    availabilityDomain: "AD-1",
    shape: "CI.Standard.E4.Flex",
    shapeConfig: { ocpus: 1 },
    vnics: [{ subnetId: emulator.oci.subnetOcid }],
    containers: [{ imageUrl: "busybox" }],
  };
}

describe("emulator: --state persistence", function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "fnstack-state-test-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps resources, etags, pending transitions and the development account across a restart", async () => {
    const statePath = join(dir, "state", "emulator.json");
    const dataDir = join(dir, "data");
    const clock = new ManualClock(Date.parse("2026-01-01T00:00:00Z"));
    const first = await startEmulator({ dataDir, statePath, clock });
    const oci = new OciTestClient(first);
    const app = await oci.call("POST", "/20181201/applications", {
      body: {
        compartmentId: first.oci.compartmentOcid,
        displayName: "persisted",
        subnetIds: [first.oci.subnetOcid],
      },
    });
    assert.equal(app.status, 200);
    const ci = await oci.call("POST", "/20210415/containerInstances", {
      body: containerInstanceBody(first),
      headers: { "opc-retry-token": "persisted-token" },
    });
    assert.equal(ci.status, 200);
    assert.ok(existsSync(statePath), "written after the mutating request");
    const tenancy = first.oci.tenancyOcid;
    await first.close();
    assert.deepEqual(readdirSync(join(dir, "state")), ["emulator.json"], "no temporary file left behind");
    assert.equal(JSON.parse(readFileSync(statePath, "utf8")).version, 1);

    const second = await startEmulator({ dataDir, statePath, clock });
    try {
      assert.equal(second.oci.tenancyOcid, tenancy, "the same data dir keeps the same account");
      const again = new OciTestClient(second);
      const got = await again.call("GET", `/20181201/applications/${String(app.json.id)}`);
      assert.equal(got.status, 200, got.text);
      assert.equal(got.json.displayName, "persisted");
      assert.equal(got.json.lifecycleState, "CREATING");
      assert.equal(got.headers.etag, app.headers.etag);
      clock.advance(3000);
      assert.equal(
        (await again.call("GET", `/20181201/applications/${String(app.json.id)}`)).json.lifecycleState,
        "ACTIVE",
      );
      const wr = await again.call(
        "GET",
        `/20210415/workRequests/${ci.headers["opc-work-request-id"] as string}`,
      );
      assert.equal(wr.json.status, "SUCCEEDED");
      const retried = await again.call("POST", "/20210415/containerInstances", {
        body: containerInstanceBody(second),
        headers: { "opc-retry-token": "persisted-token" },
      });
      assert.equal(retried.json.id, ci.json.id, "retry tokens survive too");
    } finally {
      await second.close();
    }
  });

  it("keeps credentials registered through the control API across a restart", async () => {
    const statePath = join(dir, "credentials.json");
    const dataDir = join(dir, "credentials-data");
    const key = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const tenancy = "ocid1.tenancy.oc1..aaaaaaaapersistedtenant";
    const user = "ocid1.user.oc1..aaaaaaaapersisteduser";
    const fgUser = {
      userName: "persisted-user",
      password: "persisted-Secret-1",
      projectId: "persistedproject01",
    };
    const first = await startEmulator({ dataDir, statePath });
    const registered = await control(first, "POST", "credentials", {
      service: "oci",
      tenancy,
      user,
      publicKey: key.publicKey.export({ type: "spki", format: "pem" }).toString(),
    });
    assert.equal(registered.status, 204, registered.text);
    const fgRegistered = await control(first, "POST", "credentials", { service: "functiongraph", ...fgUser });
    assert.equal(fgRegistered.status, 204, fgRegistered.text);
    assert.ok(existsSync(statePath), "registering credentials writes the state file at once");
    await first.close();

    const second = await startEmulator({ dataDir, statePath });
    try {
      const registeredClient = new OciTestClient(second, {
        tenancy,
        user,
        fingerprint: keyFingerprint(key.publicKey),
        privateKeyPem: key.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      });
      const list = await registeredClient.call("GET", `/20181201/applications?compartmentId=${tenancy}`);
      assert.equal(list.status, 200, list.text);
      const login = await request(`${second.url}/v3/auth/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(
          passwordLoginBody(
            { name: fgUser.userName, password: fgUser.password },
            { project: { id: fgUser.projectId } },
          ),
        ),
      });
      assert.equal(login.statusCode, 201, await login.body.text());
    } finally {
      await second.close();
    }
  });

  it("starts empty when the state file does not exist yet, and refuses a corrupt one", async () => {
    const statePath = join(dir, "fresh.json");
    const emu = await startEmulator({ statePath });
    await emu.close();
    assert.ok(existsSync(statePath), "close writes the state");
    const corrupt = join(dir, "corrupt.json");
    writeFileSync(corrupt, '{"version":99}');
    await assert.rejects(startEmulator({ statePath: corrupt }), /not an fnstack emulator state file/);
  });
});
