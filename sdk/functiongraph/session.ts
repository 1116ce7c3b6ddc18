import { createHash } from "node:crypto";
import type { Dispatcher } from "undici";
import { type ClientContext, defaultConnectTimeoutMs, sharedDispatcher } from "../core/client";
import { ConfigurationError } from "../core/errors";
import type { RequestSigner } from "../core/request";
import { createAkSkSigner } from "./auth/aksk-signer";
import {
  type FunctionGraphAuthSources,
  type FunctionGraphCredentials,
  resolveFunctionGraphCredentials,
} from "./auth/credentials";
import {
  IamTokenSource,
  type IamTransport,
  createTokenSigner,
  lookupProjectId,
  withTokenRefresh,
} from "./auth/iam-token";
import { parseFunctionGraphErrorBody } from "./error-body";

// The contract's FunctionGraph auth API in one place, for callers that import only this module.
export type { FunctionGraphAuthSources, FunctionGraphConnectionSettings } from "./auth/credentials";
export { createAkSkSigner } from "./auth/aksk-signer";
export { parseFunctionGraphErrorBody } from "./error-body";

/** Everything a FunctionGraph client needs for one project. */
export interface FunctionGraphSession {
  /** Region name, e.g. `eu-de`. */
  readonly region: string;
  /** The project id in every FunctionGraph path (`/v2/{project_id}/fgs/...`). */
  readonly projectId: string;
  /**
   * Endpoint `<functiongraph base>/v2/<projectId>`, AK/SK or token signer, the FunctionGraph error parser,
   * and whatever `extra` gave.
   */
  readonly context: ClientContext;
  /** How requests are authenticated. */
  readonly authType: FunctionGraphCredentials["authType"];
  /** What the user should know about the chosen credentials (e.g. AK/SK won over a password). */
  readonly notes: readonly string[];
}

// Token sources and project lookups outlive one session: every provider call resolves a session, and
// logging in (or listing projects) on each would be slow and would hit IAM's rate limits. Keyed by
// everything that identifies the login; secrets enter the key only as a hash.
const tokenSources = new Map<string, IamTokenSource>();
const projectIds = new Map<string, string>();
const byDispatcher = new WeakMap<
  Dispatcher,
  { tokenSources: Map<string, IamTokenSource>; projectIds: Map<string, string> }
>();

function cachesFor(dispatcher: Dispatcher | undefined): {
  tokenSources: Map<string, IamTokenSource>;
  projectIds: Map<string, string>;
} {
  if (dispatcher === undefined) return { tokenSources, projectIds };
  let caches = byDispatcher.get(dispatcher);
  if (caches === undefined) {
    caches = { tokenSources: new Map(), projectIds: new Map() };
    byDispatcher.set(dispatcher, caches);
  }
  return caches;
}

