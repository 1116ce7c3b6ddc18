import { strict as assert } from "node:assert";
import { createPublicKey } from "node:crypto";
import { ManualClock } from "../../emulator/clock";
import { FaultRules } from "../../emulator/faults";
import {
  OciKeyRegistry,
  keyFingerprint,
  parseAuthorization,
  verifyOciRequest,
} from "../../emulator/oci/auth";
import { paginate } from "../../emulator/oci/paging";
import { RateLimiter } from "../../emulator/rate-limit";
import { isLoopback } from "../../emulator/server";
import { EmulatorHttpError, type EmulatorRequest } from "../../emulator/service";

// Published test vectors of Oracle's Go SDK (oracle/oci-go-sdk common/http_signer_test.go).
const vectorKey = `-----BEGIN RSA PRIVATE KEY-----
MIICXgIBAAKBgQDCFENGw33yGihy92pDjZQhl0C36rPJj+CvfSC8+q28hxA161QF
NUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6Z4UMR7EOcpfdUE9Hf3m/hs+F
UR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJwoYi+1hqp1fIekaxsyQIDAQAB
AoGBAJR8ZkCUvx5kzv+utdl7T5MnordT1TvoXXJGXK7ZZ+UuvMNUCdN2QPc4sBiA
QWvLw1cSKt5DsKZ8UETpYPy8pPYnnDEz2dDYiaew9+xEpubyeW2oH4Zx71wqBtOK
kqwrXa/pzdpiucRRjk6vE6YY7EBBs/g7uanVpGibOVAEsqH1AkEA7DkjVH28WDUg
f1nqvfn2Kj6CT7nIcE3jGJsZZ7zlZmBmHFDONMLUrXR/Zm3pR5m0tCmBqa5RK95u
412jt1dPIwJBANJT3v8pnkth48bQo/fKel6uEYyboRtA5/uHuHkZ6FQF7OUkGogc
mSJluOdc5t6hI1VsLn0QZEjQZMEOWr+wKSMCQQCC4kXJEsHAve77oP6HtG/IiEn7
kpyUXRNvFsDE0czpJJBvL/aRFUJxuRK91jhjC68sA7NsKMGg5OXb5I5Jj36xAkEA
gIT7aFOYBFwGgQAQkWNKLvySgKbAZRTeLBacpHMuQdl1DfdntvAyqpAZ0lY0RKmW
G6aFKaqQfOXKCyWoUiVknQJAXrlgySFci/2ueKlIE1QqIiLSZ8V8OlpFLRnb1pzI
7U1yQXnTAEFYM560yJlzUpOb1V4cScGd365tiSMvxLOvTA==
-----END RSA PRIVATE KEY-----`;
const tenancy = "ocid1.tenancy.oc1..aaaaaaaaba3pv6wkcr4jqae5f15p2b2m2yt2j6rx32uzr4h25vqstifsfdsq";
const user = "ocid1.user.oc1..aaaaaaaat5nvwcna5j6aqzjcaty5eqbb6qt2jvpkanghtgdaqedqw3rynjq";
const fingerprint = "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34";
const date = "Thu, 05 Jan 2014 21:31:40 GMT";
const host = "iaas.us-phoenix-1.oraclecloud.com";
const getTarget =
  "/20160918/instances?availabilityDomain=Pjwf%3A%20PHX-AD-1&compartmentId=ocid1.compartment.oc1..aaaaaaaam3we6vgnherjq5q2idnccdflvjsnog7mlr6rtdb25gilchfeyjxa&displayName=TeamXInstances&volumeId=ocid1.volume.oc1.phx.abyhqljrgvttnlx73nmrwfaux7kcvzfs3s66izvxf2h4lgvyndsdsnoiwr5q";
const getSignature =
  "GBas7grhyrhSKHP6AVIj/h5/Vp8bd/peM79H9Wv8kjoaCivujVXlpbKLjMPeDUhxkFIWtTtLBj3sUzaFj34XE6YZAHc9r2DmE4pMwOAy/kiITcZxa1oHPOeRheC0jP2dqbTll8fmTZVwKZOKHYPtrLJIJQHJjNvxFWeHQjMaR7M=";
