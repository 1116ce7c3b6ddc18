/**
 * Issue 9 defects of `oci:Function` and `oci:Application`, through the handler and the real plugin,
 * against the emulator.
 */
import { strict as assert } from "node:assert";
import { directDriver, modes, type Driver, type Props } from "./drivers";
import { uniqueName, type OciFixture } from "./emulator-fixture";
import { useEmulatorDriver } from "./use-emulator-driver";

const timing = { lifecycleMs: 100, workRequestMs: 150 };

for (const mode of modes) {
  describe(`oci:Function issue 9 (${mode})`, function () {
    this.timeout(60_000);
    let fx: OciFixture;
    let driver: Driver;
    let applicationId: string;

    useEmulatorDriver(mode, "oci:Function", (f, d) => ((fx = f), (driver = d)), timing);
    before(async () => {
      const app = await directDriver("oci:Application").create({
        compartmentId: fx.emulator.oci.compartmentOcid,
        displayName: uniqueName("app"),
        subnetIds: [fx.emulator.oci.subnetOcid],
      });
      applicationId = app.id;
    });
    afterEach(() => fx.control("DELETE", "oci/lifecycle-failures"));

    const image = (): string => `iad.ocir.io/ns/${uniqueName("repo")}:stable`;
    const inputs = (extra: Props = {}): Props => ({
      applicationId,
      displayName: uniqueName("fn"),
      memoryInMBs: 256,
      image: image(),
      ...extra,
    });
    const push = async (img: unknown): Promise<string> =>
      (await fx.control<{ digest: string }>("POST", "oci/images/push", { image: img })).digest;

    it('redeploys a re-pushed tag with imageDigest "", and follows the tag again when a pin is removed', async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      assert.equal(outs.imageDigestPinned, false);
      const repushed = await push(ins.image);
      assert.equal((await driver.diff(id, outs, ins)).changes, false, "a push alone plans nothing");
      const redeploy = { ...ins, imageDigest: "" };
      assert.equal((await driver.check({}, redeploy)).failures.length, 0, '"" is accepted');
      const diff = await driver.diff(id, outs, redeploy);
      assert.deepEqual([diff.changes, diff.replaces], [true, []]);
      const redeployed = await driver.update(id, outs, redeploy);
      assert.equal(redeployed.imageDigest, repushed, "the tag was resolved again");
      const pinned = { ...ins, imageDigest: outs.imageDigest };
      const pinnedOuts = await driver.update(id, redeployed, pinned);
      assert.deepEqual([pinnedOuts.imageDigest, pinnedOuts.imageDigestPinned], [outs.imageDigest, true]);
      const unpin = await driver.diff(id, pinnedOuts, ins);
      assert.deepEqual([unpin.changes, unpin.replaces], [true, []], "removing the pin is a change");
      const followed = await driver.update(id, pinnedOuts, ins);
      assert.deepEqual([followed.imageDigest, followed.imageDigestPinned], [repushed, false]);
      assert.equal((await driver.diff(id, followed, ins)).changes, false);
      await driver.delete(id, followed);
    });

    it("clears traceConfig when it is removed", async () => {
      const ins = inputs({ traceConfig: { isEnabled: true } });
      const { id, outs } = await driver.create(ins);
      const { traceConfig: _t, ...without } = ins;
      assert.deepEqual((await driver.diff(id, outs, without)).replaces, []);
      assert.equal((await driver.diff(id, outs, without)).changes, true);
      const updated = await driver.update(id, outs, without);
      assert.deepEqual(updated.traceConfig, { isEnabled: false });
      assert.equal((await driver.diff(id, updated, without)).changes, false);
      await driver.delete(id, updated);
    });

    it("replaces a pre-built function that becomes an image function", async () => {
      const ins = inputs();
      const olds = {
        ...ins,
        image: undefined,
        sourceDetails: { sourceType: "PRE_BUILT_FUNCTIONS", pbfListingId: "ocid1.fnpbf.oc1..x" },
        lifecycleState: "ACTIVE",
      };
      const diff = await driver.diff("ocid1.fnfunc.oc1.iad.x", olds, ins);
      assert.deepEqual(diff.replaces, ["sourceDetails"]);
    });

    it("records a function whose create ends FAILED as FAILED, so the next up replaces it", async () => {
      await fx.control("POST", "oci/lifecycle-failures", {
        operation: "CreateFunction",
        message: "image pull failed",
      });
      const ins = inputs();
      const failure = await driver.failure(driver.create(ins));
      assert.match(failure.message, /image pull failed/);
      assert.ok(failure.initFailed);
      assert.equal(failure.initFailed.properties.lifecycleState, "FAILED");
      const next = await driver.diff(failure.initFailed.id, failure.initFailed.properties, ins);
      assert.deepEqual([next.replaces, next.deleteBeforeReplace], [["lifecycleState"], true]);
      await driver.delete(failure.initFailed.id, failure.initFailed.properties);
    });

    it("lets a second destroy finish a delete that timed out while DELETING", async () => {
      const { id, outs } = await driver.create(inputs());
      await fx.control("PUT", "timing", { lifecycleMs: 1500 });
      const first = await driver.failure(driver.delete(id, { ...outs, timeouts: { delete: "300ms" } }));
      assert.match(first.message, /Timed out/);
      await driver.delete(id, outs);
      assert.equal((await driver.read(id, outs)).id, "");
    });
  });

  describe(`oci:Application issue 9 (${mode})`, function () {
    this.timeout(60_000);
    let fx: OciFixture;
    let driver: Driver;

    useEmulatorDriver(mode, "oci:Application", (f, d) => ((fx = f), (driver = d)), timing);
    afterEach(() => fx.control("DELETE", "oci/lifecycle-failures"));

    const inputs = (extra: Props = {}): Props => ({
      compartmentId: fx.emulator.oci.compartmentOcid,
      displayName: uniqueName("app"),
      subnetIds: [fx.emulator.oci.subnetOcid],
      ...extra,
    });

    it('clears syslogUrl and traceConfig when removed (or syslogUrl ""), in place', async () => {
      const domainId = "ocid1.apmdomain.oc1.iad.aaaaaaaaapm";
      const ins = inputs({
        syslogUrl: "tcp://logs.example.com:514",
        traceConfig: { isEnabled: true, domainId },
      });
      const { id, outs } = await driver.create(ins);
      const { syslogUrl: _s, traceConfig: _t, ...without } = ins;
      const diff = await driver.diff(id, outs, without);
      assert.deepEqual([diff.changes, diff.replaces], [true, []]);
      const cleared = await driver.update(id, outs, without);
      assert.equal(cleared.syslogUrl, undefined);
      assert.equal((cleared.traceConfig as Props | undefined)?.isEnabled, false);
      assert.equal((await driver.diff(id, cleared, without)).changes, false);
      assert.equal(
        (await driver.diff(id, cleared, { ...without, syslogUrl: "" })).changes,
        false,
        '"" is off too',
      );
      await driver.delete(id, cleared);
    });

    it("removes a defined tag in place, keeping a tag the cloud added in the same namespace", async () => {
      const ins = inputs({ definedTags: { Ops: { owner: "me", cost: "42" } } });
      const { id, outs } = await driver.create(ins);
      await fx.drift("change", id, {
        definedTags: { Ops: { owner: "me", cost: "42", CreatedBy: "default" } },
      });
      const refreshed = (await driver.read(id, outs)).props;
      assert.equal((await driver.diff(id, refreshed, ins)).changes, false, "a cloud-added tag is not drift");
      const fewer = { ...ins, definedTags: { Ops: { owner: "me" } } };
      const diff = await driver.diff(id, refreshed, fewer);
      assert.deepEqual([diff.changes, diff.replaces], [true, []]);
      const updated = await driver.update(id, refreshed, fewer);
      assert.deepEqual(updated.definedTags, { Ops: { owner: "me", CreatedBy: "default" } });
      const none = { ...ins, definedTags: undefined };
      const all = await driver.update(id, updated, none);
      assert.deepEqual(
        all.definedTags,
        { Ops: { CreatedBy: "default" } },
        "removing them all keeps the cloud's",
      );
      await driver.delete(id, all);
    });

    it("records an application whose create ends FAILED as FAILED", async () => {
      await fx.control("POST", "oci/lifecycle-failures", {
        operation: "CreateApplication",
        message: "no capacity",
      });
      const ins = inputs();
      const failure = await driver.failure(driver.create(ins));
      assert.equal(failure.initFailed?.properties.lifecycleState, "FAILED");
      const next = await driver.diff(
        String(failure.initFailed?.id),
        failure.initFailed?.properties ?? {},
        ins,
      );
      assert.deepEqual(next.replaces, ["lifecycleState"]);
      await driver.delete(String(failure.initFailed?.id), failure.initFailed?.properties ?? {});
    });
  });
}
