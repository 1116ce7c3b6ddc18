import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as engineGrpcTypes from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as enginePbTypes from "@pulumi/pulumi/proto/engine_pb";
import type { PollResult } from "../sdk/core/wait";
import type { WorkRequestSource } from "../sdk/oci/work-requests";

/**
 * Progress while a create, update or delete waits, reported the way a provider can reach the Pulumi
 * CLI's display: the engine starts every provider plugin with the engine's gRPC address as its last
 * argument (pulumi/pulumi `pkg/resource/plugin/provider_plugin.go` `NewProvider`); an `Engine.Log` with
 * `ephemeral: true` becomes a status message (`pkg/host/host_server.go` `Log` → `LogStatus`), which the
 * CLI shows in the info column while it is current and does not keep in the final diagnostics
 * (`pkg/backend/display/progress.go`). The dynamic-provider plugin does not tell the provider its
 * resource's URN, so the message names the resource itself and the CLI shows it on the stack's row.
 *
 * Outside the plugin (tests, benches) nothing is sent. Reporting never fails the operation.
 */

/** Sends one ephemeral status line to the engine; a no-op when not running inside a provider plugin. */
export function reportProgress(message: string): void {
  pluginReporter ??= engineReporter(pluginEngineAddress());
  pluginReporter(message);
}

let pluginReporter: ((message: string) => void) | undefined;

/** Least time between two lines sent to the engine, whichever waits they come from. */
export const progressGapMs = 1_000;

/**
 * A function that sends ephemeral status lines to the engine at `address` (no-op when undefined).
 *
 * - At most one line per {@link progressGapMs}, across all the waits of the process; a line that comes
 *   sooner is dropped, not queued (it would be stale when sent). Every line lands on the same row of the
 *   CLI (the stack's: the plugin cannot name the resource), which shows only the newest, so a second
 *   line within the second is never seen, while each one is a gRPC call: 200 waiting creates made 202
 *   of them, and now make about a dozen (issue 12).
 * - After the first Log the engine does not take, it sends nothing more: progress is a courtesy, and
 *   each failed call costs an error with a formatted stack (source-map-support, in the plugin) — 14 MiB
 *   of garbage over 200 waiting creates.
 */
export function engineReporter(
  address: string | undefined,
  now: () => number = Date.now,
): (message: string) => void {
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let engine: EngineConnection | undefined;
  try {
    engine = address === undefined ? undefined : connectEngine(address);
  } catch {
    // No engine stubs to load: report nothing.
  }
  const stop = (): void => {
    engine?.client.close();
    engine = undefined;
  };
  return (message) => {
    if (engine === undefined) return;
    const at = now();
    if (at - lastSentAt < progressGapMs) return;
    lastSentAt = at;
    try {
      const request = new engine.pb.LogRequest();
      request.setSeverity(engine.pb.LogSeverity.INFO);
      request.setMessage(message);
      request.setUrn("");
      request.setEphemeral(true);
      engine.client.log(request, (error) => {
        if (error !== null) stop();
      });
    } catch {
      // A failure to report must not fail the resource operation.
      stop();
    }
  };
}

/** `12 s` / `3 min 5 s`: the time waited so far. */
export function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** Least time between two lines about one wait whose observed state has not changed. */
export const progressRepeatMs = 5_000;

/**
 * The status line of one wait: `<what>: <observed>, <elapsed>`, sent when the observed state changes,
 * and otherwise at most every {@link progressRepeatMs} to keep the elapsed time current. A line per
 * poll would be a gRPC call per resource per second (200 waiting resources: 200 calls a second) for a
 * display that shows only the newest.
 */
export function progressLine(
  what: string,
  report: (message: string) => void = reportProgress,
  now: () => number = Date.now,
): (observed: string) => void {
  const started = now();
  let shown: string | undefined;
  let shownAt = 0;
  return (observed) => {
    const at = now();
    if (observed === shown && at - shownAt < progressRepeatMs) return;
    shown = observed;
    shownAt = at;
    report(`${what}: ${observed}, ${formatElapsed(at - started)}`);
  };
}

/**
 * Wraps a waiter's getter so its polls report what they saw (see {@link progressLine}). `observe`
 * picks the state to show from the answer (e.g. `lifecycleState`).
 */
export function withProgress<R>(
  what: string,
  get: (signal: AbortSignal) => Promise<R>,
  observe: (answer: R) => string,
): (signal: AbortSignal) => Promise<R> {
  const line = progressLine(what);
  // `then`, not `await`: no async frame held while the poll waits (provider/runtime.ts, plainResults).
  return (signal) =>
    get(signal).then((answer) => {
      line(observe(answer));
      return answer;
    });
}

/** Wraps a `waitFor` poll so its pending answers report what they observed (see {@link progressLine}). */
export function withPollProgress<T>(
  what: string,
  poll: (signal: AbortSignal) => Promise<PollResult<T>>,
): (signal: AbortSignal) => Promise<PollResult<T>> {
  const line = progressLine(what);
  return async (signal) => {
    const result = await poll(signal);
    if ("pending" in result) line(result.observed);
    return result;
  };
}

/** A work-request source whose polls report the status and percent complete (see {@link progressLine}). */
export function workRequestProgress(what: string, source: WorkRequestSource): WorkRequestSource {
  const line = progressLine(what);
  return {
    ...source,
    get: async (workRequestId, signal) => {
      const answer = await source.get(workRequestId, signal);
      const { status, percentComplete } = answer.workRequest;
      line(`work request ${status}${percentComplete === undefined ? "" : ` ${percentComplete}%`}`);
      return answer;
    },
  };
}

interface EngineConnection {
  readonly client: engineGrpcTypes.EngineClient;
  readonly pb: typeof enginePbTypes;
}

/** The engine address the plugin was started with: its last argument, when this process is the plugin. */
export function pluginEngineAddress(argv: readonly string[] = process.argv): string | undefined {
  if (!/dynamic-provider/.test(argv[1] ?? "")) return undefined;
  const last = argv[argv.length - 1] ?? "";
  return /^[\w.-]+:\d+$/.test(last) ? last : undefined;
}

function connectEngine(address: string): EngineConnection {
  // The generated stubs must be used with the @grpc/grpc-js copy they load themselves.
  const protoRequire = createRequire(require.resolve("@pulumi/pulumi/proto/engine_pb"));
  const grpc = protoRequire("@grpc/grpc-js") as typeof grpcTypes;
  const engineGrpc = protoRequire("./engine_grpc_pb") as typeof engineGrpcTypes;
  const pb = protoRequire("./engine_pb") as typeof enginePbTypes;
  return { client: new engineGrpc.EngineClient(address, grpc.credentials.createInsecure()), pb };
}
