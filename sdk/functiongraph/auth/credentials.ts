import { homedir } from "node:os";
import { inspect } from "node:util";
import type { ConfigLookup } from "../../core/config-lookup";
import { ConfigurationError } from "../../core/errors";
import { functionGraphEndpoint, iamEndpoint, parseAuthUrl, parseEndpointUrl } from "../endpoints";
import { type CloudValueName, type LoadedCloud, cloudsYamlCandidates, loadCloud } from "./clouds-yaml";

/** Where credentials are looked for. Every field defaults to the real process's. */
export interface FunctionGraphAuthSources {
  /** Stack configuration (`opentelekomcloud:*`, `fnstack:functiongraphEndpoint`); default: none. */
  readonly config?: ConfigLookup;
  /** Environment variables; default `process.env`. Tests pass an explicit object. */
  readonly env?: NodeJS.ProcessEnv;
  /** Home directory for `~/.config/openstack`; default `os.homedir()`. */
  readonly homeDir?: string;
  /** Working directory for `./clouds.yaml` and relative paths; default `process.cwd()`. */
  readonly cwd?: string;
  /** System directory searched last; default `/etc/openstack`. */
  readonly systemDir?: string;
  /**
   * Where one resource lives, overriding the stack's default account for that resource only (an
   * explicit provider, in Terraform terms). Names only; see {@link FunctionGraphConnectionSettings}.
   */
  readonly connection?: FunctionGraphConnectionSettings;
}

/**
 * A per-resource connection: which `clouds.yaml` cloud entry's account, which region and which project.
 * Non-secret names only; the credentials are still read at call time.
 *
 * - `cloud`: the account is that entry of `clouds.yaml` (+ `secure.yaml`); the stack's credential keys
 *   and the `OS_*` credential variables belong to the stack's default account and are not used.
 * - `region`: the region; without `projectId`/`projectName` the project is then the region's own
 *   (named after the region), not the stack's.
 * - `projectId` or `projectName`: the project (id wins when both are given).
 */
export interface FunctionGraphConnectionSettings {
  readonly region?: string;
  readonly projectId?: string;
  readonly projectName?: string;
  readonly cloud?: string;
}

/** The placeholder an endpoint override may hold, replaced by each call's region. */
export const functionGraphEndpointRegionPlaceholder = "{region}";

/** How requests are authenticated: every request signed with an access key pair, or an IAM token. */
export type FunctionGraphAuthType = "aksk" | "password";

/**
 * Resolved FunctionGraph credentials. `toJSON()` and `util.inspect` redact the secret key, the security
 * token and the password, so logging the object is safe.
 */
export interface FunctionGraphCredentials {
  readonly authType: FunctionGraphAuthType;
  /** Region name, e.g. `eu-de`. */
  readonly region: string;
  /** Explicit project id; undefined = look it up by {@link FunctionGraphCredentials.projectName}. */
  readonly projectId?: string;
  /** Project to scope to or look up; defaults to the region name. */
  readonly projectName: string;
  readonly accessKey?: string;
  readonly secretKey?: string;
  readonly securityToken?: string;
  readonly userName?: string;
  readonly password?: string;
  readonly domainName?: string;
  readonly domainId?: string;
  /** IAM v3 endpoint (with `/v3`); undefined only when an override is set and the region is unknown. */
  readonly authUrl?: URL;
  /** `fnstack:functiongraphEndpoint` / `FNSTACK_FUNCTIONGRAPH_ENDPOINT`. */
  readonly endpointOverride?: URL;
  /** FunctionGraph base URL (no version path): the override, or the region's endpoint. */
  readonly functionGraphBase: URL;
  /** Where each value came from (`stack config opentelekomcloud:region`, `env OS_REGION_NAME`, ...). */
  readonly origins: Readonly<Record<string, string>>;
  /** Things the user should know, e.g. that AK/SK won over a password also configured. */
  readonly notes: readonly string[];
}

/** The stack configuration keys read (terraform-provider-opentelekomcloud's names). */
export const functionGraphConfigKeys = Object.freeze({
  accessKey: "opentelekomcloud:accessKey",
  secretKey: "opentelekomcloud:secretKey",
  securityToken: "opentelekomcloud:securityToken",
  region: "opentelekomcloud:region",
  projectId: "opentelekomcloud:projectId",
  projectName: "opentelekomcloud:projectName",
  authUrl: "opentelekomcloud:authUrl",
  userName: "opentelekomcloud:userName",
  password: "opentelekomcloud:password",
  domainName: "opentelekomcloud:domainName",
  domainId: "opentelekomcloud:domainId",
  cloud: "opentelekomcloud:cloud",
  endpoint: "fnstack:functiongraphEndpoint",
} as const);

