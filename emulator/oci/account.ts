import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type OciApiKey, keyFingerprint } from "./auth";
import { makeOcid } from "./ids";

/** The region the development account is configured for. */
export const developmentRegion = "us-ashburn-1";

/**
 * True for a well-formed OCI region identifier (`us-ashburn-1`, `me-dcc-muscat-1`): lowercase words and
 * a trailing number, the form of every id in oci-common's `lib/region.js` (oci-api.md §1).
 */
export function isOciRegionName(region: string): boolean {
  return /^[a-z]{2}(-[a-z]+)+-[0-9]+$/.test(region);
}

/** The OCI development account the emulator writes into its data dir and trusts. */
export interface OciDevelopmentAccount {
  /** `<data-dir>/oci/config`. */
  readonly configFile: string;
  /** `<data-dir>/oci/key.pem`. */
  readonly keyFile: string;
  readonly profile: "DEFAULT";
  readonly region: string;
  readonly tenancyOcid: string;
  readonly userOcid: string;
  readonly fingerprint: string;
  /** A compartment inside the tenancy for the resources of tests and examples. */
  readonly compartmentOcid: string;
  /** A subnet for applications and container instance VNICs. */
  readonly subnetOcid: string;
  /** The key to trust. */
  readonly apiKey: OciApiKey;
}

/**
 * Writes (or reuses) the development account under `<dataDir>/oci/`. An existing `key.pem` is reused so a
 * restarted emulator with the same data dir keeps accepting the same credentials; every OCID is derived
 * from the key, so it is stable too.
 */
export async function writeOciDevelopmentAccount(dataDir: string): Promise<OciDevelopmentAccount> {
  const dir = join(dataDir, "oci");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keyFile = join(dir, "key.pem");
  let pem: string;
  try {
    pem = await readFile(keyFile, "utf8");
    createPrivateKey(pem);
  } catch {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    await writeFile(keyFile, pem, { mode: 0o600 });
  }
  const publicKey = createPublicKey(createPrivateKey(pem));
  const fingerprint = keyFingerprint(publicKey);
  const seed = (label: string): string =>
    createHash("sha256").update(`${label}:${fingerprint}`).digest("hex").slice(0, 52);
  const tenancyOcid = makeOcid("tenancy", developmentRegion, seed("tenancy"));
  const userOcid = makeOcid("user", developmentRegion, seed("user"));
  const compartmentOcid = makeOcid("compartment", developmentRegion, seed("compartment"));
  const subnetOcid = makeOcid("subnet", developmentRegion, seed("subnet"));
  const configFile = join(dir, "config");
  const config = [
    "# fnstack emulator development account (trusted only by the emulator)",
    "[DEFAULT]",
    `user=${userOcid}`,
    `fingerprint=${fingerprint}`,
    `tenancy=${tenancyOcid}`,
    `region=${developmentRegion}`,
    `key_file=${keyFile}`,
    "",
  ].join("\n");
  await writeFile(configFile, config, { mode: 0o600 });
  return {
    configFile,
    keyFile,
    profile: "DEFAULT",
    region: developmentRegion,
    tenancyOcid,
    userOcid,
    fingerprint,
    compartmentOcid,
    subnetOcid,
    apiKey: { tenancy: tenancyOcid, user: userOcid, fingerprint, publicKey },
  };
}
