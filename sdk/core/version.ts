import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

// Walk up from this file rather than `require("../../package.json")`: the relative path differs between
// the sources (sdk/core) and the build (dist/sdk/core), and importing the JSON would make tsc copy a
// package.json into dist/, which would shadow the real one for Node's self-reference resolution.
function readVersion(): string {
  let dir = __dirname;
  for (let depth = 0; depth < 6; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === "fnstack" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // no package.json at this level: keep climbing
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return "0.0.0";
}

/** The version of this package, read once from its package.json (`0.0.0` if it cannot be found). */
export const version: string = readVersion();

/** The `User-Agent` every request carries: `fnstack/<version>`. */
export const userAgent = `fnstack/${version}`;
