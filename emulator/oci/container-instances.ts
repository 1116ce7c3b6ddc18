import { createHash } from "node:crypto";
import type { EmulatorResponse } from "../service";
import { type Json, jsonBody, onlyFields, readCompartmentId } from "./body";
import { containerInstanceShapes, shapeView } from "./container-instance-shapes";
import { applyWorkRequestEffect, containersOf, setLifecycleState } from "./container-instance-state";
import { pullSecretView, readUpdatePatch, validateCreate, volumeView } from "./container-instance-validation";
import { OciErrors } from "./errors";
import { pagedResponse, queryEnum, requiredQuery, sortItems } from "./paging";
import { type OciCall, type OciStore, type StoredResource, ociResponse } from "./store";
import { type VnicRequest, VnicsApi } from "./vnics";
import { WorkRequests } from "./work-requests";

export { containerInstanceShapes } from "./container-instance-shapes";

/** How long an `opc-retry-token` is remembered: 24 hours of emulator time, as OCI documents. */
export const retryTokenLifetimeMs = 24 * 60 * 60 * 1000;

const listBounds = { defaultLimit: 100, maxLimit: 1000 };

/** The state in which Start / Stop have no effect. */
const noEffectStates: Readonly<Record<string, string>> = {
  START_CONTAINER_INSTANCE: "ACTIVE",
  STOP_CONTAINER_INSTANCE: "INACTIVE",
};
const instanceStates = ["CREATING", "UPDATING", "ACTIVE", "INACTIVE", "DELETING", "DELETED", "FAILED"];

/** A stored resource as a 200 with its etag. */
function resourceResponse(call: OciCall, resource: StoredResource): EmulatorResponse {
  return ociResponse(call, 200, resource.wire, { etag: resource.etag });
}

