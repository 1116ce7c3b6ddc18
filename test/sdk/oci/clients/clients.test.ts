import { strict as assert } from "node:assert";
import { NotFoundError, PreconditionFailedError } from "../../../../sdk/core/errors";
import { collect, parseRetryAfter } from "../../../../sdk/oci/clients/common";
import * as ci from "../../../../sdk/oci/clients/container-instances";
import * as fm from "../../../../sdk/oci/clients/functions-management";
import { invokeContext, invokeFunction } from "../../../../sdk/oci/clients/functions-invoke";
import * as wr from "../../../../sdk/oci/clients/work-requests";
import { startStubServer, type StubServer } from "./stub-server";

describe("OCI clients (against a scripted server)", function () {
  this.timeout(20_000);
  let server: StubServer;
  before(async () => {
    server = await startStubServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  it("follows opc-next-page across pages of a bare-array Functions list, passing filters and page", async () => {
    server.reply(
      { body: [{ id: "a1" }, { id: "a2" }], headers: { "opc-next-page": "p2" } },
      { body: [{ id: "a3" }], headers: { "opc-next-page": "p3" } },
      { body: [] },
    );
    const ctx = server.context();
    const ids = (
      await collect(
        fm.listApplications(
          ctx,
          { compartmentId: "ocid1.compartment.oc1..x", displayName: "orders" },
          { limit: 2 },
        ),
      )
    ).map((a) => a.id);
    assert.deepEqual(ids, ["a1", "a2", "a3"]);
    assert.equal(server.requests.length, 3);
    assert.equal(
      server.requests[0]?.url,
      "/20181201/applications?compartmentId=ocid1.compartment.oc1..x&displayName=orders&limit=2",
    );
    assert.match(server.requests[1]?.url ?? "", /[?&]page=p2(&|$)/);
    assert.match(server.requests[2]?.url ?? "", /[?&]page=p3(&|$)/);
  });

  it("reads {items} pages of Container Instances lists and stops on a repeated page token", async () => {
    server.reply(
      { body: { items: [{ id: "c1" }] }, headers: { "opc-next-page": "same" } },
      { body: { items: [{ id: "c2" }] }, headers: { "opc-next-page": "same" } },
    );
    const ids = (
      await collect(
        ci.listContainerInstances(server.context("/20210415"), { compartmentId: "ocid1.compartment.oc1..x" }),
      )
    ).map((c) => c.id);
    assert.deepEqual(ids, ["c1", "c2"]);
    assert.equal(server.requests.length, 2);
  });

  it("sends if-match when given, returns the etag, and maps 412 and 404 to typed errors", async () => {
    server.reply(
      { body: { id: "f", lifecycleState: "ACTIVE" }, headers: { etag: "e2" } },
      { status: 412, body: { code: "NoEtagMatch", message: "etag mismatch" } },
      { status: 404, body: { code: "NotAuthorizedOrNotFound", message: "gone" } },
    );
    const ctx = server.context();
    const ok = await fm.updateFunction(
      ctx,
      "ocid1.fnfunc.oc1.iad.x",
      { memoryInMBs: 256 },
      { ifMatch: "e1" },
    );
    assert.equal(ok.etag, "e2");
    assert.equal(server.requests[0]?.headers["if-match"], "e1");
    assert.equal(server.requests[0]?.method, "PUT");
    assert.deepEqual(JSON.parse(server.requests[0]?.body ?? ""), { memoryInMBs: 256 });
    await assert.rejects(
      fm.deleteFunction(ctx, "ocid1.fnfunc.oc1.iad.x", { ifMatch: "old" }),
      PreconditionFailedError,
    );
    await assert.rejects(
      fm.getApplication(ctx, "ocid1.fnapp.oc1.iad.x"),
      (e: unknown) => e instanceof NotFoundError && e.code === "NotAuthorizedOrNotFound",
    );
  });

  it("encodes path parameters", async () => {
    server.reply({ body: { id: "x" } });
    await fm.getFunction(server.context(), "a/b c");
    assert.equal(server.requests[0]?.url, "/20181201/functions/a%2Fb%20c");
  });

  it("sends one opc-retry-token per create and repeats it on every retry", async () => {
    server.reply(
      { status: 503, body: { code: "ServiceUnavailable", message: "busy" } },
      { status: 500, body: { code: "InternalServerError", message: "oops" } },
      { body: { id: "ocid1.computecontainerinstance.oc1.iad.x" }, headers: { "opc-work-request-id": "wr1" } },
    );
    const details = {
      compartmentId: "c",
      availabilityDomain: "a:b",
      shape: "s",
      shapeConfig: { ocpus: 1 },
      containers: [],
      vnics: [],
    };
    const token = ci.newRetryToken();
    const created = await ci.createContainerInstance(server.context("/20210415"), details, {
      retryToken: token,
    });
    assert.equal(created.value.id, "ocid1.computecontainerinstance.oc1.iad.x");
    assert.equal(created.workRequestId, "wr1");
    assert.deepEqual(
      server.requests.map((r) => r.headers["opc-retry-token"]),
      [token, token, token],
    );
    server.reply({ body: {} }, { body: {} });
    const ctx = server.context("/20210415");
    await ci.createContainerInstance(ctx, details);
    await ci.createContainerInstance(ctx, details);
    const [a, b] = server.requests.slice(3).map((r) => r.headers["opc-retry-token"]);
    assert.ok(a && b && a !== b, "two logical creates carry two tokens");
  });

  it("does not repeat a Functions create after a 5xx (no retry token exists for it), but does after a 429", async () => {
    server.reply({ status: 502, body: { code: "BadGateway", message: "x" } });
    await assert.rejects(
      fm.createApplication(server.context(), { compartmentId: "c", displayName: "d", subnetIds: ["s"] }),
    );
    assert.equal(server.requests.length, 1);
    server.reply(
      { status: 429, body: { code: "TooManyRequests", message: "slow down" } },
      { body: { id: "app" } },
    );
    const created = await fm.createApplication(server.context(), {
      compartmentId: "c",
      displayName: "d",
      subnetIds: ["s"],
    });
    assert.equal(created.value.id, "app");
  });

  it("sends start/stop as empty POSTs and returns the work request id", async () => {
    server.reply({ status: 202, headers: { "opc-work-request-id": "wr-stop" } });
    const r = await ci.stopContainerInstance(
      server.context("/20210415"),
      "ocid1.computecontainerinstance.oc1.iad.x",
      { ifMatch: "e" },
    );
    assert.equal(r.workRequestId, "wr-stop");
    assert.equal(
      server.requests[0]?.url,
      "/20210415/containerInstances/ocid1.computecontainerinstance.oc1.iad.x/actions/stop",
    );
    assert.equal(server.requests[0]?.headers["content-length"], "0");
    assert.equal(server.requests[0]?.headers["if-match"], "e");
  });

  it("invokes through the function's invoke endpoint with fn-intent and fn-invoke-type, answering the raw bytes", async () => {
    server.reply({ body: "raw answer", headers: { "content-type": "text/plain" } });
    const base = server.context();
    const ctx = invokeContext(base, base.endpoint.origin);
    const out = await invokeFunction(ctx, {
      functionId: "ocid1.fnfunc.oc1.iad.x",
      body: "hi",
      fnIntent: "cloudevent",
      fnInvokeType: "detached",
    });
    assert.equal(out.body.toString("utf8"), "raw answer");
    const req = server.requests[0];
    assert.equal(req?.url, "/20181201/functions/ocid1.fnfunc.oc1.iad.x/actions/invoke");
    assert.equal(req?.headers["fn-intent"], "cloudevent");
    assert.equal(req?.headers["fn-invoke-type"], "detached");
    assert.equal(req?.body, "hi");
    assert.throws(() => invokeContext(base, "not a url"), TypeError);
  });

  it("reads work requests, their errors and logs from the Work Requests API, with retry-after", async () => {
    server.reply(
      { body: { id: "wr", operationType: "x", status: "IN_PROGRESS" }, headers: { "retry-after": "2" } },
      { body: [{ code: "E", message: "m" }] },
      { body: [{ message: "l1" }, { message: "l2" }] },
    );
    const ctx = server.context("/20160918");
    const got = await wr.getWorkRequest(ctx, "wr");
    assert.equal(got.retryAfterMs, 2000);
    assert.deepEqual(await collect(wr.listWorkRequestErrors(ctx, "wr")), [{ code: "E", message: "m" }]);
    assert.deepEqual(
      (await collect(wr.listWorkRequestLogs(ctx, "wr"))).map((l) => l.message),
      ["l1", "l2"],
    );
    assert.match(server.requests[1]?.url ?? "", /^\/20160918\/workRequests\/wr\/errors/);
  });

  it("parses retry-after as seconds or an HTTP date", () => {
    assert.equal(parseRetryAfter("3"), 3000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(parseRetryAfter("soon"), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });
});
