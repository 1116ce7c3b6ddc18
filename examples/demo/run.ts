/**
 * `npm run demo`: the demo stack (examples/demo, a Pulumi project of its own) through its whole life
 * on the embedded emulator, without the Pulumi CLI or a cloud. The program runs under `@pulumi/pulumi`'s
 * own runner (`cmd/run`) against the engine model (engine-model/), which drives the real
 * dynamic-provider plugin, which loads fnstack from `dist/` and calls the emulator.
 *
 * Steps: preview of a new stack → up → drift behind the provider's back (emulator control API) →
 * drift check (`pulumi refresh --preview-only --expect-no-changes`: must fail, naming each drift) →
 * refresh → preview (exactly the real changes, no replacement) → up → drift check (must pass) →
 * preview (no changes) → destroy, then the emulator is asked what is left. Any step that does not
 * behave as expected ends the run with a message and exit code 1.
 *
 * Usage: `ts-node --transpile-only examples/demo/run.ts [--keep]` (`--keep` leaves the temporary
 * directory with the state file, in `pulumi stack export` format).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type * as emulatorModule from "../../emulator/index";
import { EngineModel, type OperationResult, type Step, shortType } from "../../engine-model/engine";
import type { ResourceV3 } from "../../engine-model/state";
import { leftovers } from "./verify";

// The emulator as `npm ci` built it into dist/, through its public entry point: compiling its sources
// with ts-node would add seconds to every run.
const { startEmulator } = require("fnstack/emulator") as typeof emulatorModule;
type RunningEmulator = emulatorModule.RunningEmulator;

const repoRoot = resolve(__dirname, "..", "..");
const stack = "dev";

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Where the log lines go; default `console.log`. */
  readonly log?: (line: string) => void;
  /** Keep the temporary directory (state file, emulator data); default false. */
  readonly keep?: boolean;
  /** Include the FunctionGraph resources; default: when fnstack's FunctionGraph auth is built. */
  readonly functiongraph?: boolean;
  /**
   * Change and delete resources behind the provider's back before the refresh; default true. `false`
   * is for tests: the drift check then finds nothing and the demo must fail saying so.
   */
  readonly drift?: boolean;
}

/** What each step did; the test asserts on it. */
export interface DemoReport {
  readonly functiongraph: boolean;
  readonly preview: OperationResult;
  readonly up: OperationResult;
  /** The resources changed and deleted behind the provider's back: `{urn, action, patch?}`. */
  readonly drift: readonly { urn: string; action: "change" | "delete"; patch?: Record<string, unknown> }[];
  /** `refresh --preview-only --expect-no-changes` after the drift. */
  readonly driftCheck: OperationResult;
  readonly refresh: OperationResult;
  readonly previewAfterDrift: OperationResult;
  readonly upAfterDrift: OperationResult;
  /** `refresh --preview-only --expect-no-changes` after the repair. */
  readonly driftCheckAfterRepair: OperationResult;
  readonly finalPreview: OperationResult;
  readonly destroy: OperationResult;
  /** Live resources the emulator still held after destroy. */
  readonly leftovers: readonly string[];
  readonly durationMs: number;
  /** API requests the emulator served, per service. */
  readonly requests: Readonly<Record<string, number>>;
}

/** A step that did not behave as expected. */
export class DemoFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DemoFailure";
  }
}

/** Whether fnstack's FunctionGraph credentials module is in dist/ (FunctionGraph handlers need it). */
export function functionGraphAvailable(): boolean {
  return existsSync(join(repoRoot, "dist", "sdk", "functiongraph", "session.js"));
}

