import { ConfigurationError } from "../core/errors";

/** Which cloud a FunctionGraph region belongs to. */
export type FunctionGraphCloud = "otc" | "huaweicloud";

/** What fnstack knows about one region. */
export interface FunctionGraphRegionInfo {
  readonly region: string;
  readonly cloud: FunctionGraphCloud;
  /** FunctionGraph base URL (no version path), or undefined where the cloud publishes no FunctionGraph. */
  readonly functionGraph?: string;
  /** The region's IAM v3 endpoint (includes `/v3`). */
  readonly iam: string;
}

/** The IAM endpoint Huawei Cloud regions use unless `authUrl` says otherwise (NODE-CORE default). */
export const huaweiCloudIamEndpoint = "https://iam.myhuaweicloud.com/v3";

// Huawei Cloud regions with a FunctionGraph endpoint (NODE-FG FunctionGraphRegion.js; reference §1).
const huaweiCloudRegions = [
  "cn-north-4",
  "cn-north-1",
  "cn-east-2",
  "cn-east-3",
  "cn-south-1",
  "cn-southwest-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "af-south-1",
  "sa-brazil-1",
  "la-south-2",
  "la-north-2",
  "na-mexico-1",
  "eu-west-101",
  "tr-west-1",
] as const;

const regionTable: ReadonlyMap<string, FunctionGraphRegionInfo> = new Map<string, FunctionGraphRegionInfo>([
  // OTC publishes FunctionGraph only for eu-de (OTC-EP); eu-nl and eu-ch2 have IAM but no FunctionGraph row.
  [
    "eu-de",
    {
      region: "eu-de",
      cloud: "otc",
      functionGraph: "https://functiongraph.eu-de.otc.t-systems.com",
      iam: "https://iam.eu-de.otc.t-systems.com/v3",
    },
  ],
  ["eu-nl", { region: "eu-nl", cloud: "otc", iam: "https://iam.eu-nl.otc.t-systems.com/v3" }],
  ["eu-ch2", { region: "eu-ch2", cloud: "otc", iam: "https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3" }],
  ...huaweiCloudRegions.map((region): [string, FunctionGraphRegionInfo] => [
    region,
    {
      region,
      cloud: "huaweicloud",
      functionGraph: `https://functiongraph.${region}.myhuaweicloud.com`,
      iam: huaweiCloudIamEndpoint,
    },
  ]),
]);

/** Every region fnstack knows (Open Telekom Cloud first), for messages and documentation. */
export const knownFunctionGraphRegions: readonly string[] = Object.freeze([...regionTable.keys()]);

/** The table entry of `region`, or undefined when fnstack does not know it. */
export function lookupFunctionGraphRegion(region: string): FunctionGraphRegionInfo | undefined {
  return regionTable.get(region);
}

/**
 * The FunctionGraph base URL (scheme and host, no `/v2/<project>` path) for a region, or the override.
 *
 * @param region - region name, e.g. `eu-de`, `ap-southeast-1`.
 * @param override - `fnstack:functiongraphEndpoint` / `FNSTACK_FUNCTIONGRAPH_ENDPOINT`, already parsed;
 *   when given it is returned as is and the region is not checked.
 * @param source - where the region came from, for messages (`env OS_REGION_NAME`).
 * @throws ConfigurationError for an unknown region, or a region where the cloud offers no FunctionGraph.
 */
export function functionGraphEndpoint(region: string, override?: URL, source?: string): URL {
  if (override !== undefined) return new URL(override.href);
  const info = regionTable.get(region);
  const from = source === undefined ? "" : ` (from ${source})`;
  if (info === undefined) {
    throw new ConfigurationError(
      `Unknown FunctionGraph region "${region}"${from}: known regions are ${knownFunctionGraphRegions.join(", ")}. ` +
        "For another region or a private endpoint set fnstack:functiongraphEndpoint " +
        "(or FNSTACK_FUNCTIONGRAPH_ENDPOINT).",
      { code: "UnknownRegion" },
    );
  }
  if (info.functionGraph === undefined) {
    throw new ConfigurationError(
      `FunctionGraph is not offered in region "${region}"${from}: Open Telekom Cloud publishes a FunctionGraph ` +
        "endpoint only for eu-de. If you have one, set fnstack:functiongraphEndpoint " +
        "(or FNSTACK_FUNCTIONGRAPH_ENDPOINT).",
      { code: "UnsupportedRegion" },
    );
  }
  return new URL(info.functionGraph);
}

/**
 * The IAM v3 endpoint (with `/v3`) of a known region; undefined for an unknown one.
 */
export function iamEndpoint(region: string): URL | undefined {
  const info = regionTable.get(region);
  return info === undefined ? undefined : new URL(info.iam);
}

/**
 * Parses an endpoint URL given by the user (endpoint override, `authUrl`). Only `http:` and `https:`
 * without credentials, query or fragment are accepted; a trailing `/` is dropped.
 *
 * @param value - the text as configured.
 * @param source - where it came from, for the message (`stack config fnstack:functiongraphEndpoint`).
 * @throws ConfigurationError naming `source` and the rule broken.
 */
export function parseEndpointUrl(value: string, source: string): URL {
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigurationError(
      `${source} is not a valid URL: expected an absolute http(s) URL such as https://functiongraph.eu-de.otc.t-systems.com`,
      { code: "InvalidEndpoint" },
    );
  }
  const problem =
    url.protocol !== "https:" && url.protocol !== "http:"
      ? `uses the scheme "${url.protocol}"; only http: and https: are allowed`
      : url.username !== "" || url.password !== ""
        ? "contains user credentials; put credentials in their own settings"
        : url.search !== "" || url.hash !== ""
          ? "has a query or fragment; give only scheme, host, port and path"
          : url.hostname === ""
            ? "has no host"
            : undefined;
  if (problem !== undefined) {
    // The URL itself is not quoted: a URL with user info would carry a password.
    throw new ConfigurationError(`${source} ${problem}.`, { code: "InvalidEndpoint" });
  }
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}

/**
 * Parses an IAM `authUrl` (`https://iam.eu-de.otc.t-systems.com/v3`). openstack configurations often
 * give it with `:443` or without the version; a missing path becomes `/v3`.
 *
 * @throws ConfigurationError naming `source` when it is not an http(s) URL.
 */
export function parseAuthUrl(value: string, source: string): URL {
  const url = parseEndpointUrl(value, source);
  if (url.pathname === "" || url.pathname === "/") url.pathname = "/v3";
  return url;
}
