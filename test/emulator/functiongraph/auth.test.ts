import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { IdentityStore } from "../../../emulator/functiongraph/identity";
import type { EmulatorRequest } from "../../../emulator/service";
import { Harness, base, handSign, passwordLoginBody, projectId, sdkDate } from "./harness";

const createBody = {
  func_name: "guarded",
  package: "default",
  runtime: "Python3.9",
  handler: "index.handler",
  memory_size: 128,
  timeout: 3,
  code_type: "inline",
};

describe("emulator/functiongraph authentication", () => {
  let h: Harness;
  beforeEach(() => {
    h = new Harness();
  });

  async function functionCount(): Promise<number> {
    const res = await h.call("GET", `${base}/fgs/functions`);
    assert.equal(res.status, 200);
    return Number(res.json.count);
  }

  it("accepts requests signed by the official SDK's AKSKSigner (GET with a query, POST with a body)", async () => {
    const created = await h.call("POST", `${base}/fgs/functions`, { body: createBody });
    assert.equal(created.status, 200);
    const listed = await h.call("GET", `${base}/fgs/functions?marker=0&maxitems=10&package_name=default`);
    assert.equal(listed.status, 200);
    assert.equal(listed.json.count, 1);
  });

  it("rejects an unsigned request with the gateway's 401 APIGW.0301 body and changes nothing", async () => {
    const res = await h.call("POST", `${base}/fgs/functions`, { body: createBody, auth: { kind: "none" } });
    assert.equal(res.status, 401);
    assert.equal(res.json.error_code, "APIGW.0301");
    assert.match(String(res.json.error_msg), /Incorrect IAM authentication information/);
    assert.equal(res.json.request_id, res.headers["x-request-id"]);
    assert.equal(await functionCount(), 0);
  });

  it("rejects a wrong secret key and an unknown access key", async () => {
    const wrongSk = await h.call("POST", `${base}/fgs/functions`, {
      body: createBody,
      auth: { kind: "sdk", secretKey: "not-the-secret" },
    });
    assert.equal(wrongSk.status, 401);
    assert.equal(wrongSk.json.error_code, "APIGW.0301");
    const unknownAk = await h.call("GET", `${base}/fgs/functions`, {
      auth: { kind: "sdk", accessKey: "NOSUCHACCESSKEY00000", secretKey: "x" },
    });
    assert.equal(unknownAk.status, 401);
    assert.equal(await functionCount(), 0);
  });

  it("rejects a body tampered with after signing, and a tampered query or path", async () => {
    const body = await h.call("POST", `${base}/fgs/functions`, {
      body: createBody,
      afterSign: (wire) => {
        wire.body = Buffer.from(JSON.stringify({ ...createBody, memory_size: 4096 }));
      },
    });
    assert.equal(body.status, 401);
    const query = await h.call("GET", `${base}/fgs/functions?maxitems=1`, {
      afterSign: (wire) => {
        wire.rawTarget = wire.rawTarget.replace("maxitems=1", "maxitems=2");
      },
    });
    assert.equal(query.status, 401);
    assert.equal(await functionCount(), 0);
  });

  it("checks the body against a signed X-Sdk-Content-Sha256", async () => {
    const body = JSON.stringify(createBody);
    const res = await h.call("POST", `${base}/fgs/functions`, {
      body: createBody,
      headers: { "X-Sdk-Content-Sha256": createHash("sha256").update(body).digest("hex") },
    });
    assert.equal(res.status, 200);
    const tampered = await h.call("POST", `${base}/fgs/functions`, {
      body: { ...createBody, func_name: "other" },
      headers: { "X-Sdk-Content-Sha256": createHash("sha256").update(body).digest("hex") },
    });
    assert.equal(tampered.status, 401);
    assert.match(String(tampered.json.error_msg), /X-Sdk-Content-Sha256/);
    assert.equal(await functionCount(), 1);
  });

  it("rejects X-Sdk-Date more than 15 minutes from the server clock, either way, and accepts 14 minutes", async () => {
    const now = h.clock.now();
    for (const skew of [-16 * 60_000, 16 * 60_000]) {
      const res = await h.call("POST", `${base}/fgs/functions`, { body: createBody, signedAt: now + skew });
      assert.equal(res.status, 401, `skew ${skew}`);
      assert.match(String(res.json.error_msg), /15 minutes/);
    }
    assert.equal(await functionCount(), 0);
    const ok = await h.call("GET", `${base}/fgs/functions`, { signedAt: now - 14 * 60_000 });
    assert.equal(ok.status, 200);
  });

  it("rejects a signature that leaves X-Sdk-Date unsigned", async () => {
    const date = sdkDate(h.clock.now());
    const path = `${base}/fgs/functions`;
    const authorization = handSign(
      "GET",
      `${path}/`,
      "",
      { host: "127.0.0.1:39999" },
      "",
      date,
      "FNSTACKDEVACCESSKEY1",
      h.service.developmentAccount.secretKey,
    );
    const res = await h.call("GET", path, {
      auth: { kind: "none" },
      headers: { authorization, "x-sdk-date": date },
    });
    assert.equal(res.status, 401);
  });

  it("accepts the Python SDK's canonical form: %3A on the wire, canonicalized after unquoting", async () => {
    await h.call("POST", `${base}/fgs/functions`, { body: createBody });
    const urn = `urn:fss:eu-de:${projectId}:function:default:guarded`;
    const wirePath = `${base}/fgs/functions/${encodeURIComponent(urn)}/config`;
    const canonical = `${base}/fgs/functions/${encodeURIComponent(urn)}/config/`; // decoded, then encoded once
    const date = sdkDate(h.clock.now());
    const signed = { host: "127.0.0.1:39999", "x-sdk-date": date, "content-type": "application/json" };
    const account = h.service.developmentAccount;
    const authorization = handSign(
      "GET",
      canonical,
      "",
      signed,
      "",
      date,
      account.accessKey,
      account.secretKey,
    );
    const res = await h.call("GET", wirePath, {
      auth: { kind: "none" },
      headers: { ...signed, authorization },
    });
    assert.equal(res.status, 200);
    assert.equal(res.json.func_name, "guarded");
  });

  it("requires X-Security-Token for registered temporary keys", async () => {
    h.service.registerCredentials({
      accessKey: "TEMPACCESSKEY0000001",
      secretKey: "temp-secret",
      securityToken: "sts-token",
    });
    const auth = { kind: "sdk", accessKey: "TEMPACCESSKEY0000001", secretKey: "temp-secret" } as const;
    const without = await h.call("GET", `${base}/fgs/functions`, { auth });
    assert.equal(without.status, 401);
    const withToken = await h.call("GET", `${base}/fgs/functions`, {
      auth,
      headers: { "X-Security-Token": "sts-token" },
    });
    assert.equal(withToken.status, 200);
  });

  it("keeps projects apart: a key of another project gets 403 on this one and its own empty store", async () => {
    await h.call("POST", `${base}/fgs/functions`, { body: createBody });
    h.service.registerCredentials({
      accessKey: "OTHERACCESSKEY000001",
      secretKey: "other-secret",
      projectId: "otherproject0000000000000000001",
    });
    const auth = { kind: "sdk", accessKey: "OTHERACCESSKEY000001", secretKey: "other-secret" } as const;
    const forbidden = await h.call("GET", `${base}/fgs/functions`, { auth });
    assert.equal(forbidden.status, 403);
    const own = await h.call("GET", "/v2/otherproject0000000000000000001/fgs/functions", { auth });
    assert.equal(own.status, 200, JSON.stringify(own.json));
    assert.equal(own.json.count, 0);
    const mismatch = await h.call("GET", `${base}/fgs/functions`, {
      afterSign: (wire) => {
        wire.headers["x-project-id"] = "otherproject0000000000000000001";
      },
    });
    assert.equal(mismatch.status, 401);
  });

  it("rejects a registration without a key pair or user", () => {
    assert.throws(() => h.service.registerCredentials({ accessKey: "only-ak" }), TypeError);
    assert.throws(() => h.service.registerCredentials({}), TypeError);
  });
});