/** Runs the demo; resolves with what each step did, or rejects with a {@link DemoFailure}. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const withFunctionGraph = options.functiongraph ?? functionGraphAvailable();
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), "fnstack-demo-"));
  const emulator = await startEmulator({
    dataDir: join(workDir, "emulator"),
    timing: { lifecycleMs: 200, workRequestMs: 300, triggerMs: 200 },
  });
  const statePath = join(workDir, "state.json");
  try {
    log(`fnstack demo: emulator at ${emulator.url}, state in ${statePath}`);
    if (!withFunctionGraph) {
      log(
        "FunctionGraph resources left out: fnstack's FunctionGraph credentials module (sdk/functiongraph/session) is not built yet.",
      );
    }
    // `pulumi <command>` in examples/demo, with the stack config set and the emulator's credentials
    // files in the environment, as examples/demo/README.md has a user do.
    const engine = new EngineModel({
      projectDir: __dirname,
      stack,
      statePath,
      config: stackConfig(emulator, withFunctionGraph),
      env: cliEnvironment(emulator),
      log,
    });
    const expectedCount = withFunctionGraph ? 10 : 4;

    // (a) preview of a new stack
    const preview = await operation(log, "pulumi preview (new stack)", () => engine.preview());
    expect(
      preview.steps.length === expectedCount && preview.steps.every((s) => s.op === "create"),
      `preview of a new stack should plan ${expectedCount} creates, planned: ${summary(preview.steps)}`,
    );
    expect(engine.state().resources.length === 0, "preview must not change the state");

    // (b) up (its preview is the one above: this is the update deployment)
    const up = await operation(log, "pulumi up --skip-preview", () => engine.up());
    expect(
      up.steps.length === expectedCount && up.steps.every((s) => s.op === "create"),
      `up should create ${expectedCount} resources, did: ${summary(up.steps)}`,
    );
    printOutputs(log, up.outputs);
    expect(
      up.outputs.ociSmokeResponse === JSON.stringify({ name: "fnstack" }),
      `the OCI function should echo the invocation body, answered ${JSON.stringify(up.outputs.ociSmokeResponse)}`,
    );

    // (c) drift behind the provider's back
    section(log, "drift (emulator control API)");
    const state = engine.state().resources;
    const drift: DemoReport["drift"][number][] = [
      { urn: urnOf(state, "hello"), action: "change", patch: { memoryInMBs: 1024 } },
      { urn: urnOf(state, "web"), action: "delete" },
    ];
    if (withFunctionGraph)
      drift.push({ urn: urnOf(state, "greeter"), action: "change", patch: { timeout: 99 } });
    for (const d of options.drift === false ? [] : drift) {
      const resource = state.find((r) => r.urn === d.urn) as ResourceV3;
      await control(emulator, "POST", "drift", { action: d.action, resourceId: resource.id, patch: d.patch });
      log(
        `  ${d.action === "change" ? "~" : "-"}  ${shortType(resource.type).padEnd(32)} ${nameOf(resource.urn).padEnd(18)} ${
          d.action === "change" ? `changed: ${JSON.stringify(d.patch)}` : "deleted"
        }`,
      );
    }

    // (d) the CI drift check: must fail and name each drifted resource and property
    const driftCheck = await operation(log, "pulumi refresh --preview-only --expect-no-changes", () =>
      engine.refresh({ previewOnly: true, expectNoChanges: true }),
    );
    log(`  exit code ${driftCheck.exitCode}`);
    for (const d of drift) expectDriftFound(driftCheck, d);
    expect(driftCheck.exitCode === 7, `the drift check should exit 7, exited ${driftCheck.exitCode}`);

    // (e) refresh
    const refresh = await operation(log, "pulumi refresh", () => engine.refresh());
    expect(refresh.exitCode === 0, `refresh failed: ${refresh.error}`);
    for (const d of drift) expectDriftFound(refresh, d);

    // (f) preview against the program: exactly the real changes
    const previewAfterDrift = await operation(log, "pulumi preview (after refresh)", () => engine.preview());
    for (const d of drift) {
      const step = previewAfterDrift.steps.find((s) => s.urn === d.urn);
      const wanted = d.action === "delete" ? "create" : "update";
      expect(
        step?.op === wanted,
        `preview should plan to ${wanted} ${d.urn}, planned ${step?.op ?? "nothing"}`,
      );
    }
    const changing = previewAfterDrift.steps.filter((s) => s.op !== "same");
    expect(
      changing.length === drift.length,
      `preview should plan exactly the ${drift.length} real changes, planned: ${summary(changing)}`,
    );

    // (g) up again
    const upAfterDrift = await operation(log, "pulumi up --skip-preview (back to the program)", () =>
      engine.up(),
    );
    for (const d of drift) {
      const step = upAfterDrift.steps.find((s) => s.urn === d.urn);
      const wanted = d.action === "delete" ? "create" : "update";
      expect(step?.op === wanted, `up should ${wanted} ${d.urn}, did ${step?.op ?? "nothing"}`);
    }

    // (h) the drift check passes again
    const driftCheckAfterRepair = await operation(
      log,
      "pulumi refresh --preview-only --expect-no-changes",
      () => engine.refresh({ previewOnly: true, expectNoChanges: true }),
    );
    log(`  exit code ${driftCheckAfterRepair.exitCode}`);
    expect(
      driftCheckAfterRepair.exitCode === 0,
      `the drift check after the repair should exit 0, exited ${driftCheckAfterRepair.exitCode}: ${summary(
        driftCheckAfterRepair.steps.filter((s) => s.op !== "same"),
      )}`,
    );

    // (i) a last preview: nothing to do
    const finalPreview = await operation(log, "pulumi preview (must show no changes)", () =>
      engine.preview(),
    );
    const pending = finalPreview.steps.filter((s) => s.op !== "same");
    expect(
      pending.length === 0,
      `the last preview should show no changes (a perpetual diff otherwise), planned: ${summary(pending)}`,
    );

    // (j) destroy
    const destroy = await operation(log, "pulumi destroy --skip-preview", () => engine.destroy());
    expect(
      destroy.steps.length === expectedCount && destroy.steps.every((s) => s.op === "delete"),
      `destroy should delete ${expectedCount} resources, did: ${summary(destroy.steps)}`,
    );
    const left = await leftovers(emulator, withFunctionGraph);
    section(log, "emulator check");
    expect(left.length === 0, `destroy left resources in the emulator: ${left.join("; ")}`);
    expect(engine.state().resources.length === 0, "destroy should leave an empty state");
    log(
      "  nothing left: no live OCI application or container instance, no FunctionGraph function or dependency",
    );

    const requests = await requestCounts(emulator);
    const durationMs = Date.now() - started;
    log("");
    log(
      `demo passed in ${(durationMs / 1000).toFixed(1)} s; the emulator served ${Object.entries(requests)
        .map(([service, n]) => `${n} ${service}`)
        .join(" and ")} API requests`,
    );
    return {
      functiongraph: withFunctionGraph,
      preview,
      up,
      drift,
      driftCheck,
      refresh,
      previewAfterDrift,
      upAfterDrift,
      driftCheckAfterRepair,
      finalPreview,
      destroy,
      leftovers: left,
      durationMs,
      requests,
    };
  } finally {
    await emulator.close();
    if (options.keep) log(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

/** A refresh step for each drift: `update` with the changed property, or `delete`. */
function expectDriftFound(result: OperationResult, d: DemoReport["drift"][number]): void {
  const step = result.steps.find((s) => s.urn === d.urn);
  if (d.action === "delete") {
    expect(step?.op === "delete", `refresh should find ${d.urn} deleted, saw ${step?.op ?? "nothing"}`);
    return;
  }
  const key = Object.keys(d.patch ?? {})[0] as string;
  expect(
    step?.op === "update" && step.changes.some((c) => c.key === key),
    `refresh should find ${key} of ${d.urn} changed, saw ${step === undefined ? "nothing" : JSON.stringify(step)}`,
  );
}

