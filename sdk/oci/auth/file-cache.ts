import { type Stats, statSync } from "node:fs";
import { readFile } from "node:fs/promises";

/**
 * The OCI config, key and token files, read once per version of each file and shared by every call of
 * the process.
 *
 * Why: every operation resolves its credentials, and one plugin serves every resource of a deployment;
 * 200 concurrent creates read and parsed the same config file and key 400 times, about a quarter of
 * what fnstack allocated while they started (issue 12). A file is read again, and what was derived
 * from it made again, as soon as its identity, size or times change (`oci session refresh` rewriting
 * a token, an edited profile), so nothing stale is ever used. The check is one `stat` per use.
 */
interface CachedFile {
  readonly version: string;
  /** The read, shared by the calls that ask while it runs (200 creates starting at once read once). */
  readonly text: Promise<string>;
  /** Values derived from this version of the text (its parse), by name. */
  readonly derived: Map<string, unknown>;
}

const files = new Map<string, CachedFile>();

/** What changes when the file does: which file it is, its size, and its modification and change times. */
function versionOf(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

function current(path: string): CachedFile {
  // A failed stat (ENOENT, EACCES on the directory) is the error reading would have given.
  const version = versionOf(statSync(path));
  const cached = files.get(path);
  if (cached?.version === version) return cached;
  // Stat taken before the read: a change during the read shows as a new version at the next use.
  const entry: CachedFile = { version, text: readFile(path, "utf8"), derived: new Map() };
  files.set(path, entry);
  // A failed read is not kept: the next call tries again.
  entry.text.catch(() => {
    if (files.get(path) === entry) files.delete(path);
  });
  return entry;
}

/** The text of the file at `path` (UTF-8), from the cache while the file is unchanged. */
export async function readCachedText(path: string): Promise<string> {
  return current(path).text;
}

/**
 * `derive(text)` of the file at `path`, computed once per version of the file and `name` (a thrown
 * error is not kept: the next call tries again).
 */
export async function deriveFromFile<T>(path: string, name: string, derive: (text: string) => T): Promise<T> {
  const entry = current(path);
  const text = await entry.text;
  // `derive` is synchronous, so no other call can slip in between this check and the `set`.
  if (entry.derived.has(name)) return entry.derived.get(name) as T;
  const value = derive(text);
  entry.derived.set(name, value);
  return value;
}
