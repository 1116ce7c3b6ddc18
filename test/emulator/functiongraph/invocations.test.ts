import { strict as assert } from "node:assert";
import { Harness, base, projectId } from "./harness";

const fnUrn = `urn:fss:eu-de:${projectId}:function:default:echo`;

describe("emulator/functiongraph invocation", () => {
  let h: Harness;
  beforeEach(async () => {
    h = new Harness();
    await h.createFunction("echo");
  });

  it("answers a synchronous invocation with {request_id, result, log, status}: result is the event as sent", async () => {
    const event = { message: "Hello World", n: 3 };
    const res = await h.call("POST", `${base}/fgs/functions/${fnUrn}/invocations`, { body: event });
    assert.equal(res.status, 200);
    assert.equal(res.json.result, JSON.stringify(event));
    assert.equal(res.json.status, 200);
    assert.equal(res.json.log, "");
    assert.equal(res.json.request_id, res.headers["x-cff-request-id"]);
    assert.equal(res.headers["x-func-err-code"], "0");
    assert.ok(JSON.parse(res.headers["x-cff-invoke-summary"] ?? "{}").memorySize === 256);
    assert.equal(res.headers["x-cff-function-log"], undefined);
  });

  it("returns the log with X-Cff-Log-Type: tail, and the bare result with X-CFF-Request-Version: v0", async () => {
    const tail = await h.call("POST", `${base}/fgs/functions/${fnUrn}/invocations`, {
      body: { a: 1 },
      headers: { "X-Cff-Log-Type": "tail" },
    });
    assert.match(String(tail.json.log), /Start invoke request/);
    assert.equal(Buffer.from(tail.headers["x-cff-function-log"] ?? "", "base64").toString(), tail.json.log);
    const v0 = await h.call("POST", `${base}/fgs/functions/${fnUrn}/invocations`, {
      body: { a: 1 },
      headers: { "X-CFF-Request-Version": "v0" },
    });
    assert.deepEqual(v0.body, { a: 1 });
  });

  it("invokes a version or alias URN, and 404s a missing function with FSS.1051", async () => {
    await h.call("POST", `${base}/fgs/functions/${fnUrn}/versions`, { body: { version: "v1" } });
    await h.call("POST", `${base}/fgs/functions/${fnUrn}/aliases`, { body: { name: "live", version: "v1" } });
    assert.equal(
      (await h.call("POST", `${base}/fgs/functions/${fnUrn}:v1/invocations`, { body: {} })).status,
      200,
    );
    assert.match(
      String(
        (
          await h.call("POST", `${base}/fgs/functions/${fnUrn}:!live/invocations`, {
            body: {},
            headers: { "X-Cff-Log-Type": "tail" },
          })
        ).json.log,
      ),
      /version: v1/,
    );
    const missing = await h.call("POST", `${base}/fgs/functions/${fnUrn}x/invocations`, { body: {} });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error_code, "FSS.1051");
  });

  it("accepts an asynchronous invocation with 202 {request_id}", async () => {
    const res = await h.call("POST", `${base}/fgs/functions/${fnUrn}/invocations-async`, {
      body: { job: 1 },
    });
    assert.equal(res.status, 202);
    assert.match(String(res.json.request_id), /^[0-9a-f-]{36}$/);
    assert.equal(res.headers["x-cff-request-id"], res.json.request_id);
  });

  it("rejects an event that is not JSON with 400 FSS.0400", async () => {
    const res = await h.call("POST", `${base}/fgs/functions/${fnUrn}/invocations`, {
      body: "not json",
      auth: { kind: "token", token: await h.token() },
    });
    assert.equal(res.status, 400);
    assert.equal(res.json.error_code, "FSS.0400");
  });
});
