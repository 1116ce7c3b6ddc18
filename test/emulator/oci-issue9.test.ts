/**
 * Emulator rules added for issue 9, each citing the seed (oci-api.md) or the official SDK model it
 * follows: Core VNICs with subnet-unique private IPs and hostname labels, UPDATING on Functions updates,
 * FAILED through the control API, the image registry with re-push, and default list orders and filters.
 */
import { strict as assert } from "node:assert";
import { ManualClock, type RunningEmulator, startEmulator } from "../../emulator";
import { OciTestClient, control } from "./helpers";

describe("emulator: OCI issue 9 rules", function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  let oci: OciTestClient;
  let clock: ManualClock;

  before(async () => {
    clock = new ManualClock();
    emu = await startEmulator({ clock, timing: { workRequestMs: 1000, lifecycleMs: 1000 } });
    oci = new OciTestClient(emu);
  });
  after(() => emu.close());

  const instanceBody = (vnic: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
    compartmentId: emu.oci.compartmentOcid,
    availabilityDomain: "Uocm:US-ASHBURN-AD-1",
    shape: "CI.Standard.E4.Flex",
    shapeConfig: { ocpus: 1, memoryInGBs: 4 },
    vnics: [{ subnetId: emu.oci.subnetOcid, ...vnic }],
    containers: [{ imageUrl: "docker.io/library/nginx:1.27" }],
    ...extra,
  });

  async function instance(vnic: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
    const res = await oci.call("POST", "/20210415/containerInstances", { body: instanceBody(vnic, extra) });
    assert.equal(res.status, 200, res.text);
    clock.advance(1000);
    const vnicId = String((res.json.vnics as { vnicId: string }[])[0]?.vnicId);
    return { id: String(res.json.id), vnicId };
  }

  describe("Core VNICs (oci-core VirtualNetworkClient getVnic/updateVnic)", () => {
    it("serves the instance's VNIC with a private IP from the subnet, AVAILABLE once the instance is", async () => {
      const { vnicId } = await instance({ hostnameLabel: "alpha", displayName: "a" });
      const vnic = await oci.call("GET", `/20160918/vnics/${vnicId}`);
      assert.equal(vnic.status, 200, vnic.text);
      assert.ok(vnic.headers.etag);
      assert.equal(vnic.json.lifecycleState, "AVAILABLE");
      assert.match(String(vnic.json.privateIp), /^10\.0\.0\.(\d+)$/);
      assert.deepEqual(
        [vnic.json.subnetId, vnic.json.hostnameLabel, vnic.json.displayName, vnic.json.isPrimary],
        [emu.oci.subnetOcid, "alpha", "a", true],
      );
    });

    it("rejects a private IP or hostname label another VNIC in the subnet holds (409 Conflict), and frees them on delete", async () => {
      const first = await instance({ privateIp: "10.0.0.200", hostnameLabel: "bravo" });
      const sameIp = await oci.call("POST", "/20210415/containerInstances", {
        body: instanceBody({ privateIp: "10.0.0.200" }),
      });
      assert.deepEqual([sameIp.status, sameIp.json.code], [409, "Conflict"], sameIp.text);
      const sameLabel = await oci.call("POST", "/20210415/containerInstances", {
        body: instanceBody({ hostnameLabel: "BRAVO" }),
      });
      assert.deepEqual(
        [sameLabel.status, sameLabel.json.code],
        [409, "Conflict"],
        "labels compare case-insensitively",
      );
      const outside = await oci.call("POST", "/20210415/containerInstances", {
        body: instanceBody({ privateIp: "192.168.1.5" }),
      });
      assert.deepEqual([outside.status, outside.json.code], [400, "InvalidParameter"]);
      const del = await oci.call("DELETE", `/20210415/containerInstances/${first.id}`);
      assert.equal(del.status, 202, del.text);
      clock.advance(1000);
      assert.equal((await oci.call("GET", `/20160918/vnics/${first.vnicId}`)).status, 404);
      const again = await instance({ privateIp: "10.0.0.200", hostnameLabel: "bravo" });
      assert.equal((await oci.call("GET", `/20160918/vnics/${again.vnicId}`)).json.privateIp, "10.0.0.200");
    });

    it("updates display name, hostname label, NSGs, source/dest check and tags; a label clash is 409", async () => {
      const a = await instance({ hostnameLabel: "charlie" });
      const b = await instance({ hostnameLabel: "delta" });
      const nsg = "ocid1.networksecuritygroup.oc1.iad.aaaaaaaansg";
      const res = await oci.call("PUT", `/20160918/vnics/${a.vnicId}`, {
        body: {
          displayName: "x",
          hostnameLabel: "echo",
          nsgIds: [nsg],
          skipSourceDestCheck: true,
          freeformTags: { t: "1" },
        },
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(
        [
          res.json.displayName,
          res.json.hostnameLabel,
          res.json.nsgIds,
          res.json.skipSourceDestCheck,
          res.json.freeformTags,
        ],
        ["x", "echo", [nsg], true, { t: "1" }],
      );
      const clash = await oci.call("PUT", `/20160918/vnics/${b.vnicId}`, { body: { hostnameLabel: "echo" } });
      assert.deepEqual([clash.status, clash.json.code], [409, "Conflict"]);
      const unknown = await oci.call("PUT", `/20160918/vnics/${b.vnicId}`, {
        body: { privateIp: "10.0.0.9" },
      });
      assert.equal(unknown.status, 400, "privateIp is not an UpdateVnicDetails field");
      const stale = await oci.call("PUT", `/20160918/vnics/${b.vnicId}`, {
        body: { displayName: "y" },
        headers: { "if-match": "nope" },
      });
      assert.equal(stale.status, 412);
    });
  });

  describe("Functions lifecycle, image registry and list order", () => {
    async function app(name: string): Promise<string> {
      const res = await oci.call("POST", "/20181201/applications", {
        body: { compartmentId: emu.oci.compartmentOcid, displayName: name, subnetIds: [emu.oci.subnetOcid] },
      });
      assert.equal(res.status, 200, res.text);
      clock.advance(1000);
      return String(res.json.id);
    }

    it('passes an update through UPDATING; syslogUrl "" switches syslog off', async () => {
      const id = await app("upd-app");
      const on = await oci.call("PUT", `/20181201/applications/${id}`, {
        body: { syslogUrl: "tcp://logs:514" },
      });
      assert.equal(on.json.lifecycleState, "UPDATING");
      const busy = await oci.call("PUT", `/20181201/applications/${id}`, { body: { config: { A: "1" } } });
      assert.deepEqual([busy.status, busy.json.code], [409, "IncorrectState"]);
      clock.advance(1000);
      assert.equal((await oci.call("GET", `/20181201/applications/${id}`)).json.lifecycleState, "ACTIVE");
      const off = await oci.call("PUT", `/20181201/applications/${id}`, { body: { syslogUrl: "" } });
      assert.equal(off.status, 200, off.text);
      assert.equal(off.json.syslogUrl, undefined);
    });

    it("ends a create FAILED when the control API asks, and makes a resource FAILED on demand", async () => {
      const rule = await control(emu, "POST", "oci/lifecycle-failures", {
        operation: "CreateApplication",
        message: "subnet has no capacity",
      });
      assert.equal(rule.status, 201);
      const res = await oci.call("POST", "/20181201/applications", {
        body: {
          compartmentId: emu.oci.compartmentOcid,
          displayName: "doomed",
          subnetIds: [emu.oci.subnetOcid],
        },
      });
      assert.equal(res.json.lifecycleState, "CREATING");
      clock.advance(1000);
      const failed = await oci.call("GET", `/20181201/applications/${String(res.json.id)}`);
      assert.deepEqual(
        [failed.json.lifecycleState, failed.json.lifecycleDetails],
        ["FAILED", "subnet has no capacity"],
      );
      const next = await app("fine-after");
      assert.equal(
        (await oci.call("GET", `/20181201/applications/${next}`)).json.lifecycleState,
        "ACTIVE",
        "used up",
      );
      assert.equal((await control(emu, "POST", "oci/fail", { resourceId: next })).status, 200);
      assert.equal((await oci.call("GET", `/20181201/applications/${next}`)).json.lifecycleState, "FAILED");
      assert.equal((await control(emu, "POST", "oci/lifecycle-failures", { operation: "Nope" })).status, 400);
    });

    it("resolves a tag to the digest last pushed; a re-push is picked up when the image is sent again", async () => {
      const appId = await app("img-app");
      const image = "iad.ocir.io/ns/repo:stable";
      const fn = await oci.call("POST", "/20181201/functions", {
        body: { applicationId: appId, displayName: "f", memoryInMBs: 128, image },
      });
      const first = String(fn.json.imageDigest);
      clock.advance(1000);
      const pushed = await control(emu, "POST", "oci/images/push", { image });
      assert.equal(pushed.status, 200);
      const second = String((pushed.json as { digest: string }).digest);
      assert.notEqual(second, first);
      assert.equal(
        (await oci.call("GET", `/20181201/functions/${String(fn.json.id)}`)).json.imageDigest,
        first,
        "a push alone changes no function",
      );
      const redeploy = await oci.call("PUT", `/20181201/functions/${String(fn.json.id)}`, {
        body: { image },
      });
      assert.equal(redeploy.json.imageDigest, second);
    });

    it("lists applications by displayName by default (oci-functions list-applications-request.d.ts: Default displayName)", async () => {
      const compartmentId = "ocid1.compartment.oc1..aaaaaaaasortorder";
      for (const name of ["zulu", "alpha", "mike"]) {
        const res = await oci.call("POST", "/20181201/applications", {
          body: { compartmentId, displayName: name, subnetIds: [emu.oci.subnetOcid] },
        });
        assert.equal(res.status, 200, res.text);
      }
      const list = await oci.call("GET", `/20181201/applications?compartmentId=${compartmentId}`);
      assert.deepEqual(
        (list.json as unknown as { displayName: string }[]).map((a) => a.displayName),
        ["alpha", "mike", "zulu"],
      );
    });
  });

  describe("Container Instances list order and filters (oci-containerinstances request/*.d.ts)", () => {
    it("lists instances and work requests newest first by default, and filters work requests by availabilityDomain", async () => {
      const compartmentId = "ocid1.compartment.oc1..aaaaaaaanewestfirst";
      const ids: string[] = [];
      for (const ad of ["Uocm:US-ASHBURN-AD-1", "Uocm:US-ASHBURN-AD-2"]) {
        const res = await oci.call("POST", "/20210415/containerInstances", {
          body: instanceBody({}, { compartmentId, availabilityDomain: ad }),
        });
        assert.equal(res.status, 200, res.text);
        ids.push(String(res.json.id));
        clock.advance(10);
      }
      const list = await oci.call("GET", `/20210415/containerInstances?compartmentId=${compartmentId}`);
      assert.deepEqual(
        (list.json.items as { id: string }[]).map((i) => i.id),
        [...ids].reverse(),
      );
      const byName = await oci.call(
        "GET",
        `/20210415/containerInstances?compartmentId=${compartmentId}&sortBy=displayName`,
      );
      assert.equal((byName.json.items as unknown[]).length, 2);
      const wrs = await oci.call("GET", `/20210415/workRequests?compartmentId=${compartmentId}`);
      const wrIds = (wrs.json.items as { resources: { identifier: string }[] }[]).map(
        (w) => w.resources[0]?.identifier,
      );
      assert.deepEqual(wrIds, [...ids].reverse());
      const ad2 = await oci.call(
        "GET",
        `/20210415/workRequests?compartmentId=${compartmentId}&availabilityDomain=Uocm:US-ASHBURN-AD-2`,
      );
      assert.deepEqual(
        (ad2.json.items as { resources: { identifier: string }[] }[]).map((w) => w.resources[0]?.identifier),
        [ids[1]],
      );
    });
  });
});
