import { strict as assert } from "node:assert";
import { inspect } from "node:util";
import {
  canonicalQueryString,
  canonicalUri,
  computeAkSkSignature,
  createAkSkSigner,
  formatSdkDate,
} from "../../../../sdk/functiongraph/auth/aksk-signer";
import type { HttpMethod, OutgoingRequest } from "../../../../sdk/core/request";

// The official signer, a devDependency, as the reference (§8b) describes calling it.
const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner") as {
  AKSKSigner: {
    sign(
      request: {
        method: string;
        endpoint: string;
        headers: Record<string, string>;
        queryParams: Record<string, string | string[]>;
        data?: unknown;
      },
      credential: { getAk(): string; getSk(): string },
    ): Record<string, string>;
  };
};

const ak = "QTWAOYTTINDUT2QVKYUC";
const sk = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
const pid = "0123456789abcdef0123456789abcdef";
const fgHost = "https://functiongraph.eu-de.otc.t-systems.com";

function request(
  method: HttpMethod,
  url: string,
  headers: Record<string, string>,
  body?: string,
): OutgoingRequest {
  const u = new URL(url);
  const r: OutgoingRequest = { method, url: u, headers: { host: u.host, ...headers } };
  if (body !== undefined) (r as { body?: Buffer }).body = Buffer.from(body, "utf8");
  return r;
}

