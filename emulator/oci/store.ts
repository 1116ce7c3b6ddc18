import { createHash } from "node:crypto";
import type { EmulatorRequest, EmulatorResponse, Principal, ServiceContext } from "../service";
import type { Json } from "./body";
import { OciErrors } from "./errors";
import { type OcidType, makeOcid } from "./ids";

/** A stored OCI resource: who owns it, its wire representation and any scheduled lifecycle change. */
export interface StoredResource {
  readonly id: string;
  /** Tenancy OCID of the principal that created it. */
  readonly tenant: string;
  /** Creation order, the tie-break of every sort. */
  readonly seq: number;
  etag: string;
  /** The resource exactly as the API returns it (wire field names). */
  wire: Json;
  /**
   * A lifecycle state the resource moves to at `at` (emulator clock, ms), with `lifecycleDetails` when
   * it ends FAILED.
   */
  pending?: { readonly state: string; readonly at: number; readonly details?: string };
}

/** One step of a work request's log. */
export interface WorkRequestLogEntry {
  readonly message: string;
  /** Offset from acceptance at which the entry appears, as a fraction of the duration (0–1). */
  readonly at: number;
}

/** A stored work request (Container Instances; also served by the Work Requests API). */
export interface StoredWorkRequest {
  readonly id: string;
  readonly tenant: string;
  readonly seq: number;
  readonly operationType: string;
  compartmentId: string;
  readonly acceptedMs: number;
  /** How long it runs (emulator ms), fixed at acceptance from `timing().workRequestMs`. */
  readonly durationMs: number;
  readonly outcome: "SUCCEEDED" | "FAILED" | "CANCELED";
  readonly error?: { readonly code: string; readonly message: string };
  readonly resources: { entityType: string; actionType: string; identifier: string; entityUri?: string }[];
  /** Whether its effect on the resources was applied (done once, when it finishes). */
  applied: boolean;
  /** What finishing it does; interpreted by the Container Instances module. */
  readonly effect: Json;
  readonly logs: readonly WorkRequestLogEntry[];
}

/** A remembered `opc-retry-token` (24 h, as OCI documents). */
export interface StoredRetryToken {
  readonly bodyHash: string;
  readonly resourceId: string;
  readonly workRequestId: string;
  readonly expiresMs: number;
}

/** Every OCI resource the emulator holds; JSON-safe (it is the `--state` snapshot). */
export interface OciState {
  seq: number;
  applications: Record<string, StoredResource>;
  functions: Record<string, StoredResource>;
  containerInstances: Record<string, StoredResource>;
  containers: Record<string, StoredResource>;
  /** Core Networking VNICs of container instances. */
  vnics: Record<string, StoredResource>;
  workRequests: Record<string, StoredWorkRequest>;
  retryTokens: Record<string, StoredRetryToken>;
  /** The emulated image registry: image reference (with tag) → its current digest. */
  images: Record<string, { readonly digest: string; readonly pushes: number }>;
}

/** An empty store. */
export function emptyOciState(): OciState {
  return {
    seq: 0,
    applications: {},
    functions: {},
    containerInstances: {},
    containers: {},
    vnics: {},
    workRequests: {},
    retryTokens: {},
    images: {},
  };
}

/**
 * Functions operations whose resource must end FAILED instead of ACTIVE (control API
 * `POST /_emulator/oci/lifecycle-failures`): `CreateApplication`, `UpdateApplication`, `CreateFunction`,
 * `UpdateFunction`, each with the `lifecycleDetails` to show and how many more times it applies.
 */
export interface LifecycleFailureRule {
  readonly operation: string;
  readonly message: string;
  remaining: number;
}

/** Decides whether a new work request of `operationType` must fail (control API rule `WorkRequest:<type>`). */
export type WorkRequestFaultHook = (operationType: string) => { code: string; message: string } | undefined;

/** What every OCI operation handler gets. */
export interface OciCall {
  readonly request: EmulatorRequest;
  readonly params: Readonly<Record<string, string>>;
  readonly principal: Principal;
}

/** Shared helpers over the state, the clock and id generation. */
export class OciStore {
  state: OciState = emptyOciState();
  /** Lifecycle failures still to inject (not part of the persisted state). */
  lifecycleFailures: LifecycleFailureRule[] = [];

  constructor(
    readonly context: ServiceContext,
    readonly region: string,
    readonly workRequestFault: WorkRequestFaultHook,
  ) {}