function sha256(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

const instanceSortKeys = {
  timeCreated: (r: StoredResource) => String(r.wire.timeCreated),
  displayName: (r: StoredResource) => String(r.wire.displayName),
};

/**
 * Container Instances (`/20210415`): instances, their containers, shapes and logs. Mutations go through
 * {@link WorkRequests}, which also serves the Work Requests API (`/20160918`) over the same store.
 */
export class ContainerInstancesApi {
  readonly #workRequests: WorkRequests;

  /** The operations by name, the work-request ones included. */
  readonly operations: Readonly<Record<string, (call: OciCall) => EmulatorResponse>>;

  constructor(
    private readonly store: OciStore,
    private readonly vnics: VnicsApi,
  ) {
    this.#workRequests = new WorkRequests(store, (wr, at) => applyWorkRequestEffect(store, wr, at));
    this.operations = {
      CreateContainerInstance: (call) => this.create(call),
      GetContainerInstance: (call) => resourceResponse(call, this.#instanceOf(call)),
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
      GetContainer: (call) => resourceResponse(call, this.#containerOf(call)),
      ListContainers: (call) => this.listContainers(call),
      UpdateContainer: (call) => this.updateContainer(call),
      RetrieveLogs: (call) => this.retrieveLogs(call),
      ListContainerInstanceShapes: (call) => this.listShapes(call),
      ...this.#workRequests.operations,
    };
  }

  /** The container instance the call's path names (404 when absent or another tenant's). */
  #instanceOf(call: OciCall): StoredResource {
    return this.store.find(
      this.#instances,
      call.params.containerInstanceId ?? "",
      call.principal,
      "container instance",
    );
  }

  /** The container the call's path names. */
  #containerOf(call: OciCall): StoredResource {
    return this.store.find(this.#containers, call.params.containerId ?? "", call.principal, "container");
  }

  get #instances(): Record<string, StoredResource> {
    return this.store.state.containerInstances;
  }

  get #containers(): Record<string, StoredResource> {
    return this.store.state.containers;
  }

  /** Finishes due work requests in the order they finish and applies their effects. */
  settle(): void {
    this.#workRequests.settle();
  }

  // ---- container instances ------------------------------------------------------------------------

  #requireState(resource: StoredResource, allowed: readonly string[], action: string): void {
    const state = String(resource.wire.lifecycleState);
    if (state === "DELETED") throw OciErrors.notFound(resource.id);
    if (!allowed.includes(state))
      throw OciErrors.incorrectState(`Cannot ${action} ${resource.id} while it is ${state}`);
    const busy = containersOf(this.store, resource.id).find((c) => c.wire.lifecycleState === "UPDATING");
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
    const details = validateCreate(body);
    const vnicRequests = details.vnics.map((v, i) => VnicsApi.readRequest(v, `vnics[${i}]`) as VnicRequest);
    // Addresses are checked before anything is made, so a clash leaves nothing behind.
    this.vnics.checkAvailable(vnicRequests);
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
      return this.store.newResource(call.principal.tenant, wire);
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
      vnics: [],
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
    wire.vnics = vnicRequests.map((r) => ({ vnicId: this.vnics.create(call.principal.tenant, r, wire).id }));
    const ci = this.store.newResource(call.principal.tenant, wire);
    this.#instances[id] = ci;
    for (const c of containers) this.#containers[c.id] = c;
    const wr = this.#workRequests.create(
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

  /**
   * ListContainerInstances and ListContainers filter alike: by tenant and the required compartment, then
   * by each query parameter present among `filters` (query names equal the wire field names).
   */
  #listed(
    call: OciCall,
    table: Record<string, StoredResource>,
    filters: readonly string[],
  ): StoredResource[] {
    const q = call.request.query;
    const compartmentId = requiredQuery(q, "compartmentId");
    queryEnum(q, "lifecycleState", instanceStates);
    const wanted = filters.flatMap((name) => {
      const value = q.get(name);
      return value === null ? [] : [[name, value] as const];
    });
    const items = Object.values(table).filter(
      (r) =>
        r.tenant === call.principal.tenant &&
        r.wire.compartmentId === compartmentId &&
        wanted.every(([name, value]) => r.wire[name] === value),
    );
    // "Default order for timeCreated is descending. Default order for displayName is ascending. If you
    // don't specify a value, timeCreated is the default." (oci-containerinstances
    // request/list-container-instances-request.d.ts, list-containers-request.d.ts)
    return sortItems(items, q, instanceSortKeys, "timeCreated", { timeCreated: "DESC", displayName: "ASC" });
  }

  private listInstances(call: OciCall): EmulatorResponse {
    const sorted = this.#listed(call, this.#instances, [
      "lifecycleState",
      "displayName",
      "availabilityDomain",
    ]);
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
    return pagedResponse(call, sorted, listBounds, (ci) => summary(ci.wire), "items");
  }

  private update(call: OciCall): EmulatorResponse {
    const ci = this.#instanceOf(call);
    const body = jsonBody(call.request);
    const patch = readUpdatePatch(body, "UpdateContainerInstanceDetails");
    this.store.checkIfMatch(call, ci);
    this.#requireState(ci, ["ACTIVE", "INACTIVE"], "update");
    return this.#startAction(call, ci, "UPDATE_CONTAINER_INSTANCE", "UPDATING", { patch });
  }

  private changeCompartment(call: OciCall): EmulatorResponse {
    const ci = this.#instanceOf(call);
    const body = jsonBody(call.request);
    onlyFields(body, ["compartmentId"], "ChangeContainerInstanceCompartmentDetails");
    const compartmentId = readCompartmentId(body);
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
    const ci = this.#instanceOf(call);
    if (call.request.body.length > 0 && call.request.method !== "DELETE") {
      throw OciErrors.invalidParameter(`${operationType.toLowerCase()} takes no request body`);
    }
    this.store.checkIfMatch(call, ci);
    // "Starts a container instance if it is inactive. No effect otherwise." and "Stops a container
    // instance if it is active. No effect otherwise." (oci-containerinstances lib/client.d.ts): an
    // instance already there gets a work request that changes nothing, not a 409.
    const target = noEffectStates[operationType];
    if (target !== undefined && ci.wire.lifecycleState === target) {
      const wr = this.#workRequests.create(
        call,
        operationType,
        String(ci.wire.compartmentId),
        { entityType: "containerInstance", identifier: ci.id, uri: `/20210415/containerInstances/${ci.id}` },
        { instanceId: ci.id, noEffect: true },
      );
      return ociResponse(call, 202, undefined, { "opc-work-request-id": wr.id });
    }
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
    const wr = this.#workRequests.create(
      call,
      operationType,
      String(ci.wire.compartmentId),
      { entityType: "containerInstance", identifier: ci.id, uri: `/20210415/containerInstances/${ci.id}` },
      { ...effect, instanceId: ci.id, previousState: previousState === "FAILED" ? "FAILED" : previousState },
    );
    setLifecycleState(this.store, ci, during, this.store.now());
    if (operationType === "DELETE_CONTAINER_INSTANCE") {
      for (const c of containersOf(this.store, ci.id))
        setLifecycleState(this.store, c, "DELETING", this.store.now());
    }
    return ociResponse(call, 202, undefined, { "opc-work-request-id": wr.id });
  }

  // ---- containers ---------------------------------------------------------------------------------

  private listContainers(call: OciCall): EmulatorResponse {
    const sorted = this.#listed(call, this.#containers, [
      "containerInstanceId",
      "lifecycleState",
      "displayName",
      "availabilityDomain",
    ]);
    return pagedResponse(call, sorted, listBounds, (c) => c.wire, "items");
  }

  private updateContainer(call: OciCall): EmulatorResponse {
    const container = this.#containerOf(call);
    const body = jsonBody(call.request);
    const patch = readUpdatePatch(body, "UpdateContainerDetails");
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
    const wr = this.#workRequests.create(
      call,
      "UPDATE_CONTAINER",
      String(container.wire.compartmentId),
      { entityType: "container", identifier: container.id, uri: `/20210415/containers/${container.id}` },
      { containerId: container.id, instanceId, patch, previousContainerState: state },
    );
    setLifecycleState(this.store, container, "UPDATING", this.store.now());
    return ociResponse(call, 202, undefined, { "opc-work-request-id": wr.id });
  }

  /**
   * RetrieveLogs: the emulated container's log is a few deterministic lines naming its image and state
   * (`isPrevious=true` gives the log of the previous run, empty unless it was restarted).
   */
  private retrieveLogs(call: OciCall): EmulatorResponse {
    const c = this.#containerOf(call);
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
    requiredQuery(call.request.query, "compartmentId");
    return pagedResponse(call, containerInstanceShapes, listBounds, shapeView, "items");
  }
}
