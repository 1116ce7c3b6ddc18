import type { EmulatorRequest, EmulatorResponse } from "../service";
import { badRequest, iamError } from "./errors";
import { type Account, type Caller, type IdentityStore, developmentRegion } from "./identity";
import { isObject, parseJsonObject } from "./model";

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

function projectBody(account: Account, origin: string): Record<string, unknown> {
  return {
    id: account.project.id,
    name: account.project.name,
    domain_id: account.domainId,
    parent_id: account.domainId,
    description: "",
    enabled: true,
    is_domain: false,
    links: { self: `${origin}/v3/projects/${account.project.id}` },
  };
}

/**
 * `POST /v3/auth/tokens` (password method; scope `project` by `name` or `id`, or `domain`) → 201 with the
 * token in `X-Subject-Token` and `token{expires_at, issued_at, methods, project, user, roles, catalog}`.
 * The catalog's `functiongraph` endpoint is the emulator itself.
 */
export function createToken(identity: IdentityStore, request: EmulatorRequest): EmulatorResponse {
  let body: Record<string, unknown>;
  try {
    body = parseJsonObject(request.body);
  } catch {
    throw iamError(400, "The request body is not a valid JSON object", "IAM.0011");
  }
  const auth = body["auth"];
  const identityBody = isObject(auth) ? auth["identity"] : undefined;
  const methods = isObject(identityBody) ? identityBody["methods"] : undefined;
  if (
    !isObject(auth) ||
    !isObject(identityBody) ||
    !Array.isArray(methods) ||
    !methods.includes("password")
  ) {
    throw iamError(
      400,
      'Only the password method is supported: auth.identity.methods must include "password"',
      "IAM.0011",
    );
  }
  const password = identityBody["password"];
  const user = isObject(password) ? password["user"] : undefined;
  if (!isObject(user) || typeof user["name"] !== "string" || typeof user["password"] !== "string") {
    throw iamError(400, "auth.identity.password.user needs name and password", "IAM.0011");
  }
  const domain = isObject(user["domain"]) ? user["domain"] : {};
  const account = identity.login(user["name"], user["password"], {
    name: typeof domain["name"] === "string" ? domain["name"] : undefined,
    id: typeof domain["id"] === "string" ? domain["id"] : undefined,
  });
  if (account === undefined) throw iamError(401, "The username or password is wrong.", "IAM.0004");
  const scope = auth["scope"];
  let projectId: string | undefined;
  if (isObject(scope) && isObject(scope["project"])) {
    const p = scope["project"];
    const byId = typeof p["id"] === "string" ? p["id"] : undefined;
    const byName = typeof p["name"] === "string" ? p["name"] : undefined;
    if (
      (byId !== undefined && byId !== account.project.id) ||
      (byName !== undefined && byName !== account.project.name) ||
      (byId ?? byName) === undefined
    ) {
      throw iamError(
        401,
        "The project in the scope does not exist or the user has no access to it.",
        "IAM.0005",
      );
    }
    projectId = account.project.id;
  } else if (!(isObject(scope) && isObject(scope["domain"]))) {
    // No scope: OTC issues a domain-scoped token, which FunctionGraph then refuses.
    projectId = undefined;
  }
  const token = identity.issueToken(account, projectId);
  const userBody = {
    id: account.userId,
    name: account.userName,
    domain: { id: account.domainId, name: account.domainName },
    password_expires_at: "",
  };
  const tokenBody: Record<string, unknown> = {
    expires_at: iso(token.expiresAt),
    issued_at: iso(token.issuedAt),
    methods: ["password"],
    user: userBody,
    roles: [{ id: "0", name: "te_admin" }],
  };
  if (projectId !== undefined) {
    tokenBody["project"] = {
      id: account.project.id,
      name: account.project.name,
      domain: { id: account.domainId, name: account.domainName },
    };
  } else {
    tokenBody["domain"] = { id: account.domainId, name: account.domainName };
  }
  if (request.query.get("nocatalog") !== "true") {
    tokenBody["catalog"] = [
      {
        id: "fnstack-functiongraph",
        type: "functiongraph",
        name: "functiongraph",
        endpoints: [
          {
            id: "fnstack-functiongraph-public",
            interface: "public",
            region: developmentRegion,
            region_id: developmentRegion,
            url: `${request.origin}/v2/${account.project.id}`,
          },
        ],
      },
      {
        id: "fnstack-iam",
        type: "identity",
        name: "iam",
        endpoints: [
          {
            id: "fnstack-iam-public",
            interface: "public",
            region: "*",
            region_id: "*",
            url: `${request.origin}/v3`,
          },
        ],
      },
    ];
  }
  return {
    status: 201,
    headers: { "x-subject-token": token.token, "x-request-id": request.requestId },
    body: { token: tokenBody },
  };
}

/** `GET /v3/projects?name=` → `{projects, links}`: the caller's project (exactly one for its region name). */
export function listProjects(caller: Caller, request: EmulatorRequest): EmulatorResponse {
  const name = request.query.get("name");
  const id = request.query.get("id");
  const domainId = request.query.get("domain_id");
  if (domainId !== null && domainId !== caller.account.domainId)
    throw badRequest("domain_id does not match the caller");
  const account = caller.account;
  const matches =
    (name === null || name === account.project.name) && (id === null || id === account.project.id);
  return {
    status: 200,
    headers: { "x-request-id": request.requestId },
    body: {
      projects: matches ? [projectBody(account, request.origin)] : [],
      links: { self: `${request.origin}${request.rawTarget}`, previous: null, next: null },
    },
  };
}
