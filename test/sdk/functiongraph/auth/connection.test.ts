import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import {
  type FunctionGraphConnectionSettings,
  resolveFunctionGraphCredentials,
} from "../../../../sdk/functiongraph/auth/credentials";

// Issue 13: a resource's connection (cloud entry, region, project) overrides the stack's account.

describe("resolveFunctionGraphCredentials with a per-resource connection", () => {
  let dir: string;
  let cloudsYaml: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "fnstack-fg-connection-"));
    mkdirSync(join(dir, "home"));
    cloudsYaml = join(dir, "clouds.yaml");
    writeFileSync(
      cloudsYaml,
      stringify({
        clouds: {
          main: { region_name: "eu-de", auth: { project_id: "mainproject" }, ak: "MAINAK", sk: "main-sk" },
          "team-b": {
            region_name: "eu-de",
            auth: { project_id: "teambproject", auth_url: "https://iam.example.test/v3" },
            ak: "TEAMBAK",
            sk: "teamb-sk",
          },
        },
      }),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const resolve = (
    connection: FunctionGraphConnectionSettings | undefined,
    stack: Record<string, string> = {},
    env: NodeJS.ProcessEnv = {},
  ) =>
    resolveFunctionGraphCredentials({
      config: (key) => stack[key],
      env: { OS_CLIENT_CONFIG_FILE: cloudsYaml, ...env },
      homeDir: join(dir, "home"),
      cwd: dir,
      systemDir: join(dir, "etc"),
      ...(connection === undefined ? {} : { connection }),
    });

  it("takes the whole account from the named cloud entry, ignoring the stack's keys and OS_* variables", async () => {
    const stack = {
      "opentelekomcloud:accessKey": "STACKAK",
      "opentelekomcloud:secretKey": "stack-sk",
      "opentelekomcloud:projectId": "stackproject",
      "opentelekomcloud:region": "eu-de",
    };
    const env = { OS_CLOUD: "main", OS_ACCESS_KEY: "ENVAK", OS_SECRET_KEY: "env-sk" };
    const own = await resolve({ cloud: "team-b" }, stack, env);
    assert.equal(own.accessKey, "TEAMBAK");
    assert.equal(own.projectId, "teambproject");
    assert.equal(own.authUrl?.href, "https://iam.example.test/v3");
    const stackOnes = await resolve(undefined, stack, env);
    assert.equal(stackOnes.accessKey, "STACKAK", "without a connection: the stack's");
    assert.equal(stackOnes.projectId, "stackproject");
  });

  it("lets the connection's project win, and a region of its own mean the region's project", async () => {
    const env = { OS_CLOUD: "main" };
    assert.equal((await resolve({ projectId: "otherproject" }, {}, env)).projectId, "otherproject");
    const named = await resolve({ projectName: "eu-de_reporting" }, {}, env);
    assert.equal(named.projectId, undefined, "looked up by name, not the entry's id");
    assert.equal(named.projectName, "eu-de_reporting");
    const nl = await resolve(
      { region: "eu-nl" },
      { "fnstack:functiongraphEndpoint": "http://127.0.0.1:4010/regions/{region}" },
      env,
    );
    assert.equal(nl.region, "eu-nl");
    assert.equal(nl.projectId, undefined, "the eu-de project id must not follow into eu-nl");
    assert.equal(nl.projectName, "eu-nl");
    assert.equal(nl.functionGraphBase.href, "http://127.0.0.1:4010/regions/eu-nl");
    assert.equal(nl.accessKey, "MAINAK", "still the stack's account");
  });

  it("names an unknown cloud entry", async () => {
    await assert.rejects(resolve({ cloud: "nope" }), /nope/);
  });
});