/** The environment variables read for each value, in order. */
export const functionGraphEnvVars = Object.freeze({
  accessKey: ["OS_ACCESS_KEY"],
  secretKey: ["OS_SECRET_KEY"],
  securityToken: ["OS_SECURITY_TOKEN"],
  region: ["OS_REGION_NAME"],
  projectId: ["OS_PROJECT_ID", "OS_TENANT_ID"],
  projectName: ["OS_PROJECT_NAME", "OS_TENANT_NAME"],
  authUrl: ["OS_AUTH_URL"],
  userName: ["OS_USERNAME"],
  password: ["OS_PASSWORD"],
  domainName: ["OS_DOMAIN_NAME", "OS_USER_DOMAIN_NAME"],
  domainId: ["OS_DOMAIN_ID", "OS_USER_DOMAIN_ID"],
  cloud: ["OS_CLOUD"],
  endpoint: ["FNSTACK_FUNCTIONGRAPH_ENDPOINT"],
} as const);

type ValueName = CloudValueName;

const secretNames: ReadonlySet<string> = new Set(["secretKey", "securityToken", "password"]);
const redacted = "[redacted]";

class ResolvedFunctionGraphCredentials implements FunctionGraphCredentials {
  declare readonly authType: FunctionGraphAuthType;
  declare readonly region: string;
  declare readonly projectId?: string;
  declare readonly projectName: string;
  declare readonly accessKey?: string;
  declare readonly secretKey?: string;
  declare readonly securityToken?: string;
  declare readonly userName?: string;
  declare readonly password?: string;
  declare readonly domainName?: string;
  declare readonly domainId?: string;
  declare readonly authUrl?: URL;
  declare readonly endpointOverride?: URL;
  declare readonly functionGraphBase: URL;
  declare readonly origins: Readonly<Record<string, string>>;
  declare readonly notes: readonly string[];

  constructor(fields: FunctionGraphCredentials) {
    // Secrets are non-enumerable so spreading or Object.entries() does not copy them by accident.
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      Object.defineProperty(this, key, { value, enumerable: !secretNames.has(key), writable: false });
    }
    Object.freeze(this);
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of [
      "authType",
      "region",
      "projectId",
      "projectName",
      "accessKey",
      "secretKey",
      "securityToken",
      "userName",
      "password",
      "domainName",
      "domainId",
      "authUrl",
      "endpointOverride",
      "functionGraphBase",
      "origins",
      "notes",
    ] as const) {
      const value = this[key];
      if (value === undefined) continue;
      out[key] = secretNames.has(key) ? redacted : value instanceof URL ? value.href : value;
    }
    return out;
  }

  [inspect.custom](): string {
    return `FunctionGraphCredentials ${inspect(this.toJSON(), { depth: 3 })}`;
  }
}

