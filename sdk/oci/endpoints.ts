import { ConfigurationError } from "../core/errors";

/** The OCI services fnstack calls. */
export type OciService = "functions" | "containerInstances" | "workRequests";

interface ServiceEndpointRule {
  /** First DNS label of the service's host. */
  readonly hostPrefix: string;
  /** Whether the host carries the `.oci.` label before the realm's domain (Work Requests' `iaas` does not). */
  readonly ociLabel: boolean;
  /** API version path every operation lives under. */
  readonly versionPath: string;
}

/** Host templates and version paths of the SDK clients (reference oci-api.md §1). */
const services: Readonly<Record<OciService, ServiceEndpointRule>> = Object.freeze({
  functions: { hostPrefix: "functions", ociLabel: true, versionPath: "/20181201" },
  containerInstances: { hostPrefix: "compute-containers", ociLabel: true, versionPath: "/20210415" },
  workRequests: { hostPrefix: "iaas", ociLabel: false, versionPath: "/20160918" },
});

/** Realm → second-level domain. */
const realmDomains: Readonly<Record<string, string>> = Object.freeze({
  oc1: "oraclecloud.com",
  oc2: "oraclegovcloud.com",
  oc3: "oraclegovcloud.com",
  oc4: "oraclegovcloud.uk",
  oc8: "oraclecloud8.com",
  oc9: "oraclecloud9.com",
  oc10: "oraclecloud10.com",
  oc14: "oraclecloud14.com",
  oc15: "oraclecloud15.com",
  oc19: "oraclecloud.eu",
  oc20: "oraclecloud20.com",
  oc21: "oraclecloud21.com",
  oc23: "oraclecloud23.com",
  oc24: "oraclecloud24.com",
  oc26: "oraclecloud26.com",
  oc29: "oraclecloud29.com",
  oc35: "oraclecloud35.com",
  oc42: "oraclecloud42.com",
  oc51: "oraclecloud51.com",
  oc52: "oraclecloud52.com",
});

// Realm → "regionId:shortCode" pairs, as oci-common 2.142.1 hard-codes them (lib/region.js).
const regionsByRealm: Readonly<Record<string, string>> = {
  oc1:
    "ap-chuncheon-1:yny ap-mumbai-1:bom ap-hyderabad-1:hyd ap-seoul-1:icn ap-sydney-1:syd " +
    "ap-melbourne-1:mel ap-osaka-1:kix ap-tokyo-1:nrt ca-montreal-1:yul ca-toronto-1:yyz " +
    "eu-frankfurt-1:fra eu-zurich-1:zrh sa-saopaulo-1:gru uk-cardiff-1:cwl uk-london-1:lhr " +
    "us-ashburn-1:iad us-phoenix-1:phx eu-amsterdam-1:ams me-jeddah-1:jed us-sanjose-1:sjc " +
    "me-dubai-1:dxb sa-santiago-1:scl sa-vinhedo-1:vcp il-jerusalem-1:mtz eu-marseille-1:mrs " +
    "ap-singapore-1:sin me-abudhabi-1:auh eu-milan-1:lin eu-stockholm-1:arn af-johannesburg-1:jnb " +
    "eu-paris-1:cdg mx-queretaro-1:qro eu-madrid-1:mad us-chicago-1:ord mx-monterrey-1:mty " +
    "us-saltlake-2:aga sa-bogota-1:bog sa-valparaiso-1:vap ap-singapore-2:xsp me-riyadh-1:ruh " +
    "ap-delhi-1:onm ap-batam-1:hsg eu-madrid-3:orf eu-turin-1:nrq ap-kulai-2:jbp af-casablanca-1:lej",
  oc2: "us-langley-1:lfi us-luke-1:luf",
  oc3: "us-gov-ashburn-1:ric us-gov-chicago-1:pia us-gov-phoenix-1:tus",
  oc4: "uk-gov-london-1:ltn uk-gov-cardiff-1:brs",
  oc8: "ap-chiyoda-1:nja ap-ibaraki-1:ukb",
  oc9: "me-dcc-muscat-1:mct me-ibri-1:ibr",
  oc10: "ap-dcc-canberra-1:wga",
  oc14:
    "eu-dcc-milan-1:bgy eu-dcc-milan-2:mxp eu-dcc-dublin-2:snn eu-dcc-rating-2:dtm " +
    "eu-dcc-rating-1:dus eu-dcc-dublin-1:ork",
  oc15: "ap-dcc-gazipur-1:dac",
  oc19: "eu-madrid-2:vll eu-frankfurt-2:str",
  oc20: "eu-jovanovac-1:beg",
  oc21: "me-dcc-doha-1:doh me-alrayyan-1:vve",
  oc23: "us-somerset-1:ebb us-thames-1:ebl",
  oc24: "eu-dcc-zurich-1:avz eu-crissier-1:avf",
  oc26: "me-abudhabi-3:ahu me-alain-1:rba",
  oc29: "me-abudhabi-2:rkt me-abudhabi-4:shj",
  oc35: "ap-seoul-2:dtz ap-suwon-1:dln ap-chuncheon-2:bno",
  oc42: "us-ashburn-2:yxj us-newark-1:pgc",
  oc51: "eu-budapest-1:jsk",
  oc52: "sa-riodejaneiro-1:hnw",
};

