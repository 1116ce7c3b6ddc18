/** OCID resource types the emulator hands out. */
export type OcidType =
  | "fnapp"
  | "fnfunc"
  | "computecontainerinstance"
  | "computecontainer"
  | "computecontainerinstanceworkrequest"
  | "vnic"
  | "tenancy"
  | "user"
  | "compartment"
  | "subnet";

const globalTypes: ReadonlySet<OcidType> = new Set(["tenancy", "user", "compartment"]);

/**
 * Builds an OCID `ocid1.<type>.oc1.<region>.<unique>` (regional) or `ocid1.<type>.oc1..<unique>`
 * (tenancy, user, compartment), the formats OCI documents.
 */
export function makeOcid(type: OcidType, region: string, uniqueHex: string): string {
  const unique = `aaaaaaaa${uniqueHex}`.toLowerCase();
  return globalTypes.has(type) ? `ocid1.${type}.oc1..${unique}` : `ocid1.${type}.oc1.${region}.${unique}`;
}

const ocidPattern = /^ocid1\.([a-z0-9]+)\.([a-z0-9-]+)\.([a-z0-9-]*)\.([a-z0-9._-]+)$/;

/** The resource type of a well-formed OCID, else undefined. */
export function ocidType(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 255) return undefined;
  return ocidPattern.exec(value)?.[1];
}

/** True when `value` is a well-formed compartment (or root compartment = tenancy) OCID. */
export function isCompartmentId(value: unknown): value is string {
  const type = ocidType(value);
  return type === "compartment" || type === "tenancy";
}