function cacheKey(parts: readonly (string | undefined)[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** Forgets cached IAM tokens and project ids (tests; after rotating credentials). */
export function clearFunctionGraphSessionCache(): void {
  tokenSources.clear();
  projectIds.clear();
}

/**
 * Default ceiling of fnstack's adaptive rate limiter for one FunctionGraph endpoint and project, in
 * requests per second, when neither `fnstack:maxRequestsPerSecond` nor
 * `FNSTACK_MAX_REQUESTS_PER_SECOND` is set. The API answers 429 `FSS.0429` past its flow-control limit,
 * which depends on the region and account: a ceiling, not a target; the limiter finds the real limit.
 */
export const functionGraphDefaultMaxRequestsPerSecond = 50;

/**
 * Resolves credentials ({@link resolveFunctionGraphCredentials}: stack config, then `OS_*` environment,
 * then clouds.yaml) and builds the FunctionGraph client context.
 *
 * - AK/SK: every request is signed (`SDK-HMAC-SHA256`) with `X-Project-Id`. The project id is the
 *   configured one, or looked up once by name (`GET {authUrl}/projects?name=<projectName or region>`).
 * - Password: an IAM token scoped to the project (id, or name defaulting to the region) is obtained,
 *   cached in this process until 10 minutes before it expires, and sent as `X-Auth-Token`; a 401 answer
 *   renews it once and repeats the request. The project id is the configured one or the token's.
 *
 * Never creates a project.
 *
 * @param sources - where to look; defaults are the real process's environment, home and working directory.
 * @param extra - transport settings merged into the context (dispatcher, retry, timeouts); IAM calls use
 *   them too.
 * @throws ConfigurationError for missing or malformed configuration (see the credentials), or when the
 *   project cannot be determined; AuthenticationError when IAM refuses the credentials.
 */
export async function resolveFunctionGraphSession(
  sources: FunctionGraphAuthSources = {},
  extra: Partial<ClientContext> = {},
): Promise<FunctionGraphSession> {
  const credentials = await resolveFunctionGraphCredentials(sources);
  const transport: IamTransport = {
    dispatcher: extra.dispatcher,
    retry: extra.retry,
    connectTimeoutMs: extra.connectTimeoutMs,
    readTimeoutMs: extra.readTimeoutMs,
  };
  const caches = cachesFor(extra.dispatcher);
  let signer: RequestSigner;
  let dispatcher = extra.dispatcher;
  let projectId = credentials.projectId;

  if (credentials.authType === "aksk") {
    const accessKey = credentials.accessKey as string;
    const secretKey = credentials.secretKey as string;
    const { securityToken } = credentials;
    if (projectId === undefined) {
      const authUrl = credentials.authUrl as URL;
      const key = cacheKey([authUrl.href, accessKey, credentials.projectName]);
      projectId = caches.projectIds.get(key);
      if (projectId === undefined) {
        const iamSigner = createAkSkSigner({
          accessKey,
          secretKey,
          ...(securityToken === undefined ? {} : { securityToken }),
        });
        projectId = await lookupProjectId(authUrl, credentials.projectName, iamSigner, transport);
        caches.projectIds.set(key, projectId);
      }
    }
    signer = createAkSkSigner({
      accessKey,
      secretKey,
      projectId,
      ...(securityToken === undefined ? {} : { securityToken }),
    });
  } else {
    const authUrl = credentials.authUrl as URL;
    const login = {
      authUrl,
      userName: credentials.userName as string,
      password: credentials.password as string,
      ...(credentials.domainId !== undefined
        ? { domainId: credentials.domainId }
        : { domainName: credentials.domainName as string }),
      ...(projectId !== undefined ? { projectId } : { projectName: credentials.projectName }),
    };
    const key = cacheKey([
      authUrl.href,
      login.userName,
      createHash("sha256").update(login.password).digest("hex"),
      credentials.domainId,
      credentials.domainName,
      projectId,
      credentials.projectName,
    ]);
    let source = caches.tokenSources.get(key);
    if (source === undefined) {
      source = new IamTokenSource(login, transport);
      caches.tokenSources.set(key, source);
    }
    dispatcher = withTokenRefresh(
      extra.dispatcher ?? sharedDispatcher(extra.connectTimeoutMs ?? defaultConnectTimeoutMs),
      source,
    );
    signer = createTokenSigner(source);
    if (projectId === undefined) {
      const token = await source.token();
      projectId = token.projectId;
      if (projectId === undefined) {
        projectId = await lookupProjectId(authUrl, credentials.projectName, signer, {
          ...transport,
          dispatcher,
        });
      }
    }
  }

  if (!/^[A-Za-z0-9_-]{1,64}$/.test(projectId)) {
    throw new ConfigurationError(`IAM returned a project id that is not one ("${projectId.slice(0, 64)}").`, {
      code: "InvalidProjectId",
    });
  }
  const endpoint = new URL(credentials.functionGraphBase.href);
  endpoint.pathname = `${endpoint.pathname.replace(/\/+$/, "")}/v2/${projectId}`;
  const context: ClientContext = {
    // The endpoint path holds the project id, so the limiter's scope is the project's allowance.
    rateLimit: { defaultRequestsPerSecond: functionGraphDefaultMaxRequestsPerSecond },
    ...extra,
    endpoint,
    signer,
    parseErrorBody: extra.parseErrorBody ?? parseFunctionGraphErrorBody,
    ...(dispatcher === undefined ? {} : { dispatcher }),
  };
  return {
    region: credentials.region,
    projectId,
    context,
    authType: credentials.authType,
    notes: credentials.notes,
  };
}
