import type { EmulatorResponse } from "../service";
import { type Json, jsonBody, onlyFields, read } from "./body";
import { OciErrors } from "./errors";
import { type OciCall, type OciStore, type StoredResource, ociResponse } from "./store";

/**
 * The address range of every emulated subnet. The emulator holds no VCNs: any subnet OCID is a /24 of
 * its own, from which private IPs are handed out in order. `.0`, `.1` (the default gateway) and `.255`
 * (broadcast) are never given, as in a real VCN subnet (OCI: "the first two IP addresses and the last
 * IP address in each subnet's CIDR are reserved").
 */
export const emulatedSubnetPrefix = "10.0.0.";
const firstHost = 2;
const lastHost = 254;

/** A VNIC that still holds its address and label (not TERMINATED). */
function holdsAddress(v: StoredResource): boolean {
  return v.wire.lifecycleState !== "TERMINATED";
}

/** What CreateContainerVnicDetails asks of one VNIC (oci-api.md §2.3). */
export interface VnicRequest {
  readonly subnetId: string;
  readonly displayName?: string;
  readonly hostnameLabel?: string;
  readonly privateIp?: string;
  readonly isPublicIpAssigned?: boolean;
  readonly skipSourceDestCheck?: boolean;
  readonly nsgIds?: string[];
  readonly freeformTags?: Record<string, string>;
  readonly definedTags?: Record<string, Json>;
}

/** The DNS label rule of a hostname label (RFC 952/1123, at most 63 characters). */
const hostnameLabelPattern = /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/;

/**
 * Core Networking VNICs (`/20160918/vnics`): the VNICs container instances get, with private IPs
 * allocated from the subnet, and GetVnic / UpdateVnic (oci-core `VirtualNetworkClient`; fields as
 * oci-core 2.139.1 `model/vnic.d.ts` and `model/update-vnic-details.d.ts`). Rules, from oci-core's models:
 * a pinned private IP "must be an available IP address within the subnet's CIDR" and otherwise "Oracle
 * automatically assigns a private IP address from the subnet" (`CreateVnicDetails.privateIp`); a hostname
 * label "must be unique across all VNICs in the subnet" (`UpdateVnicDetails.hostnameLabel`); `nsgIds: []`
 * "removes the VNIC from all network security groups". A clash is 409 `Conflict` (the code is the
 * emulator's choice: the models name no error).
 */
export class VnicsApi {
  /** The operations by SDK name. */
  readonly operations: Readonly<Record<string, (call: OciCall) => EmulatorResponse>>;

  constructor(private readonly store: OciStore) {
    this.operations = {
      GetVnic: (call) => {
        const vnic = this.#vnicOf(call);
        return ociResponse(call, 200, vnic.wire, { etag: vnic.etag });
      },
      UpdateVnic: (call) => this.update(call),
    };
  }

