import { type KeyObject } from "node:crypto";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { inspect } from "node:util";
import { type ConfigLookup } from "../../core/config-lookup";
import { ConfigurationError } from "../../core/errors";
import { lookupOciRegion, normalizeOciRegion, parseOciEndpointOverride } from "../endpoints";
import {
  defaultProfileName,
  lookupOciConfigValue,
  parseOciConfigFile,
  type OciConfigFile,
} from "./config-file";
import { deriveFromFile, type FileReads, readCachedText, resolveOverFiles } from "./file-cache";
import { parseOciPrivateKey } from "./private-key";

/** Where {@link resolveOciCredentials} looks. Every field defaults to the real process's. */
export interface OciAuthSources {
  /** Stack configuration (`oci:*`, `fnstack:ociEndpoint`); default: none. */
  readonly config?: ConfigLookup;
  /** Environment variables; default `process.env`. Tests pass an explicit object. */
  readonly env?: NodeJS.ProcessEnv;
  /** Home directory for `~/.oci/config` and `~` expansion; default `os.homedir()`. */
  readonly homeDir?: string;
  /**
   * Where one resource lives, overriding the stack's default account for that resource only (an
   * explicit provider, in `@pulumi/oci` terms). Names only; see {@link OciConnectionSettings}.
   */
  readonly connection?: OciConnectionSettings;
}

/**
 * A per-resource connection: which config-file profile's account and which region. Non-secret names
 * only; the credentials are still read from the files at call time.
 *
 * - `profile`: the account is that profile of the config file (with the file's `[DEFAULT]` fallback);
 *   the stack's own credential keys (`oci:tenancyOcid`, `oci:userOcid`, `oci:fingerprint`,
 *   `oci:privateKey*`) are not used, so one account's key never signs for another's tenancy.
 * - `region`: the region of the resource; without it the profile's `region`, then the stack's.
 */
export interface OciConnectionSettings {
  readonly region?: string;
  readonly profile?: string;
}

/** The placeholder an endpoint override may hold, replaced by each call's region. */
export const ociEndpointRegionPlaceholder = "{region}";

/**
 * Resolved OCI credentials. Never serialised: `toJSON()` and `util.inspect` redact the private key and
 * a session token (`keyId` `ST$…`), so logging the object is safe.
 */
export interface OciCredentials {
  /** Tenancy OCID. */
  readonly tenancyOcid: string;
  /** User OCID; absent with a session token that did not name one. */
  readonly userOcid?: string;
  /** API key fingerprint (`aa:bb:…`, 16 pairs); absent with a session token that did not name one. */
  readonly fingerprint?: string;
  /** `<tenancy>/<user>/<fingerprint>` for API keys, `ST$<token>` for session tokens. */
  readonly keyId: string;
  /** The RSA private key that signs requests. */
  readonly privateKey: KeyObject;
  /** Region id (`us-ashburn-1`; short codes are expanded, dotted region ids kept). */
  readonly region: string;
  /** `fnstack:ociEndpoint` / `FNSTACK_OCI_ENDPOINT`: replaces the host of every OCI service. */
  readonly endpointOverride?: URL;
}

/** How a request is authenticated. */
export type OciAuthType = "api_key" | "security_token";

/** The stack configuration keys read, as `@pulumi/oci` names them. */
export const ociConfigKeys = Object.freeze({
  tenancyOcid: "oci:tenancyOcid",
  userOcid: "oci:userOcid",
  fingerprint: "oci:fingerprint",
  privateKey: "oci:privateKey",
  privateKeyPath: "oci:privateKeyPath",
  privateKeyPassword: "oci:privateKeyPassword",
  region: "oci:region",
  configFileProfile: "oci:configFileProfile",
  endpoint: "fnstack:ociEndpoint",
} as const);

/** The environment variables read. */
export const ociEnvVars = Object.freeze({
  configFile: "OCI_CONFIG_FILE",
  cliConfigFile: "OCI_CLI_CONFIG_FILE",
  profile: "OCI_CLI_PROFILE",
  region: "OCI_REGION",
  endpoint: "FNSTACK_OCI_ENDPOINT",
} as const);

const redacted = "[redacted]";

/** {@link OciCredentials} with redacting `toJSON`/`inspect`, plus where each value came from. */
class ResolvedOciCredentials implements OciCredentials {
  readonly tenancyOcid: string;
  readonly userOcid?: string;
  readonly fingerprint?: string;
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly region: string;
  readonly endpointOverride?: URL;
  /** How requests are signed. */
  readonly authType: OciAuthType;
  /** Field → the source that supplied it (`oci:region`, `key_file in [DEFAULT] of /path`). No values. */
  readonly sources: Readonly<Record<string, string>>;

