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
import { handlerFor } from "../provider/runtime";
import { forEachScenario, pointHandlersAt, type Scenario, shortTiming } from "./scenarios";
import { printTable } from "./table";

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
  const emulator = await startEmulator({ timing: shortTiming, seed: 7 });
  const restore = pointHandlersAt(emulator);
  try {
    await forEachScenario(emulator, (scenario) => measure(emulator, scenario));
    console.log(
      "emulator timing: lifecycle 100 ms, work requests 150 ms, triggers 100 ms; polls every 20–100 ms\n",
    );
    printTable(rows);
  } finally {
    restore();
    await emulator.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
