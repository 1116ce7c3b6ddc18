/**
 * The emulator driven by this project's own `sdk/` clients (the other half of "raw HTTP and our SDK"):
 * signing, endpoints, error mapping, pagination and the work-request waiter must all agree with it.
 */
import { strict as assert } from "node:assert";
import type { ManualClock, RunningEmulator } from "../../emulator";
import { type ClientContext } from "../../sdk/core/client";
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  WorkRequestFailedError,
} from "../../sdk/core/errors";
import {
  collect,
  containerInstances,
  functionsInvoke,
  functionsManagement,
  workRequests,
} from "../../sdk/oci/clients";
import { ociClientContext } from "../../sdk/oci/context";
import { containerInstancesWorkRequests, waitForWorkRequest } from "../../sdk/oci/work-requests";
import { control, startClockedOciEmulator } from "./helpers";

describe("emulator: driven by fnstack's own sdk/oci clients", function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  let clock: ManualClock;
  let fn: ClientContext;
  let ci: ClientContext;
  let wr: ClientContext;

  before(async () => {
    const started = await startClockedOciEmulator();
    ({ emu, clock } = started);
    const { credentials } = started;
    const retry = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, jitterMs: 0 };
    fn = ociClientContext("functions", credentials, { retry });
    ci = ociClientContext("containerInstances", credentials, { retry });
    wr = ociClientContext("workRequests", credentials, { retry });
  });
  after(() => emu.close());

  it("creates, lists, updates (with if-match) and invokes through the Functions clients", async () => {
    const app = await functionsManagement.createApplication(fn, {
      compartmentId: emu.oci.compartmentOcid,
      displayName: "sdk-app",
      subnetIds: [emu.oci.subnetOcid],
    });
    assert.equal(app.value.lifecycleState, "CREATING");
    assert.ok(app.etag);
    clock.advance(1000);
    const names = (
      await collect(functionsManagement.listApplications(fn, { compartmentId: emu.oci.compartmentOcid }))
    ).map((a) => a.displayName);
    assert.deepEqual(names, ["sdk-app"]);
    const current = await functionsManagement.getApplication(fn, app.value.id);
    await assert.rejects(
      functionsManagement.updateApplication(fn, app.value.id, { config: { A: "1" } }, { ifMatch: app.etag }),
      PreconditionFailedError,
    );
    const updated = await functionsManagement.updateApplication(
      fn,
      app.value.id,
      { config: { A: "1" } },
      { ifMatch: current.etag },
    );
    assert.deepEqual(updated.value.config, { A: "1" });
    assert.equal(updated.value.lifecycleState, "UPDATING", "an update passes through UPDATING");
    clock.advance(1000);
    assert.equal((await functionsManagement.getApplication(fn, app.value.id)).value.lifecycleState, "ACTIVE");
    await assert.rejects(
      functionsManagement.createApplication(fn, {
        compartmentId: emu.oci.compartmentOcid,
        displayName: "sdk-app",
        subnetIds: [emu.oci.subnetOcid],
      }),
      ConflictError,
    );

    const created = await functionsManagement.createFunction(fn, {
      applicationId: app.value.id,
      displayName: "sdk-fn",
      memoryInMBs: 128,
      image: "iad.ocir.io/ns/sdk:1",
    });
    clock.advance(1000);
    const out = await functionsInvoke.invokeFunction(
      functionsInvoke.invokeContext(fn, String(created.value.invokeEndpoint)),
      {
        functionId: created.value.id,
        body: "ping",
      },
    );
    assert.equal(Buffer.from(out.body as Buffer).toString("utf8"), "ping");
    await assert.rejects(
      functionsManagement.getFunction(fn, "ocid1.fnfunc.oc1.us-ashburn-1.aaaaaaaamissing"),
      NotFoundError,
    );
  });

  it("lists the pre-built function catalogue", async () => {
    const listings = await collect(functionsManagement.listPbfListings(fn));
    assert.ok(listings.length >= 2);
    const first = listings[0] as { id: string };
    const versions = await collect(
      functionsManagement.listPbfListingVersions(fn, { pbfListingId: first.id }),
    );
    assert.ok(versions.length >= 1);
    const triggers = await collect(functionsManagement.listTriggers(fn));
    assert.ok(triggers.some((t) => t.name === "HTTP"));
  });

  it("creates a container instance and waits on its work request; a failed one raises WorkRequestFailedError with the errors", async () => {
    const details = {
      compartmentId: emu.oci.compartmentOcid,
      availabilityDomain: "AD-1",
      shape: "CI.Standard.E4.Flex",
      shapeConfig: { ocpus: 1 },
      vnics: [{ subnetId: emu.oci.subnetOcid }],
      containers: [{ imageUrl: "busybox" }],
    };
    const created = await containerInstances.createContainerInstance(ci, details);
    assert.ok(created.workRequestId);
    const source = containerInstancesWorkRequests(ci);
    const waiting = waitForWorkRequest(source, created.workRequestId as string, {
      timeoutMs: 10_000,
      minIntervalMs: 5,
      maxIntervalMs: 10,
    });
    setTimeout(() => clock.advance(1000), 20);
    const done = await waiting;
    assert.equal(done.status, "SUCCEEDED");
    assert.equal(
      (await containerInstances.getContainerInstance(ci, created.value.id)).value.lifecycleState,
      "ACTIVE",
    );

    await control(emu, "POST", "faults", {
      service: "oci",
      operation: "WorkRequest:CREATE_CONTAINER_INSTANCE",
      message: "no capacity",
      times: 1,
    });
    const failing = await containerInstances.createContainerInstance(ci, details);
    const wait2 = waitForWorkRequest(source, failing.workRequestId as string, {
      timeoutMs: 10_000,
      minIntervalMs: 5,
      maxIntervalMs: 10,
    });
    setTimeout(() => clock.advance(1000), 20);
    await assert.rejects(
      wait2,
      (err: unknown) => err instanceof WorkRequestFailedError && /no capacity/.test(err.message),
    );

    const compute = await workRequests.getWorkRequest(wr, failing.workRequestId as string);
    assert.equal(compute.value.status, "FAILED");
  });
});