  constructor(fields: OciCredentials & { authType: OciAuthType; sources: Record<string, string> }) {
    this.tenancyOcid = fields.tenancyOcid;
    this.userOcid = fields.userOcid;
    this.fingerprint = fields.fingerprint;
    this.keyId = fields.keyId;
    this.privateKey = fields.privateKey;
    this.region = fields.region;
    this.endpointOverride = fields.endpointOverride;
    this.authType = fields.authType;
    this.sources = Object.freeze({ ...fields.sources });
    Object.freeze(this);
  }

  toJSON(): Record<string, unknown> {
    return {
      authType: this.authType,
      tenancyOcid: this.tenancyOcid,
      userOcid: this.userOcid,
      fingerprint: this.fingerprint,
      keyId: this.authType === "security_token" ? `ST$${redacted}` : this.keyId,
      privateKey: redacted,
      region: this.region,
      endpointOverride: this.endpointOverride?.href,
      sources: this.sources,
    };
  }

  [inspect.custom](depth: number, options: { stylize: (s: string, style: string) => string }): string {
    return `OciCredentials ${inspect(this.toJSON(), { ...options, depth })}`;
  }
}

/** One lookup: the value (if any) and the sources it tried, for messages. */
interface Found {
  readonly value?: string;
  readonly source?: string;
}

/** Reads a file (once per version of it: ./file-cache.ts); tests use real temporary files. */
async function readTextFile(path: string, what: string, reads: FileReads): Promise<string> {
  try {
    return await readCachedText(path, reads);
  } catch (err) {
    throw new ConfigurationError(`${what} ${path} ${readFailure(err)}.`, { cause: err });
  }
}

/**
 * Parsed private keys by PEM text, so that a key is parsed once per process rather than at every call
 * (a `KeyObject` is immutable and safe to share). A different pass phrase parses again; a failed parse
 * is not kept. At most a few keys are kept: one per account a deployment uses.
 */
const parsedKeys = new Map<string, { readonly passphrase: string | undefined; readonly key: KeyObject }>();
const maxParsedKeys = 16;

function parseKeyOnce(
  pem: string,
  passphrase: string | undefined,
  source: string,
  passphraseOrigin: string | undefined,
): KeyObject {
  const parsed = parsedKeys.get(pem);
  if (parsed !== undefined && parsed.passphrase === passphrase) return parsed.key;
  const key = parseOciPrivateKey(pem, passphrase, source, passphraseOrigin);
  if (parsedKeys.size >= maxParsedKeys) parsedKeys.clear();
  parsedKeys.set(pem, { passphrase, key });
  return key;
}

/** Why a file could not be read, in words. */
function readFailure(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === "ENOENT") return "does not exist";
  if (code === "EACCES" || code === "EPERM") return "is not readable (permission denied)";
  if (code === "EISDIR") return "is a directory, not a file";
  return `could not be read (${typeof code === "string" ? code : "unknown error"})`;
}

/** `~` and `~/x` → the home directory; other paths unchanged. */
export function expandHome(path: string, homeDir: string): string {
  if (path === "~") return homeDir;
  if (path.startsWith("~/") || path.startsWith("~\\")) return join(homeDir, path.slice(2));
  return path;
}

interface ConfigFileState {
  readonly path: string;
  /** Which setting named the path: `OCI_CONFIG_FILE`, `OCI_CLI_CONFIG_FILE` or the default. */
  readonly origin: string;
  readonly explicit: boolean;
  readonly profile: string;
  readonly profileOrigin: string;
  readonly profileExplicit: boolean;
}

