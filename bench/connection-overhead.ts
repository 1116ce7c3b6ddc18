/**
 * What a per-resource `connection` (issue 13) costs: API requests per operation for an `oci:Application`
 * and a FunctionGraph function in the stack's default place and in another region / project (the
 * connection adds no request of its own; OCI create and delete include lifecycle polls, whose number
 * varies with timing), and the time of a no-op `diff` with the connection check (which resolves where
 * the inputs point: config file, private key, project) relative to the handler's own diff.
 *
 * Run: `npx ts-node --transpile-only bench/connection-overhead.ts`
 *
 * In-process handlers against the local emulator with short timings; endpoints carry `{region}`, so each
 * call reaches its region's store. Times are one run's means over many diffs, printed with their ratio.
 */
import { performance } from "node:perf_hooks";
import { startEmulator, type RunningEmulator } from "../emulator/index";
import type { Props, ResourceHandler } from "../provider/handler";
import { configure, handlerFor } from "../provider/runtime";
import { printTable } from "./table";

async function requests(emulator: RunningEmulator): Promise<number> {
  const stats = (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as {
    requests: Record<string, Record<string, number>>;
  };
  return Object.values(stats.requests)
    .flatMap((byOperation) => Object.values(byOperation))
    .reduce((a, b) => a + b, 0);
}

async function counted(emulator: RunningEmulator, action: () => Promise<unknown>): Promise<number> {
  const before = await requests(emulator);
  await action();
  return (await requests(emulator)) - before;
}

/** Requests of create, read, no-op diff and delete of one resource. */
async function lifecycle(
  emulator: RunningEmulator,
  handler: ResourceHandler,
  news: Props,
): Promise<number[]> {
  const checked = (await handler.check({}, news)).inputs as Props;
  let made: { id: string; outs?: Props } = { id: "" };
  const create = await counted(emulator, async () => {
    made = await handler.create(checked);
  });
  const outs = made.outs as Props;
  const read = await counted(emulator, () => handler.read(made.id, outs));
  const diff = await counted(emulator, () => handler.diff(made.id, outs, checked));
  const remove = await counted(emulator, () => handler.delete(made.id, outs));
  return [create, read, diff, remove];
}

async function meanMs(times: number, action: () => Promise<unknown>): Promise<number> {
  await action();
  const started = performance.now();
  for (let i = 0; i < times; i++) await action();
  return (performance.now() - started) / times;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ timing: { lifecycleMs: 100, workRequestMs: 150, triggerMs: 100 } });
  const fg = emulator.functiongraph;
  process.env.OCI_CONFIG_FILE = emulator.oci.configFile;
  process.env.FNSTACK_OCI_ENDPOINT = `${emulator.url}/regions/{region}`;
  const config: Record<string, string> = {
    "oci:region": "us-ashburn-1",
    "fnstack:functiongraphEndpoint": `${emulator.url}/regions/{region}`,
    "opentelekomcloud:accessKey": fg.accessKey,
    "opentelekomcloud:secretKey": fg.secretKey,
    "opentelekomcloud:projectId": fg.projectId,
    "opentelekomcloud:region": fg.region,
    "fnstack:pollMinIntervalMs": "20",
    "fnstack:pollMaxIntervalMs": "100",
  };
  configure((key) => config[key]);
  try {
    const app = (n: number, connection?: Props): Props => ({
      compartmentId: emulator.oci.compartmentOcid,
      displayName: `bench-${n}`,
      subnetIds: [emulator.oci.subnetOcid],
      ...(connection === undefined ? {} : { connection }),
    });
    const fn = (name: string, connection?: Props): Props => ({
      name,
      runtime: "Python3.9",
      handler: "index.handler",
      memorySize: 128,
      timeout: 10,
      inlineCode: "def handler(event, context):\n    return event\n",
      ...(connection === undefined ? {} : { connection }),
    });
    const ociHandler = handlerFor("oci:Application");
    const fgHandler = handlerFor("functiongraph:Function");
    const rows: string[][] = [["resource", "place", "create", "read", "no-op diff", "delete"]];
    const row = (kind: string, place: string, counts: number[]): void => {
      rows.push([kind, place, ...counts.map(String)]);
    };
    row("oci:Application", "stack default (us-ashburn-1)", await lifecycle(emulator, ociHandler, app(1)));
    row(
      "oci:Application",
      "connection {region: us-phoenix-1}",
      await lifecycle(emulator, ociHandler, app(2, { region: "us-phoenix-1" })),
    );
    row(
      "functiongraph:Function",
      "stack default (eu-de)",
      await lifecycle(emulator, fgHandler, fn("bench-a")),
    );
    row(
      "functiongraph:Function",
      "connection {projectId}",
      await lifecycle(emulator, fgHandler, fn("bench-b", { projectId: fg.projectId, region: fg.region })),
    );
    printTable(rows);

    // The diff cost: the wrapped handler (connection check included) against the handler alone.
    const raw = (
      require("../provider/oci/handlers") as {
        ociHandlers: Record<string, () => ResourceHandler>;
      }
    ).ociHandlers["oci:Application"]?.() as ResourceHandler;
    const inputs = (await ociHandler.check({}, app(3, { region: "us-phoenix-1" }))).inputs as Props;
    const made = await ociHandler.create(inputs);
    const outs = made.outs as Props;
    const { connection: _c, ...bare } = outs;
    const { connection: _i, ...bareInputs } = inputs;
    const n = 200;
    const wrapped = await meanMs(n, () => ociHandler.diff(made.id, outs, inputs));
    const alone = await meanMs(n, () => raw.diff(made.id, bare, bareInputs));
    console.log("");
    printTable([
      ["no-op diff of oci:Application (mean of 200)", "ms"],
      ["handler alone", alone.toFixed(3)],
      ["with the connection check", wrapped.toFixed(3)],
      ["ratio", `${(wrapped / alone).toFixed(1)}x`],
    ]);
    await ociHandler.delete(made.id, outs);
  } finally {
    await emulator.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
