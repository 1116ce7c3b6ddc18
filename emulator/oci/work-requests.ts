import type { EmulatorResponse } from "../service";
import type { Json } from "./body";
import { OciErrors } from "./errors";
import { pagedResponse, queryEnum, requiredQuery, sortItems } from "./paging";
import { type OciCall, type OciStore, type StoredWorkRequest, ociResponse } from "./store";

const listBounds = { defaultLimit: 100, maxLimit: 1000 };
const workRequestStatuses = ["ACCEPTED", "IN_PROGRESS", "FAILED", "SUCCEEDED", "CANCELING", "CANCELED"];

/**
 * Which API reads a work request: Container Instances (`/20210415`, lists wrapped in `{items}`) or the
 * compute Work Requests API (`/20160918`, bare arrays, failed resources reported as RELATED).
 */
export type WorkRequestFlavour = "ci" | "iaas";

const listShape = { ci: "items", iaas: "array" } as const;

/** Applies a finished work request's effect to the resources it names, at emulator time `at` (ms). */
export type WorkRequestEffects = (wr: StoredWorkRequest, at: number) => void;

/**
 * The work-request store both work-request APIs read: creation, progress over emulator time (ACCEPTED →
 * IN_PROGRESS → SUCCEEDED / FAILED / CANCELED), settling due ones, and the Get/List/errors/logs operations.
 */
export class WorkRequests {
  constructor(
    private readonly store: OciStore,
    private readonly applyEffect: WorkRequestEffects,
  ) {}

