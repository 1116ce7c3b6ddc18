import { strict as assert } from "node:assert";
import { Harness, base, projectId } from "./harness";

const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40, 7)]).toString("base64");

describe("emulator/functiongraph dependencies", () => {
  let h: Harness;
  beforeEach(() => {
    h = new Harness();
  });
  const create = (body: Record<string, unknown>) =>
    h.call("POST", `${base}/fgs/dependencies/version`, {
      body: { runtime: "Python3.9", name: "numpy", ...body },
    });

  it("starts at version 1 and appends versions of the same name under one dep_id", async () => {
    const v1 = await create({ depend_type: "zip", depend_file: zip });
    assert.equal(v1.status, 200);
    assert.equal(v1.json.version, 1);
    assert.equal(v1.json.size, 44);
    assert.match(String(v1.json.etag), /^[0-9a-f]{32}$/);
    const v2 = await create({ depend_type: "obs", depend_link: "https://b.obs.eu-de/numpy.zip" });
    assert.equal(v2.json.version, 2);
    assert.equal(v2.json.dep_id, v1.json.dep_id);
    assert.notEqual(v2.json.id, v1.json.id);
    const depId = String(v1.json.dep_id);
    const versions = await h.call("GET", `${base}/fgs/dependencies/${depId}/version`);
    assert.equal(versions.json.count, 2);
    const got = await h.call("GET", `${base}/fgs/dependencies/${depId}/version/2`);
    assert.equal(got.json.id, v2.json.id);
    assert.equal(got.json.is_shared, false);
    const list = await h.call("GET", `${base}/fgs/dependencies?dependency_type=private`);
    assert.equal(list.json.count, 1);
    assert.equal((list.json.dependencies as Array<Record<string, unknown>>)[0]?.version, 2);
  });

  it("validates the body: not a zip (FSS.1011), missing link, bad name, unknown runtime (FSS.1005)", async () => {
    assert.equal(
      (await create({ depend_type: "zip", depend_file: Buffer.from("nope").toString("base64") })).json
        .error_code,
      "FSS.1011",
    );
    assert.equal((await create({ depend_type: "obs" })).status, 400);
    assert.equal((await create({ depend_type: "obs", depend_link: "x", name: "9bad" })).status, 400);
    assert.equal(
      (await create({ depend_type: "obs", depend_link: "x", runtime: "Cobol" })).json.error_code,
      "FSS.1005",
    );
  });

  it("refuses to delete a version a function uses (412 FSS.1033), deletes it once unused, then 404 FSS.1056", async () => {
    const dep = await create({ depend_type: "zip", depend_file: zip });
    const depPath = `${base}/fgs/dependencies/${String(dep.json.dep_id)}/version/1`;
    await h.createFunction("user", { depend_version_list: [dep.json.id] });
    const refused = await h.call("DELETE", depPath);
    assert.equal(refused.status, 412);
    assert.equal(refused.json.error_code, "FSS.1033");
    const fnUrn = `urn:fss:eu-de:${projectId}:function:default:user`;
    await h.call("PUT", `${base}/fgs/functions/${fnUrn}/code`, {
      body: {
        code_type: "inline",
        func_code: { file: Buffer.from("a.b").toString("base64") },
        depend_version_list: [],
      },
    });
    assert.equal((await h.call("DELETE", depPath)).status, 204);
    const gone = await h.call("GET", depPath);
    assert.equal(gone.status, 404);
    assert.equal(gone.json.error_code, "FSS.1056");
  });

  it("counts a published version's dependencies as in use", async () => {
    const dep = await create({ depend_type: "zip", depend_file: zip });
    await h.createFunction("pinned", { depend_version_list: [dep.json.id] });
    const fnUrn = `urn:fss:eu-de:${projectId}:function:default:pinned`;
    await h.call("POST", `${base}/fgs/functions/${fnUrn}/versions`, { body: { version: "v1" } });
    await h.call("PUT", `${base}/fgs/functions/${fnUrn}/code`, {
      body: {
        code_type: "inline",
        func_code: { file: Buffer.from("a.b").toString("base64") },
        depend_version_list: [],
      },
    });
    const refused = await h.call("DELETE", `${base}/fgs/dependencies/${String(dep.json.dep_id)}/version/1`);
    assert.equal(refused.json.error_code, "FSS.1033");
  });
});
