import { inspect } from "node:util";
import type { Dispatcher } from "undici";
import type { ClientContext } from "../../core/client";
import { ConfigurationError } from "../../core/errors";
import type { OutgoingRequest, RequestSigner } from "../../core/request";
import { send } from "../../core/send";
import { loadUndici } from "../../core/undici-loader";
import { parseFunctionGraphErrorBody } from "../error-body";

/** A user's password login to IAM (`POST {authUrl}/auth/tokens`, password method). */
export interface IamPasswordLogin {
  /** IAM v3 endpoint including `/v3`, e.g. `https://iam.eu-de.otc.t-systems.com/v3`. */
  readonly authUrl: URL;
  readonly userName: string;
  readonly password: string;
  /** The user's domain (account) name, e.g. `OTC-EU-DE-00000000001000000xxx`. One of name or id. */
  readonly domainName?: string;
  /** The user's domain id, when the name is not known. */
  readonly domainId?: string;
  /** Scope the token to this project id; wins over `projectName`. */
  readonly projectId?: string;
  /** Scope the token to this project name (the region name, e.g. `eu-de`, or `eu-de_<sub>`). */
  readonly projectName?: string;
}

/** Transport settings for IAM calls, as in {@link ClientContext}. */
export type IamTransport = Pick<ClientContext, "dispatcher" | "retry" | "connectTimeoutMs" | "readTimeoutMs">;

/** Options of {@link IamTokenSource}. */
export interface IamTokenSourceOptions extends IamTransport {
  /** Clock in epoch milliseconds; default `Date.now`. */
  readonly now?: () => number;
  /**
   * How long before `expires_at` a cached token stops being used, in milliseconds. Default 10 minutes:
   * long enough for the slowest single call, and OTC tokens live 24 h.
   */
  readonly refreshBeforeExpiryMs?: number;
}

/** One IAM token. */
export interface IamToken {
  /** The `X-Subject-Token` value: a secret. */
  readonly token: string;
  /** `expires_at`, epoch milliseconds. */
  readonly expiresAt: number;
  /** `token.project.id` of a project-scoped token. */
  readonly projectId?: string;
  /** `token.project.name` of a project-scoped token. */
  readonly projectName?: string;
}

/** Default of {@link IamTokenSourceOptions.refreshBeforeExpiryMs}: 10 minutes. */
export const defaultTokenRefreshBeforeExpiryMs = 10 * 60 * 1000;

// IAM's own calls need no signature (the password is in the body) or carry their own header.
const unsignedSigner: RequestSigner = { sign: async () => undefined };

const redacted = "[redacted]";

/**
 * Obtains IAM user tokens with a password and caches one until {@link IamTokenSourceOptions.refreshBeforeExpiryMs}
 * before its `expires_at`. Concurrent callers share one login. `toJSON` and `util.inspect` never show the
 * password or the token.
 */
export class IamTokenSource {
  readonly #login: IamPasswordLogin;
  readonly #transport: IamTransport;
  readonly #now: () => number;
  readonly #marginMs: number;
  #cached: IamToken | undefined;
  #pending: Promise<IamToken> | undefined;
  #logins = 0;

  constructor(login: IamPasswordLogin, options: IamTokenSourceOptions = {}) {
    if (!(login?.authUrl instanceof URL)) throw new TypeError("Expected `authUrl` to be a URL");
    for (const key of ["userName", "password"] as const) {
      if (typeof login[key] !== "string" || login[key] === "")
        throw new TypeError(`Expected \`${key}\` to be a non-empty string`);
    }
    const margin = options.refreshBeforeExpiryMs ?? defaultTokenRefreshBeforeExpiryMs;
    if (typeof margin !== "number" || !Number.isFinite(margin) || margin < 0) {
      throw new TypeError("Expected `refreshBeforeExpiryMs` to be a non-negative number of milliseconds");
    }
    this.#login = { ...login, authUrl: new URL(login.authUrl.href) };
    const { dispatcher, retry, connectTimeoutMs, readTimeoutMs } = options;
    this.#transport = { dispatcher, retry, connectTimeoutMs, readTimeoutMs };
    this.#now = options.now ?? Date.now;
    this.#marginMs = margin;
  }

