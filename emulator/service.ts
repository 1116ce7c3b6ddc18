/**
 * The contract between the emulator's server (one port, one request pipeline, the control API) and each
 * emulated cloud. The server owns transport, faults, rate limits, stats and persistence; a service owns
 * its routes, its authentication rules, its store and its wire-shaped errors.
 *
 * Pipeline per request (as Azurite orders it): parse → route (every service's `route`) → control-API
 * faults and rate limit → `authenticate` → `handle` → serialize. Any thrown {@link EmulatorHttpError}
 * becomes the owning service's real error body through `errorResponse`.
 */

/** A request as the pipeline hands it to a service. */
export interface EmulatorRequest {
  readonly method: string;
  /** The raw request target as received (path + `?query`), undecoded. Signature checks need this. */
  readonly rawTarget: string;
  /** Decoded path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lowercase header names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** Exact body bytes (empty buffer when none). */
  readonly body: Buffer;
  /** The server's own origin, e.g. `http://127.0.0.1:40123`, for URLs it hands out (invokeEndpoint). */
  readonly origin: string;
  /** Request id the server assigned; services echo it in their request-id header. */
  readonly requestId: string;
}

/** What a service answers. Objects are serialized as JSON with `content-type: application/json`. */
export interface EmulatorResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | string | object;
}

/** Thrown anywhere inside a service to answer with the cloud's error shape. */
export class EmulatorHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "EmulatorHttpError";
  }
}

/** A route match: the operation's name (as the SDKs name it, e.g. `GetFunction`) and its path params. */
export interface RouteMatch {
  readonly operation: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Who made an authenticated request; stores are keyed by it. */
export interface Principal {
  /** OCI tenancy OCID, or FunctionGraph project id. */
  readonly tenant: string;
  /** Key id, access key or user name; for the request log. */
  readonly subject: string;
}

/** The emulator's clock. Tests advance it; the server never reads `Date.now()` directly. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Delays of asynchronous behaviour, in milliseconds of {@link Clock} time. Settable through the control API. */
export interface Timing {
  /** How long a resource stays in a transitional lifecycle state (CREATING, UPDATING, DELETING...). */
  readonly lifecycleMs: number;
  /** How long a work request takes from ACCEPTED to its terminal status. */
  readonly workRequestMs: number;
  /** How long a FunctionGraph trigger takes to settle after a write. */
  readonly triggerMs: number;
}

/** What the server gives each service. */
export interface ServiceContext {
  readonly clock: Clock;
  /** Current timing; read it on each use, it can change at run time. */
  timing(): Timing;
  /** Fresh random-looking but unique id material (hex). Deterministic under a seed. */
  newId(): string;
}

/** A change made behind the provider's back, sent to `POST /_emulator/drift`. */
export interface DriftRequest {
  /** `change` merges `patch` into the stored resource (wire field names); `delete` removes it. */
  readonly action: "change" | "delete";
  /** The resource's id (OCID, function URN, `<urn>/<alias>`, trigger id, dependency version id...). */
  readonly resourceId: string;
  readonly patch?: Readonly<Record<string, unknown>>;
}

/** One emulated cloud API group (or several that share a store and an auth scheme). */
export interface EmulatedService {
  /** Stable name used in fault rules, stats and persisted state: `oci` or `functiongraph`. */
  readonly name: string;
  /** Returns the operation if this service owns the request, else undefined. Never throws. */
  route(method: string, path: string): RouteMatch | undefined;
  /** Verifies credentials and signature; throws {@link EmulatorHttpError} (401) when they fail. */
  authenticate(request: EmulatorRequest, match: RouteMatch): Principal;
  /** Runs the operation. */
  handle(request: EmulatorRequest, match: RouteMatch, principal: Principal): Promise<EmulatorResponse>;
  /** The cloud's real error response for a status/code/message (used for faults and rate limits too). */
  errorResponse(status: number, code: string, message: string, requestId: string): EmulatorResponse;
  /** The service's code for "too many requests" (`TooManyRequests`, `FSS.0429`). */
  readonly throttleCode: string;
  /** Applies a drift request; returns false if this service holds no such resource. */
  drift(request: DriftRequest): boolean;
  /** Registers extra credentials (control API `POST /_emulator/credentials`); shape is service-specific. */
  registerCredentials(body: Readonly<Record<string, unknown>>): void;
  /**
   * Writes this cloud's development-account files into `dataDir` (OCI: `oci/config` + `oci/key.pem`;
   * FunctionGraph: `clouds.yaml`) for a server reachable at `origin`.
   */
  writeDevelopmentAccount(dataDir: string, origin: string): Promise<void>;
  /** Drops every resource (keeps registered credentials and the development account). */
  reset(): void;
  /** JSON-safe snapshot of every resource, for `--state FILE`. */
  exportState(): unknown;
  /** Restores a snapshot written by {@link exportState}. */
  importState(state: unknown): void;
}
