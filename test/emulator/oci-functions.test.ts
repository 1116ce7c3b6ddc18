import { strict as assert } from "node:assert";
import { ManualClock, type RunningEmulator, startEmulator } from "../../emulator";
import { OciTestClient, control } from "./helpers";

describe("emulator: OCI Functions (/20181201)", function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  let oci: OciTestClient;
  let clock: ManualClock;
  let n = 0;
  const unique = (prefix: string): string => `${prefix}-${++n}`;

  before(async () => {
    clock = new ManualClock();
    emu = await startEmulator({ clock, timing: { lifecycleMs: 2000 } });
    oci = new OciTestClient(emu);
  });
  after(() => emu.close());

  const appBody = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    compartmentId: emu.oci.compartmentOcid,
    displayName: unique("app"),
    subnetIds: [emu.oci.subnetOcid],
    ...extra,
  });

  async function activeApp(extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const res = await oci.call("POST", "/20181201/applications", { body: appBody(extra) });
    assert.equal(res.status, 200, res.text);
    clock.advance(2000);
    return res.json;
  }

  async function activeFunction(
    appId: string,
    extra: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    const res = await oci.call("POST", "/20181201/functions", {
      body: {
        applicationId: appId,
        displayName: unique("fn"),
        memoryInMBs: 256,
        image: "iad.ocir.io/ns/hello:1.0",
        ...extra,
      },
    });
    assert.equal(res.status, 200, res.text);
    clock.advance(2000);
    return res.json;
  }

  describe("applications", () => {
    it("creates an application in CREATING with an etag, and it turns ACTIVE after lifecycleMs of emulator time", async () => {
      const res = await oci.call("POST", "/20181201/applications", { body: appBody({ config: { A: "1" } }) });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.lifecycleState, "CREATING");
      assert.match(String(res.json.id), /^ocid1\.fnapp\.oc1\.us-ashburn-1\./);
      assert.equal(res.json.shape, "GENERIC_X86");
      assert.deepEqual(res.json.config, { A: "1" });
      assert.ok(res.headers.etag);
      assert.ok(res.headers["opc-request-id"]);
      clock.advance(1999);
      const early = await oci.call("GET", `/20181201/applications/${String(res.json.id)}`);
      assert.equal(early.json.lifecycleState, "CREATING");
      clock.advance(1);
      const later = await oci.call("GET", `/20181201/applications/${String(res.json.id)}`);
      assert.equal(later.json.lifecycleState, "ACTIVE");
      assert.notEqual(later.headers.etag, res.headers.etag);
    });

    it("echoes a caller-supplied opc-request-id", async () => {
      const res = await oci.call("GET", `/20181201/applications?compartmentId=${emu.oci.compartmentOcid}`, {
        headers: { "opc-request-id": "TEST-REQUEST-1" },
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers["opc-request-id"], "TEST-REQUEST-1");
    });

    it("rejects an update while CREATING with 409 IncorrectState", async () => {
      const res = await oci.call("POST", "/20181201/applications", { body: appBody() });
      const upd = await oci.call("PUT", `/20181201/applications/${String(res.json.id)}`, {
        body: { config: { B: "2" } },
      });
      assert.equal(upd.status, 409);
      assert.equal(upd.json.code, "IncorrectState");
      clock.advance(2000);
    });

    it("updates with a matching if-match and answers 412 NoEtagMatch with a stale one", async () => {
      const app = await activeApp();
      const get = await oci.call("GET", `/20181201/applications/${String(app.id)}`);
      const ok = await oci.call("PUT", `/20181201/applications/${String(app.id)}`, {
        body: { config: { KEY: "v" }, freeformTags: { team: "x" } },
        headers: { "if-match": get.headers.etag as string },
      });
      assert.equal(ok.status, 200, ok.text);
      assert.deepEqual(ok.json.config, { KEY: "v" });
      assert.deepEqual(ok.json.freeformTags, { team: "x" });
      const stale = await oci.call("PUT", `/20181201/applications/${String(app.id)}`, {
        body: { config: {} },
        headers: { "if-match": get.headers.etag as string },
      });
      assert.equal(stale.status, 412);
      assert.equal(stale.json.code, "NoEtagMatch");
    });

    it("refuses fields that cannot be updated", async () => {
      const app = await activeApp();
      const res = await oci.call("PUT", `/20181201/applications/${String(app.id)}`, {
        body: { displayName: "renamed" },
      });
      assert.equal(res.status, 400);
      assert.equal(res.json.code, "InvalidParameter");
    });

    it("validates create bodies with MissingParameter and InvalidParameter", async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ displayName: "x", subnetIds: [emu.oci.subnetOcid] }, "MissingParameter"],
        [appBody({ subnetIds: undefined }), "MissingParameter"],
        [appBody({ shape: "GENERIC_SPARC" }), "InvalidParameter"],
        [appBody({ config: { "bad-key": "v" } }), "InvalidParameter"],
        [appBody({ config: { BIG: "x".repeat(4097) } }), "InvalidParameter"],
        [appBody({ subnetIds: ["not-an-ocid"] }), "InvalidParameter"],
        [appBody({ compartmentId: "ocid1.fnapp.oc1..x" }), "InvalidParameter"],
        [appBody({ unknownField: 1 }), "InvalidParameter"],
        [appBody({ syslogUrl: "tcp://logs.example.com:65536" }), "InvalidParameter"],
        [appBody({ syslogUrl: "udp://logs.example.com:0" }), "InvalidParameter"],
      ];
      for (const [body, code] of cases) {
        const res = await oci.call("POST", "/20181201/applications", { body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.json.code, code, JSON.stringify(body));
        assert.equal(typeof res.json.message, "string");
      }
    });

    it("accepts a syslog URL on the highest port", async () => {
      const res = await oci.call("POST", "/20181201/applications", {
        body: appBody({ syslogUrl: "tcp+tls://logs.example.com:65535" }),
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.syslogUrl, "tcp+tls://logs.example.com:65535");
      clock.advance(2000);
    });

    it("accepts a config of exactly 4096 bytes", async () => {
      const res = await oci.call("POST", "/20181201/applications", {
        body: appBody({ config: { K: "x".repeat(4095) } }),
      });
      assert.equal(res.status, 200, res.text);
      clock.advance(2000);
    });

    it("answers 409 Conflict for a duplicate display name in the compartment", async () => {
      const body = appBody();
      assert.equal((await oci.call("POST", "/20181201/applications", { body })).status, 200);
      const dup = await oci.call("POST", "/20181201/applications", { body });
      assert.equal(dup.status, 409);
      assert.equal(dup.json.code, "Conflict");
      clock.advance(2000);
    });

    it("deletes: DELETING, then DELETED after lifecycleMs; a second delete is 404", async () => {
      const app = await activeApp();
      const del = await oci.call("DELETE", `/20181201/applications/${String(app.id)}`);
      assert.equal(del.status, 204);
      const during = await oci.call("GET", `/20181201/applications/${String(app.id)}`);
      assert.equal(during.json.lifecycleState, "DELETING");
      const again = await oci.call("DELETE", `/20181201/applications/${String(app.id)}`);
      assert.equal(again.status, 409);
      assert.equal(again.json.code, "IncorrectState");
      clock.advance(2000);
      const after = await oci.call("GET", `/20181201/applications/${String(app.id)}`);
      assert.equal(after.json.lifecycleState, "DELETED");
      const third = await oci.call("DELETE", `/20181201/applications/${String(app.id)}`);
      assert.equal(third.status, 404);
      assert.equal(third.json.code, "NotAuthorizedOrNotFound");
    });

    it("refuses to delete an application that still has functions (409 Conflict)", async () => {
      const app = await activeApp();
      await activeFunction(String(app.id));
      const del = await oci.call("DELETE", `/20181201/applications/${String(app.id)}`);
      assert.equal(del.status, 409);
      assert.equal(del.json.code, "Conflict");
    });

    it("moves an application and its functions to another compartment", async () => {
      const app = await activeApp();
      const fn = await activeFunction(String(app.id));
      const target = emu.oci.tenancyOcid;
      const res = await oci.call(
        "POST",
        `/20181201/applications/${String(app.id)}/actions/changeCompartment`,
        { body: { compartmentId: target } },
      );
      assert.equal(res.status, 204, res.text);
      assert.equal(
        (await oci.call("GET", `/20181201/applications/${String(app.id)}`)).json.compartmentId,
        target,
      );
      assert.equal(
        (await oci.call("GET", `/20181201/functions/${String(fn.id)}`)).json.compartmentId,
        target,
      );
    });

    it("answers 404 NotAuthorizedOrNotFound for an unknown application and 400 for a malformed id", async () => {
      const missing = await oci.call(
        "GET",
        "/20181201/applications/ocid1.fnapp.oc1.us-ashburn-1.aaaaaaaadoesnotexist",
      );
      assert.equal(missing.status, 404);
      assert.equal(missing.json.code, "NotAuthorizedOrNotFound");
      const malformed = await oci.call("GET", "/20181201/applications/not%20an%20id");
      assert.equal(malformed.status, 400);
      assert.equal(malformed.json.code, "InvalidParameter");
    });

    it("lists as a bare array with filters, sorting and URL-safe opc-next-page tokens over 120 items", async function () {
      this.timeout(60_000);
      const compartmentId = "ocid1.compartment.oc1..aaaaaaaapagination";
      const names: string[] = [];
      for (let i = 0; i < 125; i++) {
        const name = `page-${String(i).padStart(3, "0")}`;
        names.push(name);
        const res = await oci.call("POST", "/20181201/applications", {
          body: { compartmentId, displayName: name, subnetIds: [emu.oci.subnetOcid] },
        });
        assert.equal(res.status, 200, res.text);
      }
      const seen: string[] = [];
      let page: string | undefined;
      let pages = 0;
      do {
        const res = await oci.call(
          "GET",
          `/20181201/applications?compartmentId=${compartmentId}&limit=50&sortBy=displayName&sortOrder=DESC${page ? `&page=${page}` : ""}`,
        );
        assert.equal(res.status, 200, res.text);
        assert.ok(Array.isArray(res.body));
        for (const item of res.body as Record<string, unknown>[]) seen.push(String(item.displayName));
        page = res.headers["opc-next-page"];
        if (page !== undefined) assert.match(page, /^[A-Za-z0-9_-]+$/);
        pages++;
      } while (page !== undefined);
      assert.equal(pages, 3);
      assert.deepEqual(seen, [...names].reverse());
      const defaultPage = await oci.call("GET", `/20181201/applications?compartmentId=${compartmentId}`);
      assert.equal((defaultPage.body as unknown[]).length, 10);
      const byName = await oci.call(
        "GET",
        `/20181201/applications?compartmentId=${compartmentId}&displayName=page-007`,
      );
      assert.deepEqual(
        (byName.body as Record<string, unknown>[]).map((a) => a.displayName),
        ["page-007"],
      );
      const creating = await oci.call(
        "GET",
        `/20181201/applications?compartmentId=${compartmentId}&lifecycleState=ACTIVE`,
      );
      assert.deepEqual(creating.body, []);
      const bad = await oci.call("GET", `/20181201/applications?compartmentId=${compartmentId}&page=garbage`);
      assert.equal(bad.status, 400);
      const noCompartment = await oci.call("GET", "/20181201/applications");
      assert.equal(noCompartment.status, 400);
      assert.equal(noCompartment.json.code, "MissingParameter");
      clock.advance(2000);
    });
  });

  describe("functions", () => {
    it("creates a function with a resolved digest, the application's shape and the emulator as invokeEndpoint", async () => {
      const app = await activeApp({ shape: "GENERIC_ARM" });
      const res = await oci.call("POST", "/20181201/functions", {
        body: {
          applicationId: app.id,
          displayName: unique("fn"),
          memoryInMBs: 128,
          image: "iad.ocir.io/ns/a:1",
        },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.lifecycleState, "CREATING");
      assert.match(String(res.json.imageDigest), /^sha256:[0-9a-f]{64}$/);
      assert.equal(res.json.shape, "GENERIC_ARM");
      assert.equal(res.json.invokeEndpoint, emu.url);
      assert.equal(res.json.compartmentId, emu.oci.compartmentOcid);
      assert.equal(res.json.timeoutInSeconds, 30);
      const again = await oci.call("POST", "/20181201/functions", {
        body: {
          applicationId: app.id,
          displayName: unique("fn"),
          memoryInMBs: 128,
          image: "iad.ocir.io/ns/a:1",
        },
      });
      assert.equal(again.json.imageDigest, res.json.imageDigest, "the digest is deterministic");
      clock.advance(2000);
    });

    it("refuses an image without its tag (CreateFunctionDetails: 'including the image tag')", async () => {
      const app = await activeApp();
      for (const image of ["iad.ocir.io/ns/hello", "registry:5000/ns/hello"]) {
        const res = await oci.call("POST", "/20181201/functions", {
          body: { applicationId: app.id, displayName: unique("fn"), memoryInMBs: 128, image },
        });
        assert.equal(res.status, 400, image);
        assert.equal(res.json.code, "InvalidParameter", image);
      }
    });

    it("keeps a given imageDigest and re-resolves it when only the image changes", async () => {
      const app = await activeApp();
      const digest = `sha256:${"a".repeat(64)}`;
      const fn = await activeFunction(String(app.id), { imageDigest: digest });
      assert.equal(fn.imageDigest, digest);
      const upd = await oci.call("PUT", `/20181201/functions/${String(fn.id)}`, {
        body: { image: "iad.ocir.io/ns/hello:2.0", memoryInMBs: 512 },
      });
      assert.equal(upd.status, 200, upd.text);
      assert.notEqual(upd.json.imageDigest, digest);
      assert.equal(upd.json.memoryInMBs, 512);
    });

    it("validates function bodies", async () => {
      const app = await activeApp();
      const base = {
        applicationId: app.id,
        displayName: unique("fn"),
        memoryInMBs: 256,
        image: "iad.ocir.io/ns/x:1",
      };
      const cases: [Record<string, unknown>, number, string][] = [
        [{ ...base, memoryInMBs: undefined }, 400, "MissingParameter"],
        [{ ...base, memoryInMBs: 64 }, 400, "InvalidParameter"],
        [{ ...base, image: undefined }, 400, "MissingParameter"],
        [{ ...base, timeoutInSeconds: 301 }, 400, "InvalidParameter"],
        [{ ...base, imageDigest: "md5:x" }, 400, "InvalidParameter"],
        [{ ...base, provisionedConcurrencyConfig: { strategy: "CONSTANT" } }, 400, "MissingParameter"],
        [{ ...base, failureDestination: { kind: "STREAM" } }, 400, "MissingParameter"],
        [
          { ...base, applicationId: "ocid1.fnapp.oc1.us-ashburn-1.aaaaaaaanope" },
          404,
          "NotAuthorizedOrNotFound",
        ],
      ];
      for (const [body, status, code] of cases) {
        const res = await oci.call("POST", "/20181201/functions", { body });
        assert.equal(res.status, status, `${JSON.stringify(body)} → ${res.text}`);
        assert.equal(res.json.code, code, JSON.stringify(body));
      }
    });

    it("refuses a function in an application that is still CREATING (409 IncorrectState)", async () => {
      const app = await oci.call("POST", "/20181201/applications", { body: appBody() });
      const res = await oci.call("POST", "/20181201/functions", {
        body: { applicationId: app.json.id, displayName: "f", memoryInMBs: 128, image: "i:1" },
      });
      assert.equal(res.status, 409);
      assert.equal(res.json.code, "IncorrectState");
      clock.advance(2000);
    });

    it("requires unique function names within the application", async () => {
      const app = await activeApp();
      const body = { applicationId: app.id, displayName: "same", memoryInMBs: 128, image: "i:1" };
      assert.equal((await oci.call("POST", "/20181201/functions", { body })).status, 200);
      const dup = await oci.call("POST", "/20181201/functions", { body });
      assert.equal(dup.status, 409);
      assert.equal(dup.json.code, "Conflict");
      clock.advance(2000);
    });

    it("lists functions of an application as a bare array and paginates", async () => {
      const app = await activeApp();
      for (let i = 0; i < 12; i++) {
        await oci.call("POST", "/20181201/functions", {
          body: { applicationId: app.id, displayName: `f${i}`, memoryInMBs: 128, image: "i:1" },
        });
      }
      const first = await oci.call("GET", `/20181201/functions?applicationId=${String(app.id)}`);
      assert.equal((first.body as unknown[]).length, 10);
      assert.ok(first.headers["opc-next-page"]);
      const second = await oci.call(
        "GET",
        `/20181201/functions?applicationId=${String(app.id)}&page=${first.headers["opc-next-page"] as string}`,
      );
      assert.equal((second.body as unknown[]).length, 2);
      assert.equal(second.headers["opc-next-page"], undefined);
      const missing = await oci.call("GET", "/20181201/functions");
      assert.equal(missing.json.code, "MissingParameter");
      clock.advance(2000);
    });

    it("deletes a function through DELETING to DELETED, after which the application can be deleted", async () => {
      const app = await activeApp();
      const fn = await activeFunction(String(app.id));
      assert.equal((await oci.call("DELETE", `/20181201/functions/${String(fn.id)}`)).status, 204);
      assert.equal(
        (await oci.call("GET", `/20181201/functions/${String(fn.id)}`)).json.lifecycleState,
        "DELETING",
      );
      clock.advance(2000);
      assert.equal(
        (await oci.call("GET", `/20181201/functions/${String(fn.id)}`)).json.lifecycleState,
        "DELETED",
      );
      assert.equal((await oci.call("DELETE", `/20181201/applications/${String(app.id)}`)).status, 204);
    });
  });

  describe("invoke", () => {
    let fnId: string;
    before(async () => {
      const app = await activeApp();
      fnId = String((await activeFunction(String(app.id))).id);
    });

    it("echoes the request body and content type", async () => {
      const res = await oci.call("POST", `/20181201/functions/${fnId}/actions/invoke`, {
        body: '{"hello":"world"}',
        headers: { "fn-intent": "httprequest", "fn-invoke-type": "sync" },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.text, '{"hello":"world"}');
      assert.equal(res.headers["content-type"], "application/json");
      assert.ok(res.headers["fn-call-id"]);
    });

    it("answers 202 with no body for a detached invocation", async () => {
      const res = await oci.call("POST", `/20181201/functions/${fnId}/actions/invoke`, {
        body: "x",
        headers: { "fn-invoke-type": "detached" },
      });
      assert.equal(res.status, 202);
      assert.equal(res.text, "");
    });

    it("rejects unknown fn-invoke-type and fn-intent values", async () => {
      const a = await oci.call("POST", `/20181201/functions/${fnId}/actions/invoke`, {
        body: "x",
        headers: { "fn-invoke-type": "async" },
      });
      assert.equal(a.status, 400);
      const b = await oci.call("POST", `/20181201/functions/${fnId}/actions/invoke`, {
        body: "x",
        headers: { "fn-intent": "rpc" },
      });
      assert.equal(b.status, 400);
    });

    it("accepts 6 MB and rejects 6 MB + 1 byte with 413", async () => {
      const max = Buffer.alloc(6 * 1024 * 1024, 0x61);
      const ok = await oci.callManually("POST", `/20181201/functions/${fnId}/actions/invoke`, {
        body: max,
        headers: { "content-type": "application/octet-stream" },
      });
      assert.equal(ok.status, 200, ok.text.slice(0, 200));
      assert.equal(ok.text.length, max.length);
      const over = await oci.callManually("POST", `/20181201/functions/${fnId}/actions/invoke`, {
        body: Buffer.alloc(6 * 1024 * 1024 + 1, 0x61),
        headers: { "content-type": "application/octet-stream" },
      });
      assert.equal(over.status, 413);
      assert.equal(over.json.code, "PayloadTooLarge");
    });

    it("refuses to invoke a function that is not ACTIVE", async () => {
      const app = await activeApp();
      const fn = await oci.call("POST", "/20181201/functions", {
        body: { applicationId: app.id, displayName: unique("fn"), memoryInMBs: 128, image: "i:1" },
      });
      const res = await oci.call("POST", `/20181201/functions/${String(fn.json.id)}/actions/invoke`, {
        body: "x",
      });
      assert.equal(res.status, 409);
      assert.equal(res.json.code, "IncorrectState");
      clock.advance(2000);
    });
  });

  describe("pre-built functions", () => {
    it("serves a fixed catalogue of listings, versions and triggers, and creates a function from a listing", async () => {
      const listings = await oci.call("GET", "/20181201/pbfListings");
      assert.equal(listings.status, 200);
      const items = listings.json.items as Record<string, unknown>[];
      assert.ok(items.length >= 2);
      const first = items[0] as Record<string, unknown>;
      assert.match(String(first.id), /^ocid1\.fnpbf\./);
      const one = await oci.call("GET", `/20181201/pbfListings/${String(first.id)}`);
      assert.equal(one.json.name, first.name);
      const byName = await oci.call(
        "GET",
        `/20181201/pbfListings?nameContains=${encodeURIComponent(String(first.name).slice(0, 4).toLowerCase())}`,
      );
      assert.ok((byName.json.items as unknown[]).length >= 1);
      const versions = await oci.call("GET", `/20181201/pbfListingVersions?pbfListingId=${String(first.id)}`);
      const version = (versions.json.items as Record<string, unknown>[])[0] as Record<string, unknown>;
      assert.equal(version.pbfListingId, first.id);
      assert.equal(
        (await oci.call("GET", `/20181201/pbfListingVersions/${String(version.id)}`)).json.id,
        version.id,
      );
      assert.equal((await oci.call("GET", "/20181201/pbfListingVersions")).json.code, "MissingParameter");
      const triggers = await oci.call("GET", "/20181201/pbfListings/triggers");
      assert.ok((triggers.json.items as Record<string, unknown>[]).some((t) => t.name === "HTTP"));

      const app = await activeApp();
      const fn = await oci.call("POST", "/20181201/functions", {
        body: {
          applicationId: app.id,
          displayName: unique("pbf"),
          memoryInMBs: 512,
          sourceDetails: { sourceType: "PRE_BUILT_FUNCTIONS", pbfListingId: first.id },
        },
      });
      assert.equal(fn.status, 200, fn.text);
      assert.deepEqual(fn.json.sourceDetails, { sourceType: "PRE_BUILT_FUNCTIONS", pbfListingId: first.id });
      assert.equal(fn.json.image, undefined);
      const unknown = await oci.call("POST", "/20181201/functions", {
        body: {
          applicationId: app.id,
          displayName: unique("pbf"),
          memoryInMBs: 512,
          sourceDetails: {
            sourceType: "PRE_BUILT_FUNCTIONS",
            pbfListingId: "ocid1.fnpbf.oc1.us-ashburn-1.aaaaaaaanope",
          },
        },
      });
      assert.equal(unknown.status, 404);
      clock.advance(2000);
    });
  });

  describe("stats", () => {
    it("counts operations in /_emulator/stats", async () => {
      const stats = await control(emu, "GET", "stats");
      const ops = (stats.json.requests as Record<string, Record<string, number>>).oci as Record<
        string,
        number
      >;
      assert.ok((ops.CreateApplication ?? 0) >= 125);
      assert.ok((ops.InvokeFunction ?? 0) >= 1);
    });
  });
});
