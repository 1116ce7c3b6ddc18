import { createHash } from "node:crypto";
import type { EmulatorResponse } from "../service";
import { type Json, jsonBody, onlyFields, read } from "./body";
import { OciErrors } from "./errors";
import { isCompartmentId, ocidType } from "./ids";
import { paginate, sortItems } from "./paging";
import {
  type OciCall,
  type OciStore,
  type StoredResource,
  type StoredWorkRequest,
  ociResponse,
  settledEtag,
} from "./store";

/** How long an `opc-retry-token` is remembered: 24 hours of emulator time, as OCI documents. */
export const retryTokenLifetimeMs = 24 * 60 * 60 * 1000;

interface ShapeSpec {
  readonly name: string;
  readonly processorDescription: string;
  readonly ocpus: { min: number; max: number };
  readonly memory: {
    minInGBs: number;
    maxInGBs: number;
    defaultPerOcpuInGBs: number;
    minPerOcpuInGBs: number;
    maxPerOcpuInGBs: number;
  };
  readonly bandwidthPerOcpuInGbps: number;
}

/** The shapes `ListContainerInstanceShapes` offers (every availability domain offers all of them). */
export const containerInstanceShapes: readonly ShapeSpec[] = [
  {
    name: "CI.Standard.E4.Flex",
    processorDescription: "2.55 GHz AMD EPYC 7J13 (Milan)",
    ocpus: { min: 1, max: 64 },
    memory: { minInGBs: 1, maxInGBs: 1024, defaultPerOcpuInGBs: 16, minPerOcpuInGBs: 1, maxPerOcpuInGBs: 64 },
    bandwidthPerOcpuInGbps: 1,
  },
  {
    name: "CI.Standard.E3.Flex",
    processorDescription: "2.25 GHz AMD EPYC 7742 (Rome)",
    ocpus: { min: 1, max: 64 },
    memory: { minInGBs: 1, maxInGBs: 1024, defaultPerOcpuInGBs: 16, minPerOcpuInGBs: 1, maxPerOcpuInGBs: 64 },
    bandwidthPerOcpuInGbps: 1,
  },
  {
    name: "CI.Standard.A1.Flex",
    processorDescription: "3.0 GHz Ampere Altra",
    ocpus: { min: 1, max: 76 },
    memory: { minInGBs: 1, maxInGBs: 472, defaultPerOcpuInGBs: 6, minPerOcpuInGBs: 1, maxPerOcpuInGBs: 64 },
    bandwidthPerOcpuInGbps: 1,
  },
];

const listBounds = { defaultLimit: 100, maxLimit: 1000 };
const instanceStates = ["CREATING", "UPDATING", "ACTIVE", "INACTIVE", "DELETING", "DELETED", "FAILED"];
const workRequestStatuses = ["ACCEPTED", "IN_PROGRESS", "FAILED", "SUCCEEDED", "CANCELING", "CANCELED"];
const createFields = [
  "compartmentId",
  "availabilityDomain",
  "shape",
  "shapeConfig",
  "containers",
  "vnics",
  "displayName",
  "faultDomain",
  "volumes",
  "dnsConfig",
  "gracefulShutdownTimeoutInSeconds",
  "imagePullSecrets",
  "containerRestartPolicy",
  "securityContext",
  "freeformTags",
  "definedTags",
];
const containerFields = [
  "imageUrl",
  "displayName",
  "command",
  "arguments",
  "workingDirectory",
  "environmentVariables",
  "volumeMounts",
  "isResourcePrincipalDisabled",
  "resourceConfig",
  "healthChecks",
  "securityContext",
  "freeformTags",
  "definedTags",
];
const updateFields = ["displayName", "freeformTags", "definedTags"];

function sha256(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

function ocidOf(type: string, value: string, path: string): void {
  if (ocidType(value) !== type)
    throw OciErrors.invalidParameter(`${path} must be a ${type} OCID, got '${value}'`);
}

function stringMapSize(map: Json, path: string, limitBytes: number): void {
  let size = 0;
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== "string") throw OciErrors.invalidParameter(`${path}.${k} must be a string`);
    size += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (size > limitBytes)
    throw OciErrors.invalidParameter(`${path} is ${size} bytes; the limit is ${limitBytes}`);
}

function validateHealthCheck(check: Json, path: string): void {
  const type = read.enumOf(check, "healthCheckType", ["HTTP", "TCP"], {
    required: true,
    path: `${path}.healthCheckType`,
  });
  const common = [
    "healthCheckType",
    "name",
    "initialDelayInSeconds",
    "intervalInSeconds",
    "failureThreshold",
    "successThreshold",
    "timeoutInSeconds",
    "failureAction",
  ];
  onlyFields(check, type === "HTTP" ? [...common, "path", "port", "headers"] : [...common, "port"], path);
  read.integer(check, "port", { required: true, min: 1, max: 65535, path: `${path}.port` });
  if (type === "HTTP") read.string(check, "path", { required: true, path: `${path}.path` });
  read.enumOf(check, "failureAction", ["KILL", "NONE"], { path: `${path}.failureAction` });
  for (const key of [
    "initialDelayInSeconds",
    "intervalInSeconds",
    "failureThreshold",
    "successThreshold",
    "timeoutInSeconds",
  ]) {
    read.integer(check, key, { min: 0, path: `${path}.${key}` });
  }
}

