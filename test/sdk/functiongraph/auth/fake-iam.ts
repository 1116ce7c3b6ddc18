/**
 * A small IAM + FunctionGraph stand-in on a real `node:http` server (port 0, loopback) for the auth
 * tests: password logins, project listing, and one FunctionGraph route that checks `X-Auth-Token`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeIamOptions {
  userName: string;
  password: string;
  domainName: string;
  projectId: string;
  projectName: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export class FakeIam {
  readonly requests: RecordedRequest[] = [];
  /** Tokens the FunctionGraph route accepts. */
  readonly validTokens = new Set<string>();
  /** Lifetime of issued tokens relative to `issueBase`, ms. */
  tokenLifetimeMs = 24 * 60 * 60 * 1000;
  /** What `expires_at` counts from (epoch ms); tests set it to their fake clock. */
  issueBase = Date.now();
  /** Projects `GET /v3/projects` answers with; undefined = the configured one when the name matches. */
  projects: Array<{ id: string; name: string }> | undefined;
  /** When true, logins answer without X-Subject-Token. */
  omitSubjectToken = false;
  /** When true, the FunctionGraph route refuses every token. */
  refuseAllTokens = false;
  private issued = 0;
  private server!: Server;
  url = "";

  constructor(readonly options: FakeIamOptions) {}

  get logins(): number {
    return this.requests.filter((r) => r.method === "POST" && r.path.startsWith("/v3/auth/tokens")).length;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req, Buffer.concat(chunks).toString("utf8"), res));
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private reply(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, {
      "content-type": "application/json",
      "x-request-id": `req-${this.requests.length}`,
      ...headers,
    });
    res.end(body === undefined ? "" : JSON.stringify(body));
  }

  private handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://x");
    this.requests.push({
      method: req.method ?? "",
      path: url.pathname + url.search,
      headers: req.headers,
      body,
    });
    const o = this.options;
    if (req.method === "POST" && url.pathname === "/v3/auth/tokens") {
      const parsed = JSON.parse(body) as {
        auth: {
          identity: { password: { user: { name: string; password: string; domain: { name?: string } } } };
          scope?: { project?: { name?: string; id?: string } };
        };
      };
      const user = parsed.auth.identity.password.user;
      if (user.name !== o.userName || user.password !== o.password || user.domain.name !== o.domainName) {
        return this.reply(res, 401, {
          error: { code: 401, message: "The username or password is wrong.", title: "Unauthorized" },
        });
      }
      this.issued += 1;
      const token = `tok-${this.issued}`;
      this.validTokens.add(token);
      const scoped = parsed.auth.scope?.project !== undefined;
      return this.reply(
        res,
        201,
        {
          token: {
            expires_at: new Date(this.issueBase + this.tokenLifetimeMs).toISOString(),
            issued_at: new Date(this.issueBase).toISOString(),
            methods: ["password"],
            ...(scoped ? { project: { id: o.projectId, name: o.projectName } } : {}),
          },
        },
        this.omitSubjectToken ? {} : { "x-subject-token": token },
      );
    }
    if (req.method === "GET" && url.pathname === "/v3/projects") {
      const name = url.searchParams.get("name");
      const projects =
        this.projects ?? (name === o.projectName ? [{ id: o.projectId, name: o.projectName }] : []);
      return this.reply(res, 200, { projects, links: { next: null } });
    }
    if (url.pathname.startsWith("/v2/")) {
      const token = req.headers["x-auth-token"];
      // Signatures are checked by the signer tests; here a signed request only has to be recognisable.
      if (token === undefined && String(req.headers["authorization"]).startsWith("SDK-HMAC-SHA256 Access=")) {
        return this.reply(res, 200, { functions: [], next_marker: 0, count: 0 });
      }
      if (this.refuseAllTokens || typeof token !== "string" || !this.validTokens.has(token)) {
        return this.reply(res, 401, {
          error_code: "APIGW.0301",
          error_msg: "Incorrect IAM authentication information",
          request_id: "r",
        });
      }
      return this.reply(res, 200, { functions: [], next_marker: 0, count: 0 });
    }
    return this.reply(res, 404, {
      error_code: "FSS.0404",
      error_msg: `no route ${req.method} ${url.pathname}`,
    });
  }
}
