import type { EmulatorResponse } from "../service";
import type { ImageRegistry } from "./image-registry";
import type { OciStore, StoredResource } from "./store";

/** What the OCI control routes act on. */
export interface OciControlTarget {
  readonly store: OciStore;
  readonly images: ImageRegistry;
}

const lifecycleOperations = ["CreateApplication", "UpdateApplication", "CreateFunction", "UpdateFunction"];

function error(status: number, message: string): EmulatorResponse {
  return { status, body: { error: message } };
}

/**
 * The OCI part of the control API, under `/_emulator/oci/`:
 *
 * - `POST lifecycle-failures` `{operation, message?, times?}`: the next `times` (default 1) applications
 *   or functions made or updated by `operation` end FAILED with `message` as `lifecycleDetails`, instead
 *   of ACTIVE; `DELETE lifecycle-failures` drops the rules.
 * - `POST fail` `{resourceId, message?}`: an application, function or container instance becomes FAILED now.
 * - `GET images`: the registry's tags and digests; `POST images/push` `{image}`: pushes the tag again
 *   (a new digest), answering `{image, digest}`.
 *
 * Answers undefined for any other path.
 */
export function handleOciControl(
  target: OciControlTarget,
  method: string,
  path: string,
  body: Readonly<Record<string, unknown>>,
): EmulatorResponse | undefined {
  const { store, images } = target;
  switch (`${method} ${path.replace(/\/+$/, "")}`) {
    case "POST /_emulator/oci/lifecycle-failures": {
      const { operation, message, times } = body;
      if (typeof operation !== "string" || !lifecycleOperations.includes(operation))
        return error(400, `\`operation\` must be one of ${lifecycleOperations.join(", ")}`);
      if (message !== undefined && typeof message !== "string")
        return error(400, "`message` must be a string");
      if (times !== undefined && (typeof times !== "number" || !Number.isSafeInteger(times) || times < 1))
        return error(400, "`times` must be an integer ≥ 1");
      store.lifecycleFailures.push({
        operation,
        message: message ?? `${operation} failed`,
        remaining: times ?? 1,
      });
      return { status: 201, body: { operation, times: times ?? 1 } };
    }
    case "DELETE /_emulator/oci/lifecycle-failures":
      store.lifecycleFailures = [];
      return { status: 204 };
    case "POST /_emulator/oci/fail": {
      const { resourceId, message } = body;
      if (typeof resourceId !== "string") return error(400, "`resourceId` must be a string");
      const s = store.state;
      const resource: StoredResource | undefined =
        s.applications[resourceId] ?? s.functions[resourceId] ?? s.containerInstances[resourceId];
      if (resource === undefined) return error(404, `no OCI resource with id ${resourceId}`);
      resource.pending = undefined;
      Object.assign(resource.wire, {
        lifecycleState: "FAILED",
        lifecycleDetails: typeof message === "string" ? message : "failed (emulator control API)",
        timeUpdated: store.iso(),
      });
      resource.etag = store.newEtag();
      return { status: 200, body: { resourceId, lifecycleState: "FAILED" } };
    }
    case "GET /_emulator/oci/images":
      return { status: 200, body: { images: images.list() } };
    case "POST /_emulator/oci/images/push": {
      const { image } = body;
      if (typeof image !== "string" || image === "" || /[\s@]/.test(image))
        return error(400, "`image` must be an image reference with a tag, without a digest");
      return { status: 200, body: { image, digest: images.repush(image) } };
    }
    default:
      return undefined;
  }
}
