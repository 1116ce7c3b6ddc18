import { strict as assert } from "node:assert";
import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { ConfigurationError } from "../../../../sdk/core/errors";
import { resolveOciCredentials, type OciAuthSources } from "../../../../sdk/oci/auth/credentials";

const tenancy = "ocid1.tenancy.oc1..aaaaaaaatenancy";
const otherTenancy = "ocid1.tenancy.oc1..aaaaaaaaother";
const user = "ocid1.user.oc1..aaaaaaaauser";
const fingerprint = "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34";
const passphrase = "pa ss#phrase-SECRET-7f3c";
const token = "eyJhbGciOiJSUzI1NiJ9.SESSION-TOKEN-SECRET.c2lnbmF0dXJl";

const { privateKey: rsaKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const plainPkcs1 = rsaKey.export({ format: "pem", type: "pkcs1" }) as string;
const plainPkcs8 = rsaKey.export({ format: "pem", type: "pkcs8" }) as string;
const encryptedPkcs8 = rsaKey.export({
  format: "pem",
  type: "pkcs8",
  cipher: "aes-256-cbc",
  passphrase,
}) as string;
const encryptedPkcs1 = rsaKey.export({
  format: "pem",
  type: "pkcs1",
  cipher: "aes-256-cbc",
  passphrase,
}) as string;
const ecPem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
  format: "pem",
  type: "pkcs8",
}) as string;
/** Lines of base64 from each PEM: none may ever appear in a message or inspect output. */
const keyMaterial = [plainPkcs1, plainPkcs8, encryptedPkcs8, encryptedPkcs1]
  .flatMap((pem) => pem.split("\n"))
  .filter((line) => /^[A-Za-z0-9+/=]{40,}$/.test(line));
const secrets = [passphrase, token, ...keyMaterial];

function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  const der = (k: KeyObject) => createPublicKey(k).export({ format: "der", type: "spki" });
  return der(a).equals(der(b));
}

