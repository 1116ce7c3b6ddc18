/**
 * `npm run reliability`: the fault matrix of issue 11. The demo stack (examples/demo: 4 OCI and 6
 * FunctionGraph resources) goes through its whole life — up → refresh → up → destroy — through the real
 * dynamic-provider plugin and the engine model (bench/reliability-stack.ts), against a fresh emulator
 * per run that injects faults, and the emulator's own state is then asked what exists.
 *
 * Settings (each run gets its own seed, printed, so a run repeats):
 *
 * - fault-free: the reference for time.
 * - mixed: on every request of both clouds, rules tried in this order (the first that fires wins):
 *   5 % "processed, answer lost" (applied, then the connection is dropped), 2 % connection reset before
 *   handling, 10 % HTTP 500, 5 % HTTP 429, and +100 ms latency on half the requests. Invocations
 *   (OCI InvokeFunction, FunctionGraph InvokeFunction) only get the latency: fnstack deliberately never
 *   repeats an invocation that may have run (docs/pulumi.md, "Faults").
 * - 30% 5xx: HTTP 500 on 30 % of the same requests.
 * - kills: no HTTP faults; during each create the plugin is killed (SIGKILL) once, at a random point
 *   between the request and the answer, and the step is run again with a new plugin, as a user would.
 *
 * Per setting it prints: runs, failed steps (operations that ended in an error; each is run again, up to
 * a bound), runs that converged (every step eventually succeeded), leaked resources (live in the
 * emulator after destroy), duplicates (live cloud resources beyond the state's, after each successful
 * up: two cloud resources for one Pulumi resource), and the mean time of a run against the fault-free
 * one. It asserts nothing (bench/ rule); the figures are the result.
 *
 * Usage: `npm run reliability -- [--reference-runs 3] [--runs 20] [--heavy-runs 5] [--kill-runs 5] [--seed 1]` (run
 * `npm run build` first: the plugin loads fnstack from dist/).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as emulatorModule from "../emulator/index";
import { liveResources } from "./cloud-inventory";
import type { ResourceTarget } from "../engine-model/plugin";
import { DemoStack, type StateResource } from "./reliability-stack";
import { printTable } from "./table";

const { startEmulator } = require("fnstack/emulator") as typeof emulatorModule;
type RunningEmulator = emulatorModule.RunningEmulator;

/** A fault rule body of the control API. */
type Rule = Record<string, unknown>;

interface Setting {
  readonly name: string;
  readonly runs: number;
  /** Tries per step before the run counts as not converged. */
  readonly triesPerStep: number;
  readonly rules: (seed: number) => Rule[];
  readonly kills?: boolean;
}

interface RunOutcome {
  readonly seed: number;
  readonly failedSteps: number;
  readonly converged: boolean;
  readonly leaked: number;
  readonly duplicates: number;
  readonly ms: number;
  readonly errors: readonly string[];
  readonly fired: Readonly<Record<string, number>>;
  /** Plugin kills that landed during a create. */
  readonly kills: number;
}

const invokeOperations = ["InvokeFunction", "AsyncInvokeFunction"];
const services = ["oci", "functiongraph"] as const;

function mixedRules(seed: number): Rule[] {
  const except = { exceptOperations: invokeOperations };
  return services.flatMap((service, i) => {
    const s = seed * 16 + i * 8;
    return [
      { service, answerLost: true, probability: 0.05, seed: s + 1, message: "answer lost", ...except },
      { service, connectionReset: true, probability: 0.02, seed: s + 2, message: "reset", ...except },
      { service, status: 500, probability: 0.1, seed: s + 3, ...except },
      { service, status: 429, probability: 0.05, seed: s + 4, ...except },
      { service, latencyMs: 100, probability: 0.5, seed: s + 5 },
    ];
  });
}

function heavyRules(seed: number): Rule[] {
  return services.map((service, i) => ({
    service,
    status: 500,
    probability: 0.3,
    seed: seed * 16 + i,
    exceptOperations: invokeOperations,
  }));
}

/** Live cloud resources by Pulumi type, from the emulator's state file. */
function inventory(statePath: string): Map<string, number> {
  return new Map([...liveResources(statePath)].map(([kind, ids]) => [kind, ids.length]));
}

/** Live cloud resources beyond what the state holds, summed over kinds. */
function duplicates(live: Map<string, number>, resources: readonly StateResource[]): number {
  let extra = 0;
  for (const [kind, n] of live) {
    const inState = resources.filter((r) => r.type.endsWith(`fnstack/${kind}`)).length;
    extra += Math.max(0, n - inState);
  }
  return extra;
}

function control(emulator: RunningEmulator, method: string, path: string, body?: unknown): Promise<unknown> {
  return emulator.control(method, path, body);
}

/** How often each kind of fault fired, from the rules' counters. */
async function firedFaults(emulator: RunningEmulator): Promise<Record<string, number>> {
  const { faults } = (await control(emulator, "GET", "faults")) as { faults: (Rule & { fired: number })[] };
  const out: Record<string, number> = {};
  for (const f of faults) {
    const kind = f.answerLost
      ? "answer lost"
      : f.connectionReset
        ? "reset"
        : f.status !== undefined
          ? String(f.status)
          : "latency";
    out[kind] = (out[kind] ?? 0) + f.fired;
  }
  return out;
}

/** Create durations of the fault-free run, by resource name: where a kill may land. */
const createMs = new Map<string, number>();