  get #vnics(): Record<string, StoredResource> {
    return this.store.state.vnics;
  }

  #vnicOf(call: OciCall): StoredResource {
    const vnic = this.store.find(this.#vnics, call.params.vnicId ?? "", call.principal, "vnic");
    if (vnic.wire.lifecycleState === "TERMINATED") throw OciErrors.notFound(`vnic ${vnic.id}`);
    return vnic;
  }

  #inSubnet(subnetId: string, except?: string): StoredResource[] {
    return Object.values(this.#vnics).filter(
      (v) => v.wire.subnetId === subnetId && holdsAddress(v) && v.id !== except,
    );
  }

  /** Reads and checks CreateContainerVnicDetails' address fields; throws the 400 a bad value gets. */
  static readRequest(v: Json, path: string): VnicRequest {
    const hostnameLabel = read.string(v, "hostnameLabel", {
      pattern: hostnameLabelPattern,
      path: `${path}.hostnameLabel`,
    });
    const privateIp = read.string(v, "privateIp", { path: `${path}.privateIp` });
    if (privateIp !== undefined) hostOf(privateIp, `${path}.privateIp`);
    read.boolean(v, "skipSourceDestCheck", { path: `${path}.skipSourceDestCheck` });
    return { ...(v as unknown as VnicRequest), hostnameLabel, privateIp };
  }

  /**
   * Checks that the VNICs `requests` ask for can be made (a pinned IP free and a hostname label unused
   * in the subnet, a free address left) before anything is created; throws 409 `Conflict` otherwise.
   */
  checkAvailable(requests: readonly VnicRequest[]): void {
    requests.forEach((r, i) => {
      const taken = this.#inSubnet(r.subnetId);
      if (r.privateIp !== undefined) {
        const clash = taken.find((v) => v.wire.privateIp === r.privateIp);
        if (clash !== undefined)
          throw OciErrors.conflict(
            `vnics[${i}].privateIp ${r.privateIp} is already in use in subnet ${r.subnetId} by VNIC ${clash.id}`,
          );
      }
      if (r.hostnameLabel !== undefined) {
        const clash = taken.find(
          (v) => String(v.wire.hostnameLabel ?? "").toLowerCase() === r.hostnameLabel?.toLowerCase(),
        );
        if (clash !== undefined)
          throw OciErrors.conflict(
            `vnics[${i}].hostnameLabel '${r.hostnameLabel}' is already in use in subnet ${r.subnetId} by VNIC ${clash.id}`,
          );
      }
      if (r.privateIp === undefined && taken.length >= lastHost - firstHost + 1)
        throw OciErrors.conflict(`subnet ${r.subnetId} has no free private IP address`);
    });
  }

  /** Creates the VNIC of a container instance (PROVISIONING until its create work request ends). */
  create(tenant: string, request: VnicRequest, instance: Json): StoredResource {
    const id = this.store.newOcid("vnic");
    const used = new Set(this.#inSubnet(request.subnetId).map((v) => String(v.wire.privateIp)));
    let privateIp = request.privateIp;
    for (let host = firstHost; privateIp === undefined && host <= lastHost; host++) {
      if (!used.has(`${emulatedSubnetPrefix}${host}`)) privateIp = `${emulatedSubnetPrefix}${host}`;
    }
    const seq = this.store.nextSeq();
    const wire: Json = {
      id,
      availabilityDomain: instance.availabilityDomain,
      compartmentId: instance.compartmentId,
      displayName: request.displayName ?? String(instance.displayName),
      ...(request.hostnameLabel === undefined ? {} : { hostnameLabel: request.hostnameLabel }),
      isPrimary: true,
      lifecycleState: "PROVISIONING",
      macAddress: `02:00:17:00:${((seq >> 8) & 0xff).toString(16).padStart(2, "0")}:${(seq & 0xff).toString(16).padStart(2, "0")}`,
      nsgIds: request.nsgIds ?? [],
      privateIp,
      ...(request.isPublicIpAssigned === true ? { publicIp: `192.0.2.${(seq % 254) + 1}` } : {}),
      skipSourceDestCheck: request.skipSourceDestCheck ?? false,
      subnetId: request.subnetId,
      timeCreated: this.store.iso(),
      freeformTags: request.freeformTags ?? {},
      definedTags: request.definedTags ?? {},
    };
    const vnic = this.store.newResource(tenant, wire);
    this.#vnics[id] = vnic;
    return vnic;
  }

  private update(call: OciCall): EmulatorResponse {
    const vnic = this.#vnicOf(call);
    const body = jsonBody(call.request);
    onlyFields(
      body,
      [
        "displayName",
        "hostnameLabel",
        "nsgIds",
        "skipSourceDestCheck",
        "freeformTags",
        "definedTags",
        "routeTableId",
        "securityAttributes",
      ],
      "UpdateVnicDetails",
    );
    this.store.checkIfMatch(call, vnic);
    if (vnic.wire.lifecycleState !== "AVAILABLE")
      throw OciErrors.incorrectState(
        `Cannot update ${vnic.id} while it is ${String(vnic.wire.lifecycleState)}`,
      );
    const patch: Json = {};
    const displayName = read.string(body, "displayName", { max: 255 });
    if (displayName !== undefined) patch.displayName = displayName;
    const hostnameLabel = read.string(body, "hostnameLabel", { pattern: hostnameLabelPattern });
    if (hostnameLabel !== undefined) {
      const clash = this.#inSubnet(String(vnic.wire.subnetId), vnic.id).find(
        (v) => String(v.wire.hostnameLabel ?? "").toLowerCase() === hostnameLabel.toLowerCase(),
      );
      if (clash !== undefined)
        throw OciErrors.conflict(
          `hostnameLabel '${hostnameLabel}' is already in use in subnet ${String(vnic.wire.subnetId)} by VNIC ${clash.id}`,
        );
      patch.hostnameLabel = hostnameLabel;
    }
    const nsgIds = read.stringArray(body, "nsgIds", { path: "nsgIds" });
    if (nsgIds !== undefined) {
      if (nsgIds.length > 5)
        throw OciErrors.invalidParameter("nsgIds allows at most 5 network security groups");
      patch.nsgIds = nsgIds;
    }
    const skip = read.boolean(body, "skipSourceDestCheck");
    if (skip !== undefined) patch.skipSourceDestCheck = skip;
    const freeform = read.freeformTags(body);
    if (freeform !== undefined) patch.freeformTags = freeform;
    const defined = read.nestedTags(body, "definedTags");
    if (defined !== undefined) patch.definedTags = defined;
    for (const key of ["routeTableId", "securityAttributes"])
      if (body[key] !== undefined) patch[key] = body[key];
    Object.assign(vnic.wire, patch);
    vnic.etag = this.store.newEtag();
    return ociResponse(call, 200, vnic.wire, { etag: vnic.etag });
  }
}

/** Moves a VNIC to `state`; TERMINATED frees its address and label. */
export function setVnicState(store: OciStore, vnicId: unknown, state: "AVAILABLE" | "TERMINATED"): void {
  const vnic = typeof vnicId === "string" ? store.state.vnics[vnicId] : undefined;
  if (vnic === undefined) return;
  vnic.wire.lifecycleState = state;
  vnic.etag = store.newEtag();
}

/** The host number of an address in the emulated subnet; 400 `InvalidParameter` for any other. */
function hostOf(ip: string, path: string): number {
  const match = /^10\.0\.0\.(\d{1,3})$/.exec(ip);
  const host = match === null ? NaN : Number(match[1]);
  if (!(host >= firstHost && host <= lastHost))
    throw OciErrors.invalidParameter(
      `${path} ${ip} is not an available address of the subnet's CIDR ${emulatedSubnetPrefix}0/24 (the first two and the last address are reserved)`,
    );
  return host;
}