describe("FunctionGraph AK/SK signer: published vectors", () => {
  it("reproduces Huawei's documented GET vector (canonical-request hash, signed headers, signature)", () => {
    const r = request(
      "GET",
      "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
      { "content-type": "application/json", "x-sdk-date": "20191115T033655Z" },
    );
    const s = computeAkSkSignature(r, { accessKey: ak, secretKey: sk });
    assert.equal(s.canonicalRequestHash, "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
    assert.equal(s.signedHeaders, "content-type;host;x-sdk-date");
    assert.equal(s.signature, "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
    assert.equal(
      s.authorization,
      `SDK-HMAC-SHA256 Access=${ak}, SignedHeaders=content-type;host;x-sdk-date, Signature=${s.signature}`,
    );
  });

  it("reproduces the FunctionGraph list vector with a signed X-Project-Id", async () => {
    const r = request("GET", `${fgHost}/v2/${pid}/fgs/functions?marker=0&maxitems=400`, {
      "content-type": "application/json",
    });
    await createAkSkSigner(
      { accessKey: ak, secretKey: sk, projectId: pid },
      { now: () => new Date("2024-01-01T00:00:00Z") },
    ).sign(r);
    const s = computeAkSkSignature(r, { accessKey: ak, secretKey: sk });
    assert.equal(r.headers["x-sdk-date"], "20240101T000000Z");
    assert.equal(r.headers["x-project-id"], pid);
    assert.equal(s.canonicalRequestHash, "8b233d3b37597f45d6c42a483c9587e5201eff9905fe8e684cf9bf27e30c389a");
    assert.equal(s.signedHeaders, "content-type;host;x-project-id;x-sdk-date");
    assert.match(
      r.headers["authorization"] ?? "",
      /Signature=d8580002f18cd455001f6d46a802b3835db3efb7f82e27dc3bc992ad20624aaf$/,
    );
  });

  it("reproduces the FunctionGraph PUT-code vector: raw ':' on the wire, %3A in the canonical URI, body hash", async () => {
    const urn = `urn:fss:eu-de:${pid}:function:default:hello`;
    const r = request(
      "PUT",
      `${fgHost}/v2/${pid}/fgs/functions/${urn}/code`,
      { "content-type": "application/json" },
      '{"code_type":"inline","func_code":{"file":"aGVsbG8="}}',
    );
    await createAkSkSigner(
      { accessKey: ak, secretKey: sk, projectId: pid },
      { now: () => new Date("2024-01-01T00:00:00Z") },
    ).sign(r);
    assert.equal(r.url.pathname, `/v2/${pid}/fgs/functions/${urn}/code`, "the wire path keeps raw ':'");
    const s = computeAkSkSignature(r, { accessKey: ak, secretKey: sk });
    const lines = s.canonicalRequest.split("\n");
    assert.equal(
      lines[1],
      `/v2/${pid}/fgs/functions/urn%3Afss%3Aeu-de%3A${pid}%3Afunction%3Adefault%3Ahello/code/`,
    );
    assert.equal(lines.at(-1), "3303c9a410711ceb4de31030de0a05ca2599eb39c8e9ac19fb6ef6b9185fe5bf");
    assert.equal(s.signature, "34f52110363edc3816ebb84aef9b6bd3fe91802c65d15e0e9a5a20efe3c9fc99");
  });
});

describe("FunctionGraph AK/SK signer: canonical pieces", () => {
  it("formats X-Sdk-Date as UTC YYYYMMDDTHHMMSSZ", () => {
    assert.equal(formatSdkDate(new Date("2019-11-15T03:36:55.789Z")), "20191115T033655Z");
  });

  it("appends '/' to the canonical URI unless the path already ends with one", () => {
    assert.equal(canonicalUri("/v2/p/fgs/functions"), "/v2/p/fgs/functions/");
    assert.equal(canonicalUri("/v2/p/fgs/functions/"), "/v2/p/fgs/functions/");
    assert.equal(canonicalUri("/"), "/");
  });

  it("percent-encodes every reserved character of a segment in uppercase hex and keeps unreserved ones", () => {
    assert.equal(canonicalUri("/a:b!c*d'e(f)g h~i.j_k-l"), "/a%3Ab%21c%2Ad%27e%28f%29g%20h~i.j_k-l/");
    assert.equal(
      canonicalUri("/caf%C3%A9"),
      "/caf%C3%A9/",
      "an already encoded segment is not double-encoded",
    );
    assert.equal(canonicalUri("/café"), "/caf%C3%A9/");
  });

  it("sorts the query by name, repeated names by value, and encodes both", () => {
    assert.equal(canonicalQueryString("?z=1&a=b%20c&tag=y&tag=x&empty"), "a=b%20c&empty=&tag=x&tag=y&z=1");
    assert.equal(canonicalQueryString(""), "");
    assert.equal(canonicalQueryString("?k=a%3Ab%21"), "k=a%3Ab%21");
  });

  it("signs x-security-token for temporary keys and leaves user-agent, accept and content-length unsigned", async () => {
    const r = request(
      "POST",
      `${fgHost}/v2/${pid}/fgs/functions`,
      {
        "content-type": "application/json",
        "user-agent": "fnstack/0.0.0",
        accept: "application/json",
        "content-length": "2",
      },
      "{}",
    );
    await createAkSkSigner({
      accessKey: ak,
      secretKey: sk,
      securityToken: "TEMP-TOKEN",
      projectId: pid,
    }).sign(r);
    assert.equal(r.headers["x-security-token"], "TEMP-TOKEN");
    assert.match(
      r.headers["authorization"] ?? "",
      /SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token,/,
    );
  });

  it("takes a fresh X-Sdk-Date and signature on every call (each attempt is signed afresh)", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const signer = createAkSkSigner({ accessKey: ak, secretKey: sk }, { now: () => new Date(now) });
    const a = request("GET", `${fgHost}/v2/${pid}/fgs/functions`, { "content-type": "application/json" });
    const b = request("GET", `${fgHost}/v2/${pid}/fgs/functions`, { "content-type": "application/json" });
    await signer.sign(a);
    now += 1000;
    await signer.sign(b);
    assert.equal(a.headers["x-sdk-date"], "20260101T000000Z");
    assert.equal(b.headers["x-sdk-date"], "20260101T000001Z");
    assert.notEqual(a.headers["authorization"], b.headers["authorization"]);
  });

  it("gives a different signature when one body byte changes", async () => {
    const sign = async (body: string) => {
      const r = request(
        "POST",
        `${fgHost}/v2/${pid}/fgs/functions`,
        { "content-type": "application/json" },
        body,
      );
      await createAkSkSigner({ accessKey: ak, secretKey: sk }, { now: () => new Date(0) }).sign(r);
      return r.headers["authorization"];
    };
    assert.notEqual(await sign('{"a":1}'), await sign('{"a":2}'));
  });

  it("rejects missing keys eagerly and keeps the secret key out of the signer object", () => {
    assert.throws(() => createAkSkSigner({ accessKey: "", secretKey: sk }), TypeError);
    assert.throws(() => createAkSkSigner({ accessKey: ak, secretKey: "" }), TypeError);
    const signer = createAkSkSigner({ accessKey: ak, secretKey: sk, securityToken: "TEMP-TOKEN-SECRET" });
    const shown = inspect(signer, { depth: 5, showHidden: true }) + JSON.stringify(signer);
    assert.ok(!shown.includes(sk) && !shown.includes("TEMP-TOKEN-SECRET"));
  });
});

/** A small deterministic generator (mulberry32), so a failing case can be reproduced. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("FunctionGraph AK/SK signer: same signature as @huaweicloud/huaweicloud-sdk-core AKSKSigner.sign", () => {
  const rand = prng(20240101);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const methods: readonly HttpMethod[] = ["GET", "POST", "PUT", "DELETE"];
  const names = ["hello", "fn-1", "my_func", "Foo.Bar", "x~y"];
  const qualifiers = ["", ":latest", ":v1", ":!prod", ":!a1"];
  const paths = [
    (p: string) => `/v2/${p}/fgs/functions`,
    (p: string, u: string) => `/v2/${p}/fgs/functions/${u}/config`,
    (p: string, u: string) => `/v2/${p}/fgs/functions/${u}/code`,
    (p: string, u: string) => `/v2/${p}/fgs/functions/${u}/versions`,
    (p: string, u: string) => `/v2/${p}/fgs/functions/${u}/aliases/prod`,
    (p: string, u: string) => `/v2/${p}/fgs/triggers/${u}/TIMER/abc-123`,
    (p: string, u: string) => `/v2/${p}/fgs/functions/${u}/invocations/`,
  ];
  const queries: ReadonlyArray<Record<string, string | string[]>> = [
    {},
    { marker: "0", maxitems: "400" },
    { marker: String(Math.floor(rand() * 1000)) },
    { tag: ["b", "a", "c"], name: "x y" },
    { q: "a:b!c", z: "last", a: "first" },
    { dependency_type: "public", runtime: "Node.js18.15" },
    { q: "it's (a) *test*!", u: "café ✓", "a b": "~x.y_z-" },
  ];
  const bodies: readonly (Record<string, unknown> | undefined)[] = [
    undefined,
    {},
    { func_name: "hello", runtime: "Node.js18.15", memory_size: 128, timeout: 30 },
    { code_type: "inline", func_code: { file: "aGVsbG8=" } },
    { description: "héllo wörld ✓", user_data: '{"k":"v"}' },
  ];

  const cases = Array.from({ length: 40 }, (_, i) => {
    const project = i % 3 === 0 ? pid : `${(i * 7919).toString(16).padStart(8, "0")}${pid.slice(8)}`;
    const urn = `urn:fss:eu-de:${project}:function:default:${pick(names)}${pick(qualifiers)}`;
    const method = pick(methods);
    return {
      i,
      method,
      project,
      path: pick(paths)(project, urn),
      query: pick(queries),
      body: method === "POST" || method === "PUT" ? pick(bodies) : undefined,
      securityToken: i % 5 === 4 ? `tmp-token-${i}` : undefined,
      accessKey: `AK${String(i).padStart(18, "X")}`,
      secretKey: `sk-${i}-${Math.floor(rand() * 1e9)}-secret`,
      date: new Date(Date.UTC(2024, i % 12, 1 + (i % 28), i % 24, (i * 7) % 60, (i * 13) % 60)),
    };
  });

  it("covers URNs with ':' and '!', repeated query keys, and empty and non-empty bodies", () => {
    assert.ok(cases.some((c) => c.path.includes(":!")));
    assert.ok(cases.some((c) => Array.isArray(c.query["tag"])));
    assert.ok(cases.some((c) => c.body !== undefined) && cases.some((c) => c.body === undefined));
    assert.ok(cases.some((c) => c.securityToken !== undefined));
    assert.ok(
      cases.some((c) => c.query["u"] === "café ✓"),
      "reserved and non-ASCII query characters",
    );
  });

  for (const c of cases) {
    it(`case ${c.i}: ${c.method} ${c.path.replace(c.project, "<pid>")}${Object.keys(c.query).length ? " ?" + Object.keys(c.query).join("&") : ""}${c.body ? " with body" : ""}`, async () => {
      // The query as send() builds it: encodeURIComponent, arrays repeat the name, in insertion order.
      const search = Object.entries(c.query)
        .flatMap(([k, v]) =>
          (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`),
        )
        .join("&");
      const url = new URL(fgHost + c.path + (search ? `?${search}` : ""));
      const ours: OutgoingRequest = {
        method: c.method,
        url,
        headers: { "content-type": "application/json" },
      };
      if (c.body !== undefined)
        (ours as { body?: Buffer }).body = Buffer.from(JSON.stringify(c.body), "utf8");
      await createAkSkSigner(
        {
          accessKey: c.accessKey,
          secretKey: c.secretKey,
          projectId: c.project,
          ...(c.securityToken ? { securityToken: c.securityToken } : {}),
        },
        { now: () => c.date },
      ).sign(ours);

      const headers: Record<string, string> = {
        "content-type": "application/json",
        "X-Sdk-Date": formatSdkDate(c.date),
        "X-Project-Id": c.project,
      };
      if (c.securityToken) headers["X-Security-Token"] = c.securityToken;
      const theirs = AKSKSigner.sign(
        {
          method: c.method,
          endpoint: fgHost + c.path,
          headers,
          // The official signer sorts arrays in place: give it a copy.
          queryParams: Object.fromEntries(
            Object.entries(c.query).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]),
          ),
          data: c.body,
        },
        { getAk: () => c.accessKey, getSk: () => c.secretKey },
      );
      assert.equal(ours.headers["authorization"], theirs["Authorization"]);
      assert.equal(ours.headers["host"], theirs["host"]);
    });
  }
});