/**
 * Finds OCI credentials. Each value is taken from the first source that sets it (a non-empty value),
 * key by key:
 *
 * | value | 1. stack config | 2. environment | 3. config file profile (then `[DEFAULT]`) |
 * |---|---|---|---|
 * | tenancy | `oci:tenancyOcid` | – | `tenancy` |
 * | user | `oci:userOcid` | – | `user` |
 * | fingerprint | `oci:fingerprint` | – | `fingerprint` |
 * | private key | `oci:privateKey` (PEM text), then `oci:privateKeyPath` | – | `key_file` |
 * | pass phrase | `oci:privateKeyPassword` | – | `pass_phrase` |
 * | region | `oci:region` | `OCI_REGION` | `region` |
 * | session token | – | – | `security_token_file` (only if `oci:userOcid` is unset) |
 * | endpoint override | `fnstack:ociEndpoint` | `FNSTACK_OCI_ENDPOINT` | – |
 *
 * The config file is `OCI_CONFIG_FILE`, else `OCI_CLI_CONFIG_FILE`, else `~/.oci/config`; the profile is
 * `oci:configFileProfile`, else `OCI_CLI_PROFILE`, else `DEFAULT`. The file is read only when a value is
 * still missing after stack config and environment. When it is read, a named file or profile that does
 * not exist is an error; a missing default file is not (the values must then come from elsewhere).
 * `~` is expanded in every path; a relative `key_file`/`security_token_file` is relative to the config
 * file's directory, a relative `oci:privateKeyPath` or config file path to the current directory.
 *
 * With `security_token_file` the key id is `ST$<token>` and `key_file` is the session key; user and
 * fingerprint are then optional.
 *
 * One resolution is shared by every call with the same stack config, environment, home and working
 * directory and connection, for as long as none of the files it read changes (a `stat` of each per
 * call): the result is frozen, so callers may hold it.
 *
 * @throws ConfigurationError naming every missing value with every source tried, or the file/key and
 *   rule for malformed files, unreadable or undecryptable keys, unknown regions (unless an endpoint
 *   override is set) and bad endpoint URLs. No message contains a key, pass phrase or token.
 */
export async function resolveOciCredentials(sources: OciAuthSources = {}): Promise<OciCredentials> {
  return (await resolveOci(sources, true)) as OciCredentials;
}

/** Where a set of OCI credentials points: the region and the account. */
export interface OciLocation {
  /** Region id, as {@link OciCredentials.region}. */
  readonly region: string;
  readonly tenancyOcid: string;
}

/**
 * The region and tenancy {@link resolveOciCredentials} would resolve, with the same sources, precedence
 * and checks, but without reading or decrypting the private key or a session token: what a `diff` needs
 * to know where a resource points.
 *
 * @throws ConfigurationError as {@link resolveOciCredentials}, except for problems of the key or token files.
 */
export async function resolveOciLocation(sources: OciAuthSources = {}): Promise<OciLocation> {
  return resolveOci(sources, false);
}

async function resolveOci(sources: OciAuthSources, withKey: boolean): Promise<OciCredentials | OciLocation> {
  if (sources.config !== undefined && typeof sources.config !== "function") {
    throw new TypeError("Expected `config` to be a function (key) => string | undefined");
  }
  if (sources.env !== undefined && (typeof sources.env !== "object" || sources.env === null)) {
    throw new TypeError("Expected `env` to be an object of environment variables");
  }
  if (sources.homeDir !== undefined && (typeof sources.homeDir !== "string" || sources.homeDir === "")) {
    throw new TypeError("Expected `homeDir` to be a non-empty path");
  }
  const lookup: ConfigLookup = sources.config ?? (() => undefined);
  const env = sources.env ?? process.env;
  const homeDir = sources.homeDir ?? homedir();
  const connection = checkConnection(sources.connection);
  // Everything the result depends on besides the files; the files are checked by their versions.
  const inputs = {
    withKey,
    config: Object.values(ociConfigKeys).map((key) => lookup(key) ?? null),
    env: Object.values(ociEnvVars).map((name) => env[name] ?? null),
    homeDir,
    // Relative paths (OCI_CONFIG_FILE, oci:privateKeyPath) are relative to it.
    cwd: workingDirectory(),
    connection: connection ?? null,
  };
  return resolveOverFiles(inputs, (reads) =>
    resolveFrom({ lookup, env, homeDir, connection }, withKey, reads),
  );
}

/** The current directory; null when it was removed (absolute paths still resolve then). */
function workingDirectory(): string | null {
  try {
    return process.cwd();
  } catch {
    return null;
  }
}

/** The sources of one resolution, checked and defaulted. */
interface CheckedSources {
  readonly lookup: ConfigLookup;
  readonly env: NodeJS.ProcessEnv;
  readonly homeDir: string;
  readonly connection: OciConnectionSettings | undefined;
}

