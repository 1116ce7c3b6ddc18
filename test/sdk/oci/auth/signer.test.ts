import { strict as assert } from "node:assert";
import { createPrivateKey, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DefaultRequestSigner, SimpleAuthenticationDetailsProvider } from "oci-common";
import { type HttpMethod, type OutgoingRequest } from "../../../../sdk/core/request";
import {
  createOciSigner,
  emptyBodySha256,
  ociContentSha256,
  signOciRequestWith,
  toSigningPem,
} from "../../../../sdk/oci/auth/signer";

const fixtures = join(__dirname, "..", "..", "..", "fixtures", "oci");
interface VectorCase {
  method: HttpMethod;
  url: string;
  body?: string;
  contentType?: string;
  expectedContentLength?: number;
  expectedContentSha256?: string;
  signedHeaders: string[];
  expectedSigningString: string;
  expectedSignature: string;
  expectedAuthorization: string;
}
const vector = JSON.parse(readFileSync(join(fixtures, "oracle-signing-vector.json"), "utf8")) as {
  privateKeyFile: string;
  tenancyOcid: string;
  userOcid: string;
  fingerprint: string;
  keyId: string;
  date: string;
  get: VectorCase;
  post: VectorCase;
};
const testKeyPem = readFileSync(join(fixtures, vector.privateKeyFile), "utf8");
const testKey = createPrivateKey(testKeyPem);

/** `k1="v1",k2="v2"` → map; the Go SDK orders Authorization parameters differently from http-signature. */
function authorizationParams(header: string): Map<string, string> {
  assert.ok(header.startsWith("Signature "), header);
  const params = new Map<string, string>();
  for (const m of header.slice("Signature ".length).matchAll(/([a-zA-Z]+)="([^"]*)"/g)) {
    params.set(m[1] as string, m[2] as string);
  }
  return params;
}

/** The request the Oracle vector describes, with its headers set as the Go test sets them. */
function vectorRequest(c: VectorCase): OutgoingRequest {
  const url = new URL(c.url);
  const headers: Record<string, string> = { date: vector.date, host: url.host };
  const body = c.body === undefined ? undefined : Buffer.from(c.body, "utf8");
  if (body !== undefined) {
    headers["content-type"] = c.contentType ?? "application/json";
    headers["content-length"] = String(body.length);
    headers["x-content-sha256"] = ociContentSha256(body);
  }
  return { method: c.method, url, headers, body };
}