function lookupConfig(config: ConfigLookup | undefined, key: string): string | undefined {
  if (config === undefined) return undefined;
  let value: string | undefined;
  try {
    value = config(key);
  } catch {
    // Outside a configured provider the stack config may throw; that reads as unset.
    return undefined;
  }
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

interface Found {
  readonly value: string;
  readonly origin: string;
}

/**
 * Resolves FunctionGraph credentials. Each value is taken from the first source that has it: explicit
 * provider configuration (`opentelekomcloud:*`), then the `OS_*` environment, then the selected cloud of
 * `clouds.yaml` (+ `secure.yaml`). An access key pair wins over a user name and password when both are
 * found. The region falls back to the project name's region part (`eu-de_sub` → `eu-de`).
 *
 * Files are read only when a cloud is selected (`opentelekomcloud:cloud`, `OS_CLOUD`) or when the
 * configuration and environment do not hold complete credentials (then a clouds.yaml with exactly one
 * cloud is used).
 *
 * @throws ConfigurationError naming the key or file and the rule: missing values (listing every source
 *   tried), malformed files, unknown clouds or regions, bad URLs. Never includes a secret value.
 */
export async function resolveFunctionGraphCredentials(
  sources: FunctionGraphAuthSources = {},
): Promise<FunctionGraphCredentials> {
  const env = sources.env ?? process.env;
  const config = sources.config;
  const homeDir = sources.homeDir ?? homedir();
  const cwd = sources.cwd ?? process.cwd();
  const search = {
    env,
    homeDir,
    cwd,
    ...(sources.systemDir === undefined ? {} : { systemDir: sources.systemDir }),
  };

  const connection = sources.connection;
  const fromConfigOrEnv = (name: keyof typeof functionGraphEnvVars): Found | undefined => {
    // A resource naming a cloud entry takes that entry's account whole; its region and project
    // replace the stack's.
    if (connection !== undefined && name !== "endpoint") {
      const own = connectionValue(connection, name);
      if (own !== undefined) return own;
      if (connection.cloud !== undefined) return undefined;
      const projectOrRegion = name === "projectId" || name === "projectName";
      const ownProject = connection.projectId !== undefined || connection.projectName !== undefined;
      if (projectOrRegion && (ownProject || connection.region !== undefined)) return undefined;
    }
    const key = functionGraphConfigKeys[name];
    const configured = lookupConfig(config, key);
    if (configured !== undefined) return { value: configured, origin: `stack config ${key}` };
    for (const variable of functionGraphEnvVars[name]) {
      const value = env[variable];
      if (value !== undefined && value.trim() !== "")
        return { value: value.trim(), origin: `env ${variable}` };
    }
    return undefined;
  };

  const valueNames: readonly ValueName[] = [
    "accessKey",
    "secretKey",
    "securityToken",
    "region",
    "projectId",
    "projectName",
    "authUrl",
    "userName",
    "password",
    "domainName",
    "domainId",
  ];
  const found = new Map<ValueName, Found>();
  for (const name of valueNames) {
    const hit = fromConfigOrEnv(name);
    if (hit !== undefined) found.set(name, hit);
  }

  const cloudChoice = fromConfigOrEnv("cloud");
  const complete =
    (found.has("accessKey") && found.has("secretKey")) ||
    (found.has("userName") && found.has("password") && (found.has("domainName") || found.has("domainId")));
  let cloud: LoadedCloud | undefined;
  if (cloudChoice !== undefined || !complete || !(found.has("region") || found.has("projectName"))) {
    cloud = await loadCloud(cloudChoice?.value, cloudChoice?.origin, search);
    if (cloud !== undefined) {
      for (const name of valueNames) {
        const value = cloud.values[name];
        const origin = cloud.origins[name];
        if (connectionOwnsProject(connection, name)) continue;
        if (!found.has(name) && value !== undefined && origin !== undefined)
          found.set(name, { value, origin });
      }
    }
  }

  const tried = describeSources(config !== undefined, cloudChoice, cloud, search);
  const missing = (
    what: string,
    names: readonly (keyof typeof functionGraphEnvVars)[],
    rule: string,
  ): never => {
    const keys = names.map((n) => functionGraphConfigKeys[n]).join(", ");
    const vars = names.flatMap((n) => [...functionGraphEnvVars[n]]).join(", ");
    throw new ConfigurationError(
      `No FunctionGraph ${what} found: ${rule}. Tried stack config (${keys}), environment (${vars}) and ${tried}.`,
      { code: "MissingCredentials" },
    );
  };

  const origins: Record<string, string> = {};
  const take = (name: ValueName): string | undefined => {
    const hit = found.get(name);
    if (hit === undefined) return undefined;
    origins[name] = hit.origin;
    return hit.value;
  };

  const notes: string[] = [];
  const hasKeys = found.has("accessKey") || found.has("secretKey");
  const hasPassword = found.has("userName") || found.has("password");
  let authType: FunctionGraphAuthType;
  if (hasKeys) {
    if (!found.has("accessKey")) {
      missing(
        "access key",
        ["accessKey"],
        `a secret key was found (${found.get("secretKey")?.origin}) but no access key`,
      );
    }
    if (!found.has("secretKey")) {
      missing(
        "secret key",
        ["secretKey"],
        `an access key was found (${found.get("accessKey")?.origin}) but no secret key`,
      );
    }
    authType = "aksk";
    if (hasPassword) {
      notes.push(
        `Both an access key (${found.get("accessKey")?.origin}) and a user name or password were found; ` +
          "the access key is used and the password ignored.",
      );
    }
  } else if (hasPassword) {
    if (!found.has("userName"))
      missing(
        "user name",
        ["userName"],
        `a password was found (${found.get("password")?.origin}) but no user name`,
      );
    if (!found.has("password"))
      missing(
        "password",
        ["password"],
        `a user name was found (${found.get("userName")?.origin}) but no password`,
      );
    if (!found.has("domainName") && !found.has("domainId")) {
      missing(
        "domain name",
        ["domainName", "domainId"],
        "a password login needs the user's domain (account) name",
      );
    }
    authType = "password";
  } else {
    return missing(
      "credentials",
      ["accessKey", "secretKey", "userName", "password"],
      "set an access key pair (accessKey + secretKey) or a user name, password and domain name",
    );
  }

  const projectName = take("projectName");
  let region = take("region");
  if (region === undefined && projectName !== undefined) {
    // OTC and Huawei Cloud name region projects after the region, sub-projects `<region>_<name>`.
    region = projectName.split("_")[0];
    if (region !== undefined && region !== "") origins["region"] = `${origins["projectName"]} (region part)`;
  }
  if (region === undefined || region === "") {
    return missing("region", ["region", "projectName"], "the region (e.g. eu-de) is required");
  }
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(region)) {
    throw new ConfigurationError(
      `${origins["region"]} must be a region name such as eu-de (lowercase letters, digits and "-").`,
      { code: "UnknownRegion" },
    );
  }

  const endpointHit = fromConfigOrEnv("endpoint");
  const endpointOverride =
    endpointHit === undefined
      ? undefined
      : parseEndpointUrl(
          endpointHit.value.split(functionGraphEndpointRegionPlaceholder).join(region),
          endpointHit.origin,
        );
  if (endpointHit !== undefined) origins["endpoint"] = endpointHit.origin;
  const functionGraphBase = functionGraphEndpoint(region, endpointOverride, origins["region"]);

  const authUrlText = take("authUrl");
  const authUrl =
    authUrlText !== undefined
      ? parseAuthUrl(authUrlText, origins["authUrl"] ?? "authUrl")
      : iamEndpoint(region);

  const projectId = take("projectId");
  if (projectId !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(projectId)) {
    throw new ConfigurationError(
      `${origins["projectId"]} must be a project id (letters, digits, "_" and "-").`,
      {
        code: "InvalidProjectId",
      },
    );
  }
  const needsIam = authType === "password" || projectId === undefined;
  if (needsIam && authUrl === undefined) {
    missing(
      "IAM endpoint",
      ["authUrl"],
      `region "${region}" is not one fnstack knows, so the IAM endpoint cannot be derived` +
        (authType === "password" ? "" : "; set the project id instead to avoid IAM"),
    );
  }

  const fields: Record<string, unknown> = {
    authType,
    region,
    projectName: projectName ?? region,
    functionGraphBase,
    origins,
    notes,
  };
  if (projectId !== undefined) fields["projectId"] = projectId;
  if (authUrl !== undefined) fields["authUrl"] = authUrl;
  if (endpointOverride !== undefined) fields["endpointOverride"] = endpointOverride;
  const names: readonly ValueName[] =
    authType === "aksk"
      ? ["accessKey", "secretKey", "securityToken"]
      : ["userName", "password", "domainName", "domainId"];
  for (const name of names) {
    const value = take(name);
    if (value !== undefined) fields[name] = value;
  }
  return new ResolvedFunctionGraphCredentials(fields as unknown as FunctionGraphCredentials);
}

