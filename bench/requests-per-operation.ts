/**
 * Prints the wire cost of each Pulumi operation: for every resource kind fnstack ships, how many API
 * requests its handler sends for create, read (refresh), a no-op diff, an in-place update and delete,
 * and which operations they were.
 *
 * Run: `npx ts-node --transpile-only bench/requests-per-operation.ts`
 *
 * Each kind is driven in this process through `handlerFor(kind)` (what the plugin calls), against the
 * local emulator with the provider tests' short timing (lifecycle 100 ms, work requests 150 ms,
 * triggers 100 ms) and polls of 20–100 ms. Counts are deltas of `GET /_emulator/stats` around each step,
 * all services together (OCI, FunctionGraph, IAM). A step is what the engine does for one Pulumi
 * operation: `create` = check + create, `no-op diff` = check + diff with the created inputs,
 * `update` = check + diff + update with one in-place change (named in the `change` column; kinds whose
 * every input change replaces say so and send no update).
 *
 * Read the counts as "fixed requests + polls": `GetX×n` and `GetWorkRequest×n` are waits for a
 * lifecycle state, and n grows with how long the real service takes (here ~100–150 ms against polls
 * every 20–100 ms; against a real cloud the poll schedule of `bench/waiter-schedule.ts` applies). The
 * other requests do not depend on timing. Operations are listed in the order the emulator's counters
 * first saw them, not in sending order.
 */
import { startEmulator, type RunningEmulator } from "../emulator/index";
import type { Props, ResourceHandler } from "../provider/handler";
import { configure, handlerFor } from "../provider/runtime";

type Counts = Record<string, number>;

async function snapshot(emulator: RunningEmulator): Promise<Counts> {
  const response = await fetch(`${emulator.url}/_emulator/stats`);
  const stats = (await response.json()) as { requests: Record<string, Record<string, number>> };
  const counts: Counts = {};
  for (const byOperation of Object.values(stats.requests)) {
    for (const [operation, n] of Object.entries(byOperation))
      counts[operation] = (counts[operation] ?? 0) + n;
  }
  return counts;
}

/** Requests sent while `action` ran, as a total and an "Op×n, Op" summary. */
async function counted<T>(
  emulator: RunningEmulator,
  action: () => Promise<T>,
): Promise<{ value: T; total: number; detail: string }> {
  const before = await snapshot(emulator);
  const value = await action();
  const after = await snapshot(emulator);
  let total = 0;
  const parts: string[] = [];
  for (const [operation, n] of Object.entries(after)) {
    const delta = n - (before[operation] ?? 0);
    if (delta <= 0) continue;
    total += delta;
    parts.push(delta === 1 ? operation : `${operation}×${delta}`);
  }
  return { value, total, detail: parts.join(", ") };
}

async function checked(handler: ResourceHandler, olds: Props, news: Props): Promise<Props> {
  const result = await handler.check(olds, news);
  if (result.failures !== undefined && result.failures.length > 0) {
    throw new Error(`check failed: ${JSON.stringify(result.failures)}`);
  }
  return (result.inputs ?? news) as Props;
}

interface Scenario {
  readonly kind: string;
  readonly inputs: Props;
  /** The in-place change, applied over `inputs`. */
  readonly change: Props;
  readonly changeLabel: string;
}

const rows: string[][] = [["kind", "step", "requests", "operations (change)"]];

/** Runs create → read → no-op diff → update → delete on `scenario.kind` and adds its rows. */
async function measure(emulator: RunningEmulator, scenario: Scenario): Promise<void> {
  const handler = handlerFor(scenario.kind);
  const row = (step: string, total: number | string, detail: string) =>
    rows.push([scenario.kind, step, String(total), detail]);

  const created = await counted(emulator, async () => {
    const inputs = await checked(handler, {}, scenario.inputs);
    return { inputs, result: await handler.create(inputs) };
  });
  const { inputs } = created.value;
  const id = created.value.result.id;
  let outs = (created.value.result.outs ?? {}) as Props;
  row("create", created.total, created.detail);

  const read = await counted(emulator, () => handler.read(id, outs, inputs));
  outs = (read.value.props ?? outs) as Props;
  row("read", read.total, read.detail || "-");

  const noop = await counted(emulator, async () =>
    handler.diff(id, outs, await checked(handler, inputs, inputs)),
  );
  if (noop.value.changes === true) throw new Error(`${scenario.kind}: the no-op diff reports changes`);
  row("no-op diff", noop.total, noop.detail || "-");

  const update = await counted(emulator, async () => {
    const news = await checked(handler, inputs, { ...inputs, ...scenario.change });
    const diff = await handler.diff(id, outs, news);
    if ((diff.replaces ?? []).length > 0) return { replaces: diff.replaces ?? [] };
    return { replaces: [], outs: (await handler.update(id, outs, news)).outs as Props };
  });
  if (update.value.replaces.length > 0) {
    row("update", "-", `(${scenario.changeLabel}) replaces [${update.value.replaces.join(", ")}]: no update`);
  } else {
    outs = update.value.outs ?? outs;
    row("update", update.total, `${update.detail} (${scenario.changeLabel})`);
  }

  const deleted = await counted(emulator, () => handler.delete(id, outs));
  row("delete", deleted.total, deleted.detail || "-");
}

