import { strict as assert } from "node:assert";
import { createHash, generateKeyPairSync } from "node:crypto";
import { request } from "undici";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { keyFingerprint } from "../../emulator/oci/auth";
import { OciTestClient, control } from "./helpers";

describe("emulator: OCI request signatures", function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  let oci: OciTestClient;
  const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const otherPem = otherKey.privateKey.export({ type: "pkcs8", format: "pem" }).toString();

  before(async () => {
    emu = await startEmulator();
    oci = new OciTestClient(emu);
  });
  after(() => emu.close());

  const postSignedHeaders = [
    "x-date",
    "(request-target)",
    "host",
    "content-type",
    "content-length",
    "x-content-sha256",
  ];
  const listPath = (): string => `/20181201/applications?compartmentId=${emu.oci.compartmentOcid}`;
  const appBody = (name: string): string =>
    JSON.stringify({
      compartmentId: emu.oci.compartmentOcid,
      displayName: name,
      subnetIds: [emu.oci.subnetOcid],
    });

  async function appCount(): Promise<number> {
    const res = await oci.call("GET", `${listPath()}&limit=50`);
    assert.equal(res.status, 200);
    return (res.body as unknown[]).length;
  }

  function assertNotAuthenticated(res: {
    status: number;
    json: Record<string, unknown>;
    headers: Record<string, string>;
  }): void {
    assert.equal(res.status, 401);
    assert.equal(res.json.code, "NotAuthenticated");
    assert.equal(typeof res.json.message, "string");
    assert.ok(res.headers["opc-request-id"]);
  }

  it("accepts requests signed by the official oci-common signer (GET and POST)", async () => {
    assert.equal((await oci.call("GET", listPath())).status, 200);
    assert.equal(
      (await oci.call("POST", "/20181201/applications", { body: appBody("signed-ok") })).status,
      200,
    );
  });

  it("rejects an unsigned request and an unsigned create changes nothing", async () => {
    const before = await appCount();
    assertNotAuthenticated(await oci.call("GET", listPath(), { sign: "none" }));
    assertNotAuthenticated(
      await oci.call("POST", "/20181201/applications", { body: appBody("unsigned"), sign: "none" }),
    );
    assert.equal(await appCount(), before);
  });

  it("rejects a signature made with another key under the registered keyId", async () => {
    const before = await appCount();
    assertNotAuthenticated(
      await oci.callManually("POST", "/20181201/applications", {
        body: appBody("wrong-key"),
        keyPem: otherPem,
      }),
    );
    assert.equal(await appCount(), before);
  });

  it("rejects an unknown keyId", async () => {
    const stranger = new OciTestClient(emu, {
      tenancy: "ocid1.tenancy.oc1..aaaaaaaastranger",
      user: "ocid1.user.oc1..aaaaaaaastranger",
      fingerprint: "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff",
      privateKeyPem: otherPem,
    });
    assertNotAuthenticated(await stranger.call("GET", listPath()));
  });

  it("rejects a tampered body (hash mismatch) and a tampered body with a recomputed hash (signature mismatch)", async () => {
    const before = await appCount();
    const tampered = await oci.call("POST", "/20181201/applications", {
      body: appBody("tamper-a"),
      afterSign: (req) => {
        req.body = appBody("tamper-b");
      },
    });
    assertNotAuthenticated(tampered);
    assert.match(String(tampered.json.message), /x-content-sha256/);
    const rehashed = await oci.call("POST", "/20181201/applications", {
      body: appBody("tamper-c"),
      afterSign: (req) => {
        const body = appBody("tamper-d");
        req.body = body;
        req.headers["x-content-sha256"] = createHash("sha256").update(body).digest("base64");
      },
    });
    assertNotAuthenticated(rehashed);
    assert.equal(await appCount(), before);
  });

  it("rejects a changed query string (the request target is signed)", async () => {
    let captured: Record<string, string> = {};
    const signed = await oci.call("GET", listPath(), {
      afterSign: (req) => {
        captured = { ...req.headers };
      },
    });
    assert.equal(signed.status, 200, "control: the original target passes");
    const replay = await request(`${emu.url}${listPath()}&limit=2`, { headers: captured });
    const body = (await replay.body.json()) as Record<string, unknown>;
    assert.equal(replay.statusCode, 401);
    assert.equal(body.code, "NotAuthenticated");
  });

  it("rejects a date more than 5 minutes off and accepts one 4 minutes off", async () => {
    const skewed = await oci.callManually("GET", listPath(), { date: new Date(Date.now() - 6 * 60 * 1000) });
    assertNotAuthenticated(skewed);
    assert.match(String(skewed.json.message), /5 minutes/);
    assertNotAuthenticated(
      await oci.callManually("GET", listPath(), { date: new Date(Date.now() + 6 * 60 * 1000) }),
    );
    assert.equal(
      (await oci.callManually("GET", listPath(), { date: new Date(Date.now() - 4 * 60 * 1000) })).status,
      200,
    );
  });

  it("requires (request-target), host and a date on GET, and the body headers on POST", async () => {
    assertNotAuthenticated(await oci.callManually("GET", listPath(), { headersToSign: ["x-date", "host"] }));
    assertNotAuthenticated(
      await oci.callManually("GET", listPath(), { headersToSign: ["x-date", "(request-target)"] }),
    );
    assertNotAuthenticated(
      await oci.callManually("GET", listPath(), { headersToSign: ["(request-target)", "host"] }),
    );
    for (const drop of ["content-type", "content-length", "x-content-sha256"]) {
      const headersToSign = postSignedHeaders.filter((h) => h !== drop);
      assertNotAuthenticated(
        await oci.callManually("POST", "/20181201/applications", {
          body: appBody(`no-${drop}`),
          headersToSign,
        }),
      );
    }
  });

  it("accepts `date` instead of `x-date` and header names in any case", async () => {
    const date = new Date().toUTCString();
    const res = await oci.callManually("GET", listPath(), {
      headers: { date },
      headersToSign: ["date", "(request-target)", "host"],
    });
    assert.equal(res.status, 200, res.text);
    const mixed = await oci.callManually("POST", "/20181201/applications", {
      body: appBody("mixed-case"),
      headersToSign: postSignedHeaders,
    });
    assert.equal(mixed.status, 200, mixed.text);
  });

  it("trusts keys registered through the control API and keeps tenants apart", async () => {
    const tenancy = "ocid1.tenancy.oc1..aaaaaaaasecondtenant";
    const user = "ocid1.user.oc1..aaaaaaaaseconduser";
    const reg = await control(emu, "POST", "credentials", {
      service: "oci",
      tenancy,
      user,
      publicKey: otherKey.publicKey.export({ type: "spki", format: "pem" }).toString(),
    });
    assert.equal(reg.status, 204, reg.text);
    const second = new OciTestClient(emu, {
      tenancy,
      user,
      fingerprint: keyFingerprint(otherKey.publicKey),
      privateKeyPem: otherPem,
    });
    const own = await oci.call("POST", "/20181201/applications", { body: appBody("tenant-a-app") });
    assert.equal(own.status, 200);
    const peek = await second.call("GET", `/20181201/applications/${String(own.json.id)}`);
    assert.equal(peek.status, 404, "another tenant's resource is not found");
    const list = await second.call("GET", listPath());
    assert.deepEqual(list.body, []);
    const bad = await control(emu, "POST", "credentials", {
      service: "oci",
      tenancy,
      user,
      publicKey: "not a key",
    });
    assert.equal(bad.status, 400);
  });

  it("rejects an unsupported algorithm or signature version", async () => {
    const res = await oci.call("GET", listPath(), {
      afterSign: (req) => {
        req.headers.authorization = req.headers.authorization?.replace('version="1"', 'version="2"') ?? "";
      },
    });
    assertNotAuthenticated(res);
    const alg = await oci.call("GET", listPath(), {
      afterSign: (req) => {
        req.headers.authorization = req.headers.authorization?.replace("rsa-sha256", "hmac-sha256") ?? "";
      },
    });
    assertNotAuthenticated(alg);
  });
});