describe("emulator/functiongraph IAM", () => {
  let h: Harness;
  beforeEach(() => {
    h = new Harness();
  });

  it("issues a project-scoped token (201, X-Subject-Token, expires 24 h later) that FunctionGraph accepts", async () => {
    const res = await h.call("POST", "/v3/auth/tokens", {
      auth: { kind: "none" },
      body: passwordLoginBody(
        {
          name: h.service.developmentAccount.userName,
          password: h.service.developmentAccount.password,
          domain: h.service.developmentAccount.domainName,
        },
        { project: { name: "eu-de" } },
      ),
    });
    assert.equal(res.status, 201);
    const token = res.headers["x-subject-token"] ?? "";
    assert.ok(token.length > 20);
    const body = res.json.token as Record<string, unknown>;
    assert.equal(Date.parse(String(body.expires_at)) - Date.parse(String(body.issued_at)), 24 * 3600 * 1000);
    assert.deepEqual((body.project as Record<string, unknown>).id, projectId);
    assert.equal((body.project as Record<string, unknown>).name, "eu-de");
    const listed = await h.call("GET", `${base}/fgs/functions`, { auth: { kind: "token", token } });
    assert.equal(listed.status, 200);
  });

  it("scopes by project id as well as by name, and refuses an unknown project", async () => {
    assert.ok((await h.token({ project: { id: projectId } })).length > 0);
    await assert.rejects(h.token({ project: { name: "eu-nl" } }), /401/);
  });

  it("answers a wrong password with 401 and Keystone's error body", async () => {
    const res = await h.call("POST", "/v3/auth/tokens", {
      auth: { kind: "none" },
      body: passwordLoginBody(
        { name: "fnstack-dev", password: "wrong", domain: h.service.developmentAccount.domainName },
        { project: { name: "eu-de" } },
      ),
    });
    assert.equal(res.status, 401);
    assert.equal((res.json.error as Record<string, unknown>).code, 401);
    assert.match(String((res.json.error as Record<string, unknown>).message), /username or password/);
  });

  it("rejects an expired token (24 h of emulator clock) and a bogus one", async () => {
    const token = await h.token();
    h.clock.advance(24 * 3600 * 1000 - 1);
    assert.equal(
      (await h.call("GET", `${base}/fgs/functions`, { auth: { kind: "token", token } })).status,
      200,
    );
    h.clock.advance(1);
    const expired = await h.call("GET", `${base}/fgs/functions`, { auth: { kind: "token", token } });
    assert.equal(expired.status, 401);
    assert.match(String(expired.json.error_msg), /expired/);
    const bogus = await h.call("GET", `${base}/fgs/functions`, {
      auth: { kind: "token", token: "MIIbogus" },
    });
    assert.equal(bogus.status, 401);
    assert.equal(bogus.json.error_code, "APIGW.0301");
  });

  it("refuses a domain-scoped token on FunctionGraph (403)", async () => {
    const token = await h.token({ domain: { name: h.service.developmentAccount.domainName } });
    const res = await h.call("GET", `${base}/fgs/functions`, { auth: { kind: "token", token } });
    assert.equal(res.status, 403);
  });

  it("answers GET /v3/projects?name=eu-de with exactly one project, by token or by AK/SK", async () => {
    const token = await h.token();
    for (const auth of [{ kind: "token", token } as const, { kind: "sdk" } as const]) {
      const res = await h.call("GET", "/v3/projects?name=eu-de", { auth });
      assert.equal(res.status, 200);
      const projects = res.json.projects as Array<Record<string, unknown>>;
      assert.equal(projects.length, 1);
      assert.equal(projects[0]?.id, projectId);
      assert.equal(projects[0]?.name, "eu-de");
    }
    const none = await h.call("GET", "/v3/projects?name=eu-nl");
    assert.deepEqual(none.json.projects, []);
    const unsigned = await h.call("GET", "/v3/projects?name=eu-de", { auth: { kind: "none" } });
    assert.equal(unsigned.status, 401);
  });
});