describe("resolveOciCredentials", () => {
  let root: string;
  let home: string;
  let n = 0;
  /** A fresh empty home directory per test; nothing is read from the real home. */
  let dir: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), "fnstack-ociauth-"));
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    dir = join(root, `t${n++}`);
    home = join(dir, "home");
    mkdirSync(join(home, ".oci"), { recursive: true });
  });

  const write = (path: string, text: string): string => {
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  const config =
    (values: Record<string, string>): OciAuthSources["config"] =>
    (key) =>
      values[key];
  const resolveWith = (sources: { config?: Record<string, string>; env?: NodeJS.ProcessEnv }) =>
    resolveOciCredentials({ config: config(sources.config ?? {}), env: sources.env ?? {}, homeDir: home });
  const defaultProfile = (extra = ""): string =>
    `[DEFAULT]\nuser=${user}\nfingerprint=${fingerprint}\ntenancy=${tenancy}\nregion=us-ashburn-1\n` +
    `key_file=~/.oci/key.pem\n${extra}`;

  /** Resolves, expecting a ConfigurationError; returns its message after the common checks. */
  async function failure(sources: {
    config?: Record<string, string>;
    env?: NodeJS.ProcessEnv;
  }): Promise<string> {
    try {
      await resolveWith(sources);
    } catch (err) {
      assert.ok(err instanceof ConfigurationError, `expected a ConfigurationError, got ${inspect(err)}`);
      assert.equal(err.code, "ConfigurationError");
      const shown = `${err.message}\n${inspect(err)}`;
      for (const secret of secrets)
        assert.ok(!shown.includes(secret), `a secret leaked into: ${err.message}`);
      assert.ok(!/\n\s+at /.test(err.message), "the message must not carry a stack trace");
      return err.message;
    }
    assert.fail("expected a ConfigurationError");
  }

  describe("sources and precedence", () => {
    it("reads every value from ~/.oci/config's DEFAULT profile when nothing else is set", async () => {
      write(join(home, ".oci", "config"), defaultProfile());
      write(join(home, ".oci", "key.pem"), plainPkcs1);
      const creds = await resolveWith({});
      assert.equal(creds.tenancyOcid, tenancy);
      assert.equal(creds.userOcid, user);
      assert.equal(creds.fingerprint, fingerprint);
      assert.equal(creds.keyId, `${tenancy}/${user}/${fingerprint}`);
      assert.equal(creds.region, "us-ashburn-1");
      assert.equal(creds.endpointOverride, undefined);
      assert.ok(samePublicKey(creds.privateKey, rsaKey));
    });

    it("lets stack config override the file key by key and keeps the file's other values", async () => {
      write(join(home, ".oci", "config"), defaultProfile());
      write(join(home, ".oci", "key.pem"), plainPkcs1);
      const creds = await resolveWith({ config: { "oci:tenancyOcid": otherTenancy, "oci:region": "fra" } });
      assert.equal(creds.tenancyOcid, otherTenancy);
      assert.equal(creds.region, "eu-frankfurt-1");
      assert.equal(creds.userOcid, user);
      assert.equal(creds.keyId, `${otherTenancy}/${user}/${fingerprint}`);
    });

    it("takes the region from oci:region, then OCI_REGION, then the file", async () => {
      write(join(home, ".oci", "config"), defaultProfile());
      write(join(home, ".oci", "key.pem"), plainPkcs1);
      assert.equal((await resolveWith({ env: { OCI_REGION: "phx" } })).region, "us-phoenix-1");
      const both = await resolveWith({ config: { "oci:region": "uk-london-1" }, env: { OCI_REGION: "phx" } });
      assert.equal(both.region, "uk-london-1");
    });

    it("uses all-explicit stack config without reading the config file, even a broken one", async () => {
      write(join(home, ".oci", "config"), "this is not an OCI config file\n");
      const creds = await resolveWith({
        env: { OCI_CLI_PROFILE: "NOPE" },
        config: {
          "oci:tenancyOcid": tenancy,
          "oci:userOcid": user,
          "oci:fingerprint": fingerprint.toUpperCase(),
          "oci:privateKey": plainPkcs8,
          "oci:region": "IAD",
        },
      });
      assert.equal(creds.region, "us-ashburn-1");
      assert.equal(creds.fingerprint, fingerprint);
      assert.ok(samePublicKey(creds.privateKey, rsaKey));
    });

    it("accepts oci:privateKey with its line breaks escaped as \\n", async () => {
      const creds = await resolveWith({
        config: {
          "oci:tenancyOcid": tenancy,
          "oci:userOcid": user,
          "oci:fingerprint": fingerprint,
          "oci:privateKey": plainPkcs1.trim().replace(/\n/g, "\\n"),
          "oci:region": "us-ashburn-1",
        },
      });
      assert.ok(samePublicKey(creds.privateKey, rsaKey));
    });

    it("prefers oci:privateKey over oci:privateKeyPath over the file's key_file", async () => {
      write(join(home, ".oci", "config"), defaultProfile());
      write(join(home, ".oci", "key.pem"), ecPem); // would fail if it were used
      const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
      const otherPath = write(
        join(dir, "other.pem"),
        other.export({ format: "pem", type: "pkcs8" }) as string,
      );
      const viaPath = await resolveWith({ config: { "oci:privateKeyPath": otherPath } });
      assert.ok(samePublicKey(viaPath.privateKey, other));
      const viaText = await resolveWith({
        config: { "oci:privateKeyPath": otherPath, "oci:privateKey": plainPkcs8 },
      });
      assert.ok(samePublicKey(viaText.privateKey, rsaKey));
    });

    it("reads OCI_CONFIG_FILE before OCI_CLI_CONFIG_FILE before ~/.oci/config", async () => {
      write(join(home, ".oci", "config"), defaultProfile().replace("us-ashburn-1", "us-phoenix-1"));
      write(join(home, ".oci", "key.pem"), plainPkcs1);
      const cli = write(join(dir, "cli-config"), defaultProfile().replace("us-ashburn-1", "eu-frankfurt-1"));
      const sdk = write(join(dir, "sdk-config"), defaultProfile().replace("us-ashburn-1", "uk-london-1"));
      assert.equal((await resolveWith({})).region, "us-phoenix-1");
      assert.equal((await resolveWith({ env: { OCI_CLI_CONFIG_FILE: cli } })).region, "eu-frankfurt-1");
      const both = await resolveWith({ env: { OCI_CLI_CONFIG_FILE: cli, OCI_CONFIG_FILE: sdk } });
      assert.equal(both.region, "uk-london-1");
    });

    it("selects the profile by oci:configFileProfile, then OCI_CLI_PROFILE, inheriting missing keys from DEFAULT", async () => {
      write(
        join(home, ".oci", "config"),
        defaultProfile() +
          `\n[DEV]\ntenancy=${otherTenancy}\n# region comes from DEFAULT\n` +
          `\n[PROD]\nregion=eu-frankfurt-1\n`,
      );
      write(join(home, ".oci", "key.pem"), plainPkcs1);
      const dev = await resolveWith({ env: { OCI_CLI_PROFILE: "DEV" } });
      assert.equal(dev.tenancyOcid, otherTenancy);
      assert.equal(dev.region, "us-ashburn-1");
      assert.equal(dev.userOcid, user);
      const prod = await resolveWith({
        config: { "oci:configFileProfile": "PROD" },
        env: { OCI_CLI_PROFILE: "DEV" },
      });
      assert.equal(prod.tenancyOcid, tenancy);
      assert.equal(prod.region, "eu-frankfurt-1");
    });

    it("expands ~ in OCI_CONFIG_FILE and key_file, and resolves a relative key_file against the config file", async () => {
      write(join(home, "cfg", "config"), defaultProfile().replace("~/.oci/key.pem", "keys/api.pem"));
      write(join(home, "cfg", "keys", "api.pem"), plainPkcs1);
      const creds = await resolveWith({ env: { OCI_CONFIG_FILE: "~/cfg/config" } });
      assert.ok(samePublicKey(creds.privateKey, rsaKey));
      assert.match(
        (creds as unknown as { sources: Record<string, string> }).sources["privateKey"] ?? "",
        /api\.pem/,
      );
    });

    it("decrypts encrypted PKCS#8 and PKCS#1 keys with pass_phrase or oci:privateKeyPassword", async () => {
      write(join(home, ".oci", "config"), defaultProfile(`pass_phrase=${passphrase}\n`));
      write(join(home, ".oci", "key.pem"), encryptedPkcs8);
      assert.ok(samePublicKey((await resolveWith({})).privateKey, rsaKey));
      write(join(home, ".oci", "config"), defaultProfile());
      write(join(home, ".oci", "key.pem"), encryptedPkcs1);
      const creds = await resolveWith({ config: { "oci:privateKeyPassword": passphrase } });
      assert.ok(samePublicKey(creds.privateKey, rsaKey));
    });

    it("uses security_token_file as an ST$ key id, without needing a user", async () => {
      write(
        join(home, ".oci", "config"),
        `[DEFAULT]\nfingerprint=${fingerprint}\ntenancy=${tenancy}\nregion=iad\nkey_file=~/.oci/session.pem\n` +
          `security_token_file=~/.oci/token\n`,
      );
      write(join(home, ".oci", "session.pem"), plainPkcs1);
      write(join(home, ".oci", "token"), `${token}\n`);
      const creds = await resolveWith({});
      assert.equal(creds.keyId, `ST$${token}`);
      assert.equal(creds.userOcid, undefined);
      const shown = `${inspect(creds)}\n${JSON.stringify(creds)}`;
      assert.ok(!shown.includes(token), shown);
      assert.match(shown, /ST\$\[redacted\]/);
    });

    it("lets an explicit oci:userOcid switch a session-token profile back to API-key signing", async () => {
      write(join(home, ".oci", "config"), defaultProfile("security_token_file=~/.oci/token\n"));
      write(join(home, ".oci", "key.pem"), plainPkcs1);
      const creds = await resolveWith({ config: { "oci:userOcid": user } });
      assert.equal(creds.keyId, `${tenancy}/${user}/${fingerprint}`);
    });

    it("takes the endpoint override from fnstack:ociEndpoint before FNSTACK_OCI_ENDPOINT, and then accepts any region name", async () => {
      write(join(home, ".oci", "config"), defaultProfile().replace("us-ashburn-1", "emu-local-1"));
      write(join(home, ".oci", "key.pem"), plainPkcs1);
      const fromEnv = await resolveWith({ env: { FNSTACK_OCI_ENDPOINT: "http://127.0.0.1:8080" } });
      assert.equal(fromEnv.endpointOverride?.href, "http://127.0.0.1:8080/");
      assert.equal(fromEnv.region, "emu-local-1");
      const both = await resolveWith({
        config: { "fnstack:ociEndpoint": "https://private.example.com/oci" },
        env: { FNSTACK_OCI_ENDPOINT: "http://127.0.0.1:8080" },
      });
      assert.equal(both.endpointOverride?.href, "https://private.example.com/oci");
    });

    it("redacts the private key in toJSON and util.inspect", async () => {
      write(join(home, ".oci", "config"), defaultProfile(`pass_phrase=${passphrase}\n`));
      write(join(home, ".oci", "key.pem"), encryptedPkcs8);
      const creds = await resolveWith({});
      const shown = `${inspect(creds, { depth: 10, showHidden: true })}\n${JSON.stringify(creds)}`;
      for (const secret of secrets)
        assert.ok(!shown.includes(secret), "a secret leaked into inspect/JSON output");
      const json = JSON.parse(JSON.stringify(creds)) as Record<string, unknown>;
      assert.equal(json["privateKey"], "[redacted]");
      assert.equal(json["tenancyOcid"], tenancy);
    });
  });

  describe("files read once per version", () => {
    it("parses the key once for every call, and reads a changed config file or token again", async () => {
      const configPath = write(
        join(home, ".oci", "config"),
        defaultProfile("security_token_file=~/.oci/token\n"),
      );
      write(join(home, ".oci", "key.pem"), plainPkcs1);
      const tokenPath = write(join(home, ".oci", "token"), "first-token\n");
      const first = await resolveWith({});
      const second = await resolveWith({});
      assert.equal(second.privateKey, first.privateKey, "the same KeyObject: the key was parsed once");
      assert.equal(second.keyId, "ST$first-token");

      // `oci session refresh` rewrites the token; an edited profile moves to another region.
      write(tokenPath, "second-token-longer\n");
      write(
        configPath,
        defaultProfile("security_token_file=~/.oci/token\n").replace("us-ashburn-1", "us-phoenix-1"),
      );
      const third = await resolveWith({});
      assert.equal(third.keyId, "ST$second-token-longer");
      assert.equal(third.region, "us-phoenix-1");
      assert.equal(third.privateKey, first.privateKey, "a new resolution reuses the parsed, unchanged key");
    });

    it("shares one resolution between calls with the same sources, and resolves anew when one changes", async () => {
      write(join(home, ".oci", "config"), defaultProfile());
      write(join(home, ".oci", "key.pem"), plainPkcs1);
      const [first, concurrent] = await Promise.all([resolveWith({}), resolveWith({})]);
      assert.equal(concurrent, first, "calls at once share one resolution");
      assert.equal(await resolveWith({}), first);
      assert.ok(Object.isFrozen(first));

      const moved = await resolveWith({ config: { "oci:region": "us-phoenix-1" } });
      assert.equal(moved.region, "us-phoenix-1");
      const byEnv = await resolveWith({ env: { OCI_REGION: "eu-frankfurt-1" } });
      assert.equal(byEnv.region, "eu-frankfurt-1");
      assert.equal((await resolveWith({})).region, "us-ashburn-1");
    });

    it("does not keep a failure: a config file fixed after an error is read again", async () => {
      const configPath = write(join(home, ".oci", "config"), "user=before-any-profile\n");
      write(join(home, ".oci", "key.pem"), plainPkcs1);
      await failure({});
      write(configPath, defaultProfile());
      const creds = await resolveWith({});
      assert.equal(creds.tenancyOcid, tenancy);
    });

    it("parses the key again for another pass phrase", async () => {
      write(join(home, ".oci", "config"), defaultProfile());
      write(join(home, ".oci", "key.pem"), encryptedPkcs8);
      const right = await resolveWith({ config: { "oci:privateKeyPassword": passphrase } });
      assert.ok(samePublicKey(right.privateKey, rsaKey));
      const message = await failure({ config: { "oci:privateKeyPassword": "not the phrase" } });
      assert.match(message, /pass phrase/);
    });
  });

  it("rejects malformed options eagerly with a TypeError", async () => {
    const bad = { config: { "oci:region": "iad" } } as unknown as OciAuthSources;
    await assert.rejects(resolveOciCredentials(bad), TypeError);
    await assert.rejects(resolveOciCredentials({ homeDir: "" }), TypeError);
  });

  describe("bad input gives a ConfigurationError naming the file/key and the rule", () => {
    it("names every missing value with every source tried", async () => {
      const message = await failure({ config: { "oci:userOcid": user } });
      for (const part of [
        "tenancy OCID (tried stack config oci:tenancyOcid, config file key tenancy)",
        "oci:tenancyOcid",
        "fingerprint",
        "oci:fingerprint",
        "private key",
        "oci:privateKey",
        "oci:privateKeyPath",
        "region",
        "oci:region",
        "region (tried stack config oci:region, environment OCI_REGION, config file key region)",
        `The config file ${join(home, ".oci", "config")} does not exist`,
      ]) {
        assert.ok(message.includes(part), `"${part}" missing from: ${message}`);
      }
      assert.ok(!message.includes("user OCID"), "the user OCID was set and must not be reported missing");
    });

    it("names the file, profile and key when the file lacks a value", async () => {
      write(join(home, ".oci", "config"), `[DEFAULT]\nuser=${user}\n\n[DEV]\nregion=iad\n`);
      const message = await failure({ env: { OCI_CLI_PROFILE: "DEV" } });
      assert.match(
        message,
        /missing the tenancy OCID \(tried stack config oci:tenancyOcid, config file key tenancy\)/,
      );
      assert.ok(
        message.includes(
          `The config file ${join(home, ".oci", "config")} was read, profile [DEV] (falling back to [DEFAULT]) ` +
            `from environment OCI_CLI_PROFILE.`,
        ),
        message,
      );
    });

    it("reports a malformed config file with its line number, without quoting the line", async () => {
      write(join(home, ".oci", "config"), `[DEFAULT]\nuser=${user}\n${passphrase}\n`);
      const message = await failure({});
      assert.match(message, /line 3/);
      assert.match(message, /expected key=value/);
    });

    it("reports a key before any profile header", async () => {
      write(join(home, ".oci", "config"), `# comment\nuser=${user}\n[DEFAULT]\n`);
      assert.match(await failure({}), /line 2: key "user" appears before any \[PROFILE\] header/);
    });

    it("reports a config file named by OCI_CONFIG_FILE that does not exist", async () => {
      const message = await failure({ env: { OCI_CONFIG_FILE: join(dir, "nope") } });
      assert.match(message, /does not exist, but environment OCI_CONFIG_FILE names it/);
    });

    it("reports a profile that is not in the file, listing the profiles that are", async () => {
      write(join(home, ".oci", "config"), defaultProfile());
      const message = await failure({ config: { "oci:configFileProfile": "PRD" } });
      assert.match(message, /has no profile \[PRD\].*oci:configFileProfile.*\[DEFAULT\]/);
    });

    it("reports a key file that does not exist or is a directory", async () => {
      write(join(home, ".oci", "config"), defaultProfile());
      const missing = await failure({});
      assert.match(missing, /key_file in profile \[DEFAULT\].*key\.pem does not exist/);
      mkdirSync(join(home, ".oci", "key.pem"));
      assert.match(await failure({}), /is a directory/);
    });

    it("reports a key file without read permission", async function () {
      if (process.getuid?.() === 0) this.skip(); // root reads any file
      write(join(home, ".oci", "config"), defaultProfile());
      chmodSync(write(join(home, ".oci", "key.pem"), plainPkcs1), 0o000);
      assert.match(await failure({}), /permission denied/);
    });

    it("reports an encrypted key without a pass phrase", async () => {
      write(join(home, ".oci", "config"), defaultProfile());
      write(join(home, ".oci", "key.pem"), encryptedPkcs8);
      assert.match(await failure({}), /key\.pem.* is encrypted, but no pass phrase was given/);
      write(join(home, ".oci", "key.pem"), encryptedPkcs1);
      assert.match(await failure({}), /is encrypted, but no pass phrase/);
    });

    it("reports a wrong pass phrase, naming where it came from", async () => {
      write(join(home, ".oci", "config"), defaultProfile("pass_phrase=wrong-one\n"));
      write(join(home, ".oci", "key.pem"), encryptedPkcs8);
      assert.match(
        await failure({}),
        /could not be decrypted with the pass phrase from pass_phrase in profile \[DEFAULT\]/,
      );
      write(join(home, ".oci", "key.pem"), encryptedPkcs1);
      const message = await failure({ config: { "oci:privateKeyPassword": "also wrong" } });
      assert.match(message, /oci:privateKeyPassword: the pass phrase is wrong/);
    });

    it("reports text that is not a PEM key and a key that is not RSA", async () => {
      const base = {
        "oci:tenancyOcid": tenancy,
        "oci:userOcid": user,
        "oci:fingerprint": fingerprint,
        "oci:region": "iad",
      };
      assert.match(
        await failure({ config: { ...base, "oci:privateKey": "/path/to/key.pem" } }),
        /oci:privateKey is not a PEM private key/,
      );
      const truncated = plainPkcs8.slice(0, 300) + "\n-----END PRIVATE KEY-----\n";
      assert.match(
        await failure({ config: { ...base, "oci:privateKey": truncated } }),
        /could not be parsed.*truncated/,
      );
      assert.match(
        await failure({ config: { ...base, "oci:privateKey": ecPem } }),
        /is a ec key; OCI API signing keys must be RSA/,
      );
    });

    it("reports an unknown region without an endpoint override", async () => {
      write(join(home, ".oci", "config"), defaultProfile());
      write(join(home, ".oci", "key.pem"), plainPkcs1);
      const message = await failure({ config: { "oci:region": "mars-north-1" } });
      assert.match(message, /stack config oci:region "mars-north-1" is not a known OCI region/);
      assert.match(message, /FNSTACK_OCI_ENDPOINT/);
    });

    it("reports bad endpoint URLs with the source and the rule, never echoing a password", async () => {
      write(join(home, ".oci", "config"), defaultProfile());
      write(join(home, ".oci", "key.pem"), plainPkcs1);
      const env = (v: string) => failure({ env: { FNSTACK_OCI_ENDPOINT: v } });
      assert.match(await env("localhost:8080"), /FNSTACK_OCI_ENDPOINT must use http or https/);
      assert.match(await env("not a url"), /FNSTACK_OCI_ENDPOINT "not a url" is not an absolute URL/);
      assert.match(
        await failure({ config: { "fnstack:ociEndpoint": "ftp://x" } }),
        /fnstack:ociEndpoint must use http or https, not ftp/,
      );
      assert.match(await env("http://h/?a=1"), /must not have a query string/);
      // Unparseable (the pass phrase has a space) and holding '@': the value must not be echoed.
      const withPassword = await env(`http://admin:${passphrase}@127.0.0.1:1`);
      assert.match(withPassword, /FNSTACK_OCI_ENDPOINT is not an absolute URL/);
      assert.ok(!withPassword.includes("admin"));
      const parseable = await env(`https://admin:secret@127.0.0.1:1`);
      assert.match(parseable, /must not contain a user name or password/);
      assert.ok(!parseable.includes("secret"));
    });

    it("reports a malformed fingerprint and OCIDs", async () => {
      write(join(home, ".oci", "config"), defaultProfile());
      write(join(home, ".oci", "key.pem"), plainPkcs1);
      assert.match(
        await failure({ config: { "oci:fingerprint": "20-3b" } }),
        /oci:fingerprint is not an API key fingerprint: it must be 16/,
      );
      assert.match(
        await failure({ config: { "oci:tenancyOcid": "my-tenancy" } }),
        /oci:tenancyOcid is not an OCID/,
      );
      write(join(home, ".oci", "config"), defaultProfile().replace(user, "bob"));
      assert.match(await failure({}), /user in profile \[DEFAULT\] of .* is not an OCID/);
    });

    it("reports an empty or missing session token file", async () => {
      write(
        join(home, ".oci", "config"),
        defaultProfile().replace(`user=${user}\n`, "") + "security_token_file=token\n",
      );
      write(join(home, ".oci", "key.pem"), plainPkcs1);
      assert.match(
        await failure({}),
        /session token file named by security_token_file .*token does not exist/,
      );
      write(join(home, ".oci", "token"), "  \n");
      assert.match(await failure({}), /session token file .*token .* is empty/);
    });

    it("never puts a secret value in any of these messages (checked in every case above)", async () => {
      // The check itself lives in failure(); this case proves it can fail.
      const leaky = new ConfigurationError(`bad pass phrase ${passphrase}`);
      assert.ok(secrets.some((s) => leaky.message.includes(s)));
    });
  });
});
