/**
 * Issue 9 defects of `oci:ContainerInstance`, and its VNIC outputs and in-place VNIC updates, through the
 * handler and through the real plugin, against the emulator.
 */
import { strict as assert } from "node:assert";
import { modes, type Driver, type Props } from "./drivers";
import { uniqueName, type OciFixture } from "./emulator-fixture";
import { useEmulatorDriver } from "./use-emulator-driver";

for (const mode of modes) {
  describe(`oci:ContainerInstance issue 9 (${mode})`, function () {
    this.timeout(90_000);
    let fx: OciFixture;
    let driver: Driver;

    useEmulatorDriver(
      mode,
      "oci:ContainerInstance",
      (f, d) => {
        fx = f;
        driver = d;
      },
      { lifecycleMs: 100, workRequestMs: 150 },
    );

    function inputs(extra: Props = {}, vnic: Props = {}): Props {
      return {
        compartmentId: fx.emulator.oci.compartmentOcid,
        availabilityDomain: "Uocm:PHX-AD-1",
        shape: "CI.Standard.E4.Flex",
        shapeConfig: { ocpus: 1, memoryInGBs: 4 },
        vnics: [{ subnetId: fx.emulator.oci.subnetOcid, ...vnic }],
        displayName: uniqueName("ci"),
        containers: [
          {
            imageUrl: "nginx:1.27",
            displayName: "web",
            environmentVariables: { PORT: "8080", FEATURE_FLAG: "on" },
          },
        ],
        ...extra,
      };
    }

    const container = (ins: Props): Props => (ins.containers as Props[])[0] as Props;

    it("replaces when an environment variable is removed, or one was added behind its back", async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      const removed = {
        ...ins,
        containers: [{ ...container(ins), environmentVariables: { PORT: "8080" } }],
      };
      assert.deepEqual(
        (await driver.diff(id, outs, removed)).replaces,
        ["containers"],
        "FEATURE_FLAG removed",
      );
      const containerId = String((outs.containers as Props[])[0]?.containerId);
      await fx.drift("change", containerId, {
        environmentVariables: { PORT: "8080", FEATURE_FLAG: "on", INJECTED: "1" },
      });
      const refreshed = await driver.read(id, outs);
      assert.deepEqual(
        (await driver.diff(id, refreshed.props, ins)).replaces,
        ["containers"],
        "INJECTED added",
      );
      assert.equal((await driver.diff(id, outs, ins)).changes, false, "the same map is no change");
      await driver.delete(id, outs);
    });

    it("outputs each VNIC's private IP, id and hostname label, read from the VNIC API", async () => {
      const ins = inputs({}, { hostnameLabel: "web1" });
      const { id, outs } = await driver.create(ins);
      const vnic = (outs.vnics as Props[])[0] as Props;
      assert.match(String(vnic.privateIp), /^10\.0\.0\.\d+$/);
      assert.match(String(vnic.vnicId), /^ocid1\.vnic\./);
      assert.equal(vnic.hostnameLabel, "web1");
      assert.equal(vnic.subnetId, fx.emulator.oci.subnetOcid);
      assert.equal((await driver.diff(id, outs, ins)).changes, false);
      await driver.delete(id, outs);
    });

    it("updates VNIC display name, hostname label, NSGs, source/dest check and tags in place, and repairs VNIC drift", async () => {
      const ins = inputs({}, { displayName: "vnic-a", hostnameLabel: "web2" });
      const { id, outs } = await driver.create(ins);
      const vnicId = String((outs.vnics as Props[])[0]?.vnicId);
      const nsg = "ocid1.networksecuritygroup.oc1.iad.aaaaaaaanetworkgroup1";
      const next = {
        ...ins,
        vnics: [
          {
            subnetId: fx.emulator.oci.subnetOcid,
            displayName: "vnic-b",
            hostnameLabel: "web3",
            nsgIds: [nsg],
            skipSourceDestCheck: true,
            freeformTags: { team: "edge" },
          },
        ],
      };
      const diff = await driver.diff(id, outs, next);
      assert.deepEqual([diff.changes, diff.replaces], [true, []], "in place, not a replacement");
      const updated = await driver.update(id, outs, next);
      const vnic = (updated.vnics as Props[])[0] as Props;
      assert.deepEqual(
        [
          vnic.vnicId,
          vnic.displayName,
          vnic.hostnameLabel,
          vnic.nsgIds,
          vnic.skipSourceDestCheck,
          vnic.freeformTags,
        ],
        [vnicId, "vnic-b", "web3", [nsg], true, { team: "edge" }],
      );
      assert.equal(vnic.privateIp, (outs.vnics as Props[])[0]?.privateIp, "the address is kept");
      assert.equal((await driver.diff(id, updated, next)).changes, false);
      await fx.drift("change", vnicId, { displayName: "renamed-by-hand", nsgIds: [] });
      const drifted = await driver.read(id, updated);
      assert.equal(
        (drifted.props.vnics as Props[])[0]?.displayName,
        "renamed-by-hand",
        "drift shows on refresh",
      );
      const repair = await driver.diff(id, drifted.props, next);
      assert.deepEqual([repair.changes, repair.replaces], [true, []]);
      const repaired = await driver.update(id, drifted.props, next);
      assert.deepEqual(
        [(repaired.vnics as Props[])[0]?.displayName, (repaired.vnics as Props[])[0]?.nsgIds],
        ["vnic-b", [nsg]],
      );
      const subnet2 = {
        ...next,
        vnics: [{ ...(next.vnics[0] as Props), subnetId: "ocid1.subnet.oc1.iad.aaaaaaaaother" }],
      };
      assert.deepEqual(
        (await driver.diff(id, repaired, subnet2)).replaces,
        ["vnics"],
        "a new subnet replaces",
      );
      await driver.delete(id, repaired);
    });

    it("deletes before replacing when a VNIC pins its private IP or hostname label, which the subnet holds once", async () => {
      const ins = inputs({}, { privateIp: "10.0.0.77" });
      const { id, outs } = await driver.create(ins);
      const bigger = { ...ins, shapeConfig: { ocpus: 2, memoryInGBs: 8 } };
      const diff = await driver.diff(id, outs, bigger);
      assert.deepEqual([diff.replaces, diff.deleteBeforeReplace], [["shapeConfig"], true]);
      const clash = await driver.failure(driver.create(bigger));
      assert.match(
        clash.message,
        /10\.0\.0\.77 is already in use/,
        "create-first would fail on the pinned IP",
      );
      await driver.delete(id, outs);
      const replacement = await driver.create(bigger);
      assert.equal((replacement.outs.vnics as Props[])[0]?.privateIp, "10.0.0.77", "freed by the delete");
      const label = inputs({}, { hostnameLabel: "pinned" });
      const first = await driver.create(label);
      assert.match(
        (await driver.failure(driver.create(label))).message,
        /hostnameLabel 'pinned' is already in use/,
      );
      assert.equal(
        (await driver.diff(first.id, first.outs, { ...label, shape: "CI.Standard.E3.Flex" }))
          .deleteBeforeReplace,
        true,
      );
      const unpinned = inputs();
      const free = await driver.create(unpinned);
      assert.equal(
        (await driver.diff(free.id, free.outs, { ...unpinned, shapeConfig: { ocpus: 2 } }))
          .deleteBeforeReplace,
        false,
      );
      for (const r of [replacement, first, free]) await driver.delete(r.id, r.outs);
    });

    it("records a failed create as FAILED, so the next up replaces it without a refresh", async () => {
      await fx.fault({
        operation: "WorkRequest:CREATE_CONTAINER_INSTANCE",
        code: "InternalError",
        message: "Out of host capacity",
        times: 1,
      });
      const ins = inputs();
      const failure = await driver.failure(driver.create(ins));
      assert.ok(failure.initFailed);
      assert.equal(failure.initFailed.properties.lifecycleState, "FAILED");
      const next = await driver.diff(failure.initFailed.id, failure.initFailed.properties, ins);
      assert.deepEqual(next.replaces, ["lifecycleState"], "no refresh needed: the state says FAILED");
      await driver.delete(failure.initFailed.id, failure.initFailed.properties);
    });

    it("lets a second destroy finish a delete that timed out while DELETING", async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      await fx.control("PUT", "timing", { workRequestMs: 1500 });
      const first = await driver.failure(driver.delete(id, { ...outs, timeouts: { delete: "300ms" } }));
      assert.match(first.message, /Timed out/);
      await driver.delete(id, outs);
      assert.equal((await driver.read(id, outs)).id, "", "gone");
    });

    it("plans removing a defined tag in place, keeping the tags the cloud added in that namespace", async () => {
      const ins = inputs({ definedTags: { Ops: { owner: "me", cost: "42" } } });
      const { id, outs } = await driver.create(ins);
      await fx.drift("change", id, {
        definedTags: { Ops: { owner: "me", cost: "42", CreatedBy: "tag-default" } },
      });
      const refreshed = (await driver.read(id, outs)).props;
      const fewer = { ...ins, definedTags: { Ops: { owner: "you" } } };
      const diff = await driver.diff(id, refreshed, fewer);
      assert.deepEqual([diff.changes, diff.replaces], [true, []]);
      const updated = await driver.update(id, refreshed, fewer);
      assert.deepEqual(updated.definedTags, { Ops: { owner: "you", CreatedBy: "tag-default" } });
      assert.equal((await driver.diff(id, updated, fewer)).changes, false);
      await driver.delete(id, updated);
    });
  });
}

