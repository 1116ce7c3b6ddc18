import { ConfigurationError } from "../../core/errors";

/** One `[PROFILE]` section of an OCI config file. */
export interface OciConfigProfile {
  /** Profile name as written between the brackets. */
  readonly name: string;
  /** 1-based line of the `[NAME]` header. */
  readonly line: number;
  /** Keys (lowercased) → values (trimmed). */
  readonly values: ReadonlyMap<string, string>;
}

/** A parsed OCI config file (`~/.oci/config`). */
export interface OciConfigFile {
  /** Path it was read from, for messages. */
  readonly path: string;
  /** Profiles by name (case-sensitive, as the SDKs treat them). */
  readonly profiles: ReadonlyMap<string, OciConfigProfile>;
}

/** The profile whose values every other profile inherits. */
export const defaultProfileName = "DEFAULT";

/**
 * Parses the INI dialect of OCI config files: `[PROFILE]` headers, `key=value` lines (split at the first
 * `=`, both sides trimmed, keys case-insensitive), blank lines and whole-line `#` or `;` comments. A `#`
 * later in a line is part of the value (pass phrases may contain one). Throws a
 * {@link ConfigurationError} naming the file and the line for: a key outside any profile, a line that is
 * neither header, comment nor `key=value`, an empty key or profile name, a repeated profile or a
 * repeated key in one profile. Messages never quote a line's value, which may be secret.
 *
 * @param path used only in messages.
 */
export function parseOciConfigFile(text: string, path: string): OciConfigFile {
  const profiles = new Map<string, OciConfigProfile>();
  let current:
    { name: string; line: number; values: Map<string, string>; keyLines: Map<string, number> } | undefined;
  const fail = (line: number, rule: string): never => {
    throw new ConfigurationError(`OCI config file ${path}, line ${line}: ${rule}.`);
  };
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    if (line.startsWith("[")) {
      const match = /^\[([^\]]*)\]$/.exec(line);
      if (match === null) return fail(lineNo, "a profile header must look like [NAME]");
      const name = (match[1] ?? "").trim();
      if (name === "") return fail(lineNo, "the profile name is empty");
      const earlier = profiles.get(name);
      if (earlier !== undefined)
        return fail(lineNo, `profile [${name}] is already defined at line ${earlier.line}`);
      current = { name, line: lineNo, values: new Map(), keyLines: new Map() };
      profiles.set(name, current);
      return;
    }
    const eq = line.indexOf("=");
    if (eq < 0) return fail(lineNo, "expected key=value, a [PROFILE] header or a # comment");
    const key = line.slice(0, eq).trim().toLowerCase();
    if (key === "") return fail(lineNo, "the key before '=' is empty");
    if (!/^[a-z0-9_.-]+$/.test(key)) {
      return fail(lineNo, "a key may only contain letters, digits, '_', '.' and '-'");
    }
    if (current === undefined) return fail(lineNo, `key "${key}" appears before any [PROFILE] header`);
    const earlierLine = current.keyLines.get(key);
    if (earlierLine !== undefined) {
      return fail(
        lineNo,
        `key "${key}" is repeated in profile [${current.name}] (first at line ${earlierLine})`,
      );
    }
    current.keyLines.set(key, lineNo);
    current.values.set(key, line.slice(eq + 1).trim());
  });
  return {
    path,
    profiles: new Map([...profiles].map(([name, p]) => [name, { name, line: p.line, values: p.values }])),
  };
}

/**
 * Reads `key` for `profile`, falling back to the `[DEFAULT]` profile as the OCI SDKs do. Empty values
 * count as unset. Undefined when neither profile sets it.
 */
export function lookupOciConfigValue(
  file: OciConfigFile,
  profile: string,
  key: string,
): { readonly value: string; readonly profile: string } | undefined {
  for (const name of profile === defaultProfileName ? [profile] : [profile, defaultProfileName]) {
    const value = file.profiles.get(name)?.values.get(key.toLowerCase());
    if (value !== undefined && value !== "") return { value, profile: name };
  }
  return undefined;
}