function validateVolume(volume: Json, path: string): void {
  read.string(volume, "name", {
    required: true,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}$/,
    path: `${path}.name`,
  });
  const type = read.enumOf(volume, "volumeType", ["EMPTYDIR", "CONFIGFILE", "OCI_FSS_FILE_SYSTEM"], {
    required: true,
    path: `${path}.volumeType`,
  });
  if (type === "EMPTYDIR") {
    onlyFields(volume, ["name", "volumeType", "backingStore"], path);
    read.enumOf(volume, "backingStore", ["EPHEMERAL_STORAGE", "MEMORY"], { path: `${path}.backingStore` });
  } else if (type === "CONFIGFILE") {
    onlyFields(volume, ["name", "volumeType", "configs"], path);
    read.objectArray(volume, "configs", { path: `${path}.configs` })?.forEach((c, i) => {
      read.string(c, "fileName", { required: true, path: `${path}.configs[${i}].fileName` });
      const data = read.string(c, "data", { required: true, path: `${path}.configs[${i}].data` }) as string;
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data))
        throw OciErrors.invalidParameter(`${path}.configs[${i}].data must be base64`);
    });
  } else {
    onlyFields(
      volume,
      ["name", "volumeType", "mountTarget", "export", "security", "mountCommand", "subnetId"],
      path,
    );
    read.object(volume, "mountTarget", { required: true, path: `${path}.mountTarget` });
    read.object(volume, "export", { required: true, path: `${path}.export` });
  }
}

/** The stored volume as the API returns it: CONFIGFILE contents are not echoed back. */
function volumeView(volume: Json): Json {
  if (volume.volumeType !== "CONFIGFILE" || !Array.isArray(volume.configs)) return volume;
  return { ...volume, configs: (volume.configs as Json[]).map(({ data: _data, ...rest }) => rest) };
}

/** The stored pull secret as the API returns it: BASIC credentials are not echoed back. */
function pullSecretView(secret: Json): Json {
  const { username: _u, password: _p, ...rest } = secret;
  return rest;
}

const instanceSortKeys = {
  timeCreated: (r: StoredResource) => String(r.wire.timeCreated),
  displayName: (r: StoredResource) => String(r.wire.displayName),
};

/** Container Instances (`/20210415`) and the Work Requests API (`/20160918`) over one work-request store. */
export class ContainerInstancesApi {
  constructor(private readonly store: OciStore) {}

