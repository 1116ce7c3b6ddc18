import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type * as yamlModule from "yaml";
import { ConfigurationError } from "../../core/errors";

/** The values fnstack reads from one cloud of `clouds.yaml` (merged with `secure.yaml`). */
export interface CloudValues {
  readonly accessKey?: string;
  readonly secretKey?: string;
  readonly securityToken?: string;
  readonly region?: string;
  readonly projectId?: string;
  readonly projectName?: string;
  readonly authUrl?: string;
  readonly userName?: string;
  readonly password?: string;
  readonly domainName?: string;
  readonly domainId?: string;
}

/** Keys of {@link CloudValues}. */
export type CloudValueName = keyof CloudValues;

/** Where to look for `clouds.yaml` and `secure.yaml`. */
export interface CloudsYamlSearch {
  /** Environment (`OS_CLIENT_CONFIG_FILE`, `OS_CLIENT_SECURE_FILE`). */
  readonly env: NodeJS.ProcessEnv;
  /** Home directory: `~/.config/openstack`. */
  readonly homeDir: string;
  /** Working directory: `./`. */
  readonly cwd: string;
  /** System directory; default `/etc/openstack`. */
  readonly systemDir?: string;
}

/** One cloud read from the files. */
export interface LoadedCloud {
  /** The cloud's name (`clouds.<name>`). */
  readonly name: string;
  /** Path of the `clouds.yaml` read. */
  readonly file: string;
  /** Path of the `secure.yaml` merged over it, when one was found. */
  readonly secureFile?: string;
  readonly values: CloudValues;
  /** For each value, where it came from: `<file> clouds.<name>.<key>`; never the value. */
  readonly origins: Readonly<Partial<Record<CloudValueName, string>>>;
}

// Each value and the clouds.yaml keys that may hold it, in order of preference (reference §8c:
// openstacksdk's auth block; otcextensions' ak/sk or access_key/secret_key at the cloud level).
const keyMap: ReadonlyArray<readonly [CloudValueName, readonly string[]]> = [
  ["accessKey", ["ak", "access_key", "auth.ak", "auth.access_key"]],
  ["secretKey", ["sk", "secret_key", "auth.sk", "auth.secret_key"]],
  ["securityToken", ["security_token", "auth.security_token"]],
  ["region", ["region_name"]],
  ["projectId", ["auth.project_id"]],
  ["projectName", ["auth.project_name"]],
  ["authUrl", ["auth.auth_url"]],
  ["userName", ["auth.username", "auth.user_name"]],
  ["password", ["auth.password"]],
  ["domainName", ["auth.user_domain_name", "auth.domain_name"]],
  ["domainId", ["auth.user_domain_id", "auth.domain_id"]],
];

type YamlMap = Record<string, unknown>;

function isMap(value: unknown): value is YamlMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Candidate paths of `clouds.yaml`, in search order (an explicit `OS_CLIENT_CONFIG_FILE` alone). */
export function cloudsYamlCandidates(search: CloudsYamlSearch): string[] {
  const explicit = nonEmpty(search.env["OS_CLIENT_CONFIG_FILE"]);
  if (explicit !== undefined) return [resolve(search.cwd, explicit)];
  return searchDirs(search).map((dir) => join(dir, "clouds.yaml"));
}

function searchDirs(search: CloudsYamlSearch): string[] {
  return [search.cwd, join(search.homeDir, ".config", "openstack"), search.systemDir ?? "/etc/openstack"];
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** Reads a file, or undefined when it does not exist; other failures are configuration errors. */
async function readIfPresent(path: string, what: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new ConfigurationError(`Cannot read ${what} ${path}: ${String(code ?? "read error")}.`, {
      code: "ConfigFileUnreadable",
    });
  }
}

function parseYamlFile(text: string, path: string): YamlMap {
  // Loaded only when a clouds.yaml is read: most stacks set their keys in config or the environment.
  const { parse, YAMLParseError } = require("yaml") as typeof yamlModule;
  let document: unknown;
  try {
    // The failsafe schema reads every scalar as a string: a project id such as `1234e5` or `0123`
    // must not turn into a number.
    document = parse(text, { schema: "failsafe", uniqueKeys: true, prettyErrors: true });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      // Only the first line of yaml's message: the rest quotes the file, which may hold passwords.
      const position = error.linePos?.[0];
      const where = position === undefined ? "" : ` (line ${position.line}, column ${position.col})`;
      const summary = (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
      throw new ConfigurationError(`${path} is not valid YAML${where}: ${summary} [${error.code}].`, {
        code: "MalformedConfigFile",
      });
    }
    throw new ConfigurationError(`${path} is not valid YAML.`, { code: "MalformedConfigFile" });
  }
  if (document === null || document === undefined) return {};
  if (!isMap(document)) {
    throw new ConfigurationError(`${path} must contain a mapping with a "clouds" key at the top level.`, {
      code: "MalformedConfigFile",
    });
  }
  const clouds = document["clouds"];
  if (clouds !== undefined && clouds !== null && !isMap(clouds)) {
    throw new ConfigurationError(`${path}: "clouds" must be a mapping of cloud names to settings.`, {
      code: "MalformedConfigFile",
    });
  }
  return isMap(clouds) ? clouds : {};
}

function get(entry: YamlMap, dotted: string): unknown {
  let value: unknown = entry;
  for (const part of dotted.split(".")) {
    if (!isMap(value)) return undefined;
    value = value[part];
  }
  return value;
}

