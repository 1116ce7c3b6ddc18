import { strict as assert } from "node:assert";
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigurationError } from "../../../../sdk/core/errors";
import {
  type OciConnectionSettings,
  resolveOciCredentials,
  resolveOciLocation,
} from "../../../../sdk/oci/auth/credentials";
import { ociEndpoint } from "../../../../sdk/oci/endpoints";

// Issue 13: a resource's connection (profile, region) overrides the stack's account for that resource.

const tenancy = "ocid1.tenancy.oc1..aaaaaaaastack";
const partnerTenancy = "ocid1.tenancy.oc1..aaaaaaaapartner";
const user = "ocid1.user.oc1..aaaaaaaauser";
const partnerUser = "ocid1.user.oc1..aaaaaaaapartneruser";
const fingerprint = "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34";
const pem = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
  format: "pem",
  type: "pkcs8",
}) as string;

describe("resolveOciCredentials with a per-resource connection", () => {
  let dir: string;
  let configFile: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "fnstack-oci-connection-"));
    mkdirSync(join(dir, "home"));
    writeFileSync(join(dir, "key.pem"), pem);
    configFile = join(dir, "config");
    writeFileSync(
      configFile,
      [
        "[DEFAULT]",
        `user=${user}`,
        `fingerprint=${fingerprint}`,
        `tenancy=${tenancy}`,
        "region=us-ashburn-1",
        "key_file=key.pem",
        "[partner]",
        `user=${partnerUser}`,
        `tenancy=${partnerTenancy}`,
        "region=eu-frankfurt-1",
        "[no-region]",
        `tenancy=${partnerTenancy}`,
        "",
      ].join("\n"),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const resolve = (
    connection: OciConnectionSettings | undefined,
    stack: Record<string, string> = {},
    env: NodeJS.ProcessEnv = {},
  ) =>
    resolveOciCredentials({
      config: (key) => stack[key],
      env: { OCI_CONFIG_FILE: configFile, ...env },
      homeDir: join(dir, "home"),
      ...(connection === undefined ? {} : { connection }),
    });

  it("takes the whole account from the named profile, ignoring the stack's credential keys", async () => {
    const stack = {
      "oci:tenancyOcid": tenancy,
      "oci:userOcid": user,
      "oci:fingerprint": fingerprint,
      "oci:privateKey": pem,
      "oci:region": "us-phoenix-1",
      "oci:configFileProfile": "DEFAULT",
    };
    const own = await resolve({ profile: "partner" }, stack);
    assert.equal(own.tenancyOcid, partnerTenancy);
    assert.equal(own.userOcid, partnerUser);
    assert.equal(own.fingerprint, fingerprint, "inherited from [DEFAULT], as the file format says");
    assert.equal(own.region, "eu-frankfurt-1", "the profile's region over the stack's");
    assert.equal((await resolve(undefined, stack)).tenancyOcid, tenancy, "without a connection: the stack's");
  });

  it("orders the region: connection, then the profile's, then the stack's", async () => {
    assert.equal((await resolve({ profile: "partner", region: "phx" })).region, "us-phoenix-1");
    assert.equal(
      (await resolve({ region: "eu-zurich-1" }, { "oci:region": "us-phoenix-1" })).region,
      "eu-zurich-1",
    );
    // [no-region] inherits DEFAULT's region (the file's own fallback) before the stack's is consulted.
    assert.equal(
      (await resolve({ profile: "no-region" }, { "oci:region": "us-phoenix-1" })).region,
      "us-ashburn-1",
    );
    assert.equal(
      (await resolve({ region: "us-sanjose-1" }, {}, { OCI_REGION: "us-phoenix-1" })).region,
      "us-sanjose-1",
    );
  });

  it("names the connection when its profile is not in the file", async () => {
    await assert.rejects(
      resolve({ profile: "missing" }),
      (err: unknown) =>
        err instanceof ConfigurationError &&
        /no profile \[missing\]/.test(err.message) &&
        /connection\.profile/.test(err.message),
    );
  });

  it("fills the endpoint override's {region} with the call's region", async () => {
    const stack = { "fnstack:ociEndpoint": "http://127.0.0.1:9000/regions/{region}" };
    const west = await resolve({ region: "phx" }, stack);
    assert.equal(west.endpointOverride?.href, "http://127.0.0.1:9000/regions/us-phoenix-1");
    assert.equal(
      ociEndpoint("functions", west.region, west.endpointOverride).href,
      "http://127.0.0.1:9000/regions/us-phoenix-1/20181201",
    );
    const home = await resolve(undefined, stack);
    assert.equal(home.endpointOverride?.href, "http://127.0.0.1:9000/regions/us-ashburn-1");
    await assert.rejects(
      resolve(undefined, { "fnstack:ociEndpoint": "ftp://host/{region}" }),
      /must use http or https/,
    );
  });

  it("tells where a connection points without reading the key, and agrees with the full resolution", async () => {
    const sources = {
      config: () => undefined,
      env: { OCI_CONFIG_FILE: configFile },
      homeDir: join(dir, "home"),
    };
    for (const connection of [undefined, { profile: "partner" }, { region: "phx" }]) {
      const full = await resolveOciCredentials({ ...sources, ...(connection ? { connection } : {}) });
      const location = await resolveOciLocation({ ...sources, ...(connection ? { connection } : {}) });
      assert.deepEqual(location, { region: full.region, tenancyOcid: full.tenancyOcid });
    }
    const noKey = {
      ...sources,
      config: (key: string) => ({ "oci:privateKeyPath": join(dir, "absent.pem") })[key],
    };
    assert.deepEqual(await resolveOciLocation(noKey), { region: "us-ashburn-1", tenancyOcid: tenancy });
    await assert.rejects(resolveOciCredentials(noKey), /does not exist/);
  });

  it("rejects an empty connection setting", async () => {
    await assert.rejects(resolve({ region: " " }), /connection\.region must be a non-empty string/);
  });
});
