import { strict as assert } from "node:assert";
import { ManualClock, type RunningEmulator, startEmulator } from "../../emulator";
import { OciTestClient, type TestResponse, control } from "./helpers";

describe("emulator: OCI Container Instances (/20210415) and Work Requests (/20160918)", function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  let oci: OciTestClient;
  let clock: ManualClock;

  before(async () => {
    clock = new ManualClock();
    emu = await startEmulator({ clock, timing: { workRequestMs: 3000 } });
    oci = new OciTestClient(emu);
  });
  after(() => emu.close());
  afterEach(() => control(emu, "DELETE", "faults"));

  const createBody = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    compartmentId: emu.oci.compartmentOcid,
    availabilityDomain: "Uocm:US-ASHBURN-AD-1",
    shape: "CI.Standard.E4.Flex",
    shapeConfig: { ocpus: 1, memoryInGBs: 4 },
    vnics: [{ subnetId: emu.oci.subnetOcid }],
    containers: [{ imageUrl: "docker.io/library/nginx:1.27", environmentVariables: { A: "1" } }],
    ...extra,
  });

  const wr = (id: string): Promise<TestResponse> => oci.call("GET", `/20210415/workRequests/${id}`);

  async function activeInstance(extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const res = await oci.call("POST", "/20210415/containerInstances", { body: createBody(extra) });
    assert.equal(res.status, 200, res.text);
    clock.advance(3000);
    return res.json;
  }

  it("creates an instance in CREATING with a work request that runs ACCEPTED → IN_PROGRESS (rising %) → SUCCEEDED", async () => {
    const res = await oci.call("POST", "/20210415/containerInstances", {
      body: createBody({ displayName: "web" }),
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.lifecycleState, "CREATING");
    assert.match(String(res.json.id), /^ocid1\.computecontainerinstance\./);
    assert.equal(res.json.containerCount, 1);
    assert.deepEqual(res.json.shapeConfig, {
      ocpus: 1,
      memoryInGBs: 4,
      processorDescription: "2.55 GHz AMD EPYC 7J13 (Milan)",
      networkingBandwidthInGbps: 1,
    });
    const wrId = res.headers["opc-work-request-id"] as string;
    assert.ok(wrId);
    const accepted = await wr(wrId);
    assert.equal(accepted.json.status, "ACCEPTED");
    assert.equal(accepted.json.operationType, "CREATE_CONTAINER_INSTANCE");
    assert.ok(Number(accepted.headers["retry-after"]) >= 1);
    clock.advance(900);
    const p1 = await wr(wrId);
    assert.equal(p1.json.status, "IN_PROGRESS");
    clock.advance(1200);
    const p2 = await wr(wrId);
    assert.equal(p2.json.status, "IN_PROGRESS");
    assert.ok((p2.json.percentComplete as number) > (p1.json.percentComplete as number));
    assert.equal(p2.json.timeFinished, undefined);
    clock.advance(900);
    const done = await wr(wrId);
    assert.equal(done.json.status, "SUCCEEDED");
    assert.equal(done.json.percentComplete, 100);
    assert.ok(done.json.timeFinished);
    assert.equal(done.headers["retry-after"], undefined);
    assert.deepEqual(done.json.resources, [
      {
        entityType: "containerInstance",
        actionType: "CREATED",
        identifier: res.json.id,
        entityUri: `/20210415/containerInstances/${String(res.json.id)}`,
      },
    ]);
    const ci = await oci.call("GET", `/20210415/containerInstances/${String(res.json.id)}`);
    assert.equal(ci.json.lifecycleState, "ACTIVE");
    const containerId = (ci.json.containers as { containerId: string }[])[0]?.containerId as string;
    const container = await oci.call("GET", `/20210415/containers/${containerId}`);
    assert.equal(container.json.lifecycleState, "ACTIVE");
    assert.equal(container.json.imageUrl, "docker.io/library/nginx:1.27");
    assert.deepEqual(container.json.environmentVariables, { A: "1" });
    const logs = await oci.call("GET", `/20210415/workRequests/${wrId}/logs`);
    assert.ok((logs.json.items as unknown[]).length >= 3);
    const errors = await oci.call("GET", `/20210415/workRequests/${wrId}/errors`);
    assert.deepEqual(errors.json.items, []);
  });

  it("makes a create's work request FAIL through a WorkRequest: fault rule, with errors and a FAILED instance", async () => {
    const rule = await control(emu, "POST", "faults", {
      service: "oci",
      operation: "WorkRequest:CREATE_CONTAINER_INSTANCE",
      code: "InternalError",
      message: "Out of host capacity",
      times: 1,
    });
    assert.equal(rule.status, 201);
    const res = await oci.call("POST", "/20210415/containerInstances", { body: createBody() });
    assert.equal(res.status, 200, "the HTTP request itself succeeds");
    clock.advance(3000);
    const done = await wr(res.headers["opc-work-request-id"] as string);
    assert.equal(done.json.status, "FAILED");
    assert.ok(done.json.timeFinished);
    const errors = await oci.call("GET", `/20210415/workRequests/${String(done.json.id)}/errors`);
    assert.deepEqual(
      (errors.json.items as Record<string, unknown>[]).map((e) => [e.code, e.message]),
      [["InternalError", "Out of host capacity"]],
    );
    const ci = await oci.call("GET", `/20210415/containerInstances/${String(res.json.id)}`);
    assert.equal(ci.json.lifecycleState, "FAILED");
    const next = await oci.call("POST", "/20210415/containerInstances", { body: createBody() });
    clock.advance(3000);
    assert.equal(
      (await wr(next.headers["opc-work-request-id"] as string)).json.status,
      "SUCCEEDED",
      "times: 1 is spent",
    );
  });

  it("ends a work request CANCELED when the fault code is Canceled", async () => {
    await control(emu, "POST", "faults", {
      service: "oci",
      operation: "WorkRequest:CREATE_CONTAINER_INSTANCE",
      code: "Canceled",
      times: 1,
    });
    const res = await oci.call("POST", "/20210415/containerInstances", { body: createBody() });
    clock.advance(3000);
    assert.equal((await wr(res.headers["opc-work-request-id"] as string)).json.status, "CANCELED");
  });

  it("is idempotent on opc-retry-token: same body → same instance and work request; different body → 409 InvalidatedRetryToken", async () => {
    const token = `token-${Date.now()}`;
    const body = createBody({ displayName: "idem" });
    const first = await oci.call("POST", "/20210415/containerInstances", {
      body,
      headers: { "opc-retry-token": token },
    });
    const second = await oci.call("POST", "/20210415/containerInstances", {
      body,
      headers: { "opc-retry-token": token },
    });
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(second.json.id, first.json.id);
    assert.equal(second.headers["opc-work-request-id"], first.headers["opc-work-request-id"]);
    const other = await oci.call("POST", "/20210415/containerInstances", {
      body: createBody({ displayName: "other" }),
      headers: { "opc-retry-token": token },
    });
    assert.equal(other.status, 409);
    assert.equal(other.json.code, "InvalidatedRetryToken");
    const list = await oci.call(
      "GET",
      `/20210415/containerInstances?compartmentId=${emu.oci.compartmentOcid}&displayName=idem`,
    );
    assert.equal((list.json.items as unknown[]).length, 1);
    clock.advance(3000);
  });

  it("validates create bodies", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [createBody({ shape: "CI.Tiny" }), "InvalidParameter"],
      [createBody({ shapeConfig: { ocpus: 0 } }), "InvalidParameter"],
      [createBody({ shapeConfig: { ocpus: 1, memoryInGBs: 100 } }), "InvalidParameter"],
      [createBody({ containers: [] }), "InvalidParameter"],
      [createBody({ containers: [{}] }), "MissingParameter"],
      [createBody({ vnics: undefined }), "MissingParameter"],
      [createBody({ availabilityDomain: undefined }), "MissingParameter"],
      [createBody({ containerRestartPolicy: "SOMETIMES" }), "InvalidParameter"],
      [createBody({ dnsConfig: { nameservers: ["dns.example.com"] } }), "InvalidParameter"],
      [createBody({ dnsConfig: { nameservers: ["10.0.0.256"] } }), "InvalidParameter"],
      [
        createBody({
          containers: [{ imageUrl: "x", volumeMounts: [{ mountPath: "/m", volumeName: "nope" }] }],
        }),
        "InvalidParameter",
      ],
      [
        createBody({
          imagePullSecrets: [
            { secretType: "BASIC", registryEndpoint: "r", username: "not base64!", password: "cA==" },
          ],
        }),
        "InvalidParameter",
      ],
    ];
    for (const [body, code] of cases) {
      const res = await oci.call("POST", "/20210415/containerInstances", { body });
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.text}`);
      assert.equal(res.json.code, code, JSON.stringify(body));
    }
    const dnsConfig = { nameservers: ["10.0.0.2", "2001:db8::53"] };
    const accepted = await oci.call("POST", "/20210415/containerInstances", {
      body: createBody({ dnsConfig }),
    });
    assert.equal(accepted.status, 200, accepted.text);
  });

  it("does not echo BASIC pull-secret credentials or CONFIGFILE data", async () => {
    const ci = await activeInstance({
      imagePullSecrets: [
        { secretType: "BASIC", registryEndpoint: "docker.io", username: "dXNlcg==", password: "cGFzcw==" },
      ],
      volumes: [
        { name: "cfg", volumeType: "CONFIGFILE", configs: [{ fileName: "a.conf", data: "aGVsbG8=" }] },
      ],
    });
    assert.deepEqual(ci.imagePullSecrets, [{ secretType: "BASIC", registryEndpoint: "docker.io" }]);
    assert.deepEqual(ci.volumes, [
      { name: "cfg", volumeType: "CONFIGFILE", configs: [{ fileName: "a.conf" }] },
    ]);
  });

  it("stops, starts and restarts through work requests; start of a running instance has no effect", async () => {
    const ci = await activeInstance();
    const id = String(ci.id);
    // "Starts a container instance if it is inactive. No effect otherwise." (oci-containerinstances client.d.ts)
    const noEffect = await oci.callManually("POST", `/20210415/containerInstances/${id}/actions/start`);
    assert.equal(noEffect.status, 202, noEffect.text);
    assert.equal((await oci.call("GET", `/20210415/containerInstances/${id}`)).json.lifecycleState, "ACTIVE");
    clock.advance(3000);
    const noEffectWr = await wr(noEffect.headers["opc-work-request-id"] as string);
    assert.deepEqual(
      [noEffectWr.json.operationType, noEffectWr.json.status],
      ["START_CONTAINER_INSTANCE", "SUCCEEDED"],
    );
    assert.equal((await oci.call("GET", `/20210415/containerInstances/${id}`)).json.lifecycleState, "ACTIVE");
    const stop = await oci.callManually("POST", `/20210415/containerInstances/${id}/actions/stop`);
    assert.equal(stop.status, 202, stop.text);
    assert.ok(stop.headers["opc-work-request-id"]);
    assert.equal(
      (await oci.call("GET", `/20210415/containerInstances/${id}`)).json.lifecycleState,
      "UPDATING",
    );
    const busy = await oci.call("PUT", `/20210415/containerInstances/${id}`, { body: { displayName: "x" } });
    assert.equal(busy.status, 409);
    assert.equal(busy.json.code, "IncorrectState");
    clock.advance(3000);
    assert.equal(
      (await oci.call("GET", `/20210415/containerInstances/${id}`)).json.lifecycleState,
      "INACTIVE",
    );
    const restartStopped = await oci.call("POST", `/20210415/containerInstances/${id}/actions/restart`);
    assert.deepEqual([restartStopped.status, restartStopped.json.code], [409, "IncorrectState"]);
    const stopAgain = await oci.call("POST", `/20210415/containerInstances/${id}/actions/stop`);
    assert.equal(stopAgain.status, 202, "stop of a stopped instance has no effect, not a 409");
    clock.advance(3000);
    assert.equal(
      (await oci.call("GET", `/20210415/containerInstances/${id}`)).json.lifecycleState,
      "INACTIVE",
    );
    const start = await oci.call("POST", `/20210415/containerInstances/${id}/actions/start`);
    assert.equal(
      start.status,
      202,
      "the SDK signer's body-less POST (content-length 0, empty SHA) is accepted",
    );
    clock.advance(3000);
    assert.equal((await oci.call("GET", `/20210415/containerInstances/${id}`)).json.lifecycleState, "ACTIVE");
    const restart = await oci.call("POST", `/20210415/containerInstances/${id}/actions/restart`);
    assert.equal(restart.status, 202);
    clock.advance(3000);
    const after = await wr(restart.headers["opc-work-request-id"] as string);
    assert.equal(after.json.operationType, "RESTART_CONTAINER_INSTANCE");
    assert.equal(after.json.status, "SUCCEEDED");
  });

  it("updates display name and tags through a work request, honouring if-match", async () => {
    const ci = await activeInstance();
    const id = String(ci.id);
    const get = await oci.call("GET", `/20210415/containerInstances/${id}`);
    const stale = await oci.call("PUT", `/20210415/containerInstances/${id}`, {
      body: { displayName: "renamed" },
      headers: { "if-match": "nope" },
    });
    assert.equal(stale.status, 412);
    const res = await oci.call("PUT", `/20210415/containerInstances/${id}`, {
      body: { displayName: "renamed", freeformTags: { a: "b" } },
      headers: { "if-match": get.headers.etag as string },
    });
    assert.equal(res.status, 202, res.text);
    assert.equal(res.text, "");
    clock.advance(3000);
    const after = await oci.call("GET", `/20210415/containerInstances/${id}`);
    assert.equal(after.json.displayName, "renamed");
    assert.deepEqual(after.json.freeformTags, { a: "b" });
    const bad = await oci.call("PUT", `/20210415/containerInstances/${id}`, {
      body: { shape: "CI.Standard.E3.Flex" },
    });
    assert.equal(bad.status, 400);
  });

  it("lists, gets and updates containers, and retrieves their logs as text", async () => {
    const ci = await activeInstance({
      containers: [{ imageUrl: "busybox" }, { imageUrl: "nginx", displayName: "web" }],
    });
    const list = await oci.call(
      "GET",
      `/20210415/containers?compartmentId=${emu.oci.compartmentOcid}&containerInstanceId=${String(ci.id)}`,
    );
    assert.equal(list.status, 200);
    const items = list.json.items as Record<string, unknown>[];
    assert.equal(items.length, 2);
    const web = items.find((c) => c.displayName === "web") as Record<string, unknown>;
    const upd = await oci.call("PUT", `/20210415/containers/${String(web.id)}`, {
      body: { displayName: "web2" },
    });
    assert.equal(upd.status, 202, upd.text);
    const w = await wr(upd.headers["opc-work-request-id"] as string);
    assert.equal(w.json.operationType, "UPDATE_CONTAINER");
    clock.advance(3000);
    assert.equal((await oci.call("GET", `/20210415/containers/${String(web.id)}`)).json.displayName, "web2");
    const parent = await oci.call("GET", `/20210415/containerInstances/${String(ci.id)}`);
    assert.ok((parent.json.containers as Record<string, unknown>[]).some((c) => c.displayName === "web2"));
    const logs = await oci.call("POST", `/20210415/containers/${String(web.id)}/actions/retrieveLogs`);
    assert.equal(logs.status, 200);
    assert.match(logs.headers["content-type"] as string, /^text\/plain/);
    assert.match(logs.text, /pulled image nginx/);
  });

  it("moves to another compartment through MOVE_CONTAINER_INSTANCE", async () => {
    const ci = await activeInstance();
    const target = "ocid1.compartment.oc1..aaaaaaaamoved";
    const res = await oci.call(
      "POST",
      `/20210415/containerInstances/${String(ci.id)}/actions/changeCompartment`,
      { body: { compartmentId: target } },
    );
    assert.equal(res.status, 202, res.text);
    clock.advance(3000);
    assert.equal(
      (await oci.call("GET", `/20210415/containerInstances/${String(ci.id)}`)).json.compartmentId,
      target,
    );
    const wrs = await oci.call(
      "GET",
      `/20210415/workRequests?compartmentId=${target}&resourceId=${String(ci.id)}`,
    );
    assert.deepEqual(
      (wrs.json.items as Record<string, unknown>[]).map((w) => w.operationType),
      ["MOVE_CONTAINER_INSTANCE"],
    );
  });

  it("deletes through DELETING to DELETED with a DELETE_CONTAINER_INSTANCE work request", async () => {
    const ci = await activeInstance();
    const res = await oci.call("DELETE", `/20210415/containerInstances/${String(ci.id)}`);
    assert.equal(res.status, 202);
    assert.equal(
      (await oci.call("GET", `/20210415/containerInstances/${String(ci.id)}`)).json.lifecycleState,
      "DELETING",
    );
    clock.advance(3000);
    assert.equal(
      (await oci.call("GET", `/20210415/containerInstances/${String(ci.id)}`)).json.lifecycleState,
      "DELETED",
    );
    const done = await wr(res.headers["opc-work-request-id"] as string);
    assert.equal((done.json.resources as Record<string, unknown>[])[0]?.actionType, "DELETED");
    const again = await oci.call("DELETE", `/20210415/containerInstances/${String(ci.id)}`);
    assert.equal(again.status, 404);
  });

  it("lists instances as {items} with pagination over 120 items", async function () {
    this.timeout(60_000);
    const compartmentId = "ocid1.compartment.oc1..aaaaaaaacipaging";
    for (let i = 0; i < 121; i++) {
      const res = await oci.call("POST", "/20210415/containerInstances", {
        body: createBody({ compartmentId, displayName: `ci-${i}` }),
      });
      assert.equal(res.status, 200);
    }
    let page: string | undefined;
    const names = new Set<string>();
    let pages = 0;
    do {
      const res = await oci.call(
        "GET",
        `/20210415/containerInstances?compartmentId=${compartmentId}&limit=40${page ? `&page=${page}` : ""}`,
      );
      for (const item of res.json.items as Record<string, unknown>[]) names.add(String(item.displayName));
      page = res.headers["opc-next-page"];
      pages++;
    } while (page !== undefined);
    assert.equal(names.size, 121);
    assert.equal(pages, 4);
    const wrs = await oci.call("GET", `/20210415/workRequests?compartmentId=${compartmentId}&limit=1000`);
    assert.equal((wrs.json.items as unknown[]).length, 121);
    clock.advance(3000);
  });

  it("lists the shapes", async () => {
    const res = await oci.call(
      "GET",
      `/20210415/containerInstanceShapes?compartmentId=${emu.oci.compartmentOcid}`,
    );
    assert.equal(res.status, 200);
    const names = (res.json.items as Record<string, unknown>[]).map((s) => s.name);
    assert.ok(names.includes("CI.Standard.E4.Flex"));
    const missing = await oci.call("GET", "/20210415/containerInstanceShapes");
    assert.equal(missing.json.code, "MissingParameter");
  });

  it("serves the same work requests through /20160918 with bare arrays", async () => {
    const res = await oci.call("POST", "/20210415/containerInstances", { body: createBody() });
    const wrId = res.headers["opc-work-request-id"] as string;
    const get = await oci.call("GET", `/20160918/workRequests/${wrId}`);
    assert.equal(get.status, 200);
    assert.equal(get.json.id, wrId);
    assert.equal(get.json.status, "ACCEPTED");
    const list = await oci.call(
      "GET",
      `/20160918/workRequests?compartmentId=${emu.oci.compartmentOcid}&resourceId=${String(res.json.id)}`,
    );
    assert.ok(Array.isArray(list.body));
    assert.deepEqual(
      (list.body as Record<string, unknown>[]).map((w) => w.id),
      [wrId],
    );
    clock.advance(3000);
    const logs = await oci.call("GET", `/20160918/workRequests/${wrId}/logs`);
    assert.ok(Array.isArray(logs.body));
    assert.equal((logs.body as unknown[]).length, 4);
    const errors = await oci.call("GET", `/20160918/workRequests/${wrId}/errors`);
    assert.deepEqual(errors.body, []);
    const missing = await oci.call(
      "GET",
      "/20160918/workRequests/ocid1.computecontainerinstanceworkrequest.oc1.us-ashburn-1.aaaaaaaanope",
    );
    assert.equal(missing.status, 404);
  });
});
