import type { Agent, Dispatcher } from "undici";
import type { RequestSigner } from "./request";
import type { RetryPolicy } from "./retry";
import { loadUndici } from "./undici-loader";

/**
 * Turns a cloud's error body into a service code and message. Called for every non-2xx answer with the
 * status, the lowercase response headers and the body as text (possibly empty or not JSON); it must not
 * throw (if it does, the error is reported without a code). OCI bodies are `{code, message}`;
 * FunctionGraph bodies are `{error_code, error_msg}`. `final: true` says the answer is definitive
 * whatever its status (FunctionGraph's 429 `FSS.0429` "Function Disabled" is no rate limit): the error
 * is then a plain, non-retryable `ServiceError` that neither the retry loop nor the rate limiter
 * takes for throttling.
 */
export type ErrorBodyParser = (
  status: number,
  headers: Record<string, string>,
  bodyText: string,
) => { code?: string; message?: string; final?: boolean };

/**
 * Everything {@link send} needs to talk to one service endpoint. Plain data plus a signer: build one per
 * provider call (never capture one in a serialized provider).
 */
export interface ClientContext {
  /**
   * Base URL including the API version path, e.g.
   * `https://functions.us-ashburn-1.oci.oraclecloud.com/20181201`. Request paths are appended to its
   * pathname.
   */
  readonly endpoint: URL;
  /** Authenticates each attempt; called once per attempt on a fresh request. */
  readonly signer: RequestSigner;
  /** The cloud's error-body parser. */
  readonly parseErrorBody: ErrorBodyParser;
  /**
   * The undici dispatcher requests go through. Default: a shared keep-alive `Agent` created on first use
   * (one per distinct {@link ClientContext.connectTimeoutMs}). When you pass your own, its connect
   * timeout is yours to set; {@link ClientContext.connectTimeoutMs} is then ignored.
   */
  readonly dispatcher?: Dispatcher;
  /** Overrides merged over {@link defaultRetryPolicy}; all values in milliseconds. */
  readonly retry?: Partial<RetryPolicy>;
  /** TCP + TLS connect timeout in milliseconds for the default dispatcher. Default 10 000. */
  readonly connectTimeoutMs?: number;
  /**
   * Read timeout in milliseconds: the longest wait for the response headers, and the longest silence
   * between two chunks of the body. Default 60 000.
   */
  readonly readTimeoutMs?: number;
  /**
   * The process-wide rate limiter the requests share (see `rate-limiter.ts`): `scope` names the
   * allowance (default the endpoint URL; OCI adds the tenancy), `defaultRequestsPerSecond` is the
   * cloud's default ceiling when neither `fnstack:maxRequestsPerSecond` nor
   * `FNSTACK_MAX_REQUESTS_PER_SECOND` is set. `false` sends without any limit (benchmarks of the
   * transport itself).
   */
  readonly rateLimit?: { readonly scope?: string; readonly defaultRequestsPerSecond?: number } | false;
}

/** Default connect timeout of {@link ClientContext.connectTimeoutMs}, in milliseconds. */
export const defaultConnectTimeoutMs = 10_000;

/** Default read timeout of {@link ClientContext.readTimeoutMs}, in milliseconds. */
export const defaultReadTimeoutMs = 60_000;

// Keyed by connect timeout, since undici fixes it per Agent. Created lazily so that importing the SDK
// (for example while Pulumi deserializes a provider) opens nothing.
const sharedAgents = new Map<number, Agent>();

/**
 * The shared keep-alive `Agent` used when a context has no dispatcher, created on first use.
 *
 * @param connectTimeoutMs - connect timeout in milliseconds; default {@link defaultConnectTimeoutMs}.
 */
export function sharedDispatcher(connectTimeoutMs: number = defaultConnectTimeoutMs): Dispatcher {
  let agent = sharedAgents.get(connectTimeoutMs);
  if (agent === undefined) {
    // undici is loaded here, by the first request, so that check and diff, which send nothing, never
    // load it (issue 12: it was most of fnstack's share of the plugin's cold start).
    const { Agent: AgentClass } = loadUndici();
    agent = new AgentClass({ connect: { timeout: connectTimeoutMs }, keepAliveTimeout: 4_000 });
    sharedAgents.set(connectTimeoutMs, agent);
  }
  return agent;
}

/**
 * Closes the shared agents (waiting for requests in flight) so a process can exit at once; the next
 * {@link send} creates a new one. For command-line tools and tests.
 */
export async function closeSharedDispatchers(): Promise<void> {
  const agents = [...sharedAgents.values()];
  sharedAgents.clear();
  await Promise.all(agents.map((agent) => agent.close()));
}