describe("emulator/functiongraph AK/SK verifier against published vectors", () => {
  function request(
    method: string,
    rawTarget: string,
    headers: Record<string, string>,
    body = "",
  ): EmulatorRequest {
    const q = rawTarget.indexOf("?");
    return {
      method,
      rawTarget,
      path: decodeURIComponent(q < 0 ? rawTarget : rawTarget.slice(0, q)),
      query: new URLSearchParams(q < 0 ? "" : rawTarget.slice(q + 1)),
      headers,
      body: Buffer.from(body),
      origin: "https://service.region.example.com",
      requestId: "r",
    };
  }

  it("verifies the HW-SIGN documentation vector and rejects it with one changed hex digit", () => {
    const store = new IdentityStore({ now: () => Date.UTC(2019, 10, 15, 3, 36, 55) });
    store.register({
      accessKey: "QTWAOYTTINDUT2QVKYUC",
      secretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
    });
    const headers = {
      "content-type": "application/json",
      host: "service.region.example.com",
      "x-sdk-date": "20191115T033655Z",
      authorization:
        "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
    };
    const target =
      "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0";
    assert.equal(store.verify(request("GET", target, headers)).subject, "QTWAOYTTINDUT2QVKYUC");
    const bad = { ...headers, authorization: headers.authorization.replace("6ebe", "6ebf") };
    assert.throws(() => store.verify(request("GET", target, bad)), /verify aksk signature fail/);
  });

  it("verifies the reference's FunctionGraph PUT-code vector (URN with raw ':' in the path)", () => {
    const pid = "0123456789abcdef0123456789abcdef";
    const store = new IdentityStore({ now: () => Date.UTC(2024, 0, 1) });
    store.register({
      accessKey: "QTWAOYTTINDUT2QVKYUC",
      secretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
    });
    const body = '{"code_type":"inline","func_code":{"file":"aGVsbG8="}}';
    const headers = {
      "content-type": "application/json",
      host: "functiongraph.eu-de.otc.t-systems.com",
      "x-project-id": pid,
      "x-sdk-date": "20240101T000000Z",
      authorization:
        "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=34f52110363edc3816ebb84aef9b6bd3fe91802c65d15e0e9a5a20efe3c9fc99",
    };
    const target = `/v2/${pid}/fgs/functions/urn:fss:eu-de:${pid}:function:default:hello/code`;
    assert.equal(store.verify(request("PUT", target, headers, body)).subject, "QTWAOYTTINDUT2QVKYUC");
    assert.throws(() => store.verify(request("PUT", target, headers, body.replace("aGVsbG8=", "aGVsbG9="))));
  });
});
