/**
 * One waiter for OCI work requests, over either work-request API (Container Instances'
 * `/20210415/workRequests` or the Work Requests API `/20160918/workRequests`; reference oci-api.md §2.4).
 *
 * Terminal states are SUCCEEDED, FAILED and CANCELED, decided by `status` alone (never by
 * `timeFinished`). A FAILED or CANCELED request fails at once with a {@link WorkRequestFailedError} that
 * carries the request's errors and its last log lines. Each poll honours the service's `retry-after`.
 */
import type { ClientContext } from "../core/client";
import { WorkRequestFailedError, type WorkRequestErrorEntry } from "../core/errors";
import { waitFor } from "../core/wait";
import * as ci from "./clients/container-instances";
import { type CallOptions, collect, type ListOptions, type OciResult } from "./clients/common";
import * as wr from "./clients/work-requests";
import type { WorkRequest, WorkRequestError, WorkRequestLogEntry } from "./types/work-requests";

/** Where work requests are read from: one of the two APIs (or a test double). */
export interface WorkRequestSource {
  /** The API, for messages: `Container Instances`, `Work Requests`. */
  readonly name: string;
  /** Reads the work request; `retryAfterMs` from its `retry-after` header. */
  get(
    workRequestId: string,
    signal: AbortSignal,
  ): Promise<{ workRequest: WorkRequest; retryAfterMs?: number }>;
  /** Its errors, oldest first. */
  errors(workRequestId: string, signal: AbortSignal): Promise<WorkRequestError[]>;
  /** Its log lines, oldest first. */
  logs(workRequestId: string, signal: AbortSignal): Promise<WorkRequestLogEntry[]>;
}

/** Work requests of the Container Instances API, through `ctx` (the `containerInstances` endpoint). */
export function containerInstancesWorkRequests(ctx: ClientContext): WorkRequestSource {
  return workRequestSource("Container Instances", ctx, {
    get: ci.getContainerWorkRequest,
    errors: ci.listContainerWorkRequestErrors,
    logs: ci.listContainerWorkRequestLogs,
  });
}

/** Work requests of the Work Requests API (`iaas`), through `ctx` (the `workRequests` endpoint). */
export function computeWorkRequests(ctx: ClientContext): WorkRequestSource {
  return workRequestSource("Work Requests", ctx, {
    get: wr.getWorkRequest,
    errors: wr.listWorkRequestErrors,
    logs: wr.listWorkRequestLogs,
  });
}

/** The client operations of one work-request API. */
interface WorkRequestOperations {
  get(ctx: ClientContext, id: string, options: CallOptions): Promise<OciResult<WorkRequest>>;
  errors(ctx: ClientContext, id: string, options: ListOptions): AsyncIterable<WorkRequestError>;
  logs(ctx: ClientContext, id: string, options: ListOptions): AsyncIterable<WorkRequestLogEntry>;
}

function workRequestSource(name: string, ctx: ClientContext, api: WorkRequestOperations): WorkRequestSource {
  return {
    name,
    async get(id, signal) {
      const result = await api.get(ctx, id, { signal });
      return { workRequest: result.value, retryAfterMs: result.retryAfterMs };
    },
    errors: (id, signal) => collect(api.errors(ctx, id, { signal, limit: 100 }), maxEntries),
    logs: (id, signal) => collect(api.logs(ctx, id, { signal, limit: 100 }), maxEntries),
  };
}

// Enough to explain a failure; a runaway request could have thousands of log lines.
const maxEntries = 1000;

/** Options of {@link waitForWorkRequest}. */
export interface WaitForWorkRequestOptions {
  /** Deadline of the whole wait, in milliseconds. */
  readonly timeoutMs: number;
  /** What is being done, for messages: `creating container instance ci-web`. Default: the operation type. */
  readonly description?: string;
  readonly signal?: AbortSignal;
  /** Shortest pause between polls, in milliseconds (see `waitFor`). */
  readonly minIntervalMs?: number;
  /** Longest pause between polls, in milliseconds (see `waitFor`). */
  readonly maxIntervalMs?: number;
  /** How many of the last log lines a failure carries. Default 10. */
  readonly logLines?: number;
}