  get #all(): Record<string, StoredWorkRequest> {
    return this.store.state.workRequests;
  }

  /** The operations by name: Container Instances' and the `Iaas`-prefixed Work Requests API's. */
  readonly operations: Readonly<Record<string, (call: OciCall) => EmulatorResponse>> = {
    GetWorkRequest: (call) => this.#get(call, "ci"),
    ListWorkRequests: (call) => this.#list(call, "ci"),
    ListWorkRequestErrors: (call) => this.#errors(call, "ci"),
    ListWorkRequestLogs: (call) => this.#logs(call, "ci"),
    IaasGetWorkRequest: (call) => this.#get(call, "iaas"),
    IaasListWorkRequests: (call) => this.#list(call, "iaas"),
    IaasListWorkRequestErrors: (call) => this.#errors(call, "iaas"),
    IaasListWorkRequestLogs: (call) => this.#logs(call, "iaas"),
  };

  /**
   * Accepts a work request for `operationType` on `resource`; `effect` is what {@link WorkRequestEffects}
   * applies when it finishes. A `WorkRequest:<operationType>` fault makes it end FAILED (or CANCELED).
   */
  create(
    call: OciCall,
    operationType: string,
    compartmentId: string,
    resource: { entityType: string; identifier: string; uri: string },
    effect: Json,
  ): StoredWorkRequest {
    const fault = this.store.workRequestFault(operationType);
    const outcome =
      fault === undefined ? "SUCCEEDED" : /^cancel(l)?ed$/i.test(fault.code) ? "CANCELED" : "FAILED";
    const verb = operationType.toLowerCase().replace(/_/g, " ");
    const wr: StoredWorkRequest = {
      id: this.store.newOcid("computecontainerinstanceworkrequest"),
      tenant: call.principal.tenant,
      seq: this.store.nextSeq(),
      operationType,
      compartmentId,
      acceptedMs: this.store.now(),
      durationMs: this.store.context.timing().workRequestMs,
      outcome,
      error: fault,
      resources: [
        {
          entityType: resource.entityType,
          actionType: "IN_PROGRESS",
          identifier: resource.identifier,
          entityUri: resource.uri,
        },
      ],
      applied: false,
      effect,
      logs: [
        { message: `Work request accepted: ${verb}`, at: 0 },
        { message: `Started ${verb} of ${resource.identifier}`, at: 0.1 },
        { message: `${verb} in progress`, at: 0.5 },
        {
          message:
            outcome === "SUCCEEDED"
              ? `Finished ${verb}`
              : outcome === "FAILED"
                ? `Failed ${verb}: ${fault?.message ?? ""}`
                : `Canceled ${verb}`,
          at: 1,
        },
      ],
    };
    this.#all[wr.id] = wr;
    return wr;
  }

  /** Where a work request is at `now`. */
  progress(wr: StoredWorkRequest): {
    status: string;
    percentComplete: number;
    timeStarted?: number;
    timeFinished?: number;
  } {
    const elapsed = this.store.now() - wr.acceptedMs;
    const d = wr.durationMs;
    const started = wr.acceptedMs + Math.floor(d * 0.1);
    if (elapsed >= d) {
      return {
        status: wr.outcome,
        percentComplete: wr.outcome === "SUCCEEDED" ? 100 : 50,
        timeStarted: started,
        timeFinished: wr.acceptedMs + d,
      };
    }
    if (elapsed < d * 0.1) return { status: "ACCEPTED", percentComplete: 0 };
    return {
      status: "IN_PROGRESS",
      percentComplete: Math.min(99, Math.max(1, Math.floor((elapsed / d) * 100))),
      timeStarted: started,
    };
  }

  /** Finishes due work requests in the order they finish and applies their effects. */
  settle(): void {
    const now = this.store.now();
    const due = Object.values(this.#all)
      .filter((wr) => !wr.applied && wr.acceptedMs + wr.durationMs <= now)
      .sort((a, b) => a.acceptedMs + a.durationMs - (b.acceptedMs + b.durationMs) || a.seq - b.seq);
    for (const wr of due) {
      wr.applied = true;
      this.applyEffect(wr, wr.acceptedMs + wr.durationMs);
    }
  }

  #view(wr: StoredWorkRequest, flavour: WorkRequestFlavour): Json {
    const p = this.progress(wr);
    const done = p.timeFinished !== undefined;
    return {
      id: wr.id,
      operationType: wr.operationType,
      status: p.status,
      compartmentId: wr.compartmentId,
      resources: wr.resources.map((r) => ({
        ...r,
        actionType: !done
          ? "IN_PROGRESS"
          : flavour === "iaas" && r.actionType === "FAILED"
            ? "RELATED"
            : r.actionType,
      })),
      percentComplete: p.percentComplete,
      timeAccepted: this.store.iso(wr.acceptedMs),
      ...(p.timeStarted === undefined ? {} : { timeStarted: this.store.iso(p.timeStarted) }),
      ...(p.timeFinished === undefined ? {} : { timeFinished: this.store.iso(p.timeFinished) }),
    };
  }

  #find(call: OciCall): StoredWorkRequest {
    const id = call.params.workRequestId ?? "";
    const wr = this.#all[id];
    if (wr === undefined || wr.tenant !== call.principal.tenant)
      throw OciErrors.notFound(`work request ${id}`);
    return wr;
  }

  #get(call: OciCall, flavour: WorkRequestFlavour): EmulatorResponse {
    const wr = this.#find(call);
    const p = this.progress(wr);
    const headers: Record<string, string> = {};
    if (p.timeFinished === undefined) {
      // Seconds until the next visible change, so pollers that honour retry-after do not spin.
      const remaining = wr.acceptedMs + wr.durationMs - this.store.now();
      headers["retry-after"] = String(
        Math.max(1, Math.min(30, Math.ceil(Math.min(remaining, wr.durationMs / 10 || remaining) / 1000))),
      );
    }
    return ociResponse(call, 200, this.#view(wr, flavour), headers);
  }

  /** The availability domain of the instance a work request is about (the `availabilityDomain` filter). */
  #availabilityDomainOf(wr: StoredWorkRequest): unknown {
    return this.store.state.containerInstances[String(wr.effect.instanceId)]?.wire.availabilityDomain;
  }

  #list(call: OciCall, flavour: WorkRequestFlavour): EmulatorResponse {
    const q = call.request.query;
    const compartmentId = requiredQuery(q, "compartmentId");
    const status = queryEnum(q, "status", workRequestStatuses);
    const resourceId = q.get("resourceId");
    const workRequestId = q.get("workRequestId");
    const availabilityDomain = q.get("availabilityDomain");
    const items = Object.values(this.#all).filter(
      (wr) =>
        wr.tenant === call.principal.tenant &&
        wr.compartmentId === compartmentId &&
        (availabilityDomain === null || this.#availabilityDomainOf(wr) === availabilityDomain) &&
        (resourceId === null || wr.resources.some((r) => r.identifier === resourceId)) &&
        (workRequestId === null || wr.id === workRequestId) &&
        (status === null || this.progress(wr).status === status),
    );
    const sorted = sortItems(
      items,
      q,
      { timeAccepted: (wr) => String(wr.acceptedMs).padStart(16, "0") },
      "timeAccepted",
      // "Default order for timeAccepted is descending." (request/list-work-requests-request.d.ts)
      "DESC",
    );
    return pagedResponse(call, sorted, listBounds, (wr) => this.#view(wr, flavour), listShape[flavour]);
  }

  #listOf(
    call: OciCall,
    flavour: WorkRequestFlavour,
    entries: { seq: number; timestamp: number; item: Json }[],
  ): EmulatorResponse {
    const q = call.request.query;
    const sorted = sortItems(
      entries,
      q,
      { timestamp: (e) => String(e.timestamp).padStart(16, "0") },
      "timestamp",
      // "Default order for timestamp is descending." (request/list-work-request-errors-request.d.ts, -logs-)
      "DESC",
    );
    return pagedResponse(call, sorted, listBounds, (e) => e.item, listShape[flavour]);
  }

  #errors(call: OciCall, flavour: WorkRequestFlavour): EmulatorResponse {
    const wr = this.#find(call);
    const p = this.progress(wr);
    const entries =
      p.timeFinished !== undefined && wr.outcome !== "SUCCEEDED" && wr.error !== undefined
        ? [
            {
              seq: 0,
              timestamp: p.timeFinished,
              item: {
                code: wr.error.code,
                message: wr.error.message,
                timestamp: this.store.iso(p.timeFinished),
              },
            },
          ]
        : [];
    return this.#listOf(call, flavour, entries);
  }

  #logs(call: OciCall, flavour: WorkRequestFlavour): EmulatorResponse {
    const wr = this.#find(call);
    const elapsed = this.store.now() - wr.acceptedMs;
    const entries = wr.logs
      .map((log, i) => ({ log, i, at: wr.acceptedMs + Math.floor(log.at * wr.durationMs) }))
      .filter(({ log }) => log.at * wr.durationMs <= elapsed)
      .map(({ log, i, at }) => ({
        seq: i,
        timestamp: at,
        item: { message: log.message, timestamp: this.store.iso(at) },
      }));
    return this.#listOf(call, flavour, entries);
  }
}
