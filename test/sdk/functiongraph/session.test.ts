import { strict as assert } from "node:assert";
import { inspect } from "node:util";
import { Agent } from "undici";
import { type RunningEmulator, startEmulator } from "../../../emulator";
import { closeSharedDispatchers } from "../../../sdk/core/client";
import { AuthenticationError, ConfigurationError } from "../../../sdk/core/errors";
import { send } from "../../../sdk/core/send";
import {
  clearFunctionGraphSessionCache,
  resolveFunctionGraphSession,
} from "../../../sdk/functiongraph/session";
import { FakeIam } from "./auth/fake-iam";

const account = {
  userName: "alice",
  password: "SESSION-SECRET-pw-42",
  domainName: "OTC-EU-DE-00000000001000000001",
  projectId: "0f5e4c3b2a1948d7b6c5d4e3f2a1b0c9",
  projectName: "eu-de",
};
const secretKey = "SESSION-SECRET-sk-42";
const fastRetry = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, jitterMs: 0 };
const noFiles = {
  homeDir: "/nonexistent/fnstack-home",
  cwd: "/nonexistent/fnstack-cwd",
  systemDir: "/nonexistent/etc",
};

describe("resolveFunctionGraphSession", function () {
  this.timeout(20_000);
  let iam: FakeIam;
  let agent: Agent;

  before(() => {
    agent = new Agent();
  });
  after(async () => {
    await agent.close();
  });
  beforeEach(async () => {
    clearFunctionGraphSessionCache();
    iam = await new FakeIam(account).start();
  });
  afterEach(async () => {
    await iam.close();
  });

  const config = (values: Record<string, string>) => (key: string) => values[key];

  it("builds <endpoint>/v2/<projectId> with an AK/SK signer and makes no IAM call when the project id is given", async () => {
    const session = await resolveFunctionGraphSession(
      {
        ...noFiles,
        env: {},
        config: config({
          "opentelekomcloud:accessKey": "AKSESSION",
          "opentelekomcloud:secretKey": secretKey,
          "opentelekomcloud:region": "eu-de",
          "opentelekomcloud:projectId": account.projectId,
          "fnstack:functiongraphEndpoint": iam.url,
        }),
      },
      { dispatcher: agent, retry: fastRetry, readTimeoutMs: 5_000 },
    );
    assert.equal(session.region, "eu-de");
    assert.equal(session.projectId, account.projectId);
    assert.equal(session.authType, "aksk");
    assert.equal(session.context.endpoint.href, `${iam.url}/v2/${account.projectId}`);
    assert.equal(session.context.readTimeoutMs, 5_000, "extra settings are kept");
    await send(session.context, { operation: "ListFunctions", method: "GET", path: "/fgs/functions" });
    assert.deepEqual(
      iam.requests.map((r) => r.path),
      [`/v2/${account.projectId}/fgs/functions`],
    );
    assert.equal(iam.requests[0]?.headers["x-project-id"], account.projectId);
    assert.match(String(iam.requests[0]?.headers["authorization"]), /SignedHeaders=[a-z;-]*x-project-id/);
  });

  it("uses the real FunctionGraph endpoint of the region without an override", async () => {
    const session = await resolveFunctionGraphSession({
      ...noFiles,
      env: { OS_ACCESS_KEY: "AK", OS_SECRET_KEY: secretKey, OS_REGION_NAME: "eu-de", OS_PROJECT_ID: "p123" },
    });
    assert.equal(session.context.endpoint.href, "https://functiongraph.eu-de.otc.t-systems.com/v2/p123");
  });

  it("looks the project id up by region name once per process for AK/SK", async () => {
    const sources = {
      ...noFiles,
      env: {
        OS_ACCESS_KEY: "AK",
        OS_SECRET_KEY: secretKey,
        OS_REGION_NAME: "eu-de",
        OS_AUTH_URL: `${iam.url}/v3`,
        FNSTACK_FUNCTIONGRAPH_ENDPOINT: iam.url,
      },
    };
    const first = await resolveFunctionGraphSession(sources, { dispatcher: agent, retry: fastRetry });
    const second = await resolveFunctionGraphSession(sources, { dispatcher: agent, retry: fastRetry });
    assert.equal(first.projectId, account.projectId);
    assert.equal(second.projectId, account.projectId);
    assert.deepEqual(
      iam.requests.map((r) => `${r.method} ${r.path}`),
      ["GET /v3/projects?name=eu-de"],
    );
  });

  it("refuses to go on when the region's project is not unique (and never creates one)", async () => {
    iam.projects = [];
    await assert.rejects(
      resolveFunctionGraphSession(
        {
          ...noFiles,
          env: {
            OS_ACCESS_KEY: "AK",
            OS_SECRET_KEY: secretKey,
            OS_REGION_NAME: "eu-de",
            OS_AUTH_URL: `${iam.url}/v3`,
            FNSTACK_FUNCTIONGRAPH_ENDPOINT: iam.url,
          },
        },
        { dispatcher: agent, retry: fastRetry },
      ),
      (e: unknown) => e instanceof ConfigurationError && /exactly one is required/.test(e.message),
    );
    assert.ok(iam.requests.every((r) => r.method === "GET"));
  });

  it("logs in once with a password, takes the project id from the token, and sends X-Auth-Token", async () => {
    const sources = {
      ...noFiles,
      env: {},
      config: config({
        "opentelekomcloud:authUrl": `${iam.url}/v3`,
        "opentelekomcloud:userName": account.userName,
        "opentelekomcloud:password": account.password,
        "opentelekomcloud:domainName": account.domainName,
        "opentelekomcloud:region": "eu-de",
        "fnstack:functiongraphEndpoint": iam.url,
      }),
    };
    const first = await resolveFunctionGraphSession(sources, { dispatcher: agent, retry: fastRetry });
    assert.equal(first.authType, "password");
    assert.equal(first.projectId, account.projectId);
    await send(first.context, { operation: "ListFunctions", method: "GET", path: "/fgs/functions" });
    const second = await resolveFunctionGraphSession(sources, { dispatcher: agent, retry: fastRetry });
    await send(second.context, { operation: "ListFunctions", method: "GET", path: "/fgs/functions" });
    assert.equal(iam.logins, 1, "the token is cached across sessions");
    const fg = iam.requests.filter((r) => r.path.startsWith("/v2/"));
    assert.deepEqual(
      fg.map((r) => r.headers["x-auth-token"]),
      ["tok-1", "tok-1"],
    );

    iam.validTokens.clear();
    await send(second.context, { operation: "ListFunctions", method: "GET", path: "/fgs/functions" });
    assert.equal(iam.logins, 2, "a refused token is renewed once");

    const shown = inspect(second, { depth: 10 }) + inspect(first.context, { depth: 10 });
    assert.ok(!shown.includes(account.password) && !shown.includes("tok-2"));
  });

  it("passes configuration errors through", async () => {
    await assert.rejects(resolveFunctionGraphSession({ ...noFiles, env: {} }), ConfigurationError);
  });

  describe("against the fnstack emulator", () => {
    let emu: RunningEmulator;
    before(async () => {
      emu = await startEmulator();
    });
    after(async () => {
      await closeSharedDispatchers();
      await emu.close();
    });

    it("signs with AK/SK from the emulator's clouds.yaml (OS_CLIENT_CONFIG_FILE, OS_CLOUD) and the emulator accepts it", async () => {
      const session = await resolveFunctionGraphSession(
        {
          ...noFiles,
          env: {
            OS_CLIENT_CONFIG_FILE: emu.functiongraph.cloudsYaml,
            OS_CLOUD: "fnstack",
            FNSTACK_FUNCTIONGRAPH_ENDPOINT: emu.url,
          },
        },
        { retry: fastRetry },
      );
      assert.equal(session.authType, "aksk");
      assert.equal(session.projectId, emu.functiongraph.projectId);
      const response = await send<{ functions: unknown[] }>(session.context, {
        operation: "ListFunctions",
        method: "GET",
        path: "/fgs/functions",
        query: { marker: "0", maxitems: 10 },
      });
      assert.ok(Array.isArray(response.body.functions));
    });

    it("logs in with the emulator's password account and looks nothing else up", async () => {
      const fg = emu.functiongraph;
      const session = await resolveFunctionGraphSession(
        {
          ...noFiles,
          env: {},
          config: config({
            "fnstack:functiongraphEndpoint": emu.url,
            "opentelekomcloud:authUrl": `${emu.url}/v3`,
            "opentelekomcloud:userName": fg.userName,
            "opentelekomcloud:password": fg.password,
            "opentelekomcloud:domainName": fg.domainName,
            "opentelekomcloud:region": fg.region,
          }),
        },
        { retry: fastRetry },
      );
      assert.equal(session.projectId, fg.projectId);
      const response = await send<{ functions: unknown[] }>(session.context, {
        operation: "ListFunctions",
        method: "GET",
        path: "/fgs/functions",
      });
      assert.ok(Array.isArray(response.body.functions));
    });

    it("signs X-Security-Token for a temporary key pair, which the emulator requires", async () => {
      const fg = emu.functiongraph;
      const registered = await fetch(`${emu.url}/_emulator/credentials`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          service: "functiongraph",
          accessKey: "TEMPAKFNSTACK0000001",
          secretKey,
          securityToken: "temporary-SECRET-token",
        }),
      });
      assert.ok(registered.ok, `registering the temporary key failed: ${registered.status}`);
      const env = {
        OS_ACCESS_KEY: "TEMPAKFNSTACK0000001",
        OS_SECRET_KEY: secretKey,
        OS_REGION_NAME: fg.region,
        OS_PROJECT_ID: fg.projectId,
        FNSTACK_FUNCTIONGRAPH_ENDPOINT: emu.url,
      };
      const list = { operation: "ListFunctions", method: "GET", path: "/fgs/functions" } as const;
      const withToken = await resolveFunctionGraphSession(
        { ...noFiles, env: { ...env, OS_SECURITY_TOKEN: "temporary-SECRET-token" } },
        { retry: fastRetry },
      );
      assert.equal((await send(withToken.context, list)).statusCode, 200);
      const without = await resolveFunctionGraphSession({ ...noFiles, env }, { retry: fastRetry });
      await assert.rejects(
        send(without.context, list),
        (e: unknown) => e instanceof AuthenticationError && e.statusCode === 401,
      );
    });

    it("looks the project up on the emulator's IAM with a signed request when no project id is given", async () => {
      const fg = emu.functiongraph;
      const session = await resolveFunctionGraphSession(
        {
          ...noFiles,
          env: {
            OS_ACCESS_KEY: fg.accessKey,
            OS_SECRET_KEY: fg.secretKey,
            OS_REGION_NAME: fg.region,
            OS_AUTH_URL: `${emu.url}/v3`,
            FNSTACK_FUNCTIONGRAPH_ENDPOINT: emu.url,
          },
        },
        { retry: fastRetry },
      );
      assert.equal(session.projectId, fg.projectId);
    });
  });
});
