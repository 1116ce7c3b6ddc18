import { strict as assert } from "node:assert";
import { NotFoundError } from "../../../../sdk/core/errors";
import { getVnic, updateVnic } from "../../../../sdk/oci/clients/vnics";
import { startStubServer, type StubServer } from "./stub-server";

describe("OCI Core VNIC client (against a scripted server)", function () {
  this.timeout(20_000);
  let server: StubServer;
  before(async () => {
    server = await startStubServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  const vnicId = "ocid1.vnic.oc1.iad.aaaa";

  it("GETs /vnics/{vnicId} and answers the VNIC with its etag", async () => {
    server.reply({
      body: { id: vnicId, privateIp: "10.0.0.2", lifecycleState: "AVAILABLE" },
      headers: { etag: "e1" },
    });
    const got = await getVnic(server.context(), vnicId);
    assert.deepEqual([got.value.privateIp, got.etag], ["10.0.0.2", "e1"]);
    assert.equal(server.requests[0]?.method, "GET");
    assert.match(String(server.requests[0]?.url), /\/vnics\/ocid1\.vnic\.oc1\.iad\.aaaa$/);
  });

  it("PUTs UpdateVnicDetails with if-match, and maps a 404 to NotFoundError", async () => {
    server.reply({ body: { id: vnicId, displayName: "b", lifecycleState: "AVAILABLE" } });
    const updated = await updateVnic(
      server.context(),
      vnicId,
      { displayName: "b", nsgIds: [] },
      { ifMatch: "e1" },
    );
    assert.equal(updated.value.displayName, "b");
    assert.equal(server.requests[0]?.method, "PUT");
    assert.equal(server.requests[0]?.headers["if-match"], "e1");
    assert.deepEqual(JSON.parse(server.requests[0]?.body ?? ""), { displayName: "b", nsgIds: [] });
    server.reply({ status: 404, body: { code: "NotAuthorizedOrNotFound", message: "no vnic" } });
    await assert.rejects(getVnic(server.context(), vnicId), NotFoundError);
  });
});