const postBody = `{
    "compartmentId": "ocid1.compartment.oc1..aaaaaaaam3we6vgnherjq5q2idnccdflvjsnog7mlr6rtdb25gilchfeyjxa",
    "instanceId": "ocid1.instance.oc1.phx.abuw4ljrlsfiqw6vzzxb43vyypt4pkodawglp3wqxjqofakrwvou52gb6s5a",
    "volumeId": "ocid1.volume.oc1.phx.abyhqljrgvttnlx73nmrwfaux7kcvzfs3s66izvxf2h4lgvyndsdsnoiwr5q"
}`;
const postSignature =
  "Mje8vIDPlwIHmD/cTDwRxE7HaAvBg16JnVcsuqaNRim23fFPgQfLoOOxae6WqKb1uPjYEl0qIdazWaBy/Ml8DRhqlocMwoSXv0fbukP8J5N80LCmzT/FFBvIvTB91XuXI3hYfP9Zt1l7S6ieVadHUfqBedWH0itrtPJBgKmrWso=";

function vectorRequest(
  method: string,
  rawTarget: string,
  headers: Record<string, string>,
  body = "",
): EmulatorRequest {
  const url = new URL(rawTarget, "http://x");
  return {
    method,
    rawTarget,
    path: url.pathname,
    query: url.searchParams,
    headers,
    body: Buffer.from(body),
    origin: "http://x",
    requestId: "r",
  };
}

