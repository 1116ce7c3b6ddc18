import { strict as assert } from "node:assert";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { Harness, base, projectId } from "./harness";

const fnUrn = `urn:fss:eu-de:${projectId}:function:default:drifty`;

describe("emulator/functiongraph service contract", () => {
  let h: Harness;
  beforeEach(async () => {
    h = new Harness();
    await h.createFunction("drifty");
  });

  it("drift change merges wire fields into a function's config; drift delete removes it", async () => {
    const before = await h.call("GET", `${base}/fgs/functions/${fnUrn}/config`);
    h.clock.advance(60_000);
    assert.equal(
      h.service.drift({
        action: "change",
        resourceId: `${fnUrn}:latest`,
        patch: { memory_size: 1024, description: "changed", strategy_config: { concurrency: 0 } },
      }),
      true,
    );
    const got = await h.call("GET", `${base}/fgs/functions/${fnUrn}/config`);
    assert.equal(got.json.memory_size, 1024);
    assert.notEqual(got.json.last_modified, before.json.last_modified);
    assert.equal(got.json.description, "changed");
    assert.deepEqual(got.json.strategy_config, { concurrency: 0, concurrent_num: 1 });
    assert.equal(h.service.drift({ action: "delete", resourceId: fnUrn }), true);
    assert.equal((await h.call("GET", `${base}/fgs/functions/${fnUrn}/config`)).status, 404);
    assert.equal(h.service.drift({ action: "delete", resourceId: fnUrn }), false);
  });

  it("drifts aliases (`<urn>/<alias>`), triggers (id) and dependency versions (`<dep_id>/<version>`)", async () => {
    await h.call("POST", `${base}/fgs/functions/${fnUrn}/versions`, { body: { version: "v1" } });
    await h.call("POST", `${base}/fgs/functions/${fnUrn}/aliases`, { body: { name: "prod", version: "v1" } });
    assert.equal(
      h.service.drift({ action: "change", resourceId: `${fnUrn}/prod`, patch: { description: "by hand" } }),
      true,
    );
    assert.equal(
      (await h.call("GET", `${base}/fgs/functions/${fnUrn}/aliases/prod`)).json.description,
      "by hand",
    );
    const trigger = await h.call("POST", `${base}/fgs/triggers/${fnUrn}`, {
      body: { trigger_type_code: "TIMER", event_data: { name: "t", schedule_type: "Rate", schedule: "1h" } },
    });
    const id = String(trigger.json.trigger_id);
    assert.equal(
      h.service.drift({
        action: "change",
        resourceId: `${fnUrn}/TIMER/${id}`,
        patch: { trigger_status: "DISABLED" },
      }),
      true,
    );
    assert.equal(
      (await h.call("GET", `${base}/fgs/triggers/${fnUrn}/TIMER/${id}`)).json.trigger_status,
      "DISABLED",
    );
    assert.equal(h.service.drift({ action: "delete", resourceId: id }), true);
    assert.equal((await h.call("GET", `${base}/fgs/triggers/${fnUrn}`)).list.length, 0);
    const dep = await h.call("POST", `${base}/fgs/dependencies/version`, {
      body: { depend_type: "obs", depend_link: "https://x/y.zip", runtime: "Python3.9", name: "dep" },
    });
    assert.equal(h.service.drift({ action: "delete", resourceId: `${String(dep.json.dep_id)}/1` }), true);
    assert.equal(h.service.drift({ action: "delete", resourceId: "ocid1.fnfunc.oc1.x.y" }), false);
  });

  it("exports JSON-safe state that a fresh service imports, and reset drops resources but keeps credentials", async () => {
    h.service.registerCredentials({ accessKey: "KEPTACCESSKEY0000001", secretKey: "kept" });
    const token = await h.token();
    const snapshot = JSON.parse(JSON.stringify(h.service.exportState())) as unknown;
    const other = new Harness();
    other.service.importState(snapshot);
    const got = await other.call("GET", `${base}/fgs/functions/${fnUrn}/config`);
    assert.equal(got.status, 200);
    assert.equal(got.json.func_name, "drifty");
    assert.equal(
      (await other.call("GET", `${base}/fgs/functions`, { auth: { kind: "token", token } })).status,
      200,
    );
    assert.equal(
      (
        await other.call("GET", `${base}/fgs/functions`, {
          auth: { kind: "sdk", accessKey: "KEPTACCESSKEY0000001", secretKey: "kept" },
        })
      ).status,
      200,
    );
    h.service.reset();
    assert.equal((await h.call("GET", `${base}/fgs/functions`)).json.count, 0);
    assert.equal(
      (
        await h.call("GET", `${base}/fgs/functions`, {
          auth: { kind: "sdk", accessKey: "KEPTACCESSKEY0000001", secretKey: "kept" },
        })
      ).status,
      200,
    );
  });

  it("writes clouds.yaml with cloud fnstack: auth_url <origin>/v3, the user, project eu-de, ak/sk", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fnstack-fg-"));
    try {
      await h.service.writeDevelopmentAccount(dir, "http://127.0.0.1:4567");
      const file = join(dir, "clouds.yaml");
      const doc = parse(await readFile(file, "utf8")) as { clouds: { fnstack: Record<string, unknown> } };
      const cloud = doc.clouds.fnstack;
      const auth = cloud.auth as Record<string, unknown>;
      const account = h.service.developmentAccount;
      assert.equal(auth.auth_url, "http://127.0.0.1:4567/v3");
      assert.equal(auth.username, account.userName);
      assert.equal(auth.password, account.password);
      assert.equal(auth.user_domain_name, account.domainName);
      assert.equal(auth.project_name, "eu-de");
      assert.equal(auth.project_id, projectId);
      assert.equal(cloud.region_name, "eu-de");
      assert.equal(cloud.ak, account.accessKey);
      assert.equal(cloud.sk, account.secretKey);
      assert.equal((await stat(file)).mode & 0o777, 0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("renders FunctionGraph, gateway and IAM error bodies, each with X-Request-Id", () => {
    const fss = h.service.errorResponse(429, "FSS.0429", "Too many requests", "rid");
    assert.deepEqual(fss, {
      status: 429,
      headers: { "x-request-id": "rid" },
      body: { error_code: "FSS.0429", error_msg: "Too many requests" },
    });
    const gw = h.service.errorResponse(401, "APIGW.0301", "bad", "rid");
    assert.deepEqual(gw.body, { error_code: "APIGW.0301", error_msg: "bad", request_id: "rid" });
    assert.equal(h.service.throttleCode, "FSS.0429");
  });

  it("routes only its own paths", () => {
    assert.equal(h.service.route("GET", "/20181201/applications"), undefined);
    assert.equal(h.service.route("GET", `${base}/fgs/functions`)?.operation, "ListFunctions");
    assert.equal(
      h.service.route("DELETE", `${base}/fgs/functions/${fnUrn}:!a`)?.params.function_urn,
      `${fnUrn}:!a`,
    );
    assert.equal(h.service.route("PATCH", `${base}/fgs/functions`)?.operation, "UnknownApi");
  });
});

describe("emulator/functiongraph route table", () => {
  it("has a handler behind every route: each one answers something other than the gateway's 404", async () => {
    const h = new Harness();
    await h.createFunction("every");
    const u = `urn:fss:eu-de:${projectId}:function:default:every`;
    const routes: Array<[string, string]> = [
      ["POST", `${base}/fgs/functions`],
      ["GET", `${base}/fgs/functions`],
      ["GET", `${base}/fgs/functions/reservedinstanceconfigs`],
      ["GET", `${base}/fgs/functions/${u}/config`],
      ["PUT", `${base}/fgs/functions/${u}/config`],
      ["GET", `${base}/fgs/functions/${u}/code`],
      ["PUT", `${base}/fgs/functions/${u}/code`],
      ["PUT", `${base}/fgs/functions/${u}/config-max-instance`],
      ["PUT", `${base}/fgs/functions/${u}/collect/true`],
      ["PUT", `${base}/fgs/functions/${u}/reservedinstances`],
      ["POST", `${base}/fgs/functions/${u}/versions`],
      ["GET", `${base}/fgs/functions/${u}/versions`],
      ["POST", `${base}/fgs/functions/${u}/aliases`],
      ["GET", `${base}/fgs/functions/${u}/aliases`],
      ["GET", `${base}/fgs/functions/${u}/aliases/a`],
      ["PUT", `${base}/fgs/functions/${u}/aliases/a`],
      ["DELETE", `${base}/fgs/functions/${u}/aliases/a`],
      ["POST", `${base}/fgs/functions/${u}/invocations`],
      ["POST", `${base}/fgs/functions/${u}/invocations-async`],
      ["POST", `${base}/fgs/triggers/${u}`],
      ["GET", `${base}/fgs/triggers/${u}`],
      ["GET", `${base}/fgs/triggers/${u}/TIMER/x`],
      ["PUT", `${base}/fgs/triggers/${u}/TIMER/x`],
      ["DELETE", `${base}/fgs/triggers/${u}/TIMER/x`],
      ["DELETE", `${base}/fgs/triggers/${u}`],
      ["POST", `${base}/fgs/dependencies/version`],
      ["GET", `${base}/fgs/dependencies`],
      ["GET", `${base}/fgs/dependencies/d/version`],
      ["GET", `${base}/fgs/dependencies/d/version/1`],
      ["DELETE", `${base}/fgs/dependencies/d/version/1`],
      ["GET", `${base}/functions/${u}/tags`],
      ["POST", `${base}/functions/${u}/tags/create`],
      ["DELETE", `${base}/functions/${u}/tags/delete`],
      ["DELETE", `${base}/fgs/functions/${u}`],
    ];
    const seen = new Set<string>();
    for (const [method, path] of routes) {
      const match = h.service.route(method, path);
      assert.ok(match && match.operation !== "UnknownApi", `${method} ${path} is routed`);
      seen.add(match.operation);
      const res = await h.call(method, path, { body: {} });
      assert.notEqual(res.json.error_code, "APIG.0101", `${method} ${path}`);
      assert.ok(res.status < 500 || res.json.error_code === "FSS.0500", `${method} ${path}: ${res.status}`);
      assert.ok(res.headers["x-request-id"], `${method} ${path} has X-Request-Id`);
    }
    assert.equal(seen.size, routes.length, "every listed route is a distinct operation");
  });

  it("pins and unpins a function (collect)", async () => {
    const h = new Harness();
    await h.createFunction("pin");
    const u = `urn:fss:eu-de:${projectId}:function:default:pin`;
    assert.equal((await h.call("PUT", `${base}/fgs/functions/${u}/collect/true`)).status, 200);
    assert.equal((await h.call("PUT", `${base}/fgs/functions/${u}/collect/maybe`)).status, 400);
  });
});
