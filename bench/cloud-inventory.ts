/**
 * What the emulator holds, read from its `--state` file (the emulator writes it after every change):
 * the live cloud resources of each fnstack kind. Tests and `npm run reliability` count them to find
 * duplicates (two cloud resources for one Pulumi resource) and leaks (anything left after destroy).
 */
import { existsSync, readFileSync } from "node:fs";

const gone = new Set(["DELETING", "DELETED"]);

interface EmulatorStateFile {
  services: {
    oci?: Record<string, Record<string, { id: string; wire: { lifecycleState?: string } }>>;
    functiongraph?: {
      projects: Record<
        string,
        {
          functions: {
            func_name: string;
            versions: { version: string }[];
            aliases: { name: string }[];
            triggers: { trigger_id: string }[];
          }[];
          dependencyVersions: { id: string }[];
        }
      >;
    };
  };
}

/** The live cloud resources by kind (`oci:Function`, `functiongraph:Alias`...), as identifiers. */
export function liveResources(statePath: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (kind: string, id: string): void => {
    found.set(kind, [...(found.get(kind) ?? []), id]);
  };
  // The emulator writes the file after its first change: none yet means nothing exists.
  if (!existsSync(statePath)) return found;
  const state = JSON.parse(readFileSync(statePath, "utf8")) as EmulatorStateFile;
  const oci = state.services.oci ?? {};
  for (const [collection, kind] of [
    ["applications", "oci:Application"],
    ["functions", "oci:Function"],
    ["containerInstances", "oci:ContainerInstance"],
  ] as const) {
    for (const r of Object.values(oci[collection] ?? {}))
      if (!gone.has(String(r.wire.lifecycleState))) add(kind, r.id);
  }
  for (const project of Object.values(state.services.functiongraph?.projects ?? {})) {
    for (const fn of project.functions) {
      add("functiongraph:Function", fn.func_name);
      for (const v of fn.versions)
        if (v.version !== "latest") add("functiongraph:Version", `${fn.func_name}:${v.version}`);
      for (const a of fn.aliases) add("functiongraph:Alias", `${fn.func_name}/${a.name}`);
      for (const t of fn.triggers) add("functiongraph:Trigger", t.trigger_id);
    }
    for (const d of project.dependencyVersions) add("functiongraph:DependencyVersion", d.id);
  }
  return found;
}

/** How many live cloud resources of `kind` the emulator holds. */
export function countLive(statePath: string, kind: string): number {
  return liveResources(statePath).get(kind)?.length ?? 0;
}