function deepMerge(base: YamlMap, over: YamlMap): YamlMap {
  const result: YamlMap = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const existing = result[key];
    result[key] = isMap(existing) && isMap(value) ? deepMerge(existing, value) : value;
  }
  return result;
}

/**
 * Finds `clouds.yaml` (`OS_CLIENT_CONFIG_FILE`, else `./`, `~/.config/openstack`, `/etc/openstack`), merges
 * `secure.yaml` (`OS_CLIENT_SECURE_FILE`, else next to clouds.yaml, then the same directories) over it, and
 * returns the named cloud. With no name, a file holding exactly one cloud gives that one.
 *
 * @param name - the cloud to select (`opentelekomcloud:cloud`, `OS_CLOUD`); undefined = the only one.
 * @param selectedBy - how the name was chosen, for messages (`OS_CLOUD`).
 * @returns the cloud, or undefined when no clouds.yaml exists and no name was asked for.
 * @throws ConfigurationError for an unreadable or malformed file, an unknown cloud name (listing the known
 *   ones), a named cloud without any clouds.yaml, several clouds and no name, or a value of the wrong type.
 */
export async function loadCloud(
  name: string | undefined,
  selectedBy: string | undefined,
  search: CloudsYamlSearch,
): Promise<LoadedCloud | undefined> {
  const candidates = cloudsYamlCandidates(search);
  let file: string | undefined;
  let text: string | undefined;
  for (const candidate of candidates) {
    text = await readIfPresent(candidate, "clouds.yaml");
    if (text !== undefined) {
      file = candidate;
      break;
    }
  }
  const explicitFile = nonEmpty(search.env["OS_CLIENT_CONFIG_FILE"]);
  if (file === undefined || text === undefined) {
    if (explicitFile !== undefined) {
      throw new ConfigurationError(
        `OS_CLIENT_CONFIG_FILE names ${candidates[0] ?? explicitFile}, which does not exist.`,
        { code: "ConfigFileNotFound" },
      );
    }
    if (name === undefined) return undefined;
    throw new ConfigurationError(
      `${selectedBy ?? "The configuration"} selects cloud "${name}", but no clouds.yaml was found ` +
        `(searched ${candidates.join(", ")}). Set OS_CLIENT_CONFIG_FILE to its path.`,
      { code: "ConfigFileNotFound" },
    );
  }
  const clouds = parseYamlFile(text, file);

  const explicitSecure = nonEmpty(search.env["OS_CLIENT_SECURE_FILE"]);
  const secureCandidates =
    explicitSecure !== undefined
      ? [resolve(search.cwd, explicitSecure)]
      : [...new Set([dirname(file), ...searchDirs(search)].map((dir) => join(dir, "secure.yaml")))];
  let secureFile: string | undefined;
  let secureClouds: YamlMap = {};
  for (const candidate of secureCandidates) {
    const secureText = await readIfPresent(candidate, "secure.yaml");
    if (secureText !== undefined) {
      secureFile = candidate;
      secureClouds = parseYamlFile(secureText, candidate);
      break;
    }
  }
  if (explicitSecure !== undefined && secureFile === undefined) {
    throw new ConfigurationError(
      `OS_CLIENT_SECURE_FILE names ${secureCandidates[0]}, which does not exist.`,
      {
        code: "ConfigFileNotFound",
      },
    );
  }

  const known = Object.keys(clouds);
  let selected = name;
  if (selected === undefined) {
    if (known.length !== 1) {
      throw new ConfigurationError(
        `${file} defines ${known.length === 0 ? "no clouds" : `several clouds (${known.join(", ")})`} and none ` +
          "is selected: set OS_CLOUD or opentelekomcloud:cloud to one of them.",
        { code: "UnknownCloud" },
      );
    }
    selected = known[0] as string;
  }
  const base = clouds[selected];
  if (!isMap(base)) {
    throw new ConfigurationError(
      base === undefined
        ? `${selectedBy ?? "The configuration"} selects cloud "${selected}", which ${file} does not define; ` +
            `known clouds: ${known.length === 0 ? "(none)" : known.join(", ")}.`
        : `${file}: clouds.${selected} must be a mapping of settings.`,
      { code: "UnknownCloud" },
    );
  }
  const secureEntry = secureClouds[selected];
  if (secureEntry !== undefined && !isMap(secureEntry)) {
    throw new ConfigurationError(`${secureFile}: clouds.${selected} must be a mapping of settings.`, {
      code: "MalformedConfigFile",
    });
  }
  const merged = secureEntry === undefined ? base : deepMerge(base, secureEntry);

  const values: Partial<Record<CloudValueName, string>> = {};
  const origins: Partial<Record<CloudValueName, string>> = {};
  for (const [valueName, keys] of keyMap) {
    for (const key of keys) {
      const raw = get(merged, key);
      if (raw === undefined || raw === null) continue;
      const origin = secureEntry !== undefined && get(secureEntry, key) !== undefined ? secureFile : file;
      if (typeof raw !== "string" && typeof raw !== "number") {
        throw new ConfigurationError(`${origin}: clouds.${selected}.${key} must be a string.`, {
          code: "MalformedConfigFile",
        });
      }
      const text = String(raw).trim();
      if (text === "") continue;
      values[valueName] = text;
      origins[valueName] = `${origin} clouds.${selected}.${key}`;
      break;
    }
  }
  return { name: selected, file, ...(secureFile === undefined ? {} : { secureFile }), values, origins };
}
