/**
 * Wire types of the Core Networking VNIC API (`/20160918/vnics`), as the official SDK models them
 * (oci-core `model/vnic.d.ts`, `model/update-vnic-details.d.ts`). A container instance answers only its
 * VNICs' ids (oci-api.md §2.3); everything else about them is read here.
 */

/** VNIC lifecycle states (oci-core `Vnic.LifecycleState`). */
export type VnicLifecycleState = "PROVISIONING" | "AVAILABLE" | "TERMINATING" | "TERMINATED";

/** A VNIC (oci-core `Vnic`). */
export interface Vnic {
  readonly id: string;
  readonly availabilityDomain: string;
  readonly compartmentId: string;
  readonly displayName?: string;
  /** The DNS label of the primary private IP; unique among the subnet's VNICs. */
  readonly hostnameLabel?: string;
  readonly isPrimary?: boolean;
  readonly lifecycleState: VnicLifecycleState;
  readonly macAddress?: string;
  /** Network security groups, at most 5. */
  readonly nsgIds?: string[];
  /** The primary private IPv4 address, from the subnet's CIDR. */
  readonly privateIp?: string;
  readonly publicIp?: string;
  readonly skipSourceDestCheck?: boolean;
  readonly subnetId?: string;
  readonly vlanId?: string;
  readonly timeCreated: string;
  readonly freeformTags?: Record<string, string>;
  readonly definedTags?: Record<string, Record<string, unknown>>;
}

/** UpdateVnic's body (oci-core `UpdateVnicDetails`); every field optional. */
export interface UpdateVnicDetails {
  displayName?: string;
  /** Must stay unique among the subnet's VNICs (409 otherwise). */
  hostnameLabel?: string;
  /** Replaces the whole list; `[]` removes every group. */
  nsgIds?: string[];
  skipSourceDestCheck?: boolean;
  freeformTags?: Record<string, string>;
  definedTags?: Record<string, Record<string, unknown>>;
}