/** A known OCI region. */
export interface OciRegionInfo {
  /** Region identifier, e.g. `us-ashburn-1`. */
  readonly regionId: string;
  /** Three-letter region key, e.g. `iad`. */
  readonly shortCode: string;
  /** Realm key, e.g. `oc1`. */
  readonly realm: string;
  /** The realm's second-level domain, e.g. `oraclecloud.com`. */
  readonly secondLevelDomain: string;
}

const regionTable: ReadonlyMap<string, OciRegionInfo> = buildRegionTable();

function buildRegionTable(): Map<string, OciRegionInfo> {
  const table = new Map<string, OciRegionInfo>();
  for (const [realm, pairs] of Object.entries(regionsByRealm)) {
    const secondLevelDomain = realmDomains[realm];
    if (secondLevelDomain === undefined) throw new Error(`realm ${realm} has no domain`);
    for (const pair of pairs.split(" ")) {
      const [regionId, shortCode] = pair.split(":") as [string, string];
      const info = Object.freeze({ regionId, shortCode, realm, secondLevelDomain });
      table.set(regionId, info);
      table.set(shortCode, info);
    }
  }
  return table;
}

/** Every region id fnstack knows, sorted. */
export function knownOciRegions(): string[] {
  return [...new Set([...regionTable.values()].map((r) => r.regionId))].sort();
}

/**
 * Looks a region up by id (`us-ashburn-1`) or short code (`iad`, any case). Undefined when unknown,
 * including for dotted region ids, which name their domain themselves.
 */
export function lookupOciRegion(region: string): OciRegionInfo | undefined {
  return regionTable.get(region.trim().toLowerCase());
}

/**
 * Normalises a region as written by a user (`IAD`, ` us-ashburn-1 `) to its region id; dotted region ids
 * (`us-example-1.oraclecloud.example`) are returned as given. Throws a {@link ConfigurationError} naming
 * `source` for an empty or unknown region.
 *
 * @param source where the value came from, for the message, e.g. `oci:region`.
 */
export function normalizeOciRegion(region: string, source = "region"): string {
  const trimmed = region.trim();
  if (trimmed === "")
    throw new ConfigurationError(`${source} is empty: set it to an OCI region such as us-ashburn-1.`);
  if (trimmed.includes(".")) {
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(trimmed)) {
      throw new ConfigurationError(
        `${source} "${trimmed}" is not a valid dotted region id: it must be DNS labels separated by dots.`,
      );
    }
    return trimmed.toLowerCase();
  }
  const info = lookupOciRegion(trimmed);
  if (info === undefined) {
    throw new ConfigurationError(
      `${source} "${trimmed}" is not a known OCI region or short code (e.g. us-ashburn-1 or iad). ` +
        `Use a known region, a dotted region id that names its domain, or set an explicit endpoint ` +
        `(fnstack:ociEndpoint or FNSTACK_OCI_ENDPOINT).`,
    );
  }
  return info.regionId;
}

/**
 * Parses and checks an endpoint override (`fnstack:ociEndpoint`, `FNSTACK_OCI_ENDPOINT`): an absolute
 * http or https URL without credentials, query or fragment. Throws a {@link ConfigurationError} naming
 * `source` and the rule broken.
 */
export function parseOciEndpointOverride(value: string, source: string): URL {
  const trimmed = value.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    // A value with '@' may carry a password: name the rule without echoing it.
    const shown = trimmed.includes("@") ? "" : ` "${trimmed}"`;
    throw new ConfigurationError(
      `${source}${shown} is not an absolute URL: it must look like https://host[:port][/path].`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigurationError(`${source} must use http or https, not ${url.protocol.replace(/:$/, "")}.`);
  }
  if (url.username !== "" || url.password !== "") {
    // Never echo the URL here: it holds credentials.
    throw new ConfigurationError(`${source} must not contain a user name or password.`);
  }
  if (url.search !== "" || url.hash !== "") {
    // Query strings may hold tokens, so only the origin and path are shown.
    throw new ConfigurationError(
      `${source} (${url.origin}${url.pathname}) must not have a query string or fragment.`,
    );
  }
  return url;
}

/**
 * The base URL of an OCI service, version path included, e.g.
 * `https://functions.us-ashburn-1.oci.oraclecloud.com/20181201`.
 *
 * - Known regions and short codes (`iad`) resolve through the realm table to the realm's domain.
 * - Dotted region ids (`<region>.<domain>`) give `https://<service host prefix>.<region id>`.
 * - `override` (the emulator, a private endpoint) replaces scheme, host and port for every service; its
 *   path, if any, becomes a prefix in front of the version path (`http://127.0.0.1:9000` →
 *   `http://127.0.0.1:9000/20181201`). With an override the region is not looked up at all.
 *
 * Throws a {@link ConfigurationError} for an unknown region without an override.
 */
export function ociEndpoint(service: OciService, region: string, override?: URL): URL {
  const rule = services[service];
  if (rule === undefined) throw new TypeError(`unknown OCI service: ${String(service)}`);
  if (override !== undefined) {
    const prefix = override.pathname.replace(/\/+$/, "");
    return new URL(`${override.origin}${prefix}${rule.versionPath}`);
  }
  const regionId = normalizeOciRegion(region);
  if (regionId.includes(".")) return new URL(`https://${rule.hostPrefix}.${regionId}${rule.versionPath}`);
  const info = lookupOciRegion(regionId) as OciRegionInfo;
  const oci = rule.ociLabel ? ".oci" : "";
  return new URL(
    `https://${rule.hostPrefix}.${info.regionId}${oci}.${info.secondLevelDomain}${rule.versionPath}`,
  );
}