/**
 * The CLI's environment: the user's, minus their own cloud settings, plus the emulator's credentials
 * files. `PULUMI_NODEJS_TRANSPILE_ONLY` spares the type check of ts-node in every program run
 * (`tsc -p examples/demo` checks the program in the tests).
 */
export function cliEnvironment(emulator: RunningEmulator): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(OCI_|OS_|FNSTACK_|PULUMI_)/.test(key)) env[key] = value;
  }
  return {
    ...env,
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    OCI_CONFIG_FILE: emulator.oci.configFile,
    OS_CLIENT_CONFIG_FILE: emulator.functiongraph.cloudsYaml,
    OS_CLOUD: emulator.functiongraph.cloud,
    // The emulator settles in a few hundred ms: poll it often.
    FNSTACK_POLL_MIN_INTERVAL_MS: "25",
    FNSTACK_POLL_MAX_INTERVAL_MS: "100",
    FNSTACK_RETRY_BASE_DELAY_MS: "20",
    FNSTACK_RETRY_MAX_DELAY_MS: "200",
    FNSTACK_RETRY_JITTER_MS: "10",
  };
}

/** The stack config (`pulumi config set ...`): endpoints and the development compartment and subnet. */
export function stackConfig(emulator: RunningEmulator, withFunctionGraph: boolean): Record<string, string> {
  return {
    "fnstack:ociEndpoint": emulator.url,
    "fnstack:functiongraphEndpoint": emulator.url,
    "fnstack-demo:compartmentId": emulator.oci.compartmentOcid,
    "fnstack-demo:subnetId": emulator.oci.subnetOcid,
    "fnstack-demo:functiongraph": String(withFunctionGraph),
  };
}