/** The connection's own value of `name`, with its origin, if it sets one. */
function connectionValue(connection: FunctionGraphConnectionSettings, name: string): Found | undefined {
  if (name === "cloud" && connection.cloud !== undefined)
    return { value: connection.cloud, origin: "the resource's connection.cloud" };
  if (name !== "region" && name !== "projectId" && name !== "projectName") return undefined;
  const value = connection[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigurationError(`The resource's connection.${name} must be a non-empty string.`, {
      code: "InvalidConnection",
    });
  }
  return { value: value.trim(), origin: `the resource's connection.${name}` };
}

/**
 * True when the connection decides the project, so a cloud entry's project (or a region's) must not
 * stand in: it names its own project, or a region of its own without one.
 */
function connectionOwnsProject(
  connection: FunctionGraphConnectionSettings | undefined,
  name: string,
): boolean {
  if (connection === undefined || (name !== "projectId" && name !== "projectName")) return false;
  return (
    connection.projectId !== undefined ||
    connection.projectName !== undefined ||
    connection.region !== undefined
  );
}

function describeSources(
  hadConfig: boolean,
  cloudChoice: Found | undefined,
  cloud: LoadedCloud | undefined,
  search: Parameters<typeof cloudsYamlCandidates>[0],
): string {
  const configNote = hadConfig ? "" : " (no stack config given)";
  if (cloud !== undefined) {
    const secure = cloud.secureFile === undefined ? "" : ` merged with ${cloud.secureFile}`;
    return `clouds.yaml cloud "${cloud.name}" in ${cloud.file}${secure}${configNote}`;
  }
  const searched = cloudsYamlCandidates(search).join(", ");
  return cloudChoice === undefined
    ? `clouds.yaml (none found; searched ${searched})${configNote}`
    : `clouds.yaml (searched ${searched})${configNote}`;
}
