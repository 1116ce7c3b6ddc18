import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(__dirname, "../..");

/** The relative modules `file` imports statically (`import … from "./x"`, `export … from "./x"`). */
function localImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)";/gms)].map(
    (m) => m[1] as string,
  );
  return specs
    .map((spec) => resolve(dirname(file), spec))
    .map((base) => [`${base}.ts`, join(base, "index.ts")].find((f) => existsSync(f)))
    .filter((f): f is string => f !== undefined);
}

/** The first import cycle reachable from `start`, as a list of paths, or undefined. */
function findCycle(start: string): string[] | undefined {
  const onPath: string[] = [];
  const done = new Set<string>();
  const visit = (file: string): string[] | undefined => {
    const at = onPath.indexOf(file);
    if (at >= 0) return [...onPath.slice(at), file];
    if (done.has(file)) return undefined;
    onPath.push(file);
    for (const next of localImports(file)) {
      const cycle = visit(next);
      if (cycle !== undefined) return cycle;
    }
    onPath.pop();
    done.add(file);
    return undefined;
  };
  return visit(start);
}

describe("provider module graph", () => {
  it("has no static import cycle through runtime.ts and partial-failure.ts (issue 9)", () => {
    for (const entry of ["provider/runtime.ts", "provider/partial-failure.ts"]) {
      const cycle = findCycle(join(root, entry));
      assert.equal(cycle?.map((f) => relative(root, f)).join(" -> "), undefined, `cycle from ${entry}`);
    }
  });
});
