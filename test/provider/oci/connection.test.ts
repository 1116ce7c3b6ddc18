import { strict as assert } from "node:assert";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type PluginClient, type Props, serializeKind, startPlugin, unknown } from "../../engine/harness";
import { OciTestClient, readOciConfig } from "../../emulator/helpers";
import { ociTestEnv, startOciFixture, uniqueName, type OciFixture } from "./emulator-fixture";

// Issue 13 through the real plugin: one stack, OCI resources in two regions and two tenancies, each
// naming its own `connection`; the emulator serves each region under /regions/<region>/ and the stack's
// endpoint carries the {region} placeholder, as a user pointing fnstack at the emulator would set it.

const ashburn = "us-ashburn-1";
const phoenix = "us-phoenix-1";
const frankfurt = "eu-frankfurt-1";

describe("oci: per-resource connection through the engine path", function () {
  this.timeout(120_000);
  let fx: OciFixture;
  let configFile: string;
  let partnerTenancy: string;
  const plugins: PluginClient[] = [];
  let appStub: string;
  let fnStub: string;
  let dev: OciTestClient;
  let partner: OciTestClient;

  before(async () => {
    fx = await startOciFixture({ lifecycleMs: 50, workRequestMs: 50 });
    const emu = fx.emulator;
    // A second account: its own tenancy, user and key, trusted by the emulator.
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const unique = (): string => randomBytes(26).toString("hex");
    partnerTenancy = `ocid1.tenancy.oc1..aaaaaaaa${unique()}`;
    const partnerUser = `ocid1.user.oc1..aaaaaaaa${unique()}`;
    await fx.control("POST", "credentials", {
      service: "oci",
      tenancy: partnerTenancy,
      user: partnerUser,
      publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
    });
    const partnerKeyFile = join(emu.dataDir, "partner.pem");
    writeFileSync(partnerKeyFile, privateKey.export({ type: "pkcs8", format: "pem" }).toString(), {
      mode: 0o600,
    });
    const devConfig = readOciConfig(emu.oci.configFile);
    const { createPublicKey, createHash } = await import("node:crypto");
    const der = createPublicKey(privateKey).export({ type: "spki", format: "der" });
    const fingerprint = (createHash("md5").update(der).digest("hex").match(/../g) as string[]).join(":");
    configFile = join(emu.dataDir, "two-accounts.config");
    const devFile = readFileSync(emu.oci.configFile, "utf8");
    const partnerProfile = (name: string): string =>
      [
        `[${name}]`,
        `user=${partnerUser}`,
        `fingerprint=${fingerprint}`,
        `tenancy=${partnerTenancy}`,
        `region=${frankfurt}`,
        `key_file=${partnerKeyFile}`,
        "",
      ].join("\n");
    writeFileSync(
      configFile,
      `${devFile}\n${partnerProfile("partner")}\n${partnerProfile("partner-renamed")}`,
      {
        mode: 0o600,
      },
    );
    dev = new OciTestClient(emu);
    partner = new OciTestClient(emu, {
      tenancy: partnerTenancy,
      user: partnerUser,
      fingerprint,
      privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    });
    assert.equal(devConfig.tenancy, emu.oci.tenancyOcid);
    appStub = await serializeKind("oci:Application");
    fnStub = await serializeKind("oci:Function");
  });
  after(async () => {
    for (const p of plugins) await p.close();
    await fx?.close();
  });

  /** A plugin as one `pulumi up` starts it: the stack's default region is `region`. */
  async function plugin(region: string): Promise<PluginClient> {
    const p = await startPlugin({
      env: {
        ...process.env,
        ...ociTestEnv(fx.emulator),
        OCI_CONFIG_FILE: configFile,
        FNSTACK_OCI_ENDPOINT: `${fx.emulator.url}/regions/{region}`,
      },
      config: { "oci:region": region },
    });
    plugins.push(p);
    await p.configure();
    return p;
  }

  function appInputs(connection?: Props, compartmentId = fx.emulator.oci.compartmentOcid): Props {
    return {
      __provider: appStub,
      compartmentId,
      displayName: uniqueName("app"),
      subnetIds: [fx.emulator.oci.subnetOcid],
      ...(connection === undefined ? {} : { connection }),
    };
  }

  async function create(p: PluginClient, news: Props): Promise<{ id: string; outs: Props; inputs: Props }> {
    const checked = await p.check({}, news);
    assert.deepEqual(checked.failures, []);
    const made = await p.create(checked.inputs);
    return { id: made.id, outs: made.properties, inputs: checked.inputs };
  }

  /** GET status of an application in `region` as `client` sees it. */
  async function status(client: OciTestClient, region: string, id: string): Promise<number> {
    return (await client.call("GET", `/regions/${region}/20181201/applications/${id}`)).status;
  }

  /** True when the application is gone from `region` (404, or DELETED as OCI keeps it for a while). */
  async function gone(client: OciTestClient, region: string, id: string): Promise<boolean> {
    const res = await client.call("GET", `/regions/${region}/20181201/applications/${id}`);
    return res.status === 404 || (res.status === 200 && res.json.lifecycleState === "DELETED");
  }

  it("rejects a malformed connection in check, naming the setting", async () => {
    const p = await plugin(ashburn);
    const r = await p.check({}, appInputs({ region: "us phoenix", profil: "x" }));
    const properties = r.failures.map((f) => f.property).sort();
    assert.deepEqual(properties, ["connection.profil", "connection.region"]);
  });

  it("tolerates an unknown connection in preview and then plans a replacement", async () => {
    const p = await plugin(ashburn);
    const home = await create(p, appInputs());
    const checked = await p.check(home.inputs, { ...home.inputs, connection: unknown });
    assert.deepEqual(checked.failures, []);
    const d = await p.diff(home.id, home.outs, checked.inputs);
    assert.ok(d.replaces.includes("connection"), JSON.stringify(d));
    const partlyKnown = await p.check(home.inputs, { ...home.inputs, connection: { region: unknown } });
    assert.deepEqual(partlyKnown.failures, []);
    await p.delete(home.id, home.outs);
  });

  it("deploys to two regions and two tenancies in one stack, each recorded by region and tenancy", async () => {
    const p = await plugin(ashburn);
    const home = await create(p, appInputs());
    const west = await create(p, appInputs({ region: phoenix }));
    const other = await create(p, appInputs({ profile: "partner" }, partnerTenancy));

    assert.match(home.id, /^ocid1\.fnapp\.oc1\.us-ashburn-1\./);
    assert.match(west.id, /^ocid1\.fnapp\.oc1\.us-phoenix-1\./);
    assert.match(other.id, /^ocid1\.fnapp\.oc1\.eu-frankfurt-1\./, "the profile's region");
    assert.deepEqual(home.outs.connection, { region: ashburn, tenancyOcid: fx.emulator.oci.tenancyOcid });
    assert.deepEqual(west.outs.connection, { region: phoenix, tenancyOcid: fx.emulator.oci.tenancyOcid });
    assert.deepEqual(other.outs.connection, {
      region: frankfurt,
      tenancyOcid: partnerTenancy,
      profile: "partner",
    });
    assert.deepEqual(other.inputs.connection, { profile: "partner" }, "only names in the inputs");
    assert.ok(!JSON.stringify(other.outs).includes("BEGIN"), "no key material in state");

    // Each lives in its own region and tenancy only.
    assert.equal(await status(dev, ashburn, home.id), 200);
    assert.equal(await status(dev, phoenix, home.id), 404);
    assert.equal(await status(dev, phoenix, west.id), 200);
    assert.equal(await status(dev, ashburn, west.id), 404);
    assert.equal(await status(partner, frankfurt, other.id), 200);
    assert.equal(await status(dev, frankfurt, other.id), 404, "the other tenancy cannot see it");

    // A function in the phoenix application, through the same connection.
    const fnChecked = await p.check(
      {},
      {
        __provider: fnStub,
        applicationId: west.id,
        displayName: uniqueName("fn"),
        memoryInMBs: 128,
        image: "phx.ocir.io/ns/hello:1.0",
        connection: { region: "phx" },
      },
    );
    assert.deepEqual(fnChecked.failures, []);
    const fn = await p.create(fnChecked.inputs);
    assert.match(fn.id, /^ocid1\.fnfunc\.oc1\.us-phoenix-1\./);
    assert.equal(fn.properties.invokeEndpoint, `${fx.emulator.url}/regions/${phoenix}`);

    // Refresh reads each where it lives.
    for (const r of [home, west, other]) {
      const read = await p.read(r.id, r.outs, r.inputs);
      assert.equal(read.id, r.id);
      assert.deepEqual(read.properties.connection, r.outs.connection);
    }
    await p.delete(fn.id, fn.properties);
    for (const r of [home, west, other]) await p.delete(r.id, r.outs);
    assert.ok(await gone(dev, ashburn, home.id));
    assert.ok(await gone(dev, phoenix, west.id));
    assert.ok(await gone(partner, frankfurt, other.id));
  });

  it("replaces on a change of region or tenancy, not on a renamed profile or a short code", async () => {
    const p = await plugin(ashburn);
    const west = await create(p, appInputs({ region: phoenix }));
    const moved = await p.check(west.inputs, { ...west.inputs, connection: { region: frankfurt } });
    const d = await p.diff(west.id, west.outs, moved.inputs);
    assert.equal(d.changes, "DIFF_SOME");
    assert.ok(d.replaces.includes("connection"), JSON.stringify(d));

    const shortCode = await p.check(west.inputs, { ...west.inputs, connection: { region: "phx" } });
    assert.equal((await p.diff(west.id, west.outs, shortCode.inputs)).changes, "DIFF_NONE");

    const other = await create(p, appInputs({ profile: "partner" }, partnerTenancy));
    const renamed = await p.check(other.inputs, {
      ...other.inputs,
      connection: { profile: "partner-renamed" },
    });
    const rd = await p.diff(other.id, other.outs, renamed.inputs);
    assert.equal(rd.changes, "DIFF_SOME", "the record must learn the new profile name");
    assert.deepEqual(rd.replaces, []);
    const before = await fx.ociRequestCount();
    const updated = await p.update(other.id, other.outs, renamed.inputs);
    assert.equal(await fx.ociRequestCount(), before, "a renamed profile sends nothing to the cloud");
    assert.deepEqual(updated.properties.connection, {
      region: frankfurt,
      tenancyOcid: partnerTenancy,
      profile: "partner-renamed",
    });

    // Same region, other tenancy: the default profile's account.
    const otherAccount = await p.check(other.inputs, {
      ...other.inputs,
      connection: { profile: "DEFAULT", region: frankfurt },
    });
    const od = await p.diff(other.id, updated.properties, otherAccount.inputs);
    assert.ok(od.replaces.includes("connection"), JSON.stringify(od));

    // A resource without a connection follows the stack's default region: a new default moves it.
    const home = await create(p, appInputs());
    const p2 = await plugin(phoenix);
    assert.ok((await p2.diff(home.id, home.outs, home.inputs)).replaces.includes("connection"));

    await p.delete(west.id, west.outs);
    await p.delete(other.id, updated.properties);
    await p.delete(home.id, home.outs);
  });

  it("records a connection newly given to old state, without a request or a replacement", async () => {
    const p = await plugin(ashburn);
    const old = await create(p, appInputs());
    const { connection: _dropped, ...oldOuts } = old.outs;
    const named = await p.check(old.inputs, { ...old.inputs, connection: { profile: "DEFAULT" } });
    const d = await p.diff(old.id, oldOuts, named.inputs);
    assert.deepEqual([d.changes, d.replaces], ["DIFF_SOME", []]);
    const before = await fx.ociRequestCount();
    const updated = await p.update(old.id, oldOuts, named.inputs);
    assert.equal(await fx.ociRequestCount(), before);
    assert.deepEqual(updated.properties.connection, {
      region: ashburn,
      tenancyOcid: fx.emulator.oci.tenancyOcid,
      profile: "DEFAULT",
    });
    // Old state and no connection: nothing to do.
    assert.equal((await p.diff(old.id, oldOuts, old.inputs)).changes, "DIFF_NONE");
    await p.delete(old.id, updated.properties);
  });

  it("reports drift in one region without touching the other region's twin", async () => {
    const p = await plugin(ashburn);
    const name = uniqueName("twin");
    const east = await create(p, { ...appInputs(), displayName: name });
    const west = await create(p, { ...appInputs({ region: phoenix }), displayName: name });
    await fx.drift("change", west.id, { freeformTags: { changed: "behind-our-back" } });

    const westRead = await p.read(west.id, west.outs, west.inputs);
    assert.deepEqual(westRead.properties.freeformTags, { changed: "behind-our-back" });
    assert.equal((await p.diff(west.id, westRead.properties, west.inputs)).changes, "DIFF_SOME");

    const eastRead = await p.read(east.id, east.outs, east.inputs);
    assert.deepEqual(eastRead.properties.freeformTags ?? {}, {});
    assert.equal((await p.diff(east.id, eastRead.properties, east.inputs)).changes, "DIFF_NONE");

    // Deleted in phoenix: refresh there says gone, ashburn's twin stays.
    await fx.drift("delete", west.id);
    assert.equal((await p.read(west.id, westRead.properties, west.inputs)).id, "");
    assert.equal((await p.read(east.id, east.outs, east.inputs)).id, east.id);
    await p.delete(east.id, east.outs);
  });

  it("destroys in the recorded region after the stack's default region changed, also for old state", async () => {
    const p = await plugin(ashburn);
    const recorded = await create(p, appInputs());
    const old = await create(p, appInputs());
    // State written before connections existed: no `connection` output.
    const { connection: _dropped, ...oldOuts } = old.outs;

    const later = await plugin(phoenix);
    await later.delete(recorded.id, recorded.outs);
    await later.delete(old.id, oldOuts);
    assert.ok(await gone(dev, ashburn, recorded.id), "deleted in us-ashburn-1");
    assert.ok(await gone(dev, ashburn, old.id), "old state: the OCID's region");
  });

  it("refuses to act when the recorded tenancy is no longer the credentials' tenancy", async () => {
    const p = await plugin(ashburn);
    const home = await create(p, appInputs());
    const forged = { ...home.outs, connection: { region: ashburn, tenancyOcid: partnerTenancy } };
    await assert.rejects(p.delete(home.id, forged), /lives in tenancy .* now resolves to tenancy/);
    assert.equal(await status(dev, ashburn, home.id), 200, "nothing was deleted");
    await p.delete(home.id, home.outs);
  });
});
