/**
 * Prints what one resource of each kind adds to Pulumi state: the size of its serialized `__provider`
 * text, of its stored inputs and outputs (typical inputs, created against the local emulator), and the
 * resulting resource entry.
 *
 * Build first, then run: `npm run build && npx ts-node --transpile-only bench/state-size.ts`
 * (`__provider` is serialized from the built `dist/provider/stub.js` by `serializeKind` of
 * `engine-model/plugin.ts`: byte for byte what a user's program stores).
 *
 * All sizes are UTF-8 bytes of compact JSON (`JSON.stringify`, no indentation). Columns:
 *
 * - `__provider`: the stub text as stored, a JSON string (its newlines escaped); Pulumi stores it twice
 *   per resource, in inputs and in outputs (the dynamic-provider plugin copies it into the outputs);
 * - `inputs` / `outputs`: the checked inputs and the outputs the handler returned, without `__provider`;
 * - `entry`: `{"inputs":{…,"__provider"},"outputs":{…,"__provider"}}`, i.e. what the resource's
 *   inputs and outputs take in the checkpoint (the URN, type, parent and dependency fields that every
 *   resource has are not counted);
 * - `stub share`: the part of `entry` that is the two `__provider` copies.
 *
 * Exported state (`pulumi stack export`) is indented and secrets are stored encrypted, so real files
 * are larger; the ratios between kinds hold.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../emulator/index";
import type { Props } from "../provider/handler";
import { handlerFor } from "../provider/runtime";
import { repoRoot, serializeKind } from "../engine-model/plugin";
import { forEachScenario, pointHandlersAt, shortTiming } from "./scenarios";
import { printTable } from "./table";

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), "utf8");

async function main(): Promise<void> {
  if (!existsSync(join(repoRoot, "dist", "provider", "stub.js"))) {
    console.error("dist/provider/stub.js is missing: run `npm run build` first.");
    process.exitCode = 1;
    return;
  }
  const emulator = await startEmulator({ timing: shortTiming, seed: 7 });
  const restore = pointHandlersAt(emulator);
  const rows: string[][] = [["kind", "__provider", "inputs", "outputs", "entry", "stub share"]];
  const totals = { provider: 0, entry: 0 };
  try {
    await forEachScenario(emulator, async (scenario) => {
      const provider = await serializeKind(scenario.kind);
      const handler = handlerFor(scenario.kind);
      const check = await handler.check({}, scenario.inputs);
      if (check.failures !== undefined && check.failures.length > 0) {
        throw new Error(`${scenario.kind}: check failed: ${JSON.stringify(check.failures)}`);
      }
      const inputs = (check.inputs ?? scenario.inputs) as Props;
      const created = await handler.create(inputs);
      const outs = (created.outs ?? {}) as Props;
      await handler.delete(created.id, outs);

      const providerBytes = bytes(provider);
      const entryBytes = bytes({
        inputs: { ...inputs, __provider: provider },
        outputs: { ...outs, __provider: provider },
      });
      totals.provider += 2 * providerBytes;
      totals.entry += entryBytes;
      rows.push([
        scenario.kind,
        String(providerBytes),
        String(bytes(inputs)),
        String(bytes(outs)),
        String(entryBytes),
        `${((100 * 2 * providerBytes) / entryBytes).toFixed(0)} %`,
      ]);
    });
    rows.push([
      "all ten",
      "",
      "",
      "",
      String(totals.entry),
      `${((100 * totals.provider) / totals.entry).toFixed(0)} %`,
    ]);
    console.log("bytes of compact JSON, one resource of each kind with typical inputs\n");
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