const terminalFailures: ReadonlySet<string> = new Set(["FAILED", "CANCELED"]);

/**
 * Polls a work request until SUCCEEDED (answers it) or FAILED/CANCELED (throws a
 * {@link WorkRequestFailedError} whose message names the operation, the status and every error
 * message, and which carries the errors and the last log lines). Throws a `WaitTimeoutError` naming
 * the last status seen when `timeoutMs` runs out.
 */
export async function waitForWorkRequest(
  source: WorkRequestSource,
  workRequestId: string,
  options: WaitForWorkRequestOptions,
): Promise<WorkRequest> {
  if (typeof workRequestId !== "string" || workRequestId === "") {
    throw new TypeError("waitForWorkRequest: workRequestId must be a non-empty string");
  }
  if (!(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new TypeError(`waitForWorkRequest: timeoutMs must be a positive number, got ${options.timeoutMs}`);
  }
  const logLines = options.logLines ?? 10;
  const description = options.description ?? `work request ${workRequestId}`;
  return waitFor<WorkRequest>(
    async (signal) => {
      const { workRequest, retryAfterMs } = await source.get(workRequestId, signal);
      if (workRequest.status === "SUCCEEDED") return { done: true, value: workRequest };
      if (terminalFailures.has(workRequest.status)) {
        return { failed: true, error: await failureOf(source, workRequest, description, logLines, signal) };
      }
      const percent = workRequest.percentComplete === undefined ? "" : ` ${workRequest.percentComplete}%`;
      return { pending: true, observed: `${workRequest.status}${percent}`, retryAfterMs };
    },
    {
      description: `${description} (work request ${workRequestId}) to finish`,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      minIntervalMs: options.minIntervalMs,
      maxIntervalMs: options.maxIntervalMs,
    },
  );
}

async function failureOf(
  source: WorkRequestSource,
  workRequest: WorkRequest,
  description: string,
  logLines: number,
  signal: AbortSignal,
): Promise<WorkRequestFailedError> {
  // Errors and logs explain the failure but are not essential: a failure to read them must not hide it.
  const [errors, logs] = await Promise.all([
    source
      .errors(workRequest.id, signal)
      .catch((err: unknown): WorkRequestError[] => [
        { code: "ErrorsUnavailable", message: unavailable("errors", err) },
      ]),
    source
      .logs(workRequest.id, signal)
      .catch((err: unknown): WorkRequestLogEntry[] => [{ message: unavailable("logs", err) }]),
  ]);
  const entries: WorkRequestErrorEntry[] = errors.map((e) => ({
    code: e.code,
    message: e.message,
    timestamp: e.timestamp,
  }));
  const lastLogs = logs.slice(-logLines).map((l) => l.message);
  const messages =
    entries.length > 0
      ? entries.map((e) => `${e.code}: ${e.message}`).join("; ")
      : "the service listed no errors";
  const logText = lastLogs.length > 0 ? ` Last log lines: ${lastLogs.join(" | ")}` : "";
  return new WorkRequestFailedError(
    `${description}: ${source.name} work request ${workRequest.id} (${workRequest.operationType}) ended ${workRequest.status}: ${messages}.${logText}`,
    { workRequestId: workRequest.id, status: workRequest.status, errors: entries, logs: lastLogs },
    { code: entries[0]?.code ?? "WorkRequestFailed" },
  );
}

function unavailable(what: string, err: unknown): string {
  return `could not list the work request's ${what}: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * The id of the resource a work request acted on: the first `resources[]` entry whose lower-cased
 * `entityType` contains `entityType` (e.g. `containerinstance`) and, when given, whose `actionType`
 * matches. Undefined when there is none.
 */
export function workRequestResourceId(
  workRequest: WorkRequest,
  entityType: string,
  actionType?: string,
): string | undefined {
  const wanted = entityType.toLowerCase();
  return workRequest.resources?.find(
    (r) =>
      r.entityType.toLowerCase().includes(wanted) &&
      (actionType === undefined || r.actionType === actionType),
  )?.identifier;
}

/** True when `err` is the failure of a work request (from this waiter or a lifecycle wait). */
export function isWorkRequestFailure(err: unknown): err is WorkRequestFailedError {
  return err instanceof WorkRequestFailedError;
}