describe("OCI request signer", () => {
  describe("Oracle's published test vector (oci-go-sdk http_signer_test.go)", () => {
    const pem = toSigningPem(testKey);

    for (const name of ["get", "post"] as const) {
      it(`reproduces the ${name.toUpperCase()} signing string and signature byte for byte`, () => {
        const c = vector[name];
        const request = vectorRequest(c);
        const result = signOciRequestWith(request, vector.keyId, pem, c.signedHeaders);
        assert.equal(result.signingString, c.expectedSigningString);
        const params = authorizationParams(result.authorization);
        assert.equal(params.get("signature"), c.expectedSignature);
        // Same parameters as Oracle's expected header; only their order is http-signature's own.
        assert.deepEqual(
          new Map([...params].sort()),
          new Map([...authorizationParams(c.expectedAuthorization)].sort()),
        );
        assert.ok(result.authorization.startsWith('Signature version="1",'), result.authorization);
        assert.equal(request.headers["authorization"], result.authorization);
      });
    }

    it("computes the POST body's content length and x-content-sha256 as the vector states", () => {
      const request = vectorRequest(vector.post);
      assert.equal(request.headers["content-length"], String(vector.post.expectedContentLength));
      assert.equal(request.headers["x-content-sha256"], vector.post.expectedContentSha256);
    });
  });

  describe("createOciSigner", () => {
    const fixedDate = new Date(Date.UTC(2026, 10, 23, 12, 34, 56));
    const signer = createOciSigner({ keyId: vector.keyId, privateKey: testKey }, { now: () => fixedDate });

    it("signs GET with x-date, (request-target) and host, and sends date and x-date with the same value", async () => {
      const request: OutgoingRequest = {
        method: "GET",
        url: new URL(
          "https://functions.us-ashburn-1.oci.oraclecloud.com/20181201/functions/ocid1.fnfunc.oc1..a?limit=5",
        ),
        headers: {},
      };
      await signer.sign(request);
      assert.equal(request.headers["x-date"], "Mon, 23 Nov 2026 12:34:56 GMT");
      assert.equal(request.headers["date"], request.headers["x-date"]);
      assert.equal(request.headers["host"], "functions.us-ashburn-1.oci.oraclecloud.com");
      assert.equal(request.headers["x-content-sha256"], undefined);
      assert.equal(request.headers["content-length"], undefined);
      const params = authorizationParams(request.headers["authorization"] as string);
      assert.equal(params.get("headers"), "x-date (request-target) host");
      assert.equal(params.get("version"), "1");
      assert.equal(params.get("keyId"), vector.keyId);
      assert.equal(params.get("algorithm"), "rsa-sha256");
    });

    for (const method of ["POST", "PUT", "PATCH"] as const) {
      it(`signs a body-less ${method} with content-length 0 and the empty-body SHA`, async () => {
        const request: OutgoingRequest = {
          method,
          url: new URL(
            "https://compute-containers.us-ashburn-1.oci.oraclecloud.com/20210415/containerInstances/x/actions/start",
          ),
          headers: {},
        };
        await signer.sign(request);
        assert.equal(request.headers["content-length"], "0");
        assert.equal(request.headers["x-content-sha256"], emptyBodySha256);
        assert.equal(request.headers["content-type"], "application/json");
        const params = authorizationParams(request.headers["authorization"] as string);
        assert.equal(
          params.get("headers"),
          "x-date (request-target) host Content-Type Content-Length x-content-sha256",
        );
      });
    }

    it("keeps a caller's content-type and hashes the exact body bytes", async () => {
      const body = Buffer.from([0xff, 0x00, 0x7f, 0x80]);
      const request: OutgoingRequest = {
        method: "POST",
        url: new URL(
          "https://functions.us-ashburn-1.oci.oraclecloud.com/20181201/functions/f/actions/invoke",
        ),
        headers: { "content-type": "application/octet-stream" },
        body,
      };
      await signer.sign(request);
      assert.equal(request.headers["content-type"], "application/octet-stream");
      assert.equal(request.headers["content-length"], "4");
      assert.equal(request.headers["x-content-sha256"], "9GGcgJr4574Vs55Kz3FIuDSizLsNoCABJ8RpoFBZER0=");
    });

    it("signs a streamed body's measured length and hash exactly as the same bytes in a Buffer", async () => {
      const body = Buffer.from("streamed bytes \u00e9", "utf8");
      const url = "https://functions.us-ashburn-1.oci.oraclecloud.com/20181201/functions/f/actions/invoke";
      const buffered: OutgoingRequest = { method: "POST", url: new URL(url), headers: {}, body };
      let opened = false;
      const streamed: OutgoingRequest = {
        method: "POST",
        url: new URL(url),
        headers: {},
        streamedBody: {
          length: body.length,
          sha256: ociContentSha256(body),
          open: () => {
            opened = true;
            throw new Error("the signer must not read the stream");
          },
        },
      };
      await signer.sign(buffered);
      await signer.sign(streamed);
      assert.equal(opened, false);
      assert.equal(streamed.headers["content-length"], String(body.length));
      assert.equal(streamed.headers["authorization"], buffered.headers["authorization"]);
    });

    it("produces a signature the public key verifies over the signing string", async () => {
      const request: OutgoingRequest = {
        method: "DELETE",
        url: new URL("http://127.0.0.1:4567/20181201/applications/ocid1.fnapp.oc1..x"),
        headers: {},
      };
      await signer.sign(request);
      assert.equal(request.headers["host"], "127.0.0.1:4567");
      const signingString = [
        `x-date: ${request.headers["x-date"] as string}`,
        `(request-target): delete /20181201/applications/ocid1.fnapp.oc1..x`,
        `host: 127.0.0.1:4567`,
      ].join("\n");
      const signature = authorizationParams(request.headers["authorization"] as string).get(
        "signature",
      ) as string;
      assert.ok(
        verify(
          "sha256",
          Buffer.from(signingString),
          createPublicKey(testKey),
          Buffer.from(signature, "base64"),
        ),
      );
    });

    it("signs every attempt afresh with the current date", async () => {
      let t = Date.UTC(2026, 0, 1);
      const ticking = createOciSigner(
        { keyId: "k", privateKey: testKey },
        { now: () => new Date((t += 1000)) },
      );
      const url = new URL("https://functions.us-ashburn-1.oci.oraclecloud.com/20181201/applications");
      const a: OutgoingRequest = { method: "GET", url, headers: {} };
      const b: OutgoingRequest = { method: "GET", url, headers: {} };
      await ticking.sign(a);
      await ticking.sign(b);
      assert.notEqual(a.headers["x-date"], b.headers["x-date"]);
      assert.notEqual(a.headers["authorization"], b.headers["authorization"]);
    });

    it("rejects a non-RSA key and an empty key id eagerly", () => {
      const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
      assert.throws(() => createOciSigner({ keyId: "k", privateKey: ec }), TypeError);
      assert.throws(() => createOciSigner({ keyId: "", privateKey: testKey }), TypeError);
      assert.throws(() => createOciSigner({ keyId: "k", privateKey: createPublicKey(testKey) }), TypeError);
    });
  });

  describe("equivalence with oci-common's DefaultRequestSigner", () => {
    const keyId = vector.keyId;
    const provider = new SimpleAuthenticationDetailsProvider(
      vector.tenancyOcid,
      vector.userOcid,
      vector.fingerprint,
      testKeyPem,
      null,
    );
    const official = new DefaultRequestSigner(provider);

    /** Deterministic generator (mulberry32) so a failure names a reproducible case. */
    function random(seed: number): () => number {
      let a = seed >>> 0;
      return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }
    const methods: HttpMethod[] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];
    const hosts = [
      "https://functions.us-ashburn-1.oci.oraclecloud.com",
      "https://compute-containers.eu-frankfurt-1.oci.oraclecloud.com",
      "https://iaas.uk-gov-london-1.oraclegovcloud.uk",
      "http://127.0.0.1:43917",
    ];
    const pathParams = [
      "ocid1.fnfunc.oc1.iad.aaaa",
      "name with spaces",
      "a/b:c@d",
      "ünïcødé-名前",
      "100%+sure?&=#",
      "~tilde_(paren)!*'",
    ];
    const bodies: (string | undefined)[] = [
      undefined,
      "",
      '{"displayName":"app"}',
      JSON.stringify({ config: { KEY: "välue ✓" }, subnetIds: ["ocid1.subnet.oc1..x"] }),
      "plain text payload\nwith a newline",
    ];

    function generate(n: number): { method: HttpMethod; url: URL; body?: string; contentType?: string }[] {
      const rnd = random(20261123);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
      const cases: { method: HttpMethod; url: URL; body?: string; contentType?: string }[] = [];
      for (let i = 0; i < n; i++) {
        // Cycle methods so each appears several times; pick the rest at random.
        const method = methods[i % methods.length] as HttpMethod;
        const url = new URL(`${pick(hosts)}/20181201/functions/${encodeURIComponent(pick(pathParams))}`);
        const query = new URLSearchParams();
        const queryCount = Math.floor(rnd() * 4);
        for (let q = 0; q < queryCount; q++)
          query.append(pick(["limit", "page", "displayName", "id"]), pick(pathParams));
        url.search = query.toString();
        const hasBody = method === "POST" || method === "PUT" || method === "PATCH";
        cases.push({
          method,
          url,
          body: hasBody ? pick(bodies) : undefined,
          contentType: hasBody && rnd() < 0.25 ? "text/plain" : undefined,
        });
      }
      return cases;
    }

    const cases = generate(36);
    it("generates enough distinct cases to be meaningful", () => {
      assert.ok(cases.length >= 20);
      for (const m of ["GET", "POST", "PUT", "DELETE", "PATCH"])
        assert.ok(
          cases.some((c) => c.method === m),
          m,
        );
      assert.ok(cases.some((c) => c.url.search !== ""));
      assert.ok(cases.some((c) => c.url.pathname.includes("%")));
      assert.ok(
        cases.some((c) => c.body === undefined && c.method === "POST") || cases.some((c) => c.body === ""),
      );
      assert.ok(cases.some((c) => (c.body ?? "").length > 0));
    });

    cases.forEach((c, i) => {
      it(`case ${i}: ${c.method} ${c.url.pathname}${c.url.search} body=${JSON.stringify(c.body ?? null).slice(0, 30)}`, async () => {
        const date = new Date(Date.UTC(2026, 10, 23, 8, 0, i));
        const headers: Record<string, string> =
          c.contentType === undefined ? {} : { "content-type": c.contentType };
        const ours: OutgoingRequest = {
          method: c.method,
          url: c.url,
          headers,
          body: c.body === undefined ? undefined : Buffer.from(c.body, "utf8"),
        };
        await createOciSigner({ keyId, privateKey: testKey }, { now: () => date }).sign(ours);

        const theirHeaders = new Headers({ "x-date": date.toUTCString() });
        if (c.contentType !== undefined) theirHeaders.set("Content-Type", c.contentType);
        const theirs = { method: c.method, uri: c.url.href, headers: theirHeaders, body: c.body };
        await official.signHttpRequest(theirs as Parameters<typeof official.signHttpRequest>[0]);

        assert.equal(ours.headers["authorization"], theirHeaders.get("authorization"));
        for (const name of ["x-date", "host", "content-type", "content-length", "x-content-sha256"]) {
          assert.equal(ours.headers[name] ?? null, theirHeaders.get(name), name);
        }
      });
    });
  });
});
