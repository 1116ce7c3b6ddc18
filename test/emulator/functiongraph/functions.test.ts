import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { Harness, base, projectId } from "./harness";

const urn = (name: string, q?: string): string =>
  `urn:fss:eu-de:${projectId}:function:default:${name}${q === undefined ? "" : `:${q}`}`;

describe("emulator/functiongraph functions", () => {
  let h: Harness;
  beforeEach(() => {
    h = new Harness();
  });

  it("creates a function and returns the :latest URN, the SHA-512 digest and code size, never the code", async () => {
    const code = "exports.handler = async (e) => e;";
    const res = await h.createFunction("hello", {
      func_code: { file: Buffer.from(code).toString("base64") },
    });
    assert.equal(res.status, 200);
    assert.equal(res.json.func_urn, urn("hello", "latest"));
    assert.equal(res.json.digest, createHash("sha512").update(code).digest("hex"));
    assert.equal(res.json.code_size, code.length);
    assert.equal(res.json.version, "latest");
    assert.equal(res.json.namespace, projectId);
    assert.match(String(res.json.last_modified), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.equal(res.headers["x-request-id"], "req-1");
    const code2 = await h.call("GET", `${base}/fgs/functions/${urn("hello")}/code`);
    assert.equal(code2.status, 200);
    assert.deepEqual(code2.json.func_code, { file: "", link: "" });
  });

  it("accepts every URN shorthand as the path parameter, with raw ':' or %3A", async () => {
    await h.createFunction("short");
    for (const form of [
      "short",
      "default:short",
      `${projectId}:default:short`,
      `${projectId}:default:short:latest`,
      urn("short"),
      urn("short", "latest"),
      encodeURIComponent(urn("short")),
    ]) {
      const res = await h.call("GET", `${base}/fgs/functions/${form}/config`);
      assert.equal(res.status, 200, form);
      assert.equal(res.json.func_name, "short");
    }
    const other = await h.call(
      "GET",
      `${base}/fgs/functions/urn:fss:eu-de:otherproject:function:default:short/config`,
    );
    assert.equal(other.status, 404);
    assert.equal(other.json.error_code, "FSS.1051");
  });

  it("rejects a duplicate name with 409 FSS.1061 and missing functions with 404 FSS.1051", async () => {
    assert.equal((await h.createFunction("dup")).status, 200);
    const again = await h.createFunction("dup");
    assert.equal(again.status, 409);
    assert.deepEqual(Object.keys(again.json).sort(), ["error_code", "error_msg"]);
    assert.equal(again.json.error_code, "FSS.1061");
    const missing = await h.call("GET", `${base}/fgs/functions/${urn("nope")}/config`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error_code, "FSS.1051");
  });

  it("validates create bodies with the service's codes", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ func_name: "1bad" }, "FSS.1002"],
      [{ func_name: "a".repeat(61) }, "FSS.1002"],
      [{ handler: "" }, "FSS.1003"],
      [{ handler: "nodot" }, "FSS.1003"],
      [{ runtime: "Cobol85" }, "FSS.1005"],
      [{ memory_size: 300 }, "FSS.1007"],
      [{ timeout: 2 }, "FSS.1008"],
      [{ timeout: 259201 }, "FSS.1008"],
      [{ code_type: "tarball" }, "FSS.1006"],
      [
        {
          user_data: JSON.stringify(Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`K${i}`, "v"]))),
        },
        "FSS.1017",
      ],
      [{ user_data: JSON.stringify({ BIG: "x".repeat(5000) }) }, "FSS.1018"],
      [{ description: "d".repeat(513) }, "FSS.1019"],
      [{ code_type: "zip", func_code: { file: Buffer.from("not a zip").toString("base64") } }, "FSS.1011"],
    ];
    for (const [extra, code] of cases) {
      const res = await h.createFunction("valid", extra);
      assert.equal(res.status, 400, JSON.stringify(extra));
      assert.equal(res.json.error_code, code, JSON.stringify(extra));
    }
    const malformed = await h.call("POST", `${base}/fgs/functions`, {
      body: "{not json",
      auth: { kind: "token", token: await h.token() },
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.json.error_code, "FSS.0400");
  });

  it("accepts a plausible runtime the SDK enum does not list", async () => {
    const res = await h.createFunction("future", { runtime: "Node.js22.1" });
    assert.equal(res.status, 200);
    assert.equal(res.json.runtime, "Node.js22.1");
  });
});
