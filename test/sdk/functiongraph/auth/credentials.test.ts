import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { ConfigurationError } from "../../../../sdk/core/errors";
import {
  type FunctionGraphAuthSources,
  resolveFunctionGraphCredentials,
} from "../../../../sdk/functiongraph/auth/credentials";

const secretKey = "SK-SECRET-a1b2c3d4e5f6g7h8";
const password = "PW-SECRET-p@ss w0rd";
const securityToken = "ST-SECRET-temporary-token";
const secrets = [secretKey, password, securityToken];

function assertNoSecret(text: string): void {
  for (const secret of secrets) assert.ok(!text.includes(secret), `leaked a secret: ${text}`);
}

/** Asserts a ConfigurationError whose message matches every pattern and holds no secret. */
function configError(...patterns: RegExp[]): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof ConfigurationError, `expected a ConfigurationError, got ${String(e)}`);
    for (const p of patterns) assert.match(e.message, p);
    assertNoSecret(e.message + inspect(e, { depth: 10 }) + JSON.stringify(e));
    return true;
  };
}

describe("resolveFunctionGraphCredentials", () => {
  let root: string;
  let n = 0;
  let home: string;
  let cwd: string;
  let systemDir: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), "fnstack-fgauth-"));
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    n += 1;
    home = join(root, `home-${n}`);
    cwd = join(root, `cwd-${n}`);
    systemDir = join(root, `etc-${n}`);
    for (const d of [home, cwd, systemDir]) mkdirSync(d, { recursive: true });
  });

  /** Sources with an explicit env and temporary directories: nothing from the real machine. */
  function sources(
    env: NodeJS.ProcessEnv = {},
    config: Record<string, string> = {},
  ): FunctionGraphAuthSources {
    return { env, config: (key) => config[key], homeDir: home, cwd, systemDir };
  }

  function write(path: string, text: string): string {
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, text);
    return path;
  }

  const cloudsYaml = (cloud = "otc", extra = "") => `clouds:
  ${cloud}:
    profile: otc
    region_name: eu-de
    auth:
      username: bob
      password: '${password}'
      project_name: eu-de
      user_domain_name: OTC-EU-DE-0001
      auth_url: 'https://iam.eu-de.otc.t-systems.com:443/v3'
${extra}`;

  describe("precedence", () => {
    it("takes AK/SK, region and project id from the stack config", async () => {
      const c = await resolveFunctionGraphCredentials(
        sources(
          {},
          {
            "opentelekomcloud:accessKey": "AKCONFIG",
            "opentelekomcloud:secretKey": secretKey,
            "opentelekomcloud:region": "eu-de",
            "opentelekomcloud:projectId": "p1",
          },
        ),
      );
      assert.equal(c.authType, "aksk");
      assert.equal(c.accessKey, "AKCONFIG");
      assert.equal(c.secretKey, secretKey);
      assert.equal(c.projectId, "p1");
      assert.equal(c.functionGraphBase.href, "https://functiongraph.eu-de.otc.t-systems.com/");
      assert.equal(c.authUrl?.href, "https://iam.eu-de.otc.t-systems.com/v3");
      assert.equal(c.origins["accessKey"], "stack config opentelekomcloud:accessKey");
    });

    it("prefers the stack config over OS_* variables, and fills gaps from them", async () => {
      const c = await resolveFunctionGraphCredentials(
        sources(
          {
            OS_ACCESS_KEY: "AKENV",
            OS_SECRET_KEY: "other-env-secret",
            OS_REGION_NAME: "ap-southeast-1",
            OS_SECURITY_TOKEN: securityToken,
          },
          { "opentelekomcloud:accessKey": "AKCONFIG", "opentelekomcloud:secretKey": secretKey },
        ),
      );
      assert.equal(c.accessKey, "AKCONFIG");
      assert.equal(c.secretKey, secretKey);
      assert.equal(c.securityToken, securityToken);
      assert.equal(c.region, "ap-southeast-1");
      assert.equal(c.origins["region"], "env OS_REGION_NAME");
      assert.equal(c.functionGraphBase.href, "https://functiongraph.ap-southeast-1.myhuaweicloud.com/");
      assert.equal(c.authUrl?.href, "https://iam.myhuaweicloud.com/v3");
    });

    it("prefers OS_* variables over clouds.yaml, which fills the rest", async () => {
      const file = write(
        join(cwd, "clouds.yaml"),
        cloudsYaml("otc", "    ak: AKFILE\n    sk: file-secret\n"),
      );
      const c = await resolveFunctionGraphCredentials(
        sources({ OS_CLOUD: "otc", OS_ACCESS_KEY: "AKENV", OS_SECRET_KEY: secretKey, OS_PROJECT_ID: "penv" }),
      );
      assert.equal(c.accessKey, "AKENV");
      assert.equal(c.secretKey, secretKey);
      assert.equal(c.region, "eu-de");
      assert.equal(c.projectId, "penv");
      assert.equal(c.origins["region"], `${file} clouds.otc.region_name`);
    });

    it("reads a password login from clouds.yaml selected by OS_CLOUD, normalising auth_url", async () => {
      write(join(home, ".config", "openstack", "clouds.yaml"), cloudsYaml("otc"));
      const c = await resolveFunctionGraphCredentials(sources({ OS_CLOUD: "otc" }));
      assert.equal(c.authType, "password");
      assert.equal(c.userName, "bob");
      assert.equal(c.password, password);
      assert.equal(c.domainName, "OTC-EU-DE-0001");
      assert.equal(c.projectName, "eu-de");
      assert.equal(c.authUrl?.href, "https://iam.eu-de.otc.t-systems.com/v3", ":443 dropped");
    });

    it("reads numeric-looking values as written (a project id is never turned into a number)", async () => {
      write(
        join(cwd, "clouds.yaml"),
        `clouds:\n  otc:\n    region_name: eu-de\n    ak: AK\n    sk: s\n    auth:\n      project_id: 1234e5\n`,
      );
      assert.equal((await resolveFunctionGraphCredentials(sources({ OS_CLOUD: "otc" }))).projectId, "1234e5");
      write(
        join(cwd, "clouds.yaml"),
        `clouds:\n  otc:\n    region_name: eu-de\n    ak: AK\n    sk: s\n    auth:\n      project_id: 0123\n`,
      );
      assert.equal((await resolveFunctionGraphCredentials(sources({ OS_CLOUD: "otc" }))).projectId, "0123");
    });

    it("selects the cloud by opentelekomcloud:cloud over OS_CLOUD", async () => {
      write(
        join(cwd, "clouds.yaml"),
        `${cloudsYaml("a")}\n  b:\n    region_name: eu-de\n    ak: AKB\n    sk: ${secretKey}\n`,
      );
      const c = await resolveFunctionGraphCredentials(
        sources({ OS_CLOUD: "a" }, { "opentelekomcloud:cloud": "b" }),
      );
      assert.equal(c.accessKey, "AKB");
    });

    it("searches ./ before ~/.config/openstack before /etc/openstack", async () => {
      write(
        join(systemDir, "clouds.yaml"),
        `clouds:\n  x:\n    region_name: eu-de\n    ak: AKETC\n    sk: s\n`,
      );
      const env = { OS_CLOUD: "x" };
      assert.equal((await resolveFunctionGraphCredentials(sources(env))).accessKey, "AKETC");
      write(
        join(home, ".config", "openstack", "clouds.yaml"),
        `clouds:\n  x:\n    region_name: eu-de\n    ak: AKHOME\n    sk: s\n`,
      );
      assert.equal((await resolveFunctionGraphCredentials(sources(env))).accessKey, "AKHOME");
      write(
        join(cwd, "clouds.yaml"),
        `clouds:\n  x:\n    region_name: eu-de\n    access_key: AKCWD\n    secret_key: s\n`,
      );
      assert.equal((await resolveFunctionGraphCredentials(sources(env))).accessKey, "AKCWD");
    });

    it("uses only OS_CLIENT_CONFIG_FILE when it is set", async () => {
      write(join(cwd, "clouds.yaml"), `clouds:\n  x:\n    region_name: eu-de\n    ak: AKCWD\n    sk: s\n`);
      const file = write(
        join(root, `explicit-${n}`, "my-clouds.yaml"),
        `clouds:\n  x:\n    region_name: eu-de\n    ak: AKEXPLICIT\n    sk: s\n`,
      );
      const c = await resolveFunctionGraphCredentials(
        sources({ OS_CLOUD: "x", OS_CLIENT_CONFIG_FILE: file }),
      );
      assert.equal(c.accessKey, "AKEXPLICIT");
    });

    it("merges secure.yaml over clouds.yaml (secrets kept apart)", async () => {
      write(
        join(cwd, "clouds.yaml"),
        `clouds:\n  otc:\n    region_name: eu-de\n    auth:\n      username: bob\n      user_domain_name: D1\n      project_name: eu-de_sub\n`,
      );
      const secure = write(
        join(cwd, "secure.yaml"),
        `clouds:\n  otc:\n    auth:\n      password: '${password}'\n`,
      );
      const c = await resolveFunctionGraphCredentials(sources({ OS_CLOUD: "otc" }));
      assert.equal(c.password, password);
      assert.equal(c.userName, "bob");
      assert.equal(c.projectName, "eu-de_sub");
      assert.equal(c.origins["password"], `${secure} clouds.otc.auth.password`);
    });

    it("uses the only cloud of clouds.yaml when none is selected and config and env are incomplete", async () => {
      write(
        join(cwd, "clouds.yaml"),
        `clouds:\n  only:\n    region_name: eu-de\n    ak: AKONLY\n    sk: s\n`,
      );
      assert.equal((await resolveFunctionGraphCredentials(sources())).accessKey, "AKONLY");
    });

    it("does not read clouds.yaml when the config is complete and no cloud is selected", async () => {
      write(join(cwd, "clouds.yaml"), "clouds: [this is: broken");
      const c = await resolveFunctionGraphCredentials(
        sources({ OS_ACCESS_KEY: "AKENV", OS_SECRET_KEY: secretKey, OS_REGION_NAME: "eu-de" }),
      );
      assert.equal(c.accessKey, "AKENV");
    });

    it("uses AK/SK when a password is also configured, and says so", async () => {
      const c = await resolveFunctionGraphCredentials(
        sources(
          { OS_USERNAME: "bob", OS_PASSWORD: password, OS_DOMAIN_NAME: "D" },
          {
            "opentelekomcloud:accessKey": "AK",
            "opentelekomcloud:secretKey": secretKey,
            "opentelekomcloud:region": "eu-de",
          },
        ),
      );
      assert.equal(c.authType, "aksk");
      assert.equal(c.password, undefined);
      assert.match(c.notes.join(" "), /access key is used and the password ignored/);
    });

    it("takes the domain from OS_USER_DOMAIN_NAME and the region from the project name", async () => {
      const c = await resolveFunctionGraphCredentials(
        sources({
          OS_USERNAME: "bob",
          OS_PASSWORD: password,
          OS_USER_DOMAIN_NAME: "DOM",
          OS_PROJECT_NAME: "eu-de_team",
        }),
      );
      assert.equal(c.domainName, "DOM");
      assert.equal(c.region, "eu-de");
      assert.equal(c.projectName, "eu-de_team");
    });

    it("treats a stack-config lookup that throws as unset", async () => {
      const c = await resolveFunctionGraphCredentials({
        env: { OS_ACCESS_KEY: "AK", OS_SECRET_KEY: secretKey, OS_REGION_NAME: "eu-de" },
        config: () => {
          throw new Error("no Configure RPC yet");
        },
        homeDir: home,
        cwd,
        systemDir,
      });
      assert.equal(c.accessKey, "AK");
    });
  });

  describe("endpoints", () => {
    const keys = { OS_ACCESS_KEY: "AK", OS_SECRET_KEY: secretKey };

    it("uses fnstack:functiongraphEndpoint over FNSTACK_FUNCTIONGRAPH_ENDPOINT, for any region", async () => {
      const c = await resolveFunctionGraphCredentials(
        sources(
          { ...keys, OS_REGION_NAME: "eu-nl", FNSTACK_FUNCTIONGRAPH_ENDPOINT: "http://127.0.0.1:1/" },
          {
            "fnstack:functiongraphEndpoint": "http://127.0.0.1:2/",
          },
        ),
      );
      assert.equal(c.functionGraphBase.href, "http://127.0.0.1:2/");
      assert.equal(
        c.authUrl?.href,
        "https://iam.eu-nl.otc.t-systems.com/v3",
        "IAM follows the region, not the override",
      );
    });

    it("lets IAM follow authUrl when the endpoint is overridden", async () => {
      const c = await resolveFunctionGraphCredentials(
        sources({
          OS_USERNAME: "u",
          OS_PASSWORD: password,
          OS_DOMAIN_NAME: "d",
          OS_REGION_NAME: "eu-de",
          OS_AUTH_URL: "http://127.0.0.1:9",
          FNSTACK_FUNCTIONGRAPH_ENDPOINT: "http://127.0.0.1:9",
        }),
      );
      assert.equal(c.authUrl?.href, "http://127.0.0.1:9/v3");
      assert.equal(c.functionGraphBase.href, "http://127.0.0.1:9/");
    });
  });

  describe("bad input", () => {
    const keys = { OS_ACCESS_KEY: "AK", OS_SECRET_KEY: secretKey };

    it("names every source tried when nothing is configured", async () => {
      await assert.rejects(
        resolveFunctionGraphCredentials(sources()),
        configError(
          /No FunctionGraph credentials found/,
          /opentelekomcloud:accessKey/,
          /opentelekomcloud:userName/,
          /OS_ACCESS_KEY/,
          /OS_PASSWORD/,
          new RegExp(
            join(home, ".config", "openstack", "clouds.yaml").replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
          ),
          /etc-\d+\/clouds\.yaml/,
        ),
      );
    });

    it("says which half of a key pair is missing", async () => {
      await assert.rejects(
        resolveFunctionGraphCredentials(sources({ OS_ACCESS_KEY: "AK", OS_REGION_NAME: "eu-de" })),
        configError(/access key was found \(env OS_ACCESS_KEY\) but no secret key/, /OS_SECRET_KEY/),
      );
    });

    it("requires the domain for a password login", async () => {
      await assert.rejects(
        resolveFunctionGraphCredentials(
          sources({ OS_USERNAME: "u", OS_PASSWORD: password, OS_REGION_NAME: "eu-de" }),
        ),
        configError(/domain/, /OS_DOMAIN_NAME, OS_USER_DOMAIN_NAME/),
      );
    });

    it("requires a region", async () => {
      await assert.rejects(
        resolveFunctionGraphCredentials(sources(keys)),
        configError(/No FunctionGraph region/, /OS_REGION_NAME/),
      );
    });

    it("rejects an unknown region, listing the known ones", async () => {
      await assert.rejects(
        resolveFunctionGraphCredentials(sources({ ...keys, OS_REGION_NAME: "mars-north-1" })),
        configError(
          /Unknown FunctionGraph region "mars-north-1"/,
          /eu-de, eu-nl/,
          /fnstack:functiongraphEndpoint/,
        ),
      );
    });

    it("rejects eu-nl and eu-ch2 without an endpoint override (no FunctionGraph there)", async () => {
      for (const region of ["eu-nl", "eu-ch2"]) {
        await assert.rejects(
          resolveFunctionGraphCredentials(sources({ ...keys, OS_REGION_NAME: region })),
          configError(new RegExp(`not offered in region "${region}"`)),
        );
      }
    });

    it("rejects a malformed region name", async () => {
      await assert.rejects(
        resolveFunctionGraphCredentials(sources({ ...keys, OS_REGION_NAME: "EU DE" })),
        configError(/env OS_REGION_NAME must be a region name/),
      );
    });

    it("rejects bad endpoint URLs naming the key, without echoing credentials in them", async () => {
      const cases: Array<[string, RegExp]> = [
        ["not a url", /stack config fnstack:functiongraphEndpoint is not a valid URL/],
        ["ftp://example.com", /only http: and https:/],
        [`https://user:${password}@example.com`, /contains user credentials/],
        ["https://example.com/?x=1", /query or fragment/],
      ];
      for (const [value, pattern] of cases) {
        await assert.rejects(
          resolveFunctionGraphCredentials(
            sources({ ...keys, OS_REGION_NAME: "eu-de" }, { "fnstack:functiongraphEndpoint": value }),
          ),
          configError(pattern),
        );
      }
      await assert.rejects(
        resolveFunctionGraphCredentials(
          sources({ ...keys, OS_REGION_NAME: "eu-de", FNSTACK_FUNCTIONGRAPH_ENDPOINT: "::" }),
        ),
        configError(/env FNSTACK_FUNCTIONGRAPH_ENDPOINT is not a valid URL/),
      );
      await assert.rejects(
        resolveFunctionGraphCredentials(
          sources({
            OS_USERNAME: "u",
            OS_PASSWORD: password,
            OS_DOMAIN_NAME: "d",
            OS_REGION_NAME: "eu-de",
            OS_AUTH_URL: "iam.example.com/v3",
          }),
        ),
        configError(/env OS_AUTH_URL is not a valid URL/),
      );
    });

    it("needs authUrl when the region is unknown (overridden endpoint) and IAM is needed", async () => {
      await assert.rejects(
        resolveFunctionGraphCredentials(
          sources({
            ...keys,
            OS_REGION_NAME: "my-private-1",
            FNSTACK_FUNCTIONGRAPH_ENDPOINT: "https://fg.internal",
          }),
        ),
        configError(/No FunctionGraph IAM endpoint found/, /OS_AUTH_URL/, /set the project id instead/),
      );
      const c = await resolveFunctionGraphCredentials(
        sources({
          ...keys,
          OS_REGION_NAME: "my-private-1",
          OS_PROJECT_ID: "p1",
          FNSTACK_FUNCTIONGRAPH_ENDPOINT: "https://fg.internal",
        }),
      );
      assert.equal(c.authUrl, undefined);
      assert.equal(c.functionGraphBase.href, "https://fg.internal/");
    });

    it("rejects a malformed project id", async () => {
      await assert.rejects(
        resolveFunctionGraphCredentials(
          sources({ ...keys, OS_REGION_NAME: "eu-de", OS_PROJECT_ID: "../../etc" }),
        ),
        configError(/env OS_PROJECT_ID must be a project id/),
      );
    });

    it("rejects malformed YAML naming the file and line, without quoting its content", async () => {
      const file = write(
        join(cwd, "clouds.yaml"),
        `clouds:\n  otc:\n    auth:\n      password: '${password}'\n     username: [bad\n`,
      );
      await assert.rejects(
        resolveFunctionGraphCredentials(sources({ OS_CLOUD: "otc" })),
        configError(
          new RegExp(
            `${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not valid YAML \\(line \\d+, column \\d+\\)`,
          ),
        ),
      );
    });

    it("rejects a malformed secure.yaml naming it", async () => {
      write(join(cwd, "clouds.yaml"), cloudsYaml("otc"));
      const secure = write(join(cwd, "secure.yaml"), `clouds:\n  otc: [1, 2\n`);
      await assert.rejects(
        resolveFunctionGraphCredentials(sources({ OS_CLOUD: "otc" })),
        configError(new RegExp(`${secure.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not valid YAML`)),
      );
    });

    it("rejects clouds.yaml whose clouds is not a mapping, and values of the wrong type", async () => {
      write(join(cwd, "clouds.yaml"), "clouds:\n  - otc\n");
      await assert.rejects(
        resolveFunctionGraphCredentials(sources({ OS_CLOUD: "otc" })),
        configError(/"clouds" must be a mapping/),
      );
      write(join(cwd, "clouds.yaml"), "clouds:\n  otc:\n    region_name: [eu-de]\n");
      await assert.rejects(
        resolveFunctionGraphCredentials(sources({ OS_CLOUD: "otc" })),
        configError(/clouds\.otc\.region_name must be a string/),
      );
    });

    it("rejects an unknown cloud name, listing the known ones", async () => {
      write(join(cwd, "clouds.yaml"), `${cloudsYaml("otc")}\n  prod:\n    region_name: eu-de\n`);
      await assert.rejects(
        resolveFunctionGraphCredentials(sources({ OS_CLOUD: "staging" })),
        configError(/env OS_CLOUD selects cloud "staging"/, /known clouds: otc, prod/),
      );
    });

    it("rejects a selected cloud when no clouds.yaml exists, listing where it looked", async () => {
      await assert.rejects(
        resolveFunctionGraphCredentials(sources({ OS_CLOUD: "otc" })),
        configError(/no clouds.yaml was found/, /\.config\/openstack\/clouds\.yaml/),
      );
    });

    it("rejects OS_CLIENT_CONFIG_FILE naming a missing file", async () => {
      await assert.rejects(
        resolveFunctionGraphCredentials(
          sources({ OS_CLOUD: "otc", OS_CLIENT_CONFIG_FILE: join(root, "nope.yaml") }),
        ),
        configError(/OS_CLIENT_CONFIG_FILE names .*nope\.yaml, which does not exist/),
      );
    });

    it("rejects several clouds with none selected", async () => {
      write(join(cwd, "clouds.yaml"), `${cloudsYaml("a")}\n  b:\n    region_name: eu-de\n`);
      await assert.rejects(
        resolveFunctionGraphCredentials(sources()),
        configError(/several clouds \(a, b\)/, /OS_CLOUD/),
      );
    });

    it("reports an unreadable clouds.yaml naming it", async () => {
      mkdirSync(join(cwd, "clouds.yaml"));
      await assert.rejects(
        resolveFunctionGraphCredentials(sources({ OS_CLOUD: "otc" })),
        configError(/Cannot read clouds.yaml .*clouds\.yaml: EISDIR/),
      );
    });
  });

  it("never shows secrets in inspect, JSON or enumeration of the resolved credentials", async () => {
    const c = await resolveFunctionGraphCredentials(
      sources({
        OS_ACCESS_KEY: "AK",
        OS_SECRET_KEY: secretKey,
        OS_SECURITY_TOKEN: securityToken,
        OS_REGION_NAME: "eu-de",
      }),
    );
    assert.equal(c.secretKey, secretKey, "the value is there for the signer");
    const shown =
      inspect(c, { depth: 10 }) + JSON.stringify(c) + JSON.stringify({ ...c }) + Object.keys(c).join();
    assertNoSecret(shown);
    assert.match(inspect(c), /secretKey: '\[redacted\]'/);
  });
});
