import { strict as assert } from "node:assert";
import { modes, type Driver, type Props } from "./drivers";
import { uniqueName, type OciFixture } from "./emulator-fixture";
import { useEmulatorDriver } from "./use-emulator-driver";

for (const mode of modes) {
  describe(`oci:Application against the emulator (${mode})`, function () {
    this.timeout(60_000);
    let fx: OciFixture;
    let driver: Driver;

    useEmulatorDriver(
      mode,
      "oci:Application",
      (f, d) => {
        fx = f;
        driver = d;
      },
      { lifecycleMs: 100, workRequestMs: 150 },
    );

    function inputs(extra: Props = {}): Props {
      return {
        compartmentId: fx.emulator.oci.compartmentOcid,
        displayName: uniqueName("app"),
        subnetIds: [fx.emulator.oci.subnetOcid],
        config: { LOG_LEVEL: "info" },
        ...extra,
      };
    }

    it("creates, reads back the same outputs, and reports no change for the same inputs", async () => {
      const ins = inputs({ freeformTags: { team: "a" } });
      const { id, outs } = await driver.create(ins);
      assert.match(id, /^ocid1\.fnapp\./);
      assert.equal(outs.lifecycleState, "ACTIVE");
      assert.deepEqual(outs.config, { LOG_LEVEL: "info" });
      const read = await driver.read(id, outs);
      assert.equal(read.id, id);
      assert.deepEqual(read.props, outs);
      assert.equal((await driver.diff(id, outs, ins)).changes, false);
      await driver.delete(id, outs);
    });

    it("updates config, tags and the compartment in place and returns the full outputs", async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      const next = {
        ...ins,
        config: { LOG_LEVEL: "debug", NEW: "1" },
        freeformTags: { env: "test" },
        compartmentId: fx.emulator.oci.tenancyOcid,
      };
      const diff = await driver.diff(id, outs, next);
      assert.deepEqual([diff.changes, diff.replaces], [true, []]);
      const updated = await driver.update(id, outs, next);
      assert.deepEqual(updated.config, { LOG_LEVEL: "debug", NEW: "1" });
      assert.deepEqual(updated.freeformTags, { env: "test" });
      assert.equal(updated.compartmentId, fx.emulator.oci.tenancyOcid);
      assert.equal(
        updated.displayName,
        ins.displayName,
        "update returns every output, not only the changed ones",
      );
      assert.equal((await driver.diff(id, updated, next)).changes, false);
      await driver.delete(id, updated);
    });

    it("asks to replace (deleting first, the name being unique) when the shape changes, and creating first when the name changes", async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      const shape = await driver.diff(id, outs, { ...ins, shape: "GENERIC_ARM" });
      assert.deepEqual(shape.replaces, ["shape"]);
      assert.equal(shape.deleteBeforeReplace, true);
      const renamed = await driver.diff(id, outs, { ...ins, displayName: uniqueName("other") });
      assert.deepEqual(renamed.replaces, ["displayName"]);
      assert.equal(renamed.deleteBeforeReplace, false, "a new name cannot clash: create the new one first");
      // The replacement itself: delete, then create under the same name with the new shape.
      await driver.delete(id, outs);
      const replaced = await driver.create({ ...ins, shape: "GENERIC_ARM" });
      assert.notEqual(replaced.id, id);
      assert.equal(replaced.outs.shape, "GENERIC_ARM");
      await driver.delete(replaced.id, replaced.outs);
    });

    it("shows drift on refresh (changed and deleted behind its back) and nothing else", async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      const same = await driver.read(id, outs);
      assert.deepEqual(same.props, outs, "a refresh without drift changes nothing");
      await fx.drift("change", id, { config: { LOG_LEVEL: "trace" } });
      const drifted = await driver.read(id, outs);
      assert.deepEqual(drifted.props.config, { LOG_LEVEL: "trace" });
      assert.deepEqual(drifted.inputs?.config, { LOG_LEVEL: "trace" });
      const diff = await driver.diff(id, drifted.props, ins);
      assert.deepEqual(
        [diff.changes, diff.replaces],
        [true, []],
        "the next up puts the config back in place",
      );
      await fx.drift("delete", id);
      assert.equal((await driver.read(id, outs)).id, "", "a resource deleted behind our back reads as gone");
      await driver.delete(id, outs); // already gone: success
    });

    it("deletes, waits until gone, and treats an already deleted application as deleted", async () => {
      const { id, outs } = await driver.create(inputs());
      await driver.delete(id, outs);
      assert.equal((await driver.read(id, outs)).id, "");
      await driver.delete(id, outs);
    });

    it("adopts an existing application by id and updates its in-place fields to match", async () => {
      const ins = inputs();
      const original = await driver.create(ins);
      const adopted = await driver.create({ ...ins, config: { ADOPTED: "yes" }, adoptId: original.id });
      assert.equal(adopted.id, original.id);
      assert.deepEqual(adopted.outs.config, { ADOPTED: "yes" });
      const clash = await driver.failure(
        driver.create({ ...ins, shape: "GENERIC_ARM", adoptId: original.id }),
      );
      assert.match(clash.message, /shape/);
      await driver.delete(adopted.id, adopted.outs);
    });

    it("reads an existing application by id alone, as the static get() does", async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      const got = await driver.read(id, {});
      assert.equal(got.id, id);
      assert.equal(got.props.displayName, ins.displayName);
      assert.deepEqual(got.props.subnetIds, outs.subnetIds);
      assert.equal(got.inputs?.displayName, ins.displayName);
      await driver.delete(id, outs);
    });

    it("records the application when its wait times out after the create was accepted", async () => {
      await fx.control("PUT", "timing", { lifecycleMs: 5000 });
      const failure = await driver.failure(driver.create(inputs({ timeouts: { create: "300ms" } })));
      assert.match(
        failure.message,
        /Timed out after 300 ms waiting for application ocid1\.fnapp\.[^ ]+ to become ACTIVE: last state seen CREATING/,
      );
      assert.ok(failure.initFailed, "the resource is recorded with its id");
      assert.match(failure.initFailed.id, /^ocid1\.fnapp\./);
      assert.equal(failure.initFailed.properties.lifecycleState, "CREATING");
      if (mode === "direct")
        assert.equal(
          typeof failure.initFailed.properties.__provider,
          "undefined",
          "direct inputs carry no __provider",
        );
      await fx.control("PUT", "timing", { lifecycleMs: 100 });
      await driver.delete(failure.initFailed.id, failure.initFailed.properties);
    });

    it("fails fast and records the application when it ends FAILED instead of ACTIVE", async () => {
      await fx.control("PUT", "timing", { lifecycleMs: 3000 });
      const ins = inputs();
      const pending = driver.failure(driver.create(ins));
      const id = await waitForApplication(fx, String(ins.displayName));
      await fx.drift("change", id, {
        lifecycleState: "FAILED",
        lifecycleDetails: "subnet has no free addresses",
      });
      const failure = await pending;
      assert.match(failure.message, /FAILED: subnet has no free addresses/);
      assert.equal(failure.initFailed?.id, id);
    });

    it("repeats a create and a compartment move refused with a 5xx (POSTs without a retry token) exactly once each", async () => {
      await fx.fault({ operation: "CreateApplication", status: 503, code: "ServiceUnavailable", times: 1 });
      await fx.fault({
        operation: "ChangeApplicationCompartment",
        status: 500,
        code: "InternalServerError",
        times: 1,
      });
      const before = (await fx.stats()).requests.oci ?? {};
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      const moved = await driver.update(id, outs, { ...ins, compartmentId: fx.emulator.oci.tenancyOcid });
      assert.equal(moved.compartmentId, fx.emulator.oci.tenancyOcid);
      const after = (await fx.stats()).requests.oci ?? {};
      assert.equal(
        (after.CreateApplication ?? 0) - (before.CreateApplication ?? 0),
        2,
        "one refused attempt, one that created",
      );
      assert.equal((after.ChangeApplicationCompartment ?? 0) - (before.ChangeApplicationCompartment ?? 0), 2);
      assert.equal(
        (await listApplications(fx, String(ins.displayName))).length,
        0,
        "nothing left in the old compartment",
      );
      await driver.delete(id, moved);
    });

    it("retries 429s and 5xx in every phase (create, wait, read, update, delete) and succeeds", async () => {
      await fx.fault({ status: 429, code: "TooManyRequests", everyNth: 3, retryAfterSeconds: 0 });
      await fx.fault({ status: 503, code: "ServiceUnavailable", everyNth: 4 });
      const before = await fx.stats();
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      const read = await driver.read(id, outs);
      assert.equal(read.id, id);
      const updated = await driver.update(id, outs, { ...ins, config: { LOG_LEVEL: "warn" } });
      assert.deepEqual(updated.config, { LOG_LEVEL: "warn" });
      await driver.delete(id, updated);
      const after = await fx.stats();
      assert.ok((after.errors["429"] ?? 0) > (before.errors["429"] ?? 0), "429s were served");
      assert.ok((after.errors["503"] ?? 0) > (before.errors["503"] ?? 0), "503s were served");
      await fx.clearFaults();
      assert.equal((await driver.read(id, outs)).id, "");
      const apps = await listApplications(fx, String(ins.displayName));
      assert.equal(
        apps.filter((a) => a.lifecycleState !== "DELETED").length,
        0,
        "no duplicate was left behind by a retried create",
      );
    });
  });
}

/** Lists applications by name through the handler's own client (what a user would see). */
async function listApplications(
  fx: OciFixture,
  displayName: string,
): Promise<{ id: string; lifecycleState: string }[]> {
  const { ociContexts } = await import("../../../provider/oci/common");
  const { listApplications: list } = await import("../../../sdk/oci/clients/functions-management");
  const { collect } = await import("../../../sdk/oci/clients/common");
  const ctxs = await ociContexts(undefined);
  return collect(list(ctxs.functions, { compartmentId: fx.emulator.oci.compartmentOcid, displayName }));
}

async function waitForApplication(fx: OciFixture, displayName: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const found = await listApplications(fx, displayName);
    if (found[0] !== undefined) return found[0].id;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`application ${displayName} never appeared`);
}