  /** How many logins (`POST /auth/tokens`) this source has made. */
  get logins(): number {
    return this.#logins;
  }

  /**
   * A token valid for at least the refresh margin: the cached one, or a new login.
   *
   * @throws AuthenticationError when IAM refuses the login; ConfigurationError when its answer has no token.
   */
  async token(options: { signal?: AbortSignal } = {}): Promise<IamToken> {
    const cached = this.#cached;
    if (cached !== undefined && this.#now() < cached.expiresAt - this.#marginMs) return cached;
    this.#pending ??= this.#fetch(options.signal).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /**
   * Forgets `token` if it is the cached one (a service refused it), so the next {@link token} logs in
   * again. A token that was already replaced is ignored, so concurrent 401s cause one login.
   */
  invalidate(token: string): void {
    if (this.#cached?.token === token) this.#cached = undefined;
  }

  async #fetch(signal: AbortSignal | undefined): Promise<IamToken> {
    const login = this.#login;
    const domain = login.domainId !== undefined ? { id: login.domainId } : { name: login.domainName };
    const scope =
      login.projectId !== undefined
        ? { project: { id: login.projectId } }
        : login.projectName !== undefined
          ? { project: { name: login.projectName } }
          : undefined;
    const body = {
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: login.userName, password: login.password, domain } },
        },
        ...(scope === undefined ? {} : { scope }),
      },
    };
    this.#logins += 1;
    const response = await send<{
      token?: { expires_at?: unknown; project?: { id?: unknown; name?: unknown } };
    }>(
      {
        ...this.#transport,
        endpoint: login.authUrl,
        signer: unsignedSigner,
        parseErrorBody: parseFunctionGraphErrorBody,
      },
      {
        operation: "CreateIamToken",
        method: "POST",
        path: "/auth/tokens",
        query: { nocatalog: "true" },
        headers: { "content-type": "application/json;charset=utf8" },
        body,
        resource: `user ${login.userName} at ${login.authUrl.host}`,
      },
      { signal },
    );
    const token = response.headers["x-subject-token"];
    const expiresText = response.body?.token?.expires_at;
    const expiresAt = typeof expiresText === "string" ? Date.parse(expiresText) : Number.NaN;
    if (token === undefined || token === "" || Number.isNaN(expiresAt)) {
      throw new ConfigurationError(
        `IAM at ${login.authUrl.host} answered the login of user ${login.userName} without ` +
          (token === undefined || token === "" ? "an X-Subject-Token header" : "a valid token.expires_at") +
          `: check that authUrl (${login.authUrl.origin}${login.authUrl.pathname}) is an IAM v3 endpoint.`,
        { code: "InvalidIamResponse", requestId: response.requestId },
      );
    }
    const project = response.body?.token?.project;
    const result: IamToken = {
      token,
      expiresAt,
      ...(typeof project?.id === "string" ? { projectId: project.id } : {}),
      ...(typeof project?.name === "string" ? { projectName: project.name } : {}),
    };
    this.#cached = result;
    return result;
  }

  /** What may be logged: no password, no token. */
  toJSON(): Record<string, unknown> {
    return {
      authUrl: this.#login.authUrl.href,
      userName: this.#login.userName,
      password: redacted,
      domainName: this.#login.domainName,
      projectId: this.#login.projectId,
      projectName: this.#login.projectName,
      token: this.#cached === undefined ? undefined : redacted,
    };
  }

  [inspect.custom](): string {
    return `IamTokenSource ${inspect(this.toJSON())}`;
  }
}

/** A {@link RequestSigner} that sets `X-Auth-Token`, plus the source it takes tokens from. */
export interface TokenSigner extends RequestSigner {
  readonly source: IamTokenSource;
}

/**
 * A signer that authenticates each attempt with `X-Auth-Token` from `source` (cached, renewed shortly
 * before expiry). Pair it with {@link withTokenRefresh} so a token the service refuses is renewed once.
 */
export function createTokenSigner(source: IamTokenSource): TokenSigner {
  if (!(source instanceof IamTokenSource)) throw new TypeError("Expected `source` to be an IamTokenSource");
  return {
    source,
    async sign(request: OutgoingRequest, options?: { signal?: AbortSignal }): Promise<void> {
      request.headers["x-auth-token"] = (await source.token(options)).token;
    },
  };
}

