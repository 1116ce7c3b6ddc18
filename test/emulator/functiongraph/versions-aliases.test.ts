import { strict as assert } from "node:assert";
import { Harness, base, projectId } from "./harness";

const urn = (name: string, q?: string): string =>
  `urn:fss:eu-de:${projectId}:function:default:${name}${q === undefined ? "" : `:${q}`}`;

describe("emulator/functiongraph versions", () => {
  let h: Harness;
  beforeEach(async () => {
    h = new Harness();
    await h.createFunction("ver");
  });
  const versions = `${base}/fgs/functions/${urn("ver")}/versions`;
  const newCode = (text: string): Record<string, unknown> => ({
    code_type: "inline",
    func_code: { file: Buffer.from(text).toString("base64") },
  });

  it("publishes a version as a function object with the version in func_urn, and lists latest first", async () => {
    const v1 = await h.call("POST", versions, { body: { version: "v1", description: "first" } });
    assert.equal(v1.status, 200);
    assert.equal(v1.json.version, "v1");
    assert.equal(v1.json.func_urn, urn("ver", "v1"));
    const list = await h.call("GET", versions);
    assert.equal(list.json.count, 2);
    assert.deepEqual(
      (list.json.versions as Array<Record<string, unknown>>).map((v) => v.version),
      ["latest", "v1"],
    );
  });

  it("answers FSS.1016 when nothing changed since the last publish, and publishes again after a code change", async () => {
    assert.equal((await h.call("POST", versions, { body: { version: "v1" } })).status, 200);
    const again = await h.call("POST", versions, { body: { version: "v2" } });
    assert.equal(again.status, 400);
    assert.equal(again.json.error_code, "FSS.1016");
    await h.call("PUT", `${base}/fgs/functions/${urn("ver")}/code`, { body: newCode("a.b // changed") });
    const v2 = await h.call("POST", versions, { body: { version: "v2" } });
    assert.equal(v2.status, 200);
    // The published version keeps its snapshot; latest moved on.
    const v1 = await h.call("GET", `${base}/fgs/functions/${urn("ver", "v1")}/config`);
    assert.notEqual(v1.json.digest, v2.json.digest);
  });

  it("names a version yyyymmdd-HHMMSS by default and refuses a duplicate name with FSS.1062", async () => {
    const auto = await h.call("POST", versions, { body: {} });
    assert.equal(auto.status, 200);
    assert.match(String(auto.json.version), /^\d{8}-\d{6}$/);
    await h.call("PUT", `${base}/fgs/functions/${urn("ver")}/code`, { body: newCode("c.d") });
    const dup = await h.call("POST", versions, { body: { version: auto.json.version } });
    assert.equal(dup.status, 409);
    assert.equal(dup.json.error_code, "FSS.1062");
  });
});

