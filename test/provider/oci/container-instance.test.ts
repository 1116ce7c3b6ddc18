import { strict as assert } from "node:assert";
import { modes, type Driver, type Props } from "./drivers";
import { uniqueName, type OciFixture } from "./emulator-fixture";
import { useEmulatorDriver } from "./use-emulator-driver";

for (const mode of modes) {
  describe(`oci:ContainerInstance against the emulator (${mode})`, function () {
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

    function inputs(extra: Props = {}): Props {
      return {
        compartmentId: fx.emulator.oci.compartmentOcid,
        availabilityDomain: "Uocm:PHX-AD-1",
        shape: "CI.Standard.E4.Flex",
        shapeConfig: { ocpus: 1, memoryInGBs: 4 },
        vnics: [{ subnetId: fx.emulator.oci.subnetOcid }],
        displayName: uniqueName("ci"),
        containers: [
          {
            imageUrl: "nginx:1.27",
            displayName: "web",
            environmentVariables: { PORT: "8080" },
            healthChecks: [{ healthCheckType: "HTTP", path: "/healthz", port: 8080 }],
            volumeMounts: [{ mountPath: "/etc/app", volumeName: "cfg" }],
          },
        ],
        volumes: [
          {
            volumeType: "CONFIGFILE",
            name: "cfg",
            configs: [{ fileName: "app.conf", data: Buffer.from("x=1").toString("base64") }],
          },
        ],
        imagePullSecrets: [
          {
            secretType: "BASIC",
            registryEndpoint: "docker.io",
            username: Buffer.from("me").toString("base64"),
            password: Buffer.from("s3cret").toString("base64"),
          },
        ],
        ...extra,
      };
    }

    it("creates, reads back the same outputs (write-only values kept), and shows no change", async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      assert.match(id, /^ocid1\.computecontainerinstance\./);
      assert.equal(outs.state, "ACTIVE");
      const containers = outs.containers as Props[];
      assert.match(String(containers[0]?.containerId), /^ocid1\.computecontainer\./);
      assert.equal((outs.vnics as Props[])[0]?.subnetId, fx.emulator.oci.subnetOcid);
      assert.equal(
        ((outs.imagePullSecrets as Props[])[0] as Props).password,
        Buffer.from("s3cret").toString("base64"),
      );
      const read = await driver.read(id, outs);
      assert.deepEqual(
        read.props,
        outs,
        "refresh without drift changes nothing: pull-secret credentials and config data are kept",
      );
      assert.equal((await driver.diff(id, outs, ins)).changes, false);
      await driver.delete(id, outs);
    });

    it("updates display names and tags of the instance and its containers, and stops and starts it, in place", async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      const containers = ins.containers as Props[];
      const next = {
        ...ins,
        displayName: uniqueName("ci-renamed"),
        freeformTags: { tier: "web" },
        state: "INACTIVE",
        containers: [{ ...containers[0], displayName: "web-2", freeformTags: { c: "1" } }],
      };
      const diff = await driver.diff(id, outs, next);
      assert.deepEqual([diff.changes, diff.replaces], [true, []]);
      const stopped = await driver.update(id, outs, next);
      assert.equal(stopped.displayName, next.displayName);
      assert.deepEqual(stopped.freeformTags, { tier: "web" });
      assert.equal(stopped.state, "INACTIVE");
      assert.equal((stopped.containers as Props[])[0]?.displayName, "web-2");
      assert.deepEqual((stopped.containers as Props[])[0]?.freeformTags, { c: "1" });
      assert.equal((await driver.diff(id, stopped, next)).changes, false);
      const started = await driver.update(id, stopped, {
        ...next,
        state: "ACTIVE",
        compartmentId: fx.emulator.oci.tenancyOcid,
      });
      assert.equal(started.state, "ACTIVE");
      assert.equal(started.compartmentId, fx.emulator.oci.tenancyOcid, "the compartment moves in place");
      await driver.delete(id, started);
    });

    it("asks to replace for anything the API cannot change, without deleting first", async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      const containers = ins.containers as Props[];
      for (const [what, next, field] of [
        ["image", { ...ins, containers: [{ ...containers[0], imageUrl: "nginx:1.28" }] }, "containers"],
        [
          "environment",
          { ...ins, containers: [{ ...containers[0], environmentVariables: { PORT: "9090" } }] },
          "containers",
        ],
        ["shape config", { ...ins, shapeConfig: { ocpus: 2, memoryInGBs: 8 } }, "shapeConfig"],
        [
          "pull-secret password",
          { ...ins, imagePullSecrets: [{ ...(ins.imagePullSecrets as Props[])[0], password: "bmV3" }] },
          "imagePullSecrets",
        ],
        [
          "config file data",
          {
            ...ins,
            volumes: [
              { volumeType: "CONFIGFILE", name: "cfg", configs: [{ fileName: "app.conf", data: "eD0y" }] },
            ],
          },
          "volumes",
        ],
      ] as [string, Props, string][]) {
        const diff = await driver.diff(id, outs, next);
        assert.deepEqual([diff.replaces, diff.deleteBeforeReplace], [[field], false], what);
      }
      const sameImageSpelledOut = await driver.diff(id, outs, {
        ...ins,
        availabilityDomain: "uocm:phx-ad-1",
      });
      assert.equal(sameImageSpelledOut.changes, false, "availability domains compare case-insensitively");
      const replacement = await driver.create({ ...ins, shapeConfig: { ocpus: 2, memoryInGBs: 8 } });
      await driver.delete(id, outs);
      assert.equal((replacement.outs.shapeConfig as Props).ocpus, 2);
      await driver.delete(replacement.id, replacement.outs);
    });

    it("shows drift on refresh (changed and deleted behind its back)", async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      await fx.drift("change", id, { displayName: "changed-behind-our-back" });
      const drifted = await driver.read(id, outs);
      assert.equal(drifted.props.displayName, "changed-behind-our-back");
      const diff = await driver.diff(id, drifted.props, ins);
      assert.deepEqual([diff.changes, diff.replaces], [true, []]);
      await fx.drift("delete", id);
      assert.equal((await driver.read(id, outs)).id, "");
      await driver.delete(id, outs);
    });

    it("adopts an existing instance by id, renaming it in place", async () => {
      const ins = inputs();
      const original = await driver.create(ins);
      const adopted = await driver.create({ ...ins, displayName: "adopted", adoptId: original.id });
      assert.equal(adopted.id, original.id);
      assert.equal(adopted.outs.displayName, "adopted");
      const clash = await driver.failure(
        driver.create({ ...ins, shape: "CI.Standard.E3.Flex", adoptId: original.id }),
      );
      assert.match(clash.message, /shape/);
      await driver.delete(adopted.id, adopted.outs);
    });

    it("records the instance when its create work request fails, naming the work request's messages", async () => {
      await fx.fault({
        operation: "WorkRequest:CREATE_CONTAINER_INSTANCE",
        code: "InternalError",
        message: "Out of host capacity",
        times: 1,
      });
      const failure = await driver.failure(driver.create(inputs()));
      assert.match(
        failure.message,
        /CREATE_CONTAINER_INSTANCE\) ended FAILED: InternalError: Out of host capacity/,
      );
      assert.ok(failure.initFailed, "the instance is recorded");
      assert.match(failure.initFailed.id, /^ocid1\.computecontainerinstance\./);
      if (mode === "engine") assert.equal(typeof failure.initFailed.properties.__provider, "string");
      const refreshed = await driver.read(failure.initFailed.id, failure.initFailed.properties);
      assert.equal(refreshed.props.lifecycleState, "FAILED");
      const next = await driver.diff(failure.initFailed.id, refreshed.props, inputs());
      assert.deepEqual(next.replaces, ["lifecycleState"], "the next up replaces the FAILED instance");
      await driver.delete(failure.initFailed.id, failure.initFailed.properties);
    });

    it("reads an existing instance by id alone (static get), and records it when an update's work request fails", async () => {
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      const got = await driver.read(id, {});
      assert.equal(got.id, id);
      assert.equal((got.props.containers as Props[]).length, 1);
      await fx.fault({
        operation: "WorkRequest:UPDATE_CONTAINER_INSTANCE",
        code: "InternalError",
        message: "update rejected by the host",
        times: 1,
      });
      const failure = await driver.failure(driver.update(id, outs, { ...ins, displayName: "never-applied" }));
      assert.match(
        failure.message,
        /UPDATE_CONTAINER_INSTANCE\) ended FAILED: InternalError: update rejected by the host/,
      );
      assert.equal(failure.initFailed?.id, id, "the instance stays recorded with what the cloud holds");
      assert.equal(failure.initFailed?.properties.displayName, ins.displayName);
      await driver.delete(id, outs);
    });

    it("records the instance when the wait for its work request times out", async () => {
      await fx.control("PUT", "timing", { workRequestMs: 5000 });
      const failure = await driver.failure(driver.create(inputs({ timeouts: { create: "400ms" } })));
      assert.match(
        failure.message,
        /Timed out after \d+ ms waiting for creating container instance \S+ \(work request \S+\) to finish: last state seen (ACCEPTED|IN_PROGRESS)/,
      );
      assert.match(String(failure.initFailed?.id), /^ocid1\.computecontainerinstance\./);
    });

    it("retries 429s and 5xx in every phase (create, work requests, read, update, delete) and succeeds", async () => {
      await fx.fault({ status: 429, code: "TooManyRequests", everyNth: 3 });
      await fx.fault({ status: 502, code: "BadGateway", everyNth: 5 });
      const before = await fx.stats();
      const ins = inputs();
      const { id, outs } = await driver.create(ins);
      assert.equal((await driver.read(id, outs)).id, id);
      const updated = await driver.update(id, outs, {
        ...ins,
        displayName: "after-faults",
        state: "INACTIVE",
      });
      assert.equal(updated.state, "INACTIVE");
      await driver.delete(id, updated);
      const after = await fx.stats();
      assert.ok((after.errors["429"] ?? 0) > (before.errors["429"] ?? 0));
      assert.ok((after.errors["502"] ?? 0) > (before.errors["502"] ?? 0));
      await fx.clearFaults();
      assert.equal((await driver.read(id, outs)).id, "");
      assert.equal(after.requests.oci?.CreateContainerInstance !== undefined, true);
    });
  });
}
