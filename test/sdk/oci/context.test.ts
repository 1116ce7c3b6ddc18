import { strict as assert } from "node:assert";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent } from "undici";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { AuthenticationError } from "../../../sdk/core/errors";
import { send } from "../../../sdk/core/send";
import { resolveOciCredentials, type OciCredentials } from "../../../sdk/oci/auth/credentials";
import { createOciSigner } from "../../../sdk/oci/auth/signer";
import { ociClientContext } from "../../../sdk/oci/context";
import { parseOciErrorBody } from "../../../sdk/oci/error-body";

describe("ociClientContext", () => {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const credentials: OciCredentials = {
    tenancyOcid: "ocid1.tenancy.oc1..t",
    keyId: "ocid1.tenancy.oc1..t/ocid1.user.oc1..u/20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34",
    privateKey,
    region: "us-phoenix-1",
  };

  it("points at the service in the credentials' region, with the OCI parser and a signer", () => {
    const ctx = ociClientContext("containerInstances", credentials);
    assert.equal(ctx.endpoint.href, "https://compute-containers.us-phoenix-1.oci.oraclecloud.com/20210415");
    assert.equal(ctx.parseErrorBody, parseOciErrorBody);
    assert.equal(typeof ctx.signer.sign, "function");
  });

  it("uses the credentials' endpoint override and lets extra fields win", () => {
    const withOverride = { ...credentials, endpointOverride: new URL("http://127.0.0.1:1") };
    assert.equal(ociClientContext("workRequests", withOverride).endpoint.href, "http://127.0.0.1:1/20160918");
    const signer = createOciSigner(credentials);
    const ctx = ociClientContext("functions", credentials, {
      signer,
      readTimeoutMs: 5,
      retry: { maxAttempts: 1 },
    });
    assert.equal(ctx.signer, signer);
    assert.equal(ctx.readTimeoutMs, 5);
    assert.deepEqual(ctx.retry, { maxAttempts: 1 });
  });

  describe("against the emulator's independent signature check", function () {
    this.timeout(30_000);
    let emulator: RunningEmulator;
    let home: string;
    const dispatcher = new Agent({ connect: { timeout: 5_000 } });

    before(async () => {
      home = mkdtempSync(join(tmpdir(), "fnstack-ociauth-home-"));
      emulator = await startEmulator({ port: 0 });
    });
    after(async () => {
      await emulator?.close();
      await dispatcher.close();
      rmSync(home, { recursive: true, force: true });
    });

    const resolveForEmulator = () =>
      resolveOciCredentials({
        env: { OCI_CONFIG_FILE: emulator.oci.configFile, FNSTACK_OCI_ENDPOINT: emulator.url },
        homeDir: home,
      });

    it("resolves the emulator's config file and is accepted for GET and POST", async () => {
      const creds = await resolveForEmulator();
      assert.equal(creds.tenancyOcid, emulator.oci.tenancyOcid);
      const ctx = ociClientContext("functions", creds, { dispatcher, retry: { maxAttempts: 1 } });
      const listed = await send<unknown[]>(ctx, {
        operation: "ListApplications",
        method: "GET",
        path: "/applications",
        query: { compartmentId: emulator.oci.compartmentOcid, displayName: "name with spaces & symbols" },
      });
      assert.equal(listed.statusCode, 200);
      assert.ok(Array.isArray(listed.body));
      const created = await send<{ id: string; displayName: string }>(ctx, {
        operation: "CreateApplication",
        method: "POST",
        path: "/applications",
        body: {
          compartmentId: emulator.oci.compartmentOcid,
          displayName: `ociauth-${process.pid}`,
          subnetIds: [emulator.oci.subnetOcid],
        },
      });
      assert.equal(created.statusCode, 200);
      assert.equal(created.body.displayName, `ociauth-${process.pid}`);
      const fetched = await send<{ id: string }>(ctx, {
        operation: "GetApplication",
        method: "GET",
        path: `/applications/${encodeURIComponent(created.body.id)}`,
      });
      assert.equal(fetched.body.id, created.body.id);
    });

    it("is refused with an AuthenticationError when signed with a key the emulator does not trust", async () => {
      const creds = await resolveForEmulator();
      const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
      const keyFile = join(home, "stranger.pem");
      writeFileSync(keyFile, stranger.export({ format: "pem", type: "pkcs8" }) as string);
      const wrong = await resolveOciCredentials({
        config: (key) => (key === "oci:privateKeyPath" ? keyFile : undefined),
        env: { OCI_CONFIG_FILE: emulator.oci.configFile, FNSTACK_OCI_ENDPOINT: emulator.url },
        homeDir: home,
      });
      assert.equal(wrong.keyId, creds.keyId);
      const ctx = ociClientContext("functions", wrong, { dispatcher, retry: { maxAttempts: 1 } });
      await assert.rejects(
        send(ctx, {
          operation: "ListApplications",
          method: "GET",
          path: "/applications",
          query: { compartmentId: emulator.oci.compartmentOcid },
        }),
        (err: unknown) => err instanceof AuthenticationError && err.statusCode === 401,
      );
    });
  });
});
