/**
 * The OCI side of per-resource connections (see ../connection.ts): a resource's `connection` names an
 * OCI config-file profile (the account) and a region; its record in state is the region, the tenancy
 * OCID the profile resolved to, and the profile name. No secret is ever part of either.
 */
import type { ConfigLookup } from "../../sdk/core/config-lookup";
import { ConfigurationError } from "../../sdk/core/errors";
import type * as credentialsTypes from "../../sdk/oci/auth/credentials";
import { lookupOciRegion } from "../../sdk/oci/endpoints";
import { type ConnectionSpec, connectionOf } from "../connection";
import type { CallScope, Props } from "../handler";
import { stackConfig } from "../stack-config";

/**
 * Where an OCI resource lives, when not where the stack configuration says (`oci:region`,
 * `oci:configFileProfile`). A plain, non-secret object: define it once and pass it to every resource of
 * that region or account.
 *
 * ```ts
 * const phoenix: oci.ConnectionArgs = { region: "us-phoenix-1", profile: "shared-services" };
 * new oci.Application("app-phx", { ...appArgs, connection: phoenix });
 * ```
 */
export interface OciConnectionArgs {
  /**
   * Region id or short code (`us-phoenix-1`, `phx`). Default: the profile's `region`, then the stack's
   * (`oci:region`, `OCI_REGION`). A change replaces the resource.
   */
  region?: string;
  /**
   * Profile of the OCI config file (`OCI_CONFIG_FILE`, default `~/.oci/config`) whose account this
   * resource uses; its keys are read from the file (again when it changes), never stored in state.
   * Default: the stack's account. Renaming the profile is no change; pointing it at another tenancy
   * replaces the resource.
   */
  profile?: string;
}

/** Where an OCI resource was created, as recorded in its `connection` output. */
export interface OciConnectionRecord {
  /** Region id the resource lives in. */
  readonly region: string;
  /** Tenancy OCID of the account that created it. */
  readonly tenancyOcid: string;
  /** The config-file profile named by the resource's `connection`, if any. */
  readonly profile?: string;
}

/** What a call on one resource runs with. */
interface OciCallSettings {
  readonly region?: string;
  readonly profile?: string;
  /** The tenancy the resource lives in: credentials resolving to another one are refused. */
  readonly tenancyOcid?: string;
}

const allowedKeys = ["region", "profile"] as const;
const regionPattern = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/i;
// A profile is written `[name]` on one line of the config file.
const profilePattern = /^[^[\]\r\n]+$/;

function credentialsModule(): typeof credentialsTypes {
  return require("../../sdk/oci/auth/credentials") as typeof credentialsTypes;
}

/** The region of an OCID whose region segment names a known region (`iad`, `us-ashburn-1`). */
export function regionOfOcid(ocid: unknown): string | undefined {
  if (typeof ocid !== "string") return undefined;
  const segment = /^ocid1\.[a-z0-9]+\.[a-z0-9-]+\.([a-z0-9-]+)\./i.exec(ocid)?.[1];
  return segment === undefined ? undefined : lookupOciRegion(segment)?.regionId;
}

async function resolveRecord(settings: OciCallSettings): Promise<OciConnectionRecord> {
  // Names and identifiers only: the key is read when a request is signed, not to learn where it goes.
  const credentials = await credentialsModule().resolveOciLocation({
    config: stackConfig(),
    connection: { region: settings.region, profile: settings.profile },
  });
  return {
    region: credentials.region,
    tenancyOcid: credentials.tenancyOcid,
    ...(settings.profile === undefined ? {} : { profile: settings.profile }),
  };
}

function asRecord(value: unknown): OciConnectionRecord | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { region, tenancyOcid, profile } = value as Props;
  if (typeof region !== "string" || typeof tenancyOcid !== "string") return undefined;
  return { region, tenancyOcid, ...(typeof profile === "string" ? { profile } : {}) };
}

/** The OCI {@link ConnectionSpec}. */
export const ociConnectionSpec: ConnectionSpec = {
  check(value) {
    const failures: { property: string; reason: string }[] = [];
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return [{ property: "connection", reason: "must be an object {region?, profile?}" }];
    }
    for (const [key, v] of Object.entries(value as Props)) {
      const property = `connection.${key}`;
      if (!(allowedKeys as readonly string[]).includes(key)) {
        failures.push({ property, reason: `is not a connection setting (known: ${allowedKeys.join(", ")})` });
      } else if (v === undefined || v === null) {
        continue;
      } else if (typeof v !== "string" || v.trim() === "") {
        failures.push({ property, reason: "must be a non-empty string" });
      } else if (key === "region" && !regionPattern.test(v.trim())) {
        failures.push({ property, reason: "must be a region id or short code such as us-phoenix-1 or phx" });
      } else if (key === "profile" && !profilePattern.test(v)) {
        failures.push({ property, reason: "must be a profile name without brackets or line breaks" });
      }
    }
    return failures;
  },

  normalize(value) {
    const out: Props = {};
    for (const key of allowedKeys) {
      const v = (value as Props)[key];
      if (typeof v === "string" && v.trim() !== "") out[key] = v.trim();
    }
    return Object.keys(out).length === 0 ? undefined : out;
  },

  async resolve(input) {
    const given = (input ?? {}) as OciConnectionArgs;
    return { ...(await resolveRecord({ region: given.region, profile: given.profile })) };
  },

  recorded(outs) {
    const record = asRecord(outs.connection);
    return record === undefined ? undefined : { ...record };
  },

  async fallback(id, outs) {
    // OCIDs carry their region: state from before connections still finds the right one.
    const region = regionOfOcid(id) ?? regionOfOcid(outs.id);
    return { ...(await resolveRecord({ region })) };
  },

  sameLocation(a, b) {
    const x = asRecord(a);
    const y = asRecord(b);
    return x !== undefined && y !== undefined && x.region === y.region && x.tenancyOcid === y.tenancyOcid;
  },

  settings(record): OciCallSettings {
    const r = asRecord(record);
    return r === undefined ? {} : { region: r.region, profile: r.profile, tenancyOcid: r.tenancyOcid };
  },
};

/**
 * OCI credentials for a handler call: the stack configuration, overridden by the resource's connection
 * (`call`: region, profile). When the resource is recorded in a tenancy and the
 * credentials now resolve to another (the stack's default account changed), the call is refused rather
 * than sent to an account that cannot see the resource.
 *
 * @throws ConfigurationError naming both tenancies and what to set.
 */
export async function resolveCallCredentials(
  config: ConfigLookup,
  call: CallScope | undefined,
): Promise<credentialsTypes.OciCredentials> {
  const settings = (connectionOf(call) ?? {}) as OciCallSettings;
  const credentials = await credentialsModule().resolveOciCredentials({
    config,
    connection: { region: settings.region, profile: settings.profile },
  });
  if (settings.tenancyOcid !== undefined && credentials.tenancyOcid !== settings.tenancyOcid) {
    const by =
      settings.profile === undefined ? "the stack's default account" : `profile [${settings.profile}]`;
    throw new ConfigurationError(
      `This resource lives in tenancy ${settings.tenancyOcid}, but ${by} now resolves to tenancy ` +
        `${credentials.tenancyOcid}. Set the resource's connection.profile to a profile of its tenancy.`,
      { code: "WrongAccount" },
    );
  }
  return credentials;
}