async function run(setting: Setting, seed: number): Promise<RunOutcome> {
  const workDir = mkdtempSync(join(tmpdir(), "fnstack-reliability-"));
  const statePath = join(workDir, "emulator-state.json");
  const emulator = await startEmulator({
    dataDir: join(workDir, "emulator"),
    statePath,
    seed,
    timing: { lifecycleMs: 200, workRequestMs: 300, triggerMs: 200 },
  });
  const random = mulberry32(seed);
  const killed = new Set<string>();
  let kills = 0;
  const stack = new DemoStack({
    emulator,
    statePath: join(workDir, "state.json"),
    killDuringCreate: setting.kills
      ? (target: ResourceTarget) => {
          const name = target.name ?? "";
          if (killed.has(name)) return undefined;
          killed.add(name);
          return Math.floor(random() * (createMs.get(name) ?? 500));
        }
      : undefined,
    onKill: () => {
      kills++;
    },
    onCreateDone:
      setting.rules(seed).length === 0 && !setting.kills
        ? (target, ms) => createMs.set(target.name ?? "", Math.max(ms, createMs.get(target.name ?? "") ?? 0))
        : undefined,
  });
  const started = Date.now();
  let failedSteps = 0;
  let converged = true;
  let dups = 0;
  const errors: string[] = [];
  let fired: Record<string, number> = {};
  try {
    for (const rule of setting.rules(seed)) await control(emulator, "POST", "faults", rule);
    const steps: [string, () => Promise<void>][] = [
      ["up", () => stack.up()],
      ["refresh", () => stack.refresh()],
      ["up", () => stack.up()],
      ["destroy", () => stack.destroy()],
    ];
    for (const [name, step] of steps) {
      let done = false;
      for (let attempt = 1; attempt <= setting.triesPerStep && !done; attempt++) {
        try {
          await step();
          done = true;
        } catch (err) {
          failedSteps++;
          const text = err instanceof Error ? err.message : String(err);
          errors.push(`${name}: ${text.split("\n").slice(0, 3).join(" ").slice(0, 300)}`);
        }
      }
      if (!done) {
        converged = false;
        break;
      }
      if (name === "up") dups = Math.max(dups, duplicates(inventory(statePath), stack.resources()));
    }
    fired = await firedFaults(emulator);
    await control(emulator, "DELETE", "faults");
  } finally {
    await stack.close();
  }
  const ms = Date.now() - started;
  const live = inventory(statePath);
  const leaked = [...live.values()].reduce((a, b) => a + b, 0);
  await emulator.close();
  rmSync(workDir, { recursive: true, force: true });
  return { seed, failedSteps, converged, leaked, duplicates: dups, ms, errors, fired, kills };
}

/** A small seeded PRNG (mulberry32), so a run's kill points repeat with its seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`--${name} must be an integer ≥ 0`);
  return value;
}

async function main(): Promise<void> {
  const firstSeed = option("seed", 1);
  const settings: Setting[] = [
    { name: "fault-free", runs: option("reference-runs", 3), triesPerStep: 1, rules: () => [] },
    { name: "mixed", runs: option("runs", 20), triesPerStep: 3, rules: mixedRules },
    { name: "30% 5xx", runs: option("heavy-runs", 5), triesPerStep: 6, rules: heavyRules },
    { name: "kills", runs: option("kill-runs", 5), triesPerStep: 12, rules: () => [], kills: true },
  ];
  const table: string[][] = [
    [
      "setting",
      "runs",
      "failed steps",
      "converged",
      "leaked",
      "duplicates",
      "mean run",
      "vs fault-free",
      "faults fired",
    ],
  ];
  let reference: number | undefined;
  let seed = firstSeed;
  for (const setting of settings) {
    const outcomes: RunOutcome[] = [];
    for (let i = 0; i < setting.runs; i++) {
      const outcome = await run(setting, seed++);
      outcomes.push(outcome);
      console.log(
        `${setting.name} run ${i + 1}/${setting.runs} (seed ${outcome.seed}): ${outcome.failedSteps} failed steps, ` +
          `${outcome.leaked} leaked, ${outcome.duplicates} duplicates, ${(outcome.ms / 1000).toFixed(1)} s` +
          (outcome.converged ? "" : ", NOT converged"),
      );
      for (const e of outcome.errors.slice(0, 3)) console.log(`    ${e}`);
    }
    if (outcomes.length === 0) continue;
    const mean = outcomes.reduce((a, o) => a + o.ms, 0) / outcomes.length;
    reference ??= mean;
    const fired: Record<string, number> = {};
    for (const o of outcomes) for (const [k, n] of Object.entries(o.fired)) fired[k] = (fired[k] ?? 0) + n;
    const kills = setting.kills
      ? `plugin killed during ${outcomes.reduce((a, o) => a + o.kills, 0)} creates`
      : "";
    table.push([
      setting.name,
      String(outcomes.length),
      String(outcomes.reduce((a, o) => a + o.failedSteps, 0)),
      `${outcomes.filter((o) => o.converged).length}/${outcomes.length}`,
      String(outcomes.reduce((a, o) => a + o.leaked, 0)),
      String(outcomes.reduce((a, o) => a + o.duplicates, 0)),
      `${(mean / 1000).toFixed(1)} s`,
      `${(mean / reference).toFixed(2)}×`,
      kills ||
        Object.entries(fired)
          .map(([k, n]) => `${k}: ${n}`)
          .join(", ") ||
        "none",
    ]);
  }
  console.log("");
  printTable(table);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
