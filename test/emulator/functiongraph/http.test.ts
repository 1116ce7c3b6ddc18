/**
 * The FunctionGraph service through the real server over HTTP (undici), with requests signed by the
 * official Huawei Cloud SDK signer.
 */
import { strict as assert } from "node:assert";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import { type Dispatcher, request } from "undici";
import { ManualClock, type RunningEmulator, startEmulator } from "../../../emulator";
import { passwordLoginBody, sdkDate } from "./harness";

interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  json: Record<string, unknown>;
}

describe("emulator/functiongraph over HTTP", function () {
  this.timeout(20_000);
  let emulator: RunningEmulator;
  let clock: ManualClock;
  before(async () => {
    clock = new ManualClock();
    emulator = await startEmulator({ clock });
  });
  after(async () => {
    await emulator.close();
  });

  async function send(
    method: string,
    path: string,
    options: { body?: unknown; sign?: boolean; headers?: Record<string, string>; rawBody?: string } = {},
  ): Promise<HttpReply> {
    const url = new URL(path, emulator.url);
    const text = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    let headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
    if (options.sign !== false) {
      const queryParams: Record<string, string> = {};
      url.searchParams.forEach((v, k) => {
        queryParams[k] = v;
      });
      headers = AKSKSigner.sign(
        {
          method,
          endpoint: `${url.origin}${url.pathname}`,
          headers: {
            ...headers,
            "X-Sdk-Date": sdkDate(Date.now()),
            "X-Project-Id": emulator.functiongraph.projectId,
          },
          queryParams,
          data: options.body,
        } as never,
        {
          getAk: () => emulator.functiongraph.accessKey,
          getSk: () => emulator.functiongraph.secretKey,
        } as never,
      ) as Record<string, string>;
      delete headers.host;
    }
    const res = await request(`${url.origin}${url.pathname}${url.search}`, {
      method: method as Dispatcher.HttpMethod,
      headers,
      body: text,
    });
    const raw = await res.body.text();
    let body: unknown = raw;
    try {
      body = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      body = raw;
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers))
      if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
    return {
      status: res.statusCode,
      headers: out,
      body,
      json: (typeof body === "object" && body !== null && !Array.isArray(body) ? body : {}) as Record<
        string,
        unknown
      >,
    };
  }

  const fgBase = (): string => `/v2/${emulator.functiongraph.projectId}/fgs`;
  const urn = (name: string): string =>
    `urn:fss:eu-de:${emulator.functiongraph.projectId}:function:default:${name}`;

  it("reports the development account and writes it to clouds.yaml", async () => {
    const fg = emulator.functiongraph;
    assert.equal(fg.region, "eu-de");
    assert.match(fg.projectId, /^[0-9a-f]{32}$/);
    assert.ok(fg.accessKey && fg.secretKey && fg.userName && fg.password && fg.domainName);
    const yaml = await readFile(fg.cloudsYaml, "utf8");
    assert.ok(yaml.includes(`auth_url: ${emulator.url}/v3`));
  });

  it("serves SDK-signed create, get (raw ':' and %3A in the URN) and list", async () => {
    const created = await send("POST", `${fgBase()}/functions`, {
      body: {
        func_name: "http1",
        package: "default",
        runtime: "Python3.9",
        handler: "index.handler",
        memory_size: 128,
        timeout: 3,
        code_type: "inline",
        func_code: { file: Buffer.from("def handler(e, c): return e").toString("base64") },
      },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.json.func_urn, `${urn("http1")}:latest`);
    assert.ok(created.headers["x-request-id"]);
    const raw = await send("GET", `${fgBase()}/functions/${urn("http1")}/config`);
    assert.equal(raw.status, 200, JSON.stringify(raw.body));
    const encoded = await send("GET", `${fgBase()}/functions/${encodeURIComponent(urn("http1"))}/config`);
    assert.equal(encoded.status, 200, JSON.stringify(encoded.body));
    const list = await send("GET", `${fgBase()}/functions?marker=0&maxitems=10`);
    assert.equal(list.json.count, 1);
  });

  it("answers an unsigned request with 401 APIGW.0301 and X-Request-Id", async () => {
    const unsigned = await send("GET", `${fgBase()}/functions`, { sign: false });
    assert.equal(unsigned.status, 401);
    assert.equal(unsigned.json.error_code, "APIGW.0301");
    assert.equal(unsigned.json.request_id, unsigned.headers["x-request-id"]);
  });

  it("issues IAM tokens on the same port, valid for 24 h of emulator clock", async () => {
    const fg = emulator.functiongraph;
    const login = await send("POST", "/v3/auth/tokens?nocatalog=true", {
      sign: false,
      body: passwordLoginBody(
        { name: fg.userName, password: fg.password, domain: fg.domainName },
        { project: { name: "eu-de" } },
      ),
    });
    assert.equal(login.status, 201, JSON.stringify(login.body));
    const token = login.headers["x-subject-token"] ?? "";
    const projects = await send("GET", "/v3/projects?name=eu-de", {
      sign: false,
      headers: { "X-Auth-Token": token },
    });
    assert.equal((projects.json.projects as unknown[]).length, 1);
    const ok = await send("GET", `${fgBase()}/functions`, {
      sign: false,
      headers: { "X-Auth-Token": token },
    });
    assert.equal(ok.status, 200);
    clock.advance(24 * 3600 * 1000);
    const expired = await send("GET", `${fgBase()}/functions`, {
      sign: false,
      headers: { "X-Auth-Token": token },
    });
    assert.equal(expired.status, 401);
    // Signatures are checked against the wall clock: advancing the emulator clock leaves them valid.
    assert.equal((await send("GET", `${fgBase()}/functions`)).status, 200);
  });

  it("answers malformed JSON with 400 FSS.0400 and an unknown FunctionGraph path with the gateway 404", async () => {
    const token = await (async () => {
      const fg = emulator.functiongraph;
      const res = await send("POST", "/v3/auth/tokens", {
        sign: false,
        body: passwordLoginBody(
          { name: fg.userName, password: fg.password, domain: fg.domainName },
          { project: { id: fg.projectId } },
        ),
      });
      return res.headers["x-subject-token"] ?? "";
    })();
    const malformed = await send("POST", `${fgBase()}/functions`, {
      rawBody: "{oops",
      sign: false,
      headers: { "X-Auth-Token": token },
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.json.error_code, "FSS.0400");
    const unknown = await send("GET", `${fgBase()}/nothing`, {
      sign: false,
      headers: { "X-Auth-Token": token },
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error_code, "APIG.0101");
  });

  it("applies control-API drift to a FunctionGraph function", async () => {
    const res = await request(`${emulator.url}/_emulator/drift`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ action: "change", resourceId: urn("http1"), patch: { memory_size: 2048 } }),
    });
    await res.body.text();
    assert.ok(res.statusCode < 300, `drift answered ${res.statusCode}`);
    const got = await send("GET", `${fgBase()}/functions/${urn("http1")}/config`);
    assert.equal(got.json.memory_size, 2048);
  });

  it("keeps functions (same project id, same digest) across a restart with statePath", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fnstack-fg-state-"));
    const statePath = join(dir, "state.json");
    try {
      const first = await startEmulator({ statePath });
      const fg = first.functiongraph;
      const signedFetch = async (em: RunningEmulator, method: string, path: string, body?: unknown) => {
        const url = new URL(path, em.url);
        const headers = AKSKSigner.sign(
          {
            method,
            endpoint: `${url.origin}${url.pathname}`,
            headers: { "content-type": "application/json", "X-Sdk-Date": sdkDate(Date.now()) },
            queryParams: {},
            data: body,
          } as never,
          { getAk: () => fg.accessKey, getSk: () => fg.secretKey } as never,
        ) as Record<string, string>;
        delete headers.host;
        const res = await request(url, {
          method: method as Dispatcher.HttpMethod,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
      };
      const created = await signedFetch(first, "POST", `/v2/${fg.projectId}/fgs/functions`, {
        func_name: "persisted",
        package: "default",
        runtime: "Node.js18.15",
        handler: "index.handler",
        memory_size: 128,
        timeout: 3,
        code_type: "inline",
      });
      assert.equal(created.status, 200);
      await first.close();
      const second = await startEmulator({ statePath });
      try {
        assert.equal(second.functiongraph.projectId, fg.projectId);
        const got = await signedFetch(
          second,
          "GET",
          `/v2/${fg.projectId}/fgs/functions/urn:fss:eu-de:${fg.projectId}:function:default:persisted/config`,
        );
        assert.equal(got.status, 200);
        assert.equal(got.json.digest, created.json.digest);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
