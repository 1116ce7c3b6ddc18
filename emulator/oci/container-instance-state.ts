import type { Json } from "./body";
import { type OciStore, type StoredResource, type StoredWorkRequest, settledEtag } from "./store";
import { setVnicState } from "./vnics";

/**
 * Moves a container instance or container to `state` at emulator time `at` (ms), merging `extra` into its
 * wire fields. `settledBy`: the work request whose completion makes this change (its etag is then
 * deterministic); without it the resource gets a fresh etag.
 */
export function setLifecycleState(
  store: OciStore,
  resource: StoredResource | undefined,
  state: string,
  at: number,
  extra: Json = {},
  settledBy?: string,
): void {
  if (resource === undefined) return;
  Object.assign(resource.wire, extra, { lifecycleState: state, timeUpdated: store.iso(at) });
  resource.etag = settledBy === undefined ? store.newEtag() : settledEtag(resource.id, settledBy, state);
}

/** The containers of a container instance. */
export function containersOf(store: OciStore, instanceId: string): StoredResource[] {
  return Object.values(store.state.containers).filter((c) => c.wire.containerInstanceId === instanceId);
}

/**
 * Applies a finished Container Instances work request: on success the state its operation leads to, on
 * failure the state before it (a failed create leaves the instance FAILED).
 */
export function applyWorkRequestEffect(store: OciStore, wr: StoredWorkRequest, at: number): void {
  const ok = wr.outcome === "SUCCEEDED";
  const e = wr.effect;
  const instance = store.state.containerInstances[String(e.instanceId)];
  const prev = String(e.previousState ?? "ACTIVE");
  const setAll = (state: string, extra: Json = {}): void => {
    setLifecycleState(store, instance, state, at, extra, wr.id);
    for (const c of containersOf(store, String(e.instanceId)))
      setLifecycleState(store, c, state, at, extra, wr.id);
  };
  const resourceAction = (action: string): void => {
    for (const r of wr.resources) r.actionType = ok ? action : "FAILED";
  };
  // The instance's VNICs: AVAILABLE once it is made, TERMINATED (address and label freed) once it is gone.
  const setVnics = (state: "AVAILABLE" | "TERMINATED"): void => {
    for (const v of (instance?.wire.vnics ?? []) as Json[]) setVnicState(store, v.vnicId, state);
  };
  if (e.noEffect === true) {
    // A start of a running (or stop of a stopped) instance: nothing changes.
    resourceAction("UPDATED");
    return;
  }
  switch (wr.operationType) {
    case "CREATE_CONTAINER_INSTANCE":
      resourceAction("CREATED");
      setVnics(ok ? "AVAILABLE" : "TERMINATED");
      if (ok) setAll("ACTIVE");
      else setAll("FAILED", { lifecycleDetails: wr.error?.message ?? "Creation failed" });
      return;
    case "DELETE_CONTAINER_INSTANCE":
      resourceAction("DELETED");
      if (ok) setVnics("TERMINATED");
      setAll(ok ? "DELETED" : prev);
      return;
    case "START_CONTAINER_INSTANCE":
    case "RESTART_CONTAINER_INSTANCE":
      resourceAction("UPDATED");
      if (ok) setAll("ACTIVE");
      else setLifecycleState(store, instance, prev, at, {}, wr.id);
      return;
    case "STOP_CONTAINER_INSTANCE":
      resourceAction("UPDATED");
      if (ok) setAll("INACTIVE");
      else setLifecycleState(store, instance, prev, at, {}, wr.id);
      return;
    case "UPDATE_CONTAINER_INSTANCE":
      resourceAction("UPDATED");
      setLifecycleState(store, instance, prev, at, ok ? (e.patch as Json) : {}, wr.id);
      return;
    case "MOVE_CONTAINER_INSTANCE":
      resourceAction("UPDATED");
      if (ok) {
        setAll(prev, { compartmentId: e.compartmentId });
        wr.compartmentId = String(e.compartmentId);
      } else {
        setLifecycleState(store, instance, prev, at, {}, wr.id);
      }
      return;
    case "UPDATE_CONTAINER": {
      resourceAction("UPDATED");
      const container = store.state.containers[String(e.containerId)];
      setLifecycleState(
        store,
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
