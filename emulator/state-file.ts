import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** The `--state FILE` format. */
export interface StateFile {
  readonly version: 1;
  /** Each service's `exportState()`, by service name. */
  readonly services: Record<string, unknown>;
}

/** Reads a state file; undefined when it does not exist. Throws on a corrupt file (better than losing state). */
export function readStateFile(path: string): StateFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<StateFile>;
  if (parsed.version !== 1 || typeof parsed.services !== "object" || parsed.services === null) {
    throw new Error(`${path} is not an fnstack emulator state file (version 1)`);
  }
  return parsed as StateFile;
}

/**
 * Writes a state file atomically: a temporary file in the same directory, then `rename` over the
 * target, so a crash mid-write leaves the previous state intact.
 */
export function writeStateFile(path: string, state: StateFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(state), { mode: 0o600 });
  renameSync(temp, path);
}
