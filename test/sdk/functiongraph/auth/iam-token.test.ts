import { strict as assert } from "node:assert";
import { inspect } from "node:util";
import { Agent } from "undici";
import { AuthenticationError, ConfigurationError } from "../../../../sdk/core/errors";
import { send } from "../../../../sdk/core/send";
import { createAkSkSigner } from "../../../../sdk/functiongraph/auth/aksk-signer";
import {
  IamTokenSource,
  createTokenSigner,
  lookupProjectId,
  withTokenRefresh,
} from "../../../../sdk/functiongraph/auth/iam-token";
import { parseFunctionGraphErrorBody } from "../../../../sdk/functiongraph/error-body";
import { FakeIam } from "./fake-iam";

const account = {
  userName: "alice",
  password: "correct horse SECRET-pw-91",
  domainName: "OTC-EU-DE-00000000001000000001",
  projectId: "0f5e4c3b2a1948d7b6c5d4e3f2a1b0c9",
  projectName: "eu-de",
};
const fastRetry = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, jitterMs: 0 };

describe("IAM password tokens", function () {
  this.timeout(10_000);
  let iam: FakeIam;
  let agent: Agent;
  let clock: number;

  before(async () => {
    agent = new Agent();
  });
  after(async () => {
    await agent.close();
  });
  beforeEach(async () => {
    iam = await new FakeIam(account).start();
    clock = Date.parse("2026-01-01T00:00:00Z");
    iam.issueBase = clock;
  });
  afterEach(async () => {
    await iam.close();
  });

  function source(
    overrides: Partial<ConstructorParameters<typeof IamTokenSource>[0]> = {},
    refreshBeforeExpiryMs?: number,
  ): IamTokenSource {
    return new IamTokenSource(
      {
        authUrl: new URL(`${iam.url}/v3`),
        userName: account.userName,
        password: account.password,
        domainName: account.domainName,
        projectName: account.projectName,
        ...overrides,
      },
      {
        dispatcher: agent,
        retry: fastRetry,
        now: () => clock,
        ...(refreshBeforeExpiryMs === undefined ? {} : { refreshBeforeExpiryMs }),
      },
    );
  }

  it("logs in with the password method scoped to the project name and reads X-Subject-Token and token.project.id", async () => {
    const token = await source().token();
    assert.equal(token.token, "tok-1");
    assert.equal(token.projectId, account.projectId);
    assert.equal(token.expiresAt, clock + iam.tokenLifetimeMs);
    const login = iam.requests[0];
    assert.equal(login?.path, "/v3/auth/tokens?nocatalog=true");
    assert.deepEqual(JSON.parse(login?.body ?? "{}"), {
      auth: {
        identity: {
          methods: ["password"],
          password: {
            user: {
              name: account.userName,
              password: account.password,
              domain: { name: account.domainName },
            },
          },
        },
        scope: { project: { name: "eu-de" } },
      },
    });
  });

  it("scopes by project id when one is given", async () => {
    await source({ projectId: account.projectId, projectName: undefined }).token();
    assert.deepEqual(JSON.parse(iam.requests[0]?.body ?? "{}").auth.scope, {
      project: { id: account.projectId },
    });
  });

  it("caches the token: sequential and concurrent callers share one login", async () => {
    const s = source();
    const [a, b] = await Promise.all([s.token(), s.token()]);
    const c = await s.token();
    assert.equal(a.token, b.token);
    assert.equal(c.token, a.token);
    assert.equal(iam.logins, 1);
    assert.equal(s.logins, 1);
  });

  it("keeps the token until the refresh margin before expires_at, then logs in again", async () => {
    const marginMs = 10 * 60 * 1000;
    const s = source({}, marginMs);
    const first = await s.token();
    clock = first.expiresAt - marginMs - 1;
    assert.equal((await s.token()).token, first.token, "still outside the margin");
    assert.equal(iam.logins, 1);
    clock = first.expiresAt - marginMs;
    iam.issueBase = clock;
    const second = await s.token();
    assert.notEqual(second.token, first.token);
    assert.equal(iam.logins, 2);
  });

  /** A FunctionGraph client context signed with `tokens` that renews a refused token once. */
  function tokenContext(tokens: ReturnType<typeof source>) {
    return {
      endpoint: new URL(`${iam.url}/v2/${account.projectId}`),
      signer: createTokenSigner(tokens),
      parseErrorBody: parseFunctionGraphErrorBody,
      dispatcher: withTokenRefresh(agent, tokens),
      retry: fastRetry,
    };
  }

  it("renews a token the service refuses (401) once and repeats the request with the new token", async () => {
    const s = source();
    const ctx = tokenContext(s);
    await send(ctx, { operation: "ListFunctions", method: "GET", path: "/fgs/functions" });
    iam.validTokens.clear(); // e.g. the password was changed: IAM revokes tokens
    const response = await send(ctx, {
      operation: "ListFunctions",
      method: "POST",
      path: "/fgs/functions",
      body: {},
    });
    assert.equal(response.statusCode, 200);
    assert.equal(iam.logins, 2);
    const fgCalls = iam.requests.filter((r) => r.path.startsWith("/v2/"));
    assert.deepEqual(
      fgCalls.map((r) => r.headers["x-auth-token"]),
      ["tok-1", "tok-1", "tok-2"],
    );
    await send(ctx, { operation: "ListFunctions", method: "GET", path: "/fgs/functions" });
    assert.equal(iam.logins, 2, "the renewed token is cached");
  });

  it("renews only once: a second 401 is reported as an AuthenticationError", async () => {
    const s = source();
    iam.refuseAllTokens = true;
    const ctx = tokenContext(s);
    await assert.rejects(
      send(ctx, { operation: "ListFunctions", method: "GET", path: "/fgs/functions" }),
      (e: unknown) => e instanceof AuthenticationError && e.code === "APIGW.0301",
    );
    assert.equal(iam.logins, 2);
    assert.equal(iam.requests.filter((r) => r.path.startsWith("/v2/")).length, 2);
  });

  it("reports the service's 401 when the renewal itself fails", async () => {
    const s = source();
    const ctx = tokenContext(s);
    await send(ctx, { operation: "ListFunctions", method: "GET", path: "/fgs/functions" });
    iam.validTokens.clear();
    iam.options.password = "changed-elsewhere"; // the login now fails too
    await assert.rejects(
      send(ctx, { operation: "ListFunctions", method: "GET", path: "/fgs/functions" }),
      (e: unknown) => e instanceof AuthenticationError && e.code === "APIGW.0301",
    );
    assert.equal(iam.logins, 2);
  });

  it("reports a refused login as an AuthenticationError without the password", async () => {
    const s = source({ password: "wrong-SECRET-pw-77" });
    await assert.rejects(s.token(), (e: unknown) => {
      assert.ok(e instanceof AuthenticationError);
      assert.equal(e.statusCode, 401);
      assert.match(e.message, /username or password is wrong/);
      assert.ok(!inspect(e, { depth: 10 }).includes("wrong-SECRET-pw-77"));
      return true;
    });
  });

  it("rejects a login answer without X-Subject-Token as a configuration error", async () => {
    iam.omitSubjectToken = true;
    await assert.rejects(
      source().token(),
      (e: unknown) => e instanceof ConfigurationError && /X-Subject-Token/.test(e.message),
    );
  });

  it("never shows the password or the token in inspect or JSON", async () => {
    const s = source();
    const t = await s.token();
    const shown =
      inspect(s, { depth: 10, showHidden: true }) +
      JSON.stringify(s) +
      inspect(createTokenSigner(s), { depth: 10 });
    assert.ok(!shown.includes(account.password));
    assert.ok(!shown.includes(t.token));
  });

  describe("project id from the region name", () => {
    const authUrl = () => new URL(`${iam.url}/v3`);
    const signer = () => createAkSkSigner({ accessKey: "AKFAKE", secretKey: "SKFAKE" });

    it("returns the id of exactly one project named after the region, with a signed request", async () => {
      const id = await lookupProjectId(authUrl(), "eu-de", signer(), { dispatcher: agent, retry: fastRetry });
      assert.equal(id, account.projectId);
      const call = iam.requests[0];
      assert.equal(call?.path, "/v3/projects?name=eu-de");
      assert.match(String(call?.headers["authorization"]), /^SDK-HMAC-SHA256 Access=AKFAKE, /);
    });

    it("refuses no match and never creates a project", async () => {
      await assert.rejects(
        lookupProjectId(authUrl(), "eu-nl", signer(), { dispatcher: agent, retry: fastRetry }),
        (e: unknown) =>
          e instanceof ConfigurationError &&
          /0 projects named "eu-nl"/.test(e.message) &&
          /never creates/.test(e.message),
      );
      assert.ok(
        iam.requests.every((r) => r.method === "GET"),
        "no POST /v3/projects",
      );
    });

    it("refuses two matches", async () => {
      iam.projects = [
        { id: "a".repeat(32), name: "eu-de" },
        { id: "b".repeat(32), name: "eu-de" },
      ];
      await assert.rejects(
        lookupProjectId(authUrl(), "eu-de", signer(), { dispatcher: agent, retry: fastRetry }),
        (e: unknown) => e instanceof ConfigurationError && /2 projects/.test(e.message),
      );
    });
  });
});