describe("emulator/functiongraph aliases", () => {
  let h: Harness;
  const aliases = `${base}/fgs/functions/${urn("al")}/aliases`;
  beforeEach(async () => {
    h = new Harness();
    await h.createFunction("al");
    await h.call("POST", `${base}/fgs/functions/${urn("al")}/versions`, { body: { version: "v1" } });
    await h.call("PUT", `${base}/fgs/functions/${urn("al")}/code`, {
      body: { code_type: "inline", func_code: { file: Buffer.from("x.y // v2").toString("base64") } },
    });
    await h.call("POST", `${base}/fgs/functions/${urn("al")}/versions`, { body: { version: "v2" } });
  });

  it("round-trips additional_version_weights through create, get, list and update", async () => {
    const created = await h.call("POST", aliases, {
      body: { name: "canary", version: "v1", description: "d", additional_version_weights: { v2: 25 } },
    });
    assert.equal(created.status, 200);
    assert.equal(created.json.alias_urn, urn("al", "!canary"));
    assert.deepEqual(created.json.additional_version_weights, { v2: 25 });
    const got = await h.call("GET", `${aliases}/canary`);
    assert.deepEqual(got.json.additional_version_weights, { v2: 25 });
    const list = await h.call("GET", aliases);
    assert.ok(Array.isArray(list.body), "the alias list is a bare array");
    assert.deepEqual(list.list[0]?.additional_version_weights, { v2: 25 });
    const updated = await h.call("PUT", `${aliases}/canary`, {
      body: { version: "v1", additional_version_weights: { v2: 60 } },
    });
    assert.deepEqual(updated.json.additional_version_weights, { v2: 60 });
    assert.equal(updated.json.description, "", "PUT alias replaces: description not sent is cleared");
  });

  it("round-trips additional_version_strategy (omitted from the list)", async () => {
    const strategy = {
      v2: { combine_type: "or", rules: [{ rule_type: "header", param: "x-beta", op: "=", value: "1" }] },
    };
    const created = await h.call("POST", aliases, {
      body: { name: "rules", version: "v1", additional_version_strategy: strategy },
    });
    assert.equal(created.status, 200);
    assert.deepEqual((await h.call("GET", `${aliases}/rules`)).json.additional_version_strategy, strategy);
    assert.equal("additional_version_strategy" in ((await h.call("GET", aliases)).list[0] ?? {}), false);
  });

  it("validates weights and versions with FSS.1091, FSS.1092, FSS.1093 and FSS.1052", async () => {
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ version: "v1", additional_version_weights: { v9: 10 } }, 400, "FSS.1091"],
      [{ version: "v1", additional_version_weights: { v2: 101 } }, 400, "FSS.1092"],
      [{ version: "v1", additional_version_weights: { v2: 1.5 } }, 400, "FSS.1092"],
      [{ version: "v1", additional_version_weights: { v1: 10 } }, 400, "FSS.1093"],
      [{ version: "v9" }, 404, "FSS.1052"],
    ];
    for (const [body, status, code] of cases) {
      const res = await h.call("POST", aliases, { body: { name: "bad", ...body } });
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.json.error_code, code, JSON.stringify(body));
    }
  });

  it("refuses a duplicate alias (FSS.1063), a missing one (FSS.1053), deleting an additional version (FSS.1094)", async () => {
    await h.call("POST", aliases, {
      body: { name: "a", version: "v1", additional_version_weights: { v2: 10 } },
    });
    assert.equal(
      (await h.call("POST", aliases, { body: { name: "a", version: "v1" } })).json.error_code,
      "FSS.1063",
    );
    const missing = await h.call("GET", `${aliases}/zzz`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error_code, "FSS.1053");
    const delV2 = await h.call("DELETE", `${base}/fgs/functions/${urn("al", "v2")}`);
    assert.equal(delV2.status, 403);
    assert.equal(delV2.json.error_code, "FSS.1094");
  });

  it("refuses to delete an alias bound to triggers (FSS.1154), then deletes it once they are gone", async () => {
    await h.call("POST", aliases, { body: { name: "bound", version: "v1" } });
    const trigger = await h.call("POST", `${base}/fgs/triggers/${urn("al", "!bound")}`, {
      body: { trigger_type_code: "TIMER", event_data: { name: "t", schedule_type: "Rate", schedule: "5m" } },
    });
    assert.equal(trigger.status, 201);
    const refused = await h.call("DELETE", `${aliases}/bound`);
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error_code, "FSS.1154");
    await h.call("DELETE", `${base}/fgs/triggers/${urn("al", "!bound")}`);
    assert.equal((await h.call("DELETE", `${aliases}/bound`)).status, 204);
  });
});

describe("emulator/functiongraph alias strategy validation", () => {
  it("rejects malformed strategies and weights combined with a strategy", async () => {
    const h = new Harness();
    await h.createFunction("st");
    const fn = `${base}/fgs/functions/${urn("st")}`;
    await h.call("POST", `${fn}/versions`, { body: { version: "v1" } });
    await h.call("PUT", `${fn}/code`, {
      body: { code_type: "inline", func_code: { file: Buffer.from("x.y // 2").toString("base64") } },
    });
    await h.call("POST", `${fn}/versions`, { body: { version: "v2" } });
    const rule = { rule_type: "Header", param: "x", op: "in", value: "a,b" };
    const bad: Array<Record<string, unknown>> = [
      { additional_version_strategy: { v2: { combine_type: "xor", rules: [rule] } } },
      { additional_version_strategy: { v2: { combine_type: "and", rules: [{ ...rule, op: ">" }] } } },
      {
        additional_version_strategy: { v2: { combine_type: "and", rules: [rule] } },
        additional_version_weights: { v2: 5 },
      },
    ];
    for (const body of bad) {
      const res = await h.call("POST", `${fn}/aliases`, { body: { name: "s", version: "v1", ...body } });
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    const good = await h.call("POST", `${fn}/aliases`, {
      body: {
        name: "s",
        version: "v1",
        additional_version_strategy: { v2: { combine_type: "and", rules: [rule] } },
      },
    });
    assert.equal(good.status, 200);
  });

  it("pages the version list with marker/maxitems", async () => {
    const h = new Harness();
    await h.createFunction("pv");
    const fn = `${base}/fgs/functions/${urn("pv")}`;
    for (let i = 1; i <= 4; i++) {
      await h.call("PUT", `${fn}/code`, {
        body: { code_type: "inline", func_code: { file: Buffer.from(`x.y // ${i}`).toString("base64") } },
      });
      assert.equal((await h.call("POST", `${fn}/versions`, { body: { version: `v${i}` } })).status, 200);
    }
    const first = await h.call("GET", `${fn}/versions?marker=0&maxitems=2`);
    assert.equal(first.json.count, 5);
    assert.equal(first.json.next_marker, 2);
    const second = await h.call("GET", `${fn}/versions?marker=2&maxitems=2`);
    assert.deepEqual(
      (second.json.versions as Array<Record<string, unknown>>).map((v) => v.version),
      ["v2", "v3"],
    );
  });
});