describe("oci:ContainerInstance check matches what create rejects (issue 9)", function () {
  this.timeout(60_000);
  let fx: OciFixture;
  let driver: Driver;
  useEmulatorDriver("direct", "oci:ContainerInstance", (f, d) => ((fx = f), (driver = d)));

  it("rejects in check, before any request, each input the API rejects: a volume name with a space, > 64 GB per OCPU, vcpusLimit > ocpus", async () => {
    const base = (): Props => ({
      compartmentId: fx.emulator.oci.compartmentOcid,
      availabilityDomain: "Uocm:PHX-AD-1",
      shape: "CI.Standard.E4.Flex",
      shapeConfig: { ocpus: 1, memoryInGBs: 4 },
      vnics: [{ subnetId: fx.emulator.oci.subnetOcid }],
      containers: [{ imageUrl: "nginx:1.27" }],
    });
    for (const [bad, property] of [
      [{ ...base(), volumes: [{ volumeType: "EMPTYDIR", name: "my vol" }] }, "volumes[0].name"],
      [{ ...base(), shapeConfig: { ocpus: 1, memoryInGBs: 65 } }, "shapeConfig.memoryInGBs"],
      [
        { ...base(), containers: [{ imageUrl: "nginx", resourceConfig: { vcpusLimit: 2 } }] },
        "containers[0].resourceConfig.vcpusLimit",
      ],
    ] as [Props, string][]) {
      const { failures } = await driver.check({}, bad);
      assert.ok(
        failures.some((f) => f.property === property),
        `${property}: ${JSON.stringify(failures)}`,
      );
      const created = await driver.failure(driver.create(bad));
      assert.match(created.message, /400|InvalidParameter/, `the API rejects ${property} too`);
    }
  });
});