async function resolveFrom(
  { lookup, env, homeDir, connection }: CheckedSources,
  withKey: boolean,
  reads: FileReads,
): Promise<OciCredentials | OciLocation> {
  const fromConfig = (key: string): Found => {
    const value = lookup(key);
    return value !== undefined && value.trim() !== ""
      ? { value: value.trim(), source: `stack config ${key}` }
      : {};
  };
  const fromEnv = (name: string): Found => {
    const value = env[name];
    return value !== undefined && value.trim() !== ""
      ? { value: value.trim(), source: `environment ${name}` }
      : {};
  };
  const first = (...found: Found[]): Found => found.find((f) => f.value !== undefined) ?? {};
  const fromConnection = (key: keyof OciConnectionSettings): Found => {
    const value = connection?.[key];
    return value !== undefined ? { value, source: `the resource's connection.${key}` } : {};
  };
  // A resource naming a profile takes that profile's account whole: the stack's credential keys
  // belong to the stack's default account.
  const stackAccount = (found: Found): Found => (connection?.profile === undefined ? found : {});

  // The endpoint override comes first: it decides whether an unknown region is acceptable. It is
  // parsed once the region is known, since it may hold the {region} placeholder.
  const endpointFound = first(fromConfig(ociConfigKeys.endpoint), fromEnv(ociEnvVars.endpoint));
  if (endpointFound.value !== undefined) {
    parseOciEndpointOverride(
      endpointFound.value.split(ociEndpointRegionPlaceholder).join("region"),
      endpointFound.source as string,
    );
  }

  const tenancy0 = stackAccount(fromConfig(ociConfigKeys.tenancyOcid));
  const user0 = stackAccount(fromConfig(ociConfigKeys.userOcid));
  const fingerprint0 = stackAccount(fromConfig(ociConfigKeys.fingerprint));
  const keyPem0 = stackAccount(fromConfig(ociConfigKeys.privateKey));
  const keyPath0 = stackAccount(fromConfig(ociConfigKeys.privateKeyPath));
  const rawPassphrase = lookup(ociConfigKeys.privateKeyPassword);
  // A pass phrase may legitimately start or end with spaces: keep it as given.
  const passphrase0: Found = stackAccount(
    rawPassphrase !== undefined && rawPassphrase !== ""
      ? { value: rawPassphrase, source: `stack config ${ociConfigKeys.privateKeyPassword}` }
      : {},
  );
  const stackRegion = first(fromConfig(ociConfigKeys.region), fromEnv(ociEnvVars.region));
  // Region: the resource's own, else (with a profile) the profile's, else the stack's.
  const region0 = first(fromConnection("region"), stackAccount(stackRegion));

  const fileSetting = first(fromEnv(ociEnvVars.configFile), fromEnv(ociEnvVars.cliConfigFile));
  const profileSetting = first(
    fromConnection("profile"),
    fromConfig(ociConfigKeys.configFileProfile),
    fromEnv(ociEnvVars.profile),
  );
  const state: ConfigFileState = {
    path:
      fileSetting.value === undefined
        ? join(homeDir, ".oci", "config")
        : resolve(expandHome(fileSetting.value, homeDir)),
    origin: fileSetting.source ?? "the default location",
    explicit: fileSetting.value !== undefined,
    profile: profileSetting.value ?? defaultProfileName,
    profileOrigin: profileSetting.source ?? "the default profile",
    profileExplicit: profileSetting.value !== undefined,
  };

  const complete =
    tenancy0.value !== undefined &&
    region0.value !== undefined &&
    (keyPem0.value !== undefined || keyPath0.value !== undefined) &&
    user0.value !== undefined &&
    fingerprint0.value !== undefined;
  // Nothing is taken from the file when config and environment already say everything, so a broken
  // or absent file must not stand in the way then.
  const file = complete ? undefined : await loadConfigFile(state, reads);

  const fromFile = (key: string): Found => {
    if (file === undefined) return {};
    const hit = lookupOciConfigValue(file, state.profile, key);
    return hit === undefined
      ? {}
      : { value: hit.value, source: `${key} in profile [${hit.profile}] of ${file.path}` };
  };
  const fileTried = (key: string): string => `config file key ${key}`;
  // Said once after the list, so each missing value can name its file key briefly.
  const fileState = (): string => {
    if (file === undefined) {
      return `The config file ${state.path} does not exist (set ${ociEnvVars.configFile} to use another file).`;
    }
    const inherit = state.profile === defaultProfileName ? "" : ` (falling back to [${defaultProfileName}])`;
    return `The config file ${file.path} was read, profile [${state.profile}]${inherit} from ${state.profileOrigin}.`;
  };

  const tenancy = first(tenancy0, fromFile("tenancy"));
  const region = first(region0, fromFile("region"), stackRegion);
  const tokenFile = user0.value === undefined ? fromFile("security_token_file") : {};
  const authType: OciAuthType = tokenFile.value !== undefined ? "security_token" : "api_key";
  const user = first(user0, fromFile("user"));
  const fingerprint = first(fingerprint0, fromFile("fingerprint"));
  const keyFile = keyPem0.value === undefined ? first(keyPath0, fromFile("key_file")) : {};
  const passphrase = first(passphrase0, fromFile("pass_phrase"));

  const missing: string[] = [];
  const need = (found: Found, what: string, tried: string[]): void => {
    if (found.value === undefined) missing.push(`${what} (tried ${tried.join(", ")})`);
  };
  need(tenancy, "the tenancy OCID", [`stack config ${ociConfigKeys.tenancyOcid}`, fileTried("tenancy")]);
  if (authType === "api_key") {
    need(user, "the user OCID", [`stack config ${ociConfigKeys.userOcid}`, fileTried("user")]);
    need(fingerprint, "the API key fingerprint", [
      `stack config ${ociConfigKeys.fingerprint}`,
      fileTried("fingerprint"),
    ]);
  }
  if (keyPem0.value === undefined) {
    need(keyFile, "the private key", [
      `stack config ${ociConfigKeys.privateKey}`,
      `stack config ${ociConfigKeys.privateKeyPath}`,
      fileTried("key_file"),
    ]);
  }
  need(region, "the region", [
    `stack config ${ociConfigKeys.region}`,
    `environment ${ociEnvVars.region}`,
    fileTried("region"),
  ]);
  if (missing.length > 0) {
    throw new ConfigurationError(
      `OCI credentials are incomplete: missing ${missing.join("; ")}. ${fileState()} ` +
        `See the OCI configuration documentation for the keys and their precedence.`,
    );
  }

  const tenancyOcid = checkOcid(tenancy as Required<Found>, "tenancy");
  const userOcid = user.value === undefined ? undefined : checkOcid(user as Required<Found>, "user");
  const fingerprintValue =
    fingerprint.value === undefined ? undefined : checkFingerprint(fingerprint as Required<Found>);
  const regionId = checkRegion(region as Required<Found>, endpointFound.value !== undefined);
  const endpointOverride =
    endpointFound.value === undefined
      ? undefined
      : parseOciEndpointOverride(
          endpointFound.value.split(ociEndpointRegionPlaceholder).join(regionId),
          endpointFound.source as string,
        );

  // Frozen: one result is shared by every call with the same sources.
  if (!withKey) return Object.freeze({ region: regionId, tenancyOcid });

  const passphraseOrigin =
    passphrase.source === undefined ? undefined : `the pass phrase from ${passphrase.source}`;
  let privateKey: KeyObject;
  let keySource: string;
  if (keyPem0.value !== undefined) {
    keySource = keyPem0.source as string;
    privateKey = parseKeyOnce(keyPem0.value, passphrase.value, keySource, passphraseOrigin);
  } else {
    // key_file is relative to its config file; oci:privateKeyPath to the current directory.
    const keyFromFile = keyPath0.value === undefined;
    const path = resolvePath(keyFile.value as string, homeDir, keyFromFile ? file?.path : undefined);
    keySource = `private key file ${path} (from ${keyFile.source as string})`;
    const pem = await readTextFile(path, `The private key file named by ${keyFile.source as string},`, reads);
    privateKey = parseKeyOnce(pem, passphrase.value, keySource, passphraseOrigin);
  }

  let keyId: string;
  if (tokenFile.value !== undefined) {
    const path = resolvePath(tokenFile.value, homeDir, file?.path);
    const token = (
      await readTextFile(path, `The session token file named by ${tokenFile.source as string},`, reads)
    ).trim();
    if (token === "") {
      throw new ConfigurationError(
        `The session token file ${path} (from ${tokenFile.source as string}) is empty.`,
      );
    }
    if (/[\s"\\]/.test(token)) {
      throw new ConfigurationError(
        `The session token file ${path} (from ${tokenFile.source as string}) must hold one token on one line ` +
          `without spaces, quotes or backslashes.`,
      );
    }
    keyId = `ST$${token}`;
  } else {
    keyId = `${tenancyOcid}/${userOcid as string}/${fingerprintValue as string}`;
  }

  const sourceMap: Record<string, string> = {
    tenancyOcid: tenancy.source as string,
    region: region.source as string,
    privateKey: keySource,
  };
  if (user.source !== undefined) sourceMap["userOcid"] = user.source;
  if (fingerprint.source !== undefined) sourceMap["fingerprint"] = fingerprint.source;
  if (tokenFile.source !== undefined) sourceMap["securityToken"] = tokenFile.source;
  if (endpointFound.source !== undefined) sourceMap["endpointOverride"] = endpointFound.source;

  return new ResolvedOciCredentials({
    tenancyOcid,
    userOcid,
    fingerprint: fingerprintValue,
    keyId,
    privateKey,
    region: regionId,
    endpointOverride,
    authType,
    sources: sourceMap,
  });
}

/** Checks the shape of a connection (the provider checked the values already; this guards direct use). */
function checkConnection(connection: OciConnectionSettings | undefined): OciConnectionSettings | undefined {
  if (connection === undefined) return undefined;
  if (typeof connection !== "object" || connection === null) {
    throw new TypeError("Expected `connection` to be an object {region?, profile?}");
  }
  const out: { region?: string; profile?: string } = {};
  for (const key of ["region", "profile"] as const) {
    const value = connection[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== "string" || value.trim() === "") {
      throw new ConfigurationError(`The resource's connection.${key} must be a non-empty string.`);
    }
    out[key] = value.trim();
  }
  return out;
}

/** Reads and parses the config file (once per version of it); undefined when the default file is absent. */
async function loadConfigFile(state: ConfigFileState, reads: FileReads): Promise<OciConfigFile | undefined> {
  let file: OciConfigFile;
  try {
    file = await deriveFromFile(state.path, "config", (text) => parseOciConfigFile(text, state.path), reads);
  } catch (err) {
    if (err instanceof ConfigurationError) throw err;
    const code = (err as { code?: unknown }).code;
    if (code === "ENOENT" && !state.explicit && !state.profileExplicit) {
      reads.absent(state.path);
      return undefined;
    }
    if (code === "ENOENT") {
      const why = state.explicit
        ? `${state.origin} names it`
        : `${state.profileOrigin} asks for profile [${state.profile}]`;
      throw new ConfigurationError(`OCI config file ${state.path} does not exist, but ${why}.`, {
        cause: err,
      });
    }
    throw new ConfigurationError(`OCI config file ${state.path} ${readFailure(err)}.`, { cause: err });
  }
  if (!file.profiles.has(state.profile) && (state.profileExplicit || state.profile !== defaultProfileName)) {
    const names = [...file.profiles.keys()].map((n) => `[${n}]`).join(", ") || "none";
    throw new ConfigurationError(
      `OCI config file ${state.path} has no profile [${state.profile}] (asked for by ${state.profileOrigin}); ` +
        `profiles in the file: ${names}.`,
    );
  }
  return file;
}

/** Expands `~`; makes a relative path absolute against the config file's directory or the cwd. */
function resolvePath(path: string, homeDir: string, configFilePath: string | undefined): string {
  const expanded = expandHome(path, homeDir);
  if (isAbsolute(expanded)) return expanded;
  return configFilePath === undefined ? resolve(expanded) : resolve(dirname(configFilePath), expanded);
}

function checkOcid(found: Required<Found>, kind: "tenancy" | "user"): string {
  if (!/^ocid1\.[a-z0-9]+\.\S+$/i.test(found.value)) {
    throw new ConfigurationError(
      `${found.source} is not an OCID: a ${kind} OCID looks like ocid1.${kind}.oc1..<unique id>.`,
    );
  }
  return found.value;
}

function checkFingerprint(found: Required<Found>): string {
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){15}$/i.test(found.value)) {
    throw new ConfigurationError(
      `${found.source} is not an API key fingerprint: it must be 16 colon-separated hex pairs ` +
        `(aa:bb:…), as shown in the console next to the key.`,
    );
  }
  return found.value.toLowerCase();
}

function checkRegion(found: Required<Found>, hasOverride: boolean): string {
  if (!hasOverride) return normalizeOciRegion(found.value, found.source);
  // With an explicit endpoint the region only labels resources, so any well-formed name will do.
  const known = lookupOciRegion(found.value);
  if (known !== undefined) return known.regionId;
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(found.value)) {
    throw new ConfigurationError(
      `${found.source} "${found.value}" is not a region name: use letters, digits and '-'.`,
    );
  }
  return found.value.toLowerCase();
}