describe("emulator units", () => {
  describe("OCI signature verification against Oracle's published vectors", () => {
    const keys = new OciKeyRegistry();
    const publicKey = createPublicKey(vectorKey);
    keys.add({ tenancy, user, fingerprint, publicKey });
    const keyId = `${tenancy}/${user}/${fingerprint}`;
    const at = Date.parse(date);

    it("computes a key's fingerprint as OCI documents it (openssl rsa -pubout -outform DER | openssl md5 -c)", () => {
      // The vector's keyId carries a placeholder fingerprint; this is what the documented command prints.
      assert.equal(keyFingerprint(publicKey), "73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7");
    });

    it("verifies the GET vector", () => {
      const request = vectorRequest("GET", getTarget, {
        date,
        host,
        authorization: `Signature version="1",headers="date (request-target) host",keyId="${keyId}",algorithm="rsa-sha256",signature="${getSignature}"`,
      });
      assert.deepEqual(verifyOciRequest(request, keys, at), { tenant: tenancy, subject: keyId });
    });

    it("verifies the POST vector, including its body hash", () => {
      const headers = {
        date,
        host,
        "content-length": "316",
        "content-type": "application/json",
        "x-content-sha256": "V9Z20UJTvkvpJ50flBzKE32+6m2zJjweHpDMX/U4Uy0=",
        authorization: `Signature version="1",headers="date (request-target) host content-length content-type x-content-sha256",keyId="${keyId}",algorithm="rsa-sha256",signature="${postSignature}"`,
      };
      const request = vectorRequest("POST", "/20160918/volumeAttachments", headers, postBody);
      assert.equal(verifyOciRequest(request, keys, at).tenant, tenancy);
      const tampered = vectorRequest(
        "POST",
        "/20160918/volumeAttachments",
        headers,
        postBody.replace("phx", "iad"),
      );
      assert.throws(
        () => verifyOciRequest(tampered, keys, at),
        (err: unknown) => err instanceof EmulatorHttpError && err.status === 401,
      );
    });

    it("rejects the GET vector once it is more than 5 minutes old", () => {
      const request = vectorRequest("GET", getTarget, {
        date,
        host,
        authorization: `Signature headers="date (request-target) host",keyId="${keyId}",algorithm="rsa-sha256",signature="${getSignature}"`,
      });
      assert.equal(verifyOciRequest(request, keys, at + 5 * 60 * 1000).tenant, tenancy);
      assert.throws(() => verifyOciRequest(request, keys, at + 5 * 60 * 1000 + 1), /5 minutes/);
    });
  });

  describe("parseAuthorization", () => {
    it("reads the parameters in any order and refuses other schemes or trailing garbage", () => {
      assert.deepEqual(
        parseAuthorization(
          'Signature version="1",keyId="a/b/c",algorithm="rsa-sha256",headers="x-date host",signature="c2ln"',
        ),
        {
          version: "1",
          keyid: "a/b/c",
          algorithm: "rsa-sha256",
          headers: "x-date host",
          signature: "c2ln",
        },
      );
      assert.equal(parseAuthorization("Bearer abc"), undefined);
      assert.equal(parseAuthorization('Signature keyId="a",junk'), undefined);
      assert.equal(parseAuthorization(undefined), undefined);
    });
  });

  describe("FaultRules", () => {
    it("matches WorkRequest: operations only when a rule names them", () => {
      const rules = new FaultRules(1);
      rules.add({ service: "oci", status: 500 });
      assert.equal(rules.evaluate("oci", "WorkRequest:CREATE_CONTAINER_INSTANCE"), undefined);
      assert.equal(rules.evaluate("oci", "GetFunction")?.status, 500);
      assert.equal(rules.evaluate("functiongraph", "GetFunction"), undefined);
      rules.add({ service: "oci", operation: "WorkRequest:CREATE_CONTAINER_INSTANCE", code: "X" });
      assert.equal(rules.evaluate("oci", "WorkRequest:CREATE_CONTAINER_INSTANCE")?.code, "X");
    });

    it("counts `times` per rule and rejects invalid bodies", () => {
      const rules = new FaultRules();
      rules.add({ service: "oci", status: 503, times: 1 });
      assert.equal(rules.evaluate("oci", "A")?.status, 503);
      assert.equal(rules.evaluate("oci", "A"), undefined);
      assert.throws(() => rules.add({ service: "oci", status: 99 }), TypeError);
      assert.throws(() => rules.add({ service: "oci", latencyMs: -1 }), TypeError);
      assert.throws(() => rules.add({ service: "oci", connectionReset: "yes" }), TypeError);
    });
  });

  describe("RateLimiter", () => {
    it("allows a burst, then one request per 1/rps seconds of clock time, per tenant", () => {
      const clock = new ManualClock(0);
      const limiter = new RateLimiter(clock);
      limiter.configure({ requestsPerSecond: 2, burst: 2 });
      assert.deepEqual([limiter.take("a"), limiter.take("a"), limiter.take("a")], [true, true, false]);
      assert.equal(limiter.take("b"), true, "tenants have their own bucket");
      clock.advance(499);
      assert.equal(limiter.take("a"), false);
      clock.advance(1);
      assert.equal(limiter.take("a"), true);
    });
  });

  describe("paginate", () => {
    it("hands out URL-safe tokens that walk every item once and refuses forged ones", () => {
      const items = Array.from({ length: 25 }, (_, i) => i);
      const seen: number[] = [];
      let page: string | undefined;
      do {
        const q = new URLSearchParams({ limit: "10", ...(page === undefined ? {} : { page }) });
        const result = paginate(items, q, { defaultLimit: 5, maxLimit: 10 });
        seen.push(...result.page);
        page = result.next;
        if (page !== undefined) assert.match(page, /^[A-Za-z0-9_-]+$/);
      } while (page !== undefined);
      assert.deepEqual(seen, items);
      assert.equal(
        paginate(items, new URLSearchParams({ limit: "999" }), { defaultLimit: 5, maxLimit: 10 }).page.length,
        10,
      );
      assert.throws(
        () => paginate(items, new URLSearchParams({ page: "MTA" }), { defaultLimit: 5, maxLimit: 10 }),
        /Invalid page/,
      );
      assert.throws(
        () => paginate(items, new URLSearchParams({ limit: "0" }), { defaultLimit: 5, maxLimit: 10 }),
        /limit/,
      );
    });
  });

  describe("isLoopback and ManualClock", () => {
    it("recognises loopback peers only", () => {
      for (const a of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"])
        assert.equal(isLoopback(a), true, a);
      for (const a of ["10.0.0.1", "::ffff:10.0.0.1", "192.168.1.1", "fe80::1", undefined])
        assert.equal(isLoopback(a), false, String(a));
    });

    it("moves only when advanced and refuses negative steps", () => {
      const clock = new ManualClock(1000);
      clock.advance(500);
      assert.equal(clock.now(), 1500);
      assert.throws(() => clock.advance(-1), TypeError);
    });
  });
});
