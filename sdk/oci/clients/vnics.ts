/**
 * The Core Networking VNIC API (`/20160918/vnics`, host `iaas.<region>.<domain>`, the same host and
 * version path as the Work Requests API, so a `workRequests` context serves it): GetVnic and UpdateVnic
 * of the official SDK's `VirtualNetworkClient` (oci-core `lib/client.js`).
 */
import type { UpdateVnicDetails, Vnic } from "../types/vnics";
import {
  call,
  callIfMatch,
  type CallOptions,
  type ClientContext,
  type IfMatchOptions,
  type OciResult,
  resourceAt,
} from "./common";

/** Reads a VNIC; the answer carries its `etag`. */
export function getVnic(
  ctx: ClientContext,
  vnicId: string,
  options: CallOptions = {},
): Promise<OciResult<Vnic>> {
  return call<Vnic>(
    ctx,
    { operation: "GetVnic", method: "GET", ...resourceAt("vnics", "VNIC", vnicId) },
    options,
  );
}

/**
 * Updates a VNIC's display name, hostname label, network security groups, source/destination check
 * and tags in place; answers the VNIC as updated.
 */
export function updateVnic(
  ctx: ClientContext,
  vnicId: string,
  details: UpdateVnicDetails,
  options: IfMatchOptions = {},
): Promise<OciResult<Vnic>> {
  return callIfMatch<Vnic>(
    ctx,
    { operation: "UpdateVnic", method: "PUT", ...resourceAt("vnics", "VNIC", vnicId), body: details },
    options,
  );
}
