/**
 * Prints how many signed requests per second fnstack's own clients get through the local emulator,
 * one at a time and 16 at a time, for OCI ListApplications and CreateApplication (RSA-signed) and
 * FunctionGraph get-config (ShowFunctionConfig) and create-function (AK/SK-signed).
 *
 * Run: `npx ts-node --transpile-only bench/emulator-throughput.ts`
 *
 * Client and emulator share this one Node process (and its one event loop), so the figures are the
 * throughput of the pair, not of the emulator alone: signing, JSON and undici on the client side
 * compete with verification and handling on the server side. Columns:
 *
 * - `req/s`: requests completed divided by the wall time of the phase;
 * - `client ms`: mean round trip seen by the caller (`send()` including signing);
 * - `server ms`: mean handling time the emulator logged for the same requests (`durationMs` in
 *   `GET /_emulator/requests`: from arrival to the answer written, signature check included);
 * - `server share`: server ms / client ms, the part of a round trip spent inside the emulator. With 16
 *   in flight, client ms also counts the time a request waits behind the others on the shared event
 *   loop (and RSA signing, which is synchronous), so the share drops: read req/s there.
 *
 * Each phase starts with a few untimed warm-up requests. One run's figures; compare rows, not machines.
 */
import { Agent } from "undici";
import { startEmulator, type RunningEmulator } from "../emulator/index";
import type { ClientContext } from "../sdk/core/client";
import { resolveOciCredentials } from "../sdk/oci/auth/credentials";
import { ociClientContext } from "../sdk/oci/context";
import * as oci from "../sdk/oci/clients/functions-management";
import { resolveFunctionGraphSession } from "../sdk/functiongraph/session";
import * as fg from "../sdk/functiongraph/clients/functions";
import { printTable } from "./table";

const concurrency = 16;
const warmup = 10;
const ociRequests = 400;
const fgRequests = 1_000;
// FunctionGraph allows 400 functions per project (FSS.1041, emulated): two phases of 180 plus warm-ups fit.
const fgCreates = 180;

interface LogEntry {
  readonly operation?: string;
  readonly durationMs: number;
}

interface PhaseResult {
  readonly requestsPerSecond: number;
  readonly clientMs: number;
  readonly serverMs: number;
}

async function requestLog(emulator: RunningEmulator): Promise<LogEntry[]> {
  const response = await fetch(`${emulator.url}/_emulator/requests`);
  return ((await response.json()) as { requests: LogEntry[] }).requests;
}

/**
 * Runs `count` calls of `call(i)` with at most `parallel` in flight and reads the emulator's handling
 * time of the same requests from its log (the last `count` entries of `operation`).
 */
async function phase(
  emulator: RunningEmulator,
  operation: string,
  count: number,
  parallel: number,
  call: (index: number) => Promise<unknown>,
): Promise<PhaseResult> {
  for (let i = 0; i < warmup; i++) await call(-1 - i);
  let next = 0;
  let latencyTotal = 0;
  const started = process.hrtime.bigint();
  async function worker(): Promise<void> {
    while (next < count) {
      const index = next++;
      const t0 = process.hrtime.bigint();
      await call(index);
      latencyTotal += Number(process.hrtime.bigint() - t0) / 1e6;
    }
  }
  await Promise.all(Array.from({ length: parallel }, () => worker()));
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const served = (await requestLog(emulator)).filter((e) => e.operation === operation).slice(-count);
  const serverTotal = served.reduce((sum, e) => sum + e.durationMs, 0);
  return {
    requestsPerSecond: (count * 1000) / elapsedMs,
    clientMs: latencyTotal / count,
    serverMs: served.length === 0 ? Number.NaN : serverTotal / served.length,
  };
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ seed: 1 });
  const dispatcher = new Agent({ connections: concurrency });
  try {
    const credentials = await resolveOciCredentials({
      env: { OCI_CONFIG_FILE: emulator.oci.configFile, FNSTACK_OCI_ENDPOINT: emulator.url },
    });
    const ociCtx: ClientContext = ociClientContext("functions", credentials, {
      dispatcher,
      rateLimit: false,
    });
    const account = emulator.functiongraph;
    const fgConfig: Record<string, string> = {
      "fnstack:functiongraphEndpoint": emulator.url,
      "opentelekomcloud:accessKey": account.accessKey,
      "opentelekomcloud:secretKey": account.secretKey,
      "opentelekomcloud:projectId": account.projectId,
      "opentelekomcloud:region": account.region,
    };
    const session = await resolveFunctionGraphSession(
      { config: (key) => fgConfig[key], env: {} },
      { dispatcher, rateLimit: false },
    );
    const fgCtx = session.context;

    const compartmentId = emulator.oci.compartmentOcid;
    const subnetIds = [emulator.oci.subnetOcid];
    // A listing of a realistic size: ten applications, one page.
    for (let i = 0; i < 10; i++) {
      await oci.createApplication(ociCtx, { compartmentId, displayName: `listed-${i}`, subnetIds });
    }
    const listApplications = async (): Promise<void> => {
      for await (const item of oci.listApplications(ociCtx, { compartmentId })) void item;
    };
    let appSerial = 0;
    const createApplication = () =>
      oci.createApplication(ociCtx, { compartmentId, displayName: `bench-${appSerial++}`, subnetIds });

    const fnBody = (name: string): Parameters<typeof fg.createFunction>[1] => ({
      func_name: name,
      package: "default",
      runtime: "Python3.9",
      handler: "index.handler",
      memory_size: 128,
      timeout: 30,
      code_type: "inline",
      func_code: { file: Buffer.from("def handler(e, c):\n    return e\n").toString("base64") },
    });
    const target = await fg.createFunction(fgCtx, fnBody("bench-target"));
    const getConfig = () => fg.getFunctionConfig(fgCtx, { funcUrn: target.func_urn });
    let fnSerial = 0;
    const createFunction = () => fg.createFunction(fgCtx, fnBody(`bench-fn-${fnSerial++}`));

    const cases: readonly [string, string, string, number, () => Promise<unknown>][] = [
      ["OCI", "ListApplications (10 items)", "ListApplications", ociRequests, listApplications],
      ["OCI", "CreateApplication", "CreateApplication", ociRequests, createApplication],
      ["FunctionGraph", "get-config", "ShowFunctionConfig", fgRequests, getConfig],
      ["FunctionGraph", "create-function", "CreateFunction", fgCreates, createFunction],
    ];
    const rows: string[][] = [
      ["cloud", "operation", "in flight", "requests", "req/s", "client ms", "server ms", "server share"],
    ];
    for (const [cloud, label, operation, count, call] of cases) {
      for (const parallel of [1, concurrency]) {
        const r = await phase(emulator, operation, count, parallel, call);
        rows.push([
          cloud,
          label,
          String(parallel),
          String(count),
          r.requestsPerSecond.toFixed(0),
          r.clientMs.toFixed(2),
          r.serverMs.toFixed(2),
          `${((100 * r.serverMs) / r.clientMs).toFixed(0)} %`,
        ]);
      }
    }
    console.log(
      `node ${process.version}, client and emulator in one process, ${warmup} warm-up requests per phase\n`,
    );
    printTable(rows);
  } finally {
    await dispatcher.close();
    await emulator.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
