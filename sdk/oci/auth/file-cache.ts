import { createHash } from "node:crypto";
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
 *
 * {@link resolveOverFiles} goes one step further for a result built from several files and other
 * inputs (the credentials): it is kept while its inputs are the same and none of its files changed.
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

/** The version of the file at `path` now, or `absent` when it cannot be seen (one `stat`). */
function versionNow(path: string): string {
  try {
    return versionOf(statSync(path));
  } catch {
    return absent;
  }
}

const absent = "absent";

/**
 * The version of each file one resolution read (or found absent), so that its result can be reused
 * exactly as long as none of them changed.
 */
export class FileReads {
  readonly #versions = new Map<string, string>();

  /** Records that the resolution found no file at `path` (it must stay absent). */
  absent(path: string): void {
    this.#versions.set(path, absent);
  }

  /** Records the version of `path` that a read used. */
  read(path: string, version: string): void {
    this.#versions.set(path, version);
  }

  /** True while every file recorded is as it was (one `stat` each). */
  unchanged(): boolean {
    for (const [path, version] of this.#versions) if (versionNow(path) !== version) return false;
    return true;
  }
}

function current(path: string, reads: FileReads | undefined): CachedFile {
  // A failed stat (ENOENT, EACCES on the directory) is the error reading would have given.
  const version = versionOf(statSync(path));
  reads?.read(path, version);
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
export async function readCachedText(path: string, reads?: FileReads): Promise<string> {
  return current(path, reads).text;
}

/**
 * `derive(text)` of the file at `path`, computed once per version of the file and `name` (a thrown
 * error is not kept: the next call tries again).
 */
export async function deriveFromFile<T>(
  path: string,
  name: string,
  derive: (text: string) => T,
  reads?: FileReads,
): Promise<T> {
  const entry = current(path, reads);
  const text = await entry.text;
  // `derive` is synchronous, so no other call can slip in between this check and the `set`.
  if (entry.derived.has(name)) return entry.derived.get(name) as T;
  const value = derive(text);
  entry.derived.set(name, value);
  return value;
}

interface Resolution {
  readonly reads: FileReads;
  readonly value: Promise<unknown>;
}

const resolutions = new Map<string, Resolution>();
/** Distinct inputs kept at most: one per account and region a deployment uses. */
const maxResolutions = 32;

/**
 * `resolve(reads)` for these `inputs`, computed once and reused while no file it read (through
 * `reads`) has changed; calls that ask while it runs share it. A rejection is not kept.
 *
 * `inputs` must hold everything besides the files that the result depends on. It is kept only as a
 * SHA-256 digest, so secrets among the inputs (a key in the stack config) are not held by the cache.
 *
 * Why: each OCI call resolves its credentials, and 200 concurrent creates each held their own copy
 * of the same result while they waited (issue 12).
 */
export function resolveOverFiles<T>(inputs: unknown, resolve: (reads: FileReads) => Promise<T>): Promise<T> {
  const key = createHash("sha256").update(JSON.stringify(inputs)).digest("base64");
  const cached = resolutions.get(key);
  if (cached !== undefined && cached.reads.unchanged()) return cached.value as Promise<T>;
  const reads = new FileReads();
  const value = resolve(reads);
  if (resolutions.size >= maxResolutions) resolutions.clear();
  const entry: Resolution = { reads, value };
  resolutions.set(key, entry);
  value.catch(() => {
    if (resolutions.get(key) === entry) resolutions.delete(key);
  });
  return value;
}