async function operation(
  log: (line: string) => void,
  title: string,
  run: () => Promise<OperationResult>,
): Promise<OperationResult> {
  section(log, title);
  const result = await run();
  const counts = new Map<string, number>();
  for (const step of result.steps) counts.set(step.op, (counts.get(step.op) ?? 0) + 1);
  const verbs: Record<string, string> =
    result.operation === "refresh"
      ? { update: "changed", delete: "gone", same: "unchanged" }
      : result.operation === "preview"
        ? {
            create: "to create",
            update: "to update",
            replace: "to replace",
            delete: "to delete",
            same: "unchanged",
          }
        : { create: "created", update: "updated", replace: "replaced", delete: "deleted", same: "unchanged" };
  const parts = [...counts].map(([op, n]) => `${n} ${verbs[op] ?? op}`);
  log(`  Resources: ${parts.join(", ") || "none"}  (${(result.durationMs / 1000).toFixed(1)} s)`);
  if (result.error !== undefined && result.exitCode !== 7 && result.operation !== "refresh") {
    throw new DemoFailure(`${title} failed: ${result.error}`);
  }
  return result;
}

function section(log: (line: string) => void, title: string): void {
  log("");
  log(`== ${title}`);
}

function printOutputs(log: (line: string) => void, outputs: Record<string, unknown>): void {
  log("  Outputs:");
  for (const [key, value] of Object.entries(outputs)) {
    if (value !== undefined) log(`    ${key.padEnd(24)} ${JSON.stringify(value)}`);
  }
}

function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new DemoFailure(message);
}

function summary(steps: readonly Step[]): string {
  return steps.map((s) => `${s.op} ${s.type} ${s.name}`).join(", ") || "nothing";
}

function nameOf(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

function urnOf(resources: readonly ResourceV3[], name: string): string {
  const found = resources.find((r) => r.custom && nameOf(r.urn) === name);
  if (found === undefined) throw new DemoFailure(`resource ${name} is not in the state`);
  return found.urn;
}

async function control(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  try {
    return await emulator.control(method, path, body);
  } catch (err) {
    throw new DemoFailure(err instanceof Error ? err.message : String(err));
  }
}

async function requestCounts(emulator: RunningEmulator): Promise<Record<string, number>> {
  const stats = (await control(emulator, "GET", "stats")) as {
    requests: Record<string, Record<string, number>>;
  };
  return Object.fromEntries(
    Object.entries(stats.requests).map(([service, ops]) => [
      service,
      Object.values(ops).reduce((a, b) => a + b, 0),
    ]),
  );
}

if (require.main === module) {
  runDemo({ keep: process.argv.includes("--keep") }).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error("");
      console.error(
        err instanceof DemoFailure
          ? `demo FAILED: ${err.message}`
          : `demo FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      process.exit(1);
    },
  );
}