async function main(): Promise<void> {
  const emulator = await startEmulator({
    timing: { lifecycleMs: 100, workRequestMs: 150, triggerMs: 100 },
    seed: 7,
  });
  const env: Record<string, string> = {
    FNSTACK_OCI_ENDPOINT: emulator.url,
    OCI_CONFIG_FILE: emulator.oci.configFile,
  };
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  const fg = emulator.functiongraph;
  const config: Record<string, string> = {
    "fnstack:functiongraphEndpoint": emulator.url,
    "opentelekomcloud:accessKey": fg.accessKey,
    "opentelekomcloud:secretKey": fg.secretKey,
    "opentelekomcloud:projectId": fg.projectId,
    "opentelekomcloud:region": fg.region,
    "fnstack:retryBaseDelayMs": "5",
    "fnstack:retryMaxDelayMs": "40",
    "fnstack:retryJitterMs": "5",
    "fnstack:pollMinIntervalMs": "20",
    "fnstack:pollMaxIntervalMs": "100",
  };
  configure((key) => config[key]);
  try {
    const compartmentId = emulator.oci.compartmentOcid;
    const subnetId = emulator.oci.subnetOcid;
    const application: Props = {
      compartmentId,
      displayName: "bench-app",
      subnetIds: [subnetId],
      config: { LOG_LEVEL: "info" },
    };
    await measure(emulator, {
      kind: "oci:Application",
      inputs: application,
      change: { config: { LOG_LEVEL: "debug" } },
      changeLabel: "config value",
    });

    // Parents of the dependent kinds, created outside any measured step.
    const parentApp = await handlerFor("oci:Application").create({
      ...application,
      displayName: "bench-parent",
    });
    const fnInputs = (name: string): Props => ({
      applicationId: parentApp.id,
      displayName: name,
      memoryInMBs: 256,
      image: "iad.ocir.io/ns/hello:1.0",
      config: { GREETING: "hi" },
    });
    await measure(emulator, {
      kind: "oci:Function",
      inputs: fnInputs("bench-fn"),
      change: { config: { GREETING: "hello" } },
      changeLabel: "config value",
    });
    const parentFn = await handlerFor("oci:Function").create(fnInputs("bench-parent-fn"));
    await measure(emulator, {
      kind: "oci:InvokeFunction",
      inputs: { functionId: parentFn.id, invokeFunctionBody: '{"name":"world"}', fnIntent: "httprequest" },
      change: { invokeFunctionBody: '{"name":"again"}' },
      changeLabel: "body",
    });
    await measure(emulator, {
      kind: "oci:ContainerInstance",
      inputs: {
        compartmentId,
        availabilityDomain: "Uocm:PHX-AD-1",
        shape: "CI.Standard.E4.Flex",
        shapeConfig: { ocpus: 1, memoryInGBs: 4 },
        vnics: [{ subnetId }],
        displayName: "bench-ci",
        containers: [{ imageUrl: "nginx:1.27", displayName: "web", environmentVariables: { PORT: "8080" } }],
      },
      change: { displayName: "bench-ci-renamed" },
      changeLabel: "displayName",
    });

    const fgFunction = (name: string): Props => ({
      name,
      runtime: "Python3.9",
      handler: "index.handler",
      memorySize: 256,
      timeout: 30,
      inlineCode: "def handler(event, context):\n    return event\n",
    });
    await measure(emulator, {
      kind: "functiongraph:Function",
      inputs: fgFunction("bench-fn"),
      change: { memorySize: 512 },
      changeLabel: "memorySize",
    });
    const parent = await handlerFor("functiongraph:Function").create(fgFunction("bench-parent"));
    const funcUrn = parent.id;
    // FunctionGraph refuses a second version of unchanged code (FSS.1016): the measured Version gets
    // a function of its own, and the Alias points at one published beforehand.
    await handlerFor("functiongraph:Version").create({ funcUrn, version: "base" });
    const versioned = await handlerFor("functiongraph:Function").create(fgFunction("bench-versioned"));
    await measure(emulator, {
      kind: "functiongraph:Version",
      inputs: { funcUrn: versioned.id, version: "v1", description: "first" },
      change: { description: "second" },
      changeLabel: "description",
    });
    await measure(emulator, {
      kind: "functiongraph:Alias",
      inputs: { funcUrn, name: "live", version: "base" },
      change: { description: "canary" },
      changeLabel: "description",
    });
    await measure(emulator, {
      kind: "functiongraph:Trigger",
      inputs: {
        funcUrn,
        triggerTypeCode: "TIMER",
        eventData: { name: "every5", scheduleType: "Rate", schedule: "5m", userEvent: "tick" },
      },
      change: { status: "DISABLED" },
      changeLabel: "status",
    });
    await measure(emulator, {
      kind: "functiongraph:DependencyVersion",
      // An empty zip: the end-of-central-directory record alone.
      inputs: { name: "bench-deps", runtime: "Python3.9", fileBase64: "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==" },
      change: { description: "libs" },
      changeLabel: "description",
    });
    await measure(emulator, {
      kind: "functiongraph:Invocation",
      inputs: { funcUrn: `${funcUrn}:latest`, event: { n: 1 } },
      change: { event: { n: 2 } },
      changeLabel: "event",
    });

    console.log(
      "emulator timing: lifecycle 100 ms, work requests 150 ms, triggers 100 ms; polls every 20–100 ms\n",
    );
    printTable(rows);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await emulator.close();
  }
}

function printTable(table: readonly string[][]): void {
  const widths =
    table[0]?.map((_, column) => Math.max(...table.map((row) => (row[column] ?? "").length))) ?? [];
  for (const [index, row] of table.entries()) {
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    );
    if (index === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
