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

describe("emulator/functiongraph function config, code and lifecycle", () => {
  let h: Harness;
  beforeEach(() => {
    h = new Harness();
  });

  const config = (name: string): string => `${base}/fgs/functions/${urn(name)}/config`;
  const code = (name: string): string => `${base}/fgs/functions/${urn(name)}/code`;

  it("PUT config replaces the whole config: a strategy_config without concurrency zeroes it and disables the function", async () => {
    await h.createFunction("trap", { description: "keep me", user_data: JSON.stringify({ A: "1" }) });
    const before = await h.call("GET", config("trap"));
    assert.deepEqual(before.json.strategy_config, { concurrency: 400, concurrent_num: 1 });
    const put = await h.call("PUT", config("trap"), {
      body: {
        func_name: "trap",
        runtime: "Node.js18.15",
        handler: "index.handler",
        memory_size: 512,
        timeout: 60,
        strategy_config: { concurrent_num: 5 },
      },
    });
    assert.equal(put.status, 200);
    assert.deepEqual(put.json.strategy_config, { concurrency: 0, concurrent_num: 5 });
    // Fields not sent are reset to their defaults, not kept.
    assert.equal(put.json.description, "");
    assert.equal(put.json.user_data, "");
    assert.equal(put.json.memory_size, 512);
    const invoked = await h.call("POST", `${base}/fgs/functions/${urn("trap")}/invocations`, {
      body: { a: 1 },
    });
    assert.equal(invoked.status, 429);
    assert.deepEqual(invoked.json, { error_code: "FSS.0429", error_msg: "Function Disabled" });
  });

  it("PUT config requires func_name, runtime, handler, memory and timeout, and refuses a published version", async () => {
    await h.createFunction("req");
    const noName = await h.call("PUT", config("req"), {
      body: { runtime: "Node.js18.15", handler: "index.handler", timeout: 3, memory_size: 128 },
    });
    assert.equal(noName.status, 400);
    assert.equal(noName.json.error_code, "FSS.1002");
    const missing = await h.call("PUT", config("req"), {
      body: { func_name: "req", runtime: "Node.js18.15", handler: "index.handler", timeout: 3 },
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error_code, "FSS.1007");
    await h.call("POST", `${base}/fgs/functions/${urn("req")}/versions`, { body: { version: "v1" } });
    const onVersion = await h.call("PUT", `${base}/fgs/functions/${urn("req", "v1")}/config`, {
      body: { runtime: "Node.js18.15", handler: "index.handler", timeout: 3, memory_size: 128 },
    });
    assert.equal(onVersion.status, 400);
  });

  it("blanks the values of encrypted_user_data on read", async () => {
    const res = await h.createFunction("secret", {
      encrypted_user_data: JSON.stringify({ PASSWORD: "hunter2" }),
    });
    assert.equal(res.json.encrypted_user_data, JSON.stringify({ PASSWORD: "" }));
  });

  it("PUT code requires func_code, validates zip magic with FSS.1011, and updates digest and size", async () => {
    await h.createFunction("coded");
    const noCode = await h.call("PUT", code("coded"), { body: { code_type: "inline" } });
    assert.equal(noCode.status, 400);
    assert.equal(noCode.json.error_code, "FSS.1012");
    const notZip = await h.call("PUT", code("coded"), {
      body: { code_type: "zip", depend_version_list: [] },
    });
    assert.equal(notZip.status, 400);
    assert.deepEqual(notZip.json, { error_code: "FSS.1011", error_msg: "zip: not a valid zip file" });
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(60, 1)]);
    const ok = await h.call("PUT", code("coded"), {
      body: { code_type: "zip", code_filename: "fn.zip", func_code: { file: zip.toString("base64") } },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.code_size, zip.length);
    assert.equal(ok.json.digest, createHash("sha512").update(zip).digest("hex"));
    assert.deepEqual(ok.json.func_code, { file: "", link: "" });
    const read = await h.call("GET", config("coded"));
    assert.equal(read.json.code_type, "zip");
    assert.equal(read.json.code_filename, "fn.zip");
  });

  it("PUT code changes depend_version_list only when sent; an explicit [] clears it", async () => {
    const dep = await h.call("POST", `${base}/fgs/dependencies/version`, {
      body: {
        depend_type: "obs",
        depend_link: "https://bucket.obs/dep.zip",
        runtime: "Node.js18.15",
        name: "lodash",
      },
    });
    const depId = String(dep.json.id);
    await h.createFunction("deps", { depend_version_list: [depId] });
    const inline = { code_type: "inline", func_code: { file: Buffer.from("x.y").toString("base64") } };
    const kept = await h.call("PUT", code("deps"), { body: inline });
    assert.deepEqual(kept.json.depend_version_list, [depId]);
    assert.equal((kept.json.dependencies as unknown[]).length, 1);
    const cleared = await h.call("PUT", code("deps"), { body: { ...inline, depend_version_list: [] } });
    assert.deepEqual(cleared.json.depend_version_list, []);
    const unknown = await h.call("PUT", code("deps"), { body: { ...inline, depend_version_list: ["nope"] } });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error_code, "FSS.1056");
  });

  it("sets max instances (-1..1000; 0 disables invocation) as strategy_config.concurrency", async () => {
    await h.createFunction("maxi");
    const path = `${base}/fgs/functions/${urn("maxi")}/config-max-instance`;
    const set = await h.call("PUT", path, { body: { max_instance_num: 7 } });
    assert.equal(set.status, 200);
    assert.equal((set.json.strategy_config as Record<string, unknown>).concurrency, 7);
    assert.equal(set.json.max_instance_num, undefined, "GET config has no max_instance_num (SDK model)");
    assert.equal((await h.call("PUT", path, { body: { max_instance_num: -2 } })).status, 400);
    await h.call("PUT", path, { body: { max_instance_num: 0 } });
    const invoked = await h.call("POST", `${base}/fgs/functions/${urn("maxi")}/invocations`, { body: {} });
    assert.equal(invoked.status, 429);
  });

  it("deletes by URN: a version alone, never latest alone, the whole function without a qualifier", async () => {
    await h.createFunction("del");
    await h.call("POST", `${base}/fgs/functions/${urn("del")}/versions`, { body: { version: "v1" } });
    await h.call("POST", `${base}/fgs/functions/${urn("del")}/aliases`, {
      body: { name: "prod", version: "v1" },
    });
    const latest = await h.call("DELETE", `${base}/fgs/functions/${urn("del", "latest")}`);
    assert.equal(latest.status, 400);
    const v1 = await h.call("DELETE", `${base}/fgs/functions/${urn("del", "v1")}`);
    assert.equal(v1.status, 204);
    const versions = await h.call("GET", `${base}/fgs/functions/${urn("del")}/versions`);
    assert.deepEqual(
      (versions.json.versions as Array<Record<string, unknown>>).map((v) => v.version),
      ["latest"],
    );
    // Deleting a version deletes the aliases on it.
    assert.deepEqual((await h.call("GET", `${base}/fgs/functions/${urn("del")}/aliases`)).body, []);
    const all = await h.call("DELETE", `${base}/fgs/functions/${urn("del")}`);
    assert.equal(all.status, 204);
    assert.equal((await h.call("GET", config("del"))).status, 404);
  });

  it("deleting an alias URN deletes the version the alias points to", async () => {
    await h.createFunction("viaalias");
    await h.call("POST", `${base}/fgs/functions/${urn("viaalias")}/versions`, { body: { version: "v1" } });
    await h.call("POST", `${base}/fgs/functions/${urn("viaalias")}/aliases`, {
      body: { name: "a1", version: "v1" },
    });
    assert.equal((await h.call("DELETE", `${base}/fgs/functions/${urn("viaalias", "!a1")}`)).status, 204);
    const v1 = await h.call("GET", `${base}/fgs/functions/${urn("viaalias", "v1")}/config`);
    assert.equal(v1.status, 404);
    assert.equal(v1.json.error_code, "FSS.1052");
  });

  it("lists 130 functions in pages with marker/maxitems, and defaults maxitems to 400", async () => {
    for (let i = 0; i < 130; i++)
      assert.equal((await h.createFunction(`fn${String(i).padStart(3, "0")}`)).status, 200);
    const names: string[] = [];
    let marker = "0";
    let pages = 0;
    for (;;) {
      const res = await h.call("GET", `${base}/fgs/functions?marker=${marker}&maxitems=50`);
      assert.equal(res.status, 200);
      assert.equal(res.json.count, 130);
      const items = res.json.functions as Array<Record<string, unknown>>;
      if (items.length === 0) break;
      pages++;
      for (const item of items) {
        names.push(String(item.func_name));
        assert.equal(item.func_urn, urn(String(item.func_name)));
        assert.equal("func_id" in item, false);
      }
      marker = String(res.json.next_marker);
    }
    assert.equal(pages, 3);
    assert.equal(new Set(names).size, 130);
    const all = await h.call("GET", `${base}/fgs/functions`);
    assert.equal((all.json.functions as unknown[]).length, 130);
    const negative = await h.call("GET", `${base}/fgs/functions?maxitems=-1`);
    assert.equal(negative.status, 400);
  });

  it("creates, lists and deletes tags under /v2/{project}/functions/{urn}/tags", async () => {
    await h.createFunction("tagged");
    const tags = `${base}/functions/${urn("tagged")}/tags`;
    const created = await h.call("POST", `${tags}/create`, {
      body: {
        tags: [
          { key: "team", value: "a" },
          { key: "env", value: "dev" },
        ],
      },
    });
    assert.equal(created.status, 204);
    await h.call("POST", `${tags}/create`, { body: { tags: [{ key: "team", value: "b" }] } });
    assert.deepEqual((await h.call("GET", tags)).json.tags, [
      { key: "team", value: "b" },
      { key: "env", value: "dev" },
    ]);
    assert.equal(
      (await h.call("DELETE", `${tags}/delete`, { body: { tags: [{ key: "team" }] } })).status,
      204,
    );
    assert.deepEqual((await h.call("GET", tags)).json.tags, [{ key: "env", value: "dev" }]);
  });

  it("sets reserved instances per qualifier and lists them", async () => {
    await h.createFunction("warm");
    await h.call("POST", `${base}/fgs/functions/${urn("warm")}/versions`, { body: { version: "v1" } });
    const set = await h.call("PUT", `${base}/fgs/functions/${urn("warm", "v1")}/reservedinstances`, {
      body: { count: 2, idle_mode: true },
    });
    assert.equal(set.status, 200);
    assert.equal(set.json.count, 2);
    const list = await h.call(
      "GET",
      `${base}/fgs/functions/reservedinstanceconfigs?function_urn=${urn("warm")}`,
    );
    assert.equal(list.status, 200);
    assert.deepEqual(
      (list.json.reserved_instances as Array<Record<string, unknown>>).map((r) => [
        r.qualifier_type,
        r.qualifier_name,
        r.min_count,
      ]),
      [["version", "v1", 2]],
    );
  });

  it("refuses a body declared as another media type with 400 FSS.0400, before parsing it", async () => {
    const token = await h.token();
    const res = await h.call("POST", `${base}/fgs/functions`, {
      auth: { kind: "token", token },
      headers: { "content-type": "text/plain" },
      body: { func_name: "typed" },
    });
    assert.equal(res.status, 400);
    assert.equal(res.json.error_code, "FSS.0400");
    assert.match(String(res.json.error_msg), /Content-Type/);
    const charset = await h.createFunction("typed", {});
    assert.equal(charset.status, 200);
  });

  it("answers an unknown FunctionGraph path with the gateway's 404", async () => {
    const res = await h.call("GET", `${base}/fgs/nothing-here`);
    assert.equal(res.status, 404);
    assert.equal(res.json.error_code, "APIG.0101");
  });
});
