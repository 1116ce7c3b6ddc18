import { strict as assert } from "node:assert";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { OciTestClient } from "./helpers";

describe("smoke", function () {
  let emu: RunningEmulator;
  let oci: OciTestClient;
  before(async () => {
    emu = await startEmulator({ timing: { lifecycleMs: 0 } });
    oci = new OciTestClient(emu);
  });
  after(() => emu.close());
  it("creates an application", async () => {
    const res = await oci.call("POST", "/20181201/applications", {
      body: { compartmentId: emu.oci.compartmentOcid, displayName: "app1", subnetIds: [emu.oci.subnetOcid] },
    });
    assert.equal(res.status, 200, res.text);
    const get = await oci.call("GET", `/20181201/applications/${String(res.json.id)}`);
    assert.equal(get.json.lifecycleState, "ACTIVE", get.text);
  });
});