/**
 * Wraps a dispatcher so that a 401 answer to a request carrying `X-Auth-Token` makes the token source
 * forget that token, log in again and repeat the request once with the new token. A 401 means the
 * gateway refused the request before any backend saw it, so repeating even a POST is safe. Only the
 * promise form of `request()` (what `send()` uses) is affected; `close()`/`destroy()` leave the wrapped
 * dispatcher open (it is usually shared).
 */
export function withTokenRefresh(inner: Dispatcher, source: IamTokenSource): Dispatcher {
  refreshingDispatcher ??= tokenRefreshingDispatcherClass(loadUndici().Dispatcher);
  return new refreshingDispatcher(inner, source);
}

let refreshingDispatcher: ReturnType<typeof tokenRefreshingDispatcherClass> | undefined;

// Defined on first use: its base class is undici's, and loading undici waits for the first request.
function tokenRefreshingDispatcherClass(Base: typeof Dispatcher) {
  return class TokenRefreshingDispatcher extends Base {
    readonly #inner: Dispatcher;
    readonly #source: IamTokenSource;

    constructor(inner: Dispatcher, source: IamTokenSource) {
      super();
      this.#inner = inner;
      this.#source = source;
    }

    override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
      return this.#inner.dispatch(options, handler);
    }

    override close(): Promise<void> {
      return Promise.resolve();
    }

    override destroy(): Promise<void> {
      return Promise.resolve();
    }

    override async request<TOpaque = null>(
      options: Dispatcher.RequestOptions<TOpaque>,
    ): Promise<Dispatcher.ResponseData<TOpaque>> {
      const response = await super.request(options);
      const headers = options.headers;
      const used =
        headers !== null && typeof headers === "object" && !Array.isArray(headers) && !isIterable(headers)
          ? (headers as Record<string, string | undefined>)["x-auth-token"]
          : undefined;
      if (response.statusCode !== 401 || used === undefined) return response;
      this.#source.invalidate(used);
      let fresh: IamToken;
      try {
        fresh = await this.#source.token({ signal: options.signal as AbortSignal | undefined });
      } catch {
        // IAM refused or failed the new login: report the service's own 401 rather than an IAM error
        // dressed as a transport failure.
        return response;
      }
      await response.body.dump();
      return super.request({
        ...options,
        headers: { ...(headers as Record<string, string>), "x-auth-token": fresh.token },
      });
    }
  };
}

function isIterable(value: object): boolean {
  return typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function";
}

/**
 * Looks up the id of the project named `projectName` (for region projects, the region name):
 * `GET {authUrl}/projects?name=<projectName>`. Never creates a project (the Huawei Node SDK does when the
 * lookup does not find exactly one; we refuse instead).
 *
 * @param authUrl - IAM v3 endpoint including `/v3`.
 * @param signer - AK/SK or token signer for IAM.
 * @throws ConfigurationError when the answer is not exactly one project.
 */
export async function lookupProjectId(
  authUrl: URL,
  projectName: string,
  signer: RequestSigner,
  transport: IamTransport = {},
  options: { signal?: AbortSignal } = {},
): Promise<string> {
  const response = await send<{ projects?: Array<{ id?: unknown; name?: unknown }> }>(
    { ...transport, endpoint: authUrl, signer, parseErrorBody: parseFunctionGraphErrorBody },
    {
      operation: "KeystoneListProjects",
      method: "GET",
      path: "/projects",
      query: { name: projectName },
      headers: { "content-type": "application/json" },
      resource: `project ${projectName}`,
    },
    options,
  );
  const projects = Array.isArray(response.body?.projects) ? response.body.projects : [];
  const matching = projects.filter(
    (p) => typeof p?.id === "string" && p.id !== "" && (p.name === undefined || p.name === projectName),
  );
  if (matching.length !== 1) {
    throw new ConfigurationError(
      `IAM at ${authUrl.host} lists ${matching.length} projects named "${projectName}" (exactly one is ` +
        "required; fnstack never creates projects). Set opentelekomcloud:projectId (or OS_PROJECT_ID) " +
        "to the project's id, or projectName to an existing project.",
      { code: "ProjectNotFound", requestId: response.requestId },
    );
  }
  return matching[0]?.id as string;
}