  /** Emulator time in ms. */
  now(): number {
    return this.context.clock.now();
  }

  /** Emulator time as RFC 3339. */
  iso(ms: number = this.now()): string {
    return new Date(ms).toISOString();
  }

  /** A new OCID in the development region. */
  newOcid(type: OcidType): string {
    // A seeded id sequence restarts with the process; skip ids a reloaded --state already holds.
    for (;;) {
      const id = makeOcid(type, this.region, this.context.newId().slice(0, 52));
      if (!this.#taken(id)) return id;
    }
  }

  #taken(id: string): boolean {
    const s = this.state;
    return [s.applications, s.functions, s.containerInstances, s.containers, s.vnics, s.workRequests].some(
      (t) => t[id] !== undefined,
    );
  }

  /** A new etag value. */
  newEtag(): string {
    return this.context.newId();
  }

  /** The next creation sequence number. */
  nextSeq(): number {
    return ++this.state.seq;
  }

  /**
   * A new stored resource owned by `tenant` with its wire form (whose `id` it takes), the next sequence
   * number and a fresh etag. With `createdAt` (emulator ms), it becomes ACTIVE one lifecycle delay after it
   * (Functions' CREATING → ACTIVE); Container Instances move by work request instead.
   */
  newResource(tenant: string, wire: Json, createdAt?: number): StoredResource {
    return {
      id: String(wire.id),
      tenant,
      seq: this.nextSeq(),
      etag: this.newEtag(),
      wire,
      ...(createdAt === undefined
        ? {}
        : { pending: { state: "ACTIVE", at: createdAt + this.context.timing().lifecycleMs } }),
    };
  }

  /**
   * The state a Functions resource reaches after `operation` (ACTIVE), or FAILED with its details when a
   * lifecycle-failure rule for the operation is pending (the rule is used up).
   */
  settlesTo(operation: string): { state: string; details?: string } {
    const rule = this.lifecycleFailures.find((r) => r.operation === operation && r.remaining > 0);
    if (rule === undefined) return { state: "ACTIVE" };
    rule.remaining -= 1;
    return { state: "FAILED", details: rule.message };
  }

  /** Moves resources whose scheduled lifecycle change is due. Work requests are settled by their module. */
  settleLifecycles(): void {
    const now = this.now();
    for (const table of [this.state.applications, this.state.functions]) {
      for (const resource of Object.values(table)) {
        if (resource.pending !== undefined && resource.pending.at <= now) {
          resource.wire.lifecycleState = resource.pending.state;
          if (resource.pending.details !== undefined)
            resource.wire.lifecycleDetails = resource.pending.details;
          resource.wire.timeUpdated = this.iso(resource.pending.at);
          resource.etag = settledEtag(resource.id, resource.pending.state, resource.pending.at);
          resource.pending = undefined;
        }
      }
    }
  }

  /** Looks a resource up for its tenant; 404 `NotAuthorizedOrNotFound` otherwise. */
  find(
    table: Record<string, StoredResource>,
    id: string,
    principal: Principal,
    what: string,
  ): StoredResource {
    const resource = table[id];
    if (resource === undefined || resource.tenant !== principal.tenant)
      throw OciErrors.notFound(`${what} ${id}`);
    return resource;
  }

  /** Applies `if-match` (412 `NoEtagMatch`); `*` matches anything. */
  checkIfMatch(call: OciCall, resource: StoredResource): void {
    const ifMatch = call.request.headers["if-match"];
    if (ifMatch !== undefined && ifMatch !== "*" && ifMatch !== resource.etag)
      throw OciErrors.noEtagMatch(resource.id);
  }
}

/**
 * The etag a resource gets when a scheduled change settles. Settling happens lazily on whichever request
 * comes first (GETs are not persisted), so the value must not depend on when it is computed: a restart
 * with `--state` then yields the etag clients already saw.
 */
export function settledEtag(id: string, ...parts: readonly (string | number)[]): string {
  return createHash("sha256")
    .update([id, ...parts].join("\n"))
    .digest("hex")
    .slice(0, 32);
}

/** The response every OCI operation answers with: the request id echoed, JSON or no body. */
export function ociResponse(
  call: OciCall,
  status: number,
  body?: EmulatorResponse["body"],
  headers: Record<string, string> = {},
): EmulatorResponse {
  return { status, headers: { "opc-request-id": call.request.requestId, ...headers }, body };
}