  get #instances(): Record<string, StoredResource> {
    return this.store.state.containerInstances;
  }

  get #containers(): Record<string, StoredResource> {
    return this.store.state.containers;
  }

  get #workRequests(): Record<string, StoredWorkRequest> {
    return this.store.state.workRequests;
  }

  /** The operations by name. */
  readonly operations: Readonly<Record<string, (call: OciCall) => EmulatorResponse>> = {
    CreateContainerInstance: (call) => this.create(call),
    GetContainerInstance: (call) => {
      const ci = this.store.find(
        this.#instances,
        call.params.containerInstanceId ?? "",
        call.principal,
        "container instance",
      );
      return ociResponse(call, 200, ci.wire, { etag: ci.etag });
    },
    ListContainerInstances: (call) => this.listInstances(call),
    UpdateContainerInstance: (call) => this.update(call),
    DeleteContainerInstance: (call) =>
      this.lifecycleAction(call, "DELETE_CONTAINER_INSTANCE", ["ACTIVE", "INACTIVE", "FAILED"], "DELETING"),
    ChangeContainerInstanceCompartment: (call) => this.changeCompartment(call),
    StartContainerInstance: (call) =>
      this.lifecycleAction(call, "START_CONTAINER_INSTANCE", ["INACTIVE"], "UPDATING"),
    StopContainerInstance: (call) =>
      this.lifecycleAction(call, "STOP_CONTAINER_INSTANCE", ["ACTIVE"], "UPDATING"),
    RestartContainerInstance: (call) =>
      this.lifecycleAction(call, "RESTART_CONTAINER_INSTANCE", ["ACTIVE"], "UPDATING"),
    GetContainer: (call) => {
      const c = this.store.find(this.#containers, call.params.containerId ?? "", call.principal, "container");
      return ociResponse(call, 200, c.wire, { etag: c.etag });
    },
    ListContainers: (call) => this.listContainers(call),
    UpdateContainer: (call) => this.updateContainer(call),
    RetrieveLogs: (call) => this.retrieveLogs(call),
    ListContainerInstanceShapes: (call) => this.listShapes(call),
    GetWorkRequest: (call) => this.getWorkRequest(call, "ci"),
    ListWorkRequests: (call) => this.listWorkRequests(call, "ci"),
    ListWorkRequestErrors: (call) => this.listWorkRequestErrors(call, "ci"),
    ListWorkRequestLogs: (call) => this.listWorkRequestLogs(call, "ci"),
    IaasGetWorkRequest: (call) => this.getWorkRequest(call, "iaas"),
    IaasListWorkRequests: (call) => this.listWorkRequests(call, "iaas"),
    IaasListWorkRequestErrors: (call) => this.listWorkRequestErrors(call, "iaas"),
    IaasListWorkRequestLogs: (call) => this.listWorkRequestLogs(call, "iaas"),
  };

  // ---- work requests ------------------------------------------------------------------------------

  #newWorkRequest(
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
    this.#workRequests[wr.id] = wr;
    return wr;
  }

  /** Where a work request is at `now`. */
  #progress(wr: StoredWorkRequest): {
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
    const due = Object.values(this.#workRequests)
      .filter((wr) => !wr.applied && wr.acceptedMs + wr.durationMs <= now)
      .sort((a, b) => a.acceptedMs + a.durationMs - (b.acceptedMs + b.durationMs) || a.seq - b.seq);
    for (const wr of due) {
      wr.applied = true;
      this.#apply(wr, wr.acceptedMs + wr.durationMs);
    }
  }

  /** `settledBy`: the work request whose completion makes this change (its etag is then deterministic). */
  #setState(
    resource: StoredResource | undefined,
    state: string,
    at: number,
    extra: Json = {},
    settledBy?: string,
  ): void {
    if (resource === undefined) return;
    Object.assign(resource.wire, extra, { lifecycleState: state, timeUpdated: this.store.iso(at) });
    resource.etag =
      settledBy === undefined ? this.store.newEtag() : settledEtag(resource.id, settledBy, state);
  }

  #containersOf(instanceId: string): StoredResource[] {
    return Object.values(this.#containers).filter((c) => c.wire.containerInstanceId === instanceId);
  }

  #apply(wr: StoredWorkRequest, at: number): void {
    const ok = wr.outcome === "SUCCEEDED";
    const e = wr.effect;
    const instance = this.#instances[String(e.instanceId)];
    const prev = String(e.previousState ?? "ACTIVE");
    const setAll = (state: string, extra: Json = {}): void => {
      this.#setState(instance, state, at, extra, wr.id);
      for (const c of this.#containersOf(String(e.instanceId))) this.#setState(c, state, at, extra, wr.id);
    };
    const resourceAction = (action: string): void => {
      for (const r of wr.resources) r.actionType = ok ? action : "FAILED";
    };
    switch (wr.operationType) {
      case "CREATE_CONTAINER_INSTANCE":
        resourceAction("CREATED");
        if (ok) setAll("ACTIVE");
        else setAll("FAILED", { lifecycleDetails: wr.error?.message ?? "Creation failed" });
        return;
      case "DELETE_CONTAINER_INSTANCE":
        resourceAction("DELETED");
        setAll(ok ? "DELETED" : prev);
        return;
      case "START_CONTAINER_INSTANCE":
      case "RESTART_CONTAINER_INSTANCE":
        resourceAction("UPDATED");
        if (ok) setAll("ACTIVE");
        else this.#setState(instance, prev, at, {}, wr.id);
        return;
      case "STOP_CONTAINER_INSTANCE":
        resourceAction("UPDATED");
        if (ok) setAll("INACTIVE");
        else this.#setState(instance, prev, at, {}, wr.id);
        return;
      case "UPDATE_CONTAINER_INSTANCE":
        resourceAction("UPDATED");
        this.#setState(instance, prev, at, ok ? (e.patch as Json) : {}, wr.id);
        return;
      case "MOVE_CONTAINER_INSTANCE":
        resourceAction("UPDATED");
        if (ok) {
          setAll(prev, { compartmentId: e.compartmentId });
          wr.compartmentId = String(e.compartmentId);
        } else {
          this.#setState(instance, prev, at, {}, wr.id);
        }
        return;
      case "UPDATE_CONTAINER": {
        resourceAction("UPDATED");
        const container = this.#containers[String(e.containerId)];
        this.#setState(
          container,
          String(e.previousContainerState ?? "ACTIVE"),
          at,
          ok ? (e.patch as Json) : {},
          wr.id,
        );
        if (
          ok &&
          instance !== undefined &&
          container !== undefined &&
          e.patch !== undefined &&
          (e.patch as Json).displayName !== undefined
        ) {
          // The instance lists its containers by id and display name.
          instance.wire.containers = (instance.wire.containers as Json[]).map((c) =>
            c.containerId === container.id ? { ...c, displayName: container.wire.displayName } : c,
          );
        }
        return;
      }
      default:
        return;
    }
  }

  #workRequestView(wr: StoredWorkRequest, flavour: "ci" | "iaas"): Json {
    const p = this.#progress(wr);
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

  #findWorkRequest(call: OciCall): StoredWorkRequest {
    const id = call.params.workRequestId ?? "";
    const wr = this.#workRequests[id];
    if (wr === undefined || wr.tenant !== call.principal.tenant)
      throw OciErrors.notFound(`work request ${id}`);
    return wr;
  }

  private getWorkRequest(call: OciCall, flavour: "ci" | "iaas"): EmulatorResponse {
    const wr = this.#findWorkRequest(call);
    const p = this.#progress(wr);
    const headers: Record<string, string> = {};
    if (p.timeFinished === undefined) {
      // Seconds until the next visible change, so pollers that honour retry-after do not spin.
      const remaining = wr.acceptedMs + wr.durationMs - this.store.now();
      headers["retry-after"] = String(
        Math.max(1, Math.min(30, Math.ceil(Math.min(remaining, wr.durationMs / 10 || remaining) / 1000))),
      );
    }
    return ociResponse(call, 200, this.#workRequestView(wr, flavour), headers);
  }

  private listWorkRequests(call: OciCall, flavour: "ci" | "iaas"): EmulatorResponse {
    const q = call.request.query;
    const compartmentId = q.get("compartmentId");
    if (compartmentId === null || compartmentId === "") throw OciErrors.missingParameter("compartmentId");
    const status = q.get("status");
    if (status !== null && !workRequestStatuses.includes(status)) {
      throw OciErrors.invalidParameter(
        `status must be one of ${workRequestStatuses.join(", ")}, got '${status}'`,
      );
    }
    const resourceId = q.get("resourceId");
    const workRequestId = q.get("workRequestId");
    const items = Object.values(this.#workRequests).filter(
      (wr) =>
        wr.tenant === call.principal.tenant &&
        wr.compartmentId === compartmentId &&
        (resourceId === null || wr.resources.some((r) => r.identifier === resourceId)) &&
        (workRequestId === null || wr.id === workRequestId) &&
        (status === null || this.#progress(wr).status === status),
    );
    const sorted = sortItems(
      items,
      q,
      { timeAccepted: (wr) => String(wr.acceptedMs).padStart(16, "0") },
      "timeAccepted",
    );
    const { page, next } = paginate(sorted, q, listBounds);
    const views = page.map((wr) => this.#workRequestView(wr, flavour));
    return ociResponse(
      call,
      200,
      flavour === "ci" ? { items: views } : views,
      next === undefined ? {} : { "opc-next-page": next },
    );
  }

  #listOf(
    call: OciCall,
    flavour: "ci" | "iaas",
    entries: { seq: number; timestamp: number; item: Json }[],
  ): EmulatorResponse {
    const q = call.request.query;
    const sorted = sortItems(
      entries,
      q,
      { timestamp: (e) => String(e.timestamp).padStart(16, "0") },
      "timestamp",
    );
    const { page, next } = paginate(sorted, q, listBounds);
    const items = page.map((e) => e.item);
    return ociResponse(
      call,
      200,
      flavour === "ci" ? { items } : items,
      next === undefined ? {} : { "opc-next-page": next },
    );
  }

  private listWorkRequestErrors(call: OciCall, flavour: "ci" | "iaas"): EmulatorResponse {
    const wr = this.#findWorkRequest(call);
    const p = this.#progress(wr);
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

  private listWorkRequestLogs(call: OciCall, flavour: "ci" | "iaas"): EmulatorResponse {
    const wr = this.#findWorkRequest(call);
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

  // ---- container instances ------------------------------------------------------------------------

  #requireState(resource: StoredResource, allowed: readonly string[], action: string): void {
    const state = String(resource.wire.lifecycleState);
    if (state === "DELETED") throw OciErrors.notFound(resource.id);
    if (!allowed.includes(state))
      throw OciErrors.incorrectState(`Cannot ${action} ${resource.id} while it is ${state}`);
    const busy = this.#containersOf(resource.id).find((c) => c.wire.lifecycleState === "UPDATING");
    if (busy !== undefined)
      throw OciErrors.incorrectState(
        `Cannot ${action} ${resource.id} while container ${busy.id} is UPDATING`,
      );
  }

  private create(call: OciCall): EmulatorResponse {
    const body = jsonBody(call.request);
    const token = call.request.headers["opc-retry-token"];
    const tokenKey = token === undefined ? undefined : `${call.principal.tenant}\n${token}`;
    if (tokenKey !== undefined) {
      const seen = this.store.state.retryTokens[tokenKey];
      if (seen !== undefined && seen.expiresMs > this.store.now()) {
        if (seen.bodyHash !== sha256(call.request.body)) throw OciErrors.invalidatedRetryToken();
        const ci = this.#instances[seen.resourceId];
        if (ci !== undefined)
          return ociResponse(call, 200, ci.wire, {
            etag: ci.etag,
            "opc-work-request-id": seen.workRequestId,
          });
      }
    }
    const details = this.#validateCreate(body);
    const now = this.store.now();
    const id = this.store.newOcid("computecontainerinstance");
    const base = {
      compartmentId: details.compartmentId,
      availabilityDomain: details.availabilityDomain,
      faultDomain: details.faultDomain,
    };
    const containers: StoredResource[] = details.containers.map((c, i) => {
      const cid = this.store.newOcid("computecontainer");
      const imageName = String(c.imageUrl).split("/").pop()?.split(/[:@]/)[0] ?? "container";
      const wire: Json = {
        id: cid,
        displayName: c.displayName ?? `${imageName}-${i}`,
        ...base,
        lifecycleState: "CREATING",
        containerInstanceId: id,
        imageUrl: c.imageUrl,
        command: c.command ?? [],
        arguments: c.arguments ?? [],
        ...(c.workingDirectory === undefined ? {} : { workingDirectory: c.workingDirectory }),
        environmentVariables: c.environmentVariables ?? {},
        volumeMounts: c.volumeMounts ?? [],
        healthChecks: ((c.healthChecks ?? []) as Json[]).map((h) => ({ ...h, status: "UNKNOWN" })),
        resourceConfig: {
          vcpusLimit: details.shapeConfig.ocpus,
          memoryLimitInGBs: details.shapeConfig.memoryInGBs,
          ...(c.resourceConfig as Json | undefined),
        },
        isResourcePrincipalDisabled: c.isResourcePrincipalDisabled ?? false,
        ...(c.securityContext === undefined ? {} : { securityContext: c.securityContext }),
        containerRestartAttemptCount: 0,
        freeformTags: c.freeformTags ?? {},
        definedTags: c.definedTags ?? {},
        systemTags: {},
        timeCreated: this.store.iso(now),
        timeUpdated: this.store.iso(now),
      };
      return {
        id: cid,
        tenant: call.principal.tenant,
        seq: this.store.nextSeq(),
        etag: this.store.newEtag(),
        wire,
      };
    });
    const volumes = details.volumes.map(volumeView);
    const wire: Json = {
      id,
      displayName:
        details.displayName ??
        `containerinstance${this.store
          .iso(now)
          .replace(/[^0-9]/g, "")
          .slice(0, 14)}`,
      ...base,
      lifecycleState: "CREATING",
      volumes,
      volumeCount: volumes.length,
      containers: containers.map((c) => ({ containerId: c.id, displayName: c.wire.displayName })),
      containerCount: containers.length,
      shape: details.shape.name,
      shapeConfig: {
        ocpus: details.shapeConfig.ocpus,
        memoryInGBs: details.shapeConfig.memoryInGBs,
        processorDescription: details.shape.processorDescription,
        networkingBandwidthInGbps: details.shapeConfig.ocpus * details.shape.bandwidthPerOcpuInGbps,
      },
      vnics: details.vnics.map(() => ({ vnicId: this.store.newOcid("vnic") })),
      ...(body.dnsConfig === undefined ? {} : { dnsConfig: body.dnsConfig }),
      gracefulShutdownTimeoutInSeconds: body.gracefulShutdownTimeoutInSeconds ?? 0,
      imagePullSecrets: details.imagePullSecrets.map(pullSecretView),
      containerRestartPolicy: body.containerRestartPolicy ?? "ALWAYS",
      ...(body.securityContext === undefined ? {} : { securityContext: body.securityContext }),
      freeformTags: body.freeformTags ?? {},
      definedTags: body.definedTags ?? {},
      systemTags: {},
      timeCreated: this.store.iso(now),
      timeUpdated: this.store.iso(now),
    };
    const ci: StoredResource = {
      id,
      tenant: call.principal.tenant,
      seq: this.store.nextSeq(),
      etag: this.store.newEtag(),
      wire,
    };
    this.#instances[id] = ci;
    for (const c of containers) this.#containers[c.id] = c;
    const wr = this.#newWorkRequest(
      call,
      "CREATE_CONTAINER_INSTANCE",
      details.compartmentId,
      { entityType: "containerInstance", identifier: id, uri: `/20210415/containerInstances/${id}` },
      { instanceId: id },
    );
    if (tokenKey !== undefined) {
      this.store.state.retryTokens[tokenKey] = {
        bodyHash: sha256(call.request.body),
        resourceId: id,
        workRequestId: wr.id,
        expiresMs: now + retryTokenLifetimeMs,
      };
    }
    return ociResponse(call, 200, ci.wire, { etag: ci.etag, "opc-work-request-id": wr.id });
  }

  #validateCreate(body: Json): {
    compartmentId: string;
    availabilityDomain: string;
    faultDomain: string;
    displayName?: string;
    shape: ShapeSpec;
    shapeConfig: { ocpus: number; memoryInGBs: number };
    containers: Json[];
    vnics: Json[];
    volumes: Json[];
    imagePullSecrets: Json[];
  } {
    onlyFields(body, createFields, "CreateContainerInstanceDetails");
    const compartmentId = read.string(body, "compartmentId", { required: true }) as string;
    if (!isCompartmentId(compartmentId))
      throw OciErrors.invalidParameter(`compartmentId must be a compartment OCID, got '${compartmentId}'`);
    const availabilityDomain = read.string(body, "availabilityDomain", {
      required: true,
      max: 255,
    }) as string;
    const faultDomain =
      read.string(body, "faultDomain", { pattern: /^FAULT-DOMAIN-[1-3]$/ }) ?? "FAULT-DOMAIN-1";
    const displayName = read.string(body, "displayName", { max: 255 });
    const shapeName = read.string(body, "shape", { required: true }) as string;
    const shape = containerInstanceShapes.find((s) => s.name === shapeName);
    if (shape === undefined)
      throw OciErrors.invalidParameter(
        `shape must be one of ${containerInstanceShapes.map((s) => s.name).join(", ")}, got '${shapeName}'`,
      );
    const sc = read.object(body, "shapeConfig", { required: true }) as Json;
    onlyFields(sc, ["ocpus", "memoryInGBs"], "shapeConfig");
    const ocpus = read.number(sc, "ocpus", {
      required: true,
      min: shape.ocpus.min,
      max: shape.ocpus.max,
      path: "shapeConfig.ocpus",
    }) as number;
    const memoryInGBs =
      read.number(sc, "memoryInGBs", {
        min: shape.memory.minInGBs,
        max: shape.memory.maxInGBs,
        path: "shapeConfig.memoryInGBs",
      }) ?? Math.min(shape.memory.maxInGBs, ocpus * shape.memory.defaultPerOcpuInGBs);
    if (
      memoryInGBs > ocpus * shape.memory.maxPerOcpuInGBs ||
      memoryInGBs < ocpus * shape.memory.minPerOcpuInGBs
    ) {
      throw OciErrors.invalidParameter(
        `shapeConfig.memoryInGBs must be between ${shape.memory.minPerOcpuInGBs} and ${shape.memory.maxPerOcpuInGBs} GB per OCPU`,
      );
    }
    const volumes = read.objectArray(body, "volumes") ?? [];
    volumes.forEach((v, i) => validateVolume(v, `volumes[${i}]`));
    const volumeNames = volumes.map((v) => String(v.name));
    if (new Set(volumeNames).size !== volumeNames.length)
      throw OciErrors.invalidParameter("volumes must have unique names");
    const containers = read.objectArray(body, "containers", { required: true, nonEmpty: true }) as Json[];
    if (containers.length > 10) throw OciErrors.invalidParameter("containers allows at most 10 entries");
    containers.forEach((c, i) => {
      const path = `containers[${i}]`;
      onlyFields(c, containerFields, path);
      read.string(c, "imageUrl", {
        required: true,
        max: 1024,
        pattern: /^[^\s]+$/,
        path: `${path}.imageUrl`,
      });
      read.string(c, "displayName", { max: 255, path: `${path}.displayName` });
      read.string(c, "workingDirectory", { path: `${path}.workingDirectory` });
      read.stringArray(c, "command", { path: `${path}.command` });
      const args = read.stringArray(c, "arguments", { path: `${path}.arguments` });
      if (args !== undefined && args.reduce((n, a) => n + Buffer.byteLength(a), 0) > 64 * 1024) {
        throw OciErrors.invalidParameter(`${path}.arguments exceeds 64 KB`);
      }
      const env = read.object(c, "environmentVariables", { path: `${path}.environmentVariables` });
      if (env !== undefined) stringMapSize(env, `${path}.environmentVariables`, 64 * 1024);
      read.boolean(c, "isResourcePrincipalDisabled", { path: `${path}.isResourcePrincipalDisabled` });
      const rc = read.object(c, "resourceConfig", { path: `${path}.resourceConfig` });
      if (rc !== undefined) {
        onlyFields(rc, ["vcpusLimit", "memoryLimitInGBs"], `${path}.resourceConfig`);
        read.number(rc, "vcpusLimit", { min: 0, max: ocpus, path: `${path}.resourceConfig.vcpusLimit` });
        read.number(rc, "memoryLimitInGBs", {
          min: 0,
          max: memoryInGBs,
          path: `${path}.resourceConfig.memoryLimitInGBs`,
        });
      }
      read.objectArray(c, "volumeMounts", { path: `${path}.volumeMounts` })?.forEach((m, j) => {
        read.string(m, "mountPath", { required: true, path: `${path}.volumeMounts[${j}].mountPath` });
        const name = read.string(m, "volumeName", {
          required: true,
          path: `${path}.volumeMounts[${j}].volumeName`,
        }) as string;
        if (!volumeNames.includes(name))
          throw OciErrors.invalidParameter(`${path}.volumeMounts[${j}].volumeName '${name}' names no volume`);
      });
      read
        .objectArray(c, "healthChecks", { path: `${path}.healthChecks` })
        ?.forEach((h, j) => validateHealthCheck(h, `${path}.healthChecks[${j}]`));
      read.freeformTags(c);
      read.nestedTags(c, "definedTags");
    });
    const vnics = read.objectArray(body, "vnics", { required: true, nonEmpty: true }) as Json[];
    if (vnics.length > 1) throw OciErrors.invalidParameter("vnics allows exactly one entry");
    vnics.forEach((v, i) => {
      onlyFields(
        v,
        [
          "subnetId",
          "displayName",
          "hostnameLabel",
          "isPublicIpAssigned",
          "skipSourceDestCheck",
          "nsgIds",
          "privateIp",
          "freeformTags",
          "definedTags",
        ],
        `vnics[${i}]`,
      );
      const subnetId = read.string(v, "subnetId", { required: true, path: `vnics[${i}].subnetId` }) as string;
      ocidOf("subnet", subnetId, `vnics[${i}].subnetId`);
      read.stringArray(v, "nsgIds", { path: `vnics[${i}].nsgIds` });
      read.boolean(v, "isPublicIpAssigned", { path: `vnics[${i}].isPublicIpAssigned` });
    });
    const dns = read.object(body, "dnsConfig");
    if (dns !== undefined) {
      onlyFields(dns, ["nameservers", "searches", "options"], "dnsConfig");
      for (const k of ["nameservers", "searches", "options"])
        read.stringArray(dns, k, { path: `dnsConfig.${k}` });
    }
    read.integer(body, "gracefulShutdownTimeoutInSeconds", { min: 0, max: 300 });
    const secrets = read.objectArray(body, "imagePullSecrets") ?? [];
    secrets.forEach((s, i) => {
      const path = `imagePullSecrets[${i}]`;
      const type = read.enumOf(s, "secretType", ["BASIC", "VAULT"], {
        required: true,
        path: `${path}.secretType`,
      });
      read.string(s, "registryEndpoint", { required: true, path: `${path}.registryEndpoint` });
      if (type === "BASIC") {
        onlyFields(s, ["secretType", "registryEndpoint", "username", "password"], path);
        for (const k of ["username", "password"]) {
          const v = read.string(s, k, { required: true, path: `${path}.${k}` }) as string;
          if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v))
            throw OciErrors.invalidParameter(`${path}.${k} must be base64`);
        }
      } else {
        onlyFields(s, ["secretType", "registryEndpoint", "secretId"], path);
        ocidOf(
          "vaultsecret",
          read.string(s, "secretId", { required: true, path: `${path}.secretId` }) as string,
          `${path}.secretId`,
        );
      }
    });
    read.enumOf(body, "containerRestartPolicy", ["ALWAYS", "NEVER", "ON_FAILURE"]);
    const sec = read.object(body, "securityContext");
    if (sec !== undefined) {
      read.enumOf(sec, "securityContextType", ["LINUX"], {
        required: true,
        path: "securityContext.securityContextType",
      });
      read.enumOf(sec, "fsGroupChangePolicy", ["ALWAYS", "ON_ROOT_MISMATCH"], {
        path: "securityContext.fsGroupChangePolicy",
      });
    }
    read.freeformTags(body);
    read.nestedTags(body, "definedTags");
    return {
      compartmentId,
      availabilityDomain,
      faultDomain,
      displayName,
      shape,
      shapeConfig: { ocpus, memoryInGBs },
      containers,
      vnics,
      volumes,
      imagePullSecrets: secrets,
    };
  }

  private listInstances(call: OciCall): EmulatorResponse {
    const q = call.request.query;
    const compartmentId = q.get("compartmentId");
    if (compartmentId === null || compartmentId === "") throw OciErrors.missingParameter("compartmentId");
    const state = q.get("lifecycleState");
    if (state !== null && !instanceStates.includes(state))
      throw OciErrors.invalidParameter(
        `lifecycleState must be one of ${instanceStates.join(", ")}, got '${state}'`,
      );
    const displayName = q.get("displayName");
    const ad = q.get("availabilityDomain");
    const items = Object.values(this.#instances).filter(
      (ci) =>
        ci.tenant === call.principal.tenant &&
        ci.wire.compartmentId === compartmentId &&
        (state === null || ci.wire.lifecycleState === state) &&
        (displayName === null || ci.wire.displayName === displayName) &&
        (ad === null || ci.wire.availabilityDomain === ad),
    );
    const sorted = sortItems(items, q, instanceSortKeys, "timeCreated");
    const { page, next } = paginate(sorted, q, listBounds);
    const summary = (w: Json): Json => {
      const {
        containers: _c,
        vnics: _v,
        volumes: _vol,
        dnsConfig: _d,
        imagePullSecrets: _i,
        securityContext: _s,
        ...rest
      } = w;
      return rest;
    };
    return ociResponse(
      call,
      200,
      { items: page.map((ci) => summary(ci.wire)) },
      next === undefined ? {} : { "opc-next-page": next },
    );
  }

  private update(call: OciCall): EmulatorResponse {
    const ci = this.store.find(
      this.#instances,
      call.params.containerInstanceId ?? "",
      call.principal,
      "container instance",
    );
    const body = jsonBody(call.request);
    onlyFields(body, updateFields, "UpdateContainerInstanceDetails");
    const patch: Json = {};
    const name = read.string(body, "displayName", { max: 255 });
    if (name !== undefined) patch.displayName = name;
    const freeform = read.freeformTags(body);
    if (freeform !== undefined) patch.freeformTags = freeform;
    const defined = read.nestedTags(body, "definedTags");
    if (defined !== undefined) patch.definedTags = defined;
    this.store.checkIfMatch(call, ci);
    this.#requireState(ci, ["ACTIVE", "INACTIVE"], "update");
    return this.#startAction(call, ci, "UPDATE_CONTAINER_INSTANCE", "UPDATING", { patch });
  }

  private changeCompartment(call: OciCall): EmulatorResponse {
    const ci = this.store.find(
      this.#instances,
      call.params.containerInstanceId ?? "",
      call.principal,
      "container instance",
    );
    const body = jsonBody(call.request);
    onlyFields(body, ["compartmentId"], "ChangeContainerInstanceCompartmentDetails");
    const compartmentId = read.string(body, "compartmentId", { required: true }) as string;
    if (!isCompartmentId(compartmentId))
      throw OciErrors.invalidParameter(`compartmentId must be a compartment OCID, got '${compartmentId}'`);
    this.store.checkIfMatch(call, ci);
    this.#requireState(ci, ["ACTIVE", "INACTIVE", "FAILED"], "move");
    return this.#startAction(call, ci, "MOVE_CONTAINER_INSTANCE", "UPDATING", { compartmentId });
  }

  private lifecycleAction(
    call: OciCall,
    operationType: string,
    allowed: readonly string[],
    during: string,
  ): EmulatorResponse {
    const ci = this.store.find(
      this.#instances,
      call.params.containerInstanceId ?? "",
      call.principal,
      "container instance",
    );
    if (call.request.body.length > 0 && call.request.method !== "DELETE") {
      throw OciErrors.invalidParameter(`${operationType.toLowerCase()} takes no request body`);
    }
    this.store.checkIfMatch(call, ci);
    this.#requireState(ci, allowed, operationType.split("_")[0]?.toLowerCase() ?? "change");
    return this.#startAction(call, ci, operationType, during, {});
  }

  #startAction(
    call: OciCall,
    ci: StoredResource,
    operationType: string,
    during: string,
    effect: Json,
  ): EmulatorResponse {
    const previousState = String(ci.wire.lifecycleState);
    const wr = this.#newWorkRequest(
      call,
      operationType,
      String(ci.wire.compartmentId),
      { entityType: "containerInstance", identifier: ci.id, uri: `/20210415/containerInstances/${ci.id}` },
      { ...effect, instanceId: ci.id, previousState: previousState === "FAILED" ? "FAILED" : previousState },
    );
    this.#setState(ci, during, this.store.now());
    if (operationType === "DELETE_CONTAINER_INSTANCE") {
      for (const c of this.#containersOf(ci.id)) this.#setState(c, "DELETING", this.store.now());
    }
    return ociResponse(call, 202, undefined, { "opc-work-request-id": wr.id });
  }

  // ---- containers ---------------------------------------------------------------------------------

  private listContainers(call: OciCall): EmulatorResponse {
    const q = call.request.query;
    const compartmentId = q.get("compartmentId");
    if (compartmentId === null || compartmentId === "") throw OciErrors.missingParameter("compartmentId");
    const state = q.get("lifecycleState");
    if (state !== null && !instanceStates.includes(state))
      throw OciErrors.invalidParameter(
        `lifecycleState must be one of ${instanceStates.join(", ")}, got '${state}'`,
      );
    const instanceId = q.get("containerInstanceId");
    const displayName = q.get("displayName");
    const ad = q.get("availabilityDomain");
    const items = Object.values(this.#containers).filter(
      (c) =>
        c.tenant === call.principal.tenant &&
        c.wire.compartmentId === compartmentId &&
        (instanceId === null || c.wire.containerInstanceId === instanceId) &&
        (state === null || c.wire.lifecycleState === state) &&
        (displayName === null || c.wire.displayName === displayName) &&
        (ad === null || c.wire.availabilityDomain === ad),
    );
    const sorted = sortItems(items, q, instanceSortKeys, "timeCreated");
    const { page, next } = paginate(sorted, q, listBounds);
    return ociResponse(
      call,
      200,
      { items: page.map((c) => c.wire) },
      next === undefined ? {} : { "opc-next-page": next },
    );
  }

  private updateContainer(call: OciCall): EmulatorResponse {
    const container = this.store.find(
      this.#containers,
      call.params.containerId ?? "",
      call.principal,
      "container",
    );
    const body = jsonBody(call.request);
    onlyFields(body, updateFields, "UpdateContainerDetails");
    const patch: Json = {};
    const name = read.string(body, "displayName", { max: 255 });
    if (name !== undefined) patch.displayName = name;
    const freeform = read.freeformTags(body);
    if (freeform !== undefined) patch.freeformTags = freeform;
    const defined = read.nestedTags(body, "definedTags");
    if (defined !== undefined) patch.definedTags = defined;
    this.store.checkIfMatch(call, container);
    const state = String(container.wire.lifecycleState);
    if (state === "DELETED") throw OciErrors.notFound(container.id);
    if (state !== "ACTIVE" && state !== "INACTIVE")
      throw OciErrors.incorrectState(`Cannot update ${container.id} while it is ${state}`);
    const instanceId = String(container.wire.containerInstanceId);
    const instance = this.#instances[instanceId];
    if (instance !== undefined && !["ACTIVE", "INACTIVE"].includes(String(instance.wire.lifecycleState))) {
      throw OciErrors.incorrectState(
        `Cannot update ${container.id} while its container instance is ${String(instance.wire.lifecycleState)}`,
      );
    }
    const wr = this.#newWorkRequest(
      call,
      "UPDATE_CONTAINER",
      String(container.wire.compartmentId),
      { entityType: "container", identifier: container.id, uri: `/20210415/containers/${container.id}` },
      { containerId: container.id, instanceId, patch, previousContainerState: state },
    );
    this.#setState(container, "UPDATING", this.store.now());
    return ociResponse(call, 202, undefined, { "opc-work-request-id": wr.id });
  }

  /**
   * RetrieveLogs: the emulated container's log is a few deterministic lines naming its image and state
   * (`isPrevious=true` gives the log of the previous run, empty unless it was restarted).
   */
  private retrieveLogs(call: OciCall): EmulatorResponse {
    const c = this.store.find(this.#containers, call.params.containerId ?? "", call.principal, "container");
    const isPrevious = call.request.query.get("isPrevious");
    if (isPrevious !== null && isPrevious !== "true" && isPrevious !== "false") {
      throw OciErrors.invalidParameter(`isPrevious must be true or false, got '${isPrevious}'`);
    }
    if (c.wire.lifecycleState === "DELETED") throw OciErrors.notFound(c.id);
    const lines =
      isPrevious === "true"
        ? []
        : [
            `${String(c.wire.timeCreated)} fnstack-emulator: pulled image ${String(c.wire.imageUrl)}`,
            `${String(c.wire.timeCreated)} fnstack-emulator: container ${String(c.wire.displayName)} is ${String(c.wire.lifecycleState)}`,
          ];
    return ociResponse(call, 200, lines.map((l) => `${l}\n`).join(""), {
      "content-type": "text/plain; charset=utf-8",
    });
  }

  private listShapes(call: OciCall): EmulatorResponse {
    const q = call.request.query;
    const compartmentId = q.get("compartmentId");
    if (compartmentId === null || compartmentId === "") throw OciErrors.missingParameter("compartmentId");
    const items = containerInstanceShapes.map((s, i) => ({
      seq: i,
      item: {
        name: s.name,
        processorDescription: s.processorDescription,
        ocpuOptions: { min: s.ocpus.min, max: s.ocpus.max },
        memoryOptions: s.memory,
        networkingBandwidthOptions: {
          minInGbps: 1,
          maxInGbps: s.ocpus.max * s.bandwidthPerOcpuInGbps,
          defaultPerOcpuInGbps: s.bandwidthPerOcpuInGbps,
        },
      },
    }));
    const { page, next } = paginate(items, q, listBounds);
    return ociResponse(
      call,
      200,
      { items: page.map((p) => p.item) },
      next === undefined ? {} : { "opc-next-page": next },
    );
  }
}
