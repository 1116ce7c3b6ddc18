import { strict as assert } from "node:assert";
import { connect } from "node:net";
import { request } from "undici";
import { ManualClock, type RunningEmulator, startEmulator } from "../../emulator";
import { OciTestClient, control } from "./helpers";

describe("emulator: server pipeline and control API", function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  let oci: OciTestClient;
  let clock: ManualClock;

  before(async () => {
    clock = new ManualClock();
    emu = await startEmulator({ clock, seed: 7 });
    oci = new OciTestClient(emu);
  });
  after(() => emu.close());
  afterEach(async () => {
    await control(emu, "DELETE", "faults");
    await control(emu, "PUT", "rate-limit", { requestsPerSecond: 0 });
  });

  const listPath = (): string => `/20181201/applications?compartmentId=${emu.oci.compartmentOcid}`;
  const appBody = (name: string): Record<string, unknown> => ({
    compartmentId: emu.oci.compartmentOcid,
    displayName: name,
    subnetIds: [emu.oci.subnetOcid],
  });

  describe("robustness", () => {
    it("answers an unknown OCI route with 404 NotFound in OCI's error shape", async () => {
      const res = await oci.call("GET", "/20181201/nothingHere");
      assert.equal(res.status, 404);
      assert.equal(res.json.code, "NotFound");
      assert.equal(typeof res.json.message, "string");
      assert.ok(res.headers["opc-request-id"]);
      const root = await request(`${emu.url}/`);
      assert.equal(root.statusCode, 404);
      assert.equal(((await root.body.json()) as Record<string, unknown>).code, "NotFound");
    });

    it("answers a known path with the wrong method with 405 MethodNotAllowed", async () => {
      const res = await oci.call("PATCH", "/20181201/applications", { body: "{}" });
      assert.equal(res.status, 405);
      assert.equal(res.json.code, "MethodNotAllowed");
    });

    it("answers malformed JSON with 400 CannotParseRequest and a wrong content type with 415", async () => {
      const bad = await oci.call("POST", "/20181201/applications", { body: "{not json" });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.code, "CannotParseRequest");
      const array = await oci.call("POST", "/20181201/applications", { body: "[1,2]" });
      assert.equal(array.json.code, "CannotParseRequest");
      const xml = await oci.call("POST", "/20181201/applications", {
        body: "<a/>",
        headers: { "content-type": "application/xml" },
      });
      assert.equal(xml.status, 415);
      assert.equal(xml.json.code, "UnsupportedMediaType");
    });

    it("answers an oversized body with 413 in OCI's shape without reading it all", async () => {
      const res = await request(`${emu.url}/20181201/applications`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: Buffer.alloc(9 * 1024 * 1024, 0x20),
      }).catch((err: unknown) => err as Error);
      if (res instanceof Error) {
        // The server may close the connection before the client finished sending; that is an answer too.
        assert.match(res.message, /other side closed|socket|EPIPE|ECONNRESET/i);
      } else {
        assert.equal(res.statusCode, 413);
        assert.equal(((await res.body.json()) as Record<string, unknown>).code, "PayloadTooLarge");
      }
      assert.equal((await oci.call("GET", listPath())).status, 200, "the server still answers");
    });

    it("survives a client that disconnects mid-body", async () => {
      const { hostname, port } = new URL(emu.url);
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(port), hostname, () => {
          socket.write(
            'POST /20181201/applications HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"a":',
          );
          socket.destroy();
          resolve();
        });
        socket.on("error", reject);
      });
      assert.equal((await oci.call("GET", listPath())).status, 200);
    });

    it("answers garbage on the wire with 400 and keeps serving", async () => {
      const { hostname, port } = new URL(emu.url);
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), hostname, () => socket.write("NOT-HTTP\r\n\r\n"));
        let data = "";
        socket.on("data", (d) => (data += d.toString()));
        socket.on("close", () => resolve(data));
        socket.on("error", reject);
      });
      assert.match(reply, /^HTTP\/1\.1 400/);
      assert.equal((await oci.call("GET", listPath())).status, 200);
    });
  });

  describe("faults", () => {
    it("answers with the configured status, code, message and Retry-After, then stops after `times`", async () => {
      const rule = await control(emu, "POST", "faults", {
        service: "oci",
        operation: "ListApplications",
        status: 503,
        code: "ServiceUnavailable",
        message: "injected",
        retryAfterSeconds: 2,
        times: 2,
      });
      assert.equal(rule.status, 201);
      assert.match(String(rule.json.id), /^fault-/);
      for (let i = 0; i < 2; i++) {
        const res = await oci.call("GET", listPath());
        assert.equal(res.status, 503);
        assert.deepEqual(res.json, { code: "ServiceUnavailable", message: "injected" });
        assert.equal(res.headers["retry-after"], "2");
      }
      assert.equal((await oci.call("GET", listPath())).status, 200);
      assert.equal(
        (await oci.call("GET", "/20181201/applications/ocid1.fnapp.oc1.x.aaaa")).status,
        404,
        "other operations are untouched",
      );
    });

    it("fires on every n-th matching request", async () => {
      await control(emu, "POST", "faults", {
        service: "oci",
        operation: "ListApplications",
        status: 500,
        everyNth: 3,
      });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await oci.call("GET", listPath())).status);
      assert.deepEqual(statuses, [200, 200, 500, 200, 200, 500]);
    });

    it("fires with a seeded probability that repeats run after run", async () => {
      const run = async (): Promise<number[]> => {
        await control(emu, "DELETE", "faults");
        await control(emu, "POST", "faults", {
          service: "oci",
          operation: "ListApplications",
          status: 429,
          probability: 0.5,
          seed: 42,
        });
        const out: number[] = [];
        for (let i = 0; i < 12; i++) out.push((await oci.call("GET", listPath())).status);
        return out;
      };
      const a = await run();
      const b = await run();
      assert.deepEqual(a, b);
      assert.ok(a.includes(429) && a.includes(200), `a mix of outcomes: ${a.join(",")}`);
      const throttled = await oci.call("GET", listPath());
      if (throttled.status === 429) assert.equal(throttled.json.code, "TooManyRequests");
    });

    it("resets the connection without answering", async () => {
      await control(emu, "POST", "faults", {
        service: "oci",
        operation: "ListApplications",
        connectionReset: true,
        times: 1,
      });
      await assert.rejects(oci.call("GET", listPath()), (err: Error) =>
        /other side closed|socket|ECONNRESET/i.test(
          `${err.message} ${String((err as { code?: string }).code)}`,
        ),
      );
      assert.equal((await oci.call("GET", listPath())).status, 200);
    });

    it("adds latency and then handles the request normally", async () => {
      await control(emu, "POST", "faults", {
        service: "oci",
        operation: "ListApplications",
        latencyMs: 50,
        times: 1,
      });
      const res = await oci.call("GET", listPath());
      assert.equal(res.status, 200);
      const log = await control(emu, "GET", "requests");
      const last = (log.json.requests as Record<string, unknown>[])
        .filter((r) => r.operation === "ListApplications")
        .at(-1);
      assert.ok(last?.fault, "the log names the rule");
    });

    it("rejects invalid rules with 400", async () => {
      assert.equal((await control(emu, "POST", "faults", { status: 500 })).status, 400);
      assert.equal((await control(emu, "POST", "faults", { service: "oci", probability: 2 })).status, 400);
      assert.equal((await control(emu, "POST", "faults", { service: "oci", everyNth: 0 })).status, 400);
    });
  });

  describe("rate limit", () => {
    it("answers 429 TooManyRequests with Retry-After beyond the per-tenant bucket, refilled on the emulator clock", async () => {
      const set = await control(emu, "PUT", "rate-limit", { requestsPerSecond: 1, burst: 2 });
      assert.equal(set.status, 200);
      const before = (await control(emu, "GET", "stats")).json.throttled as number;
      assert.equal((await oci.call("GET", listPath())).status, 200);
      assert.equal((await oci.call("GET", listPath())).status, 200);
      const limited = await oci.call("GET", listPath());
      assert.equal(limited.status, 429);
      assert.equal(limited.json.code, "TooManyRequests");
      assert.ok(limited.headers["retry-after"]);
      clock.advance(1000);
      assert.equal((await oci.call("GET", listPath())).status, 200);
      assert.equal((await control(emu, "GET", "stats")).json.throttled, before + 1);
    });

    it("does not charge unauthenticated requests to the tenant", async () => {
      await control(emu, "PUT", "rate-limit", { requestsPerSecond: 1, burst: 1 });
      assert.equal((await oci.call("GET", listPath(), { sign: "none" })).status, 401);
      assert.equal((await oci.call("GET", listPath())).status, 200);
    });
  });

  describe("drift, stats, log, timing, clock, reset", () => {
    it("changes and deletes a resource behind the client's back", async () => {
      const app = await oci.call("POST", "/20181201/applications", { body: appBody("drifting") });
      const id = String(app.json.id);
      const changed = await control(emu, "POST", "drift", {
        action: "change",
        resourceId: id,
        patch: { freeformTags: { drift: "yes" } },
      });
      assert.equal(changed.status, 200);
      assert.equal(changed.json.service, "oci");
      const got = await oci.call("GET", `/20181201/applications/${id}`);
      assert.deepEqual(got.json.freeformTags, { drift: "yes" });
      assert.notEqual(got.headers.etag, app.headers.etag);
      assert.equal((await control(emu, "POST", "drift", { action: "delete", resourceId: id })).status, 200);
      assert.equal((await oci.call("GET", `/20181201/applications/${id}`)).status, 404);
      assert.equal(
        (await control(emu, "POST", "drift", { action: "delete", resourceId: "ocid1.fnapp.oc1..nope" }))
          .status,
        404,
      );
      assert.equal((await control(emu, "POST", "drift", { action: "explode", resourceId: id })).status, 400);
    });

    it("keeps secrets out of the request log", async () => {
      await oci.call("POST", "/20181201/applications", {
        body: appBody("logged"),
        headers: { "opc-request-id": "LOGGED-1" },
      });
      const log = await control(emu, "GET", "requests");
      const text = log.text;
      assert.ok(text.includes("LOGGED-1"));
      assert.ok(!/signature=|authorization|PRIVATE KEY/i.test(text));
      const entry = (log.json.requests as Record<string, unknown>[]).find((r) => r.requestId === "LOGGED-1");
      assert.equal(entry?.operation, "CreateApplication");
      assert.equal(entry?.tenant, emu.oci.tenancyOcid);
    });

    it("reports stats by service and operation, and errors by status", async () => {
      await oci.call("GET", "/20181201/applications/ocid1.fnapp.oc1.x.aaaamissing");
      const stats = await control(emu, "GET", "stats");
      const requests = stats.json.requests as Record<string, Record<string, number>>;
      assert.ok((requests.oci?.GetApplication ?? 0) >= 1);
      assert.ok(((stats.json.errors as Record<string, number>)["404"] ?? 0) >= 1);
    });

    it("reads and changes the timing", async () => {
      const got = await control(emu, "GET", "timing");
      assert.deepEqual(got.json, { lifecycleMs: 2000, workRequestMs: 3000, triggerMs: 1000 });
      const set = await control(emu, "PUT", "timing", { lifecycleMs: 10 });
      assert.equal(set.json.lifecycleMs, 10);
      const app = await oci.call("POST", "/20181201/applications", { body: appBody("fast") });
      clock.advance(10);
      assert.equal(
        (await oci.call("GET", `/20181201/applications/${String(app.json.id)}`)).json.lifecycleState,
        "ACTIVE",
      );
      assert.equal((await control(emu, "PUT", "timing", { lifecycleMs: -1 })).status, 400);
      assert.equal((await control(emu, "PUT", "timing", { bogus: 1 })).status, 400);
      await control(emu, "PUT", "timing", { lifecycleMs: 2000 });
    });

    it("advances a manual clock through the control API", async () => {
      const app = await oci.call("POST", "/20181201/applications", { body: appBody("clocked") });
      const adv = await control(emu, "POST", "clock/advance", { ms: 2000 });
      assert.equal(adv.status, 200);
      assert.equal(
        (await oci.call("GET", `/20181201/applications/${String(app.json.id)}`)).json.lifecycleState,
        "ACTIVE",
      );
      assert.equal((await control(emu, "POST", "clock/advance", { ms: -5 })).status, 400);
    });

    it("answers 404 for an unknown control route and 400 for a bad body", async () => {
      assert.equal((await control(emu, "GET", "nothing")).status, 404);
      const res = await request(`${emu.url}/_emulator/faults`, {
        method: "POST",
        body: "{",
        headers: { "content-type": "application/json" },
      });
      assert.equal(res.statusCode, 400);
      await res.body.dump();
    });

    it("resets every resource", async () => {
      await oci.call("POST", "/20181201/applications", { body: appBody("to-reset") });
      assert.equal((await control(emu, "POST", "reset")).status, 204);
      const list = await oci.call("GET", listPath());
      assert.deepEqual(list.body, []);
      assert.deepEqual((await control(emu, "GET", "stats")).json.errors, {});
    });
  });

  it("refuses clock/advance on the wall clock", async () => {
    const wall = await startEmulator();
    try {
      assert.equal((await control(wall, "POST", "clock/advance", { ms: 1 })).status, 409);
    } finally {
      await wall.close();
    }
  });
});
