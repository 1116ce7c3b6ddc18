/** One line of the request log (`GET /_emulator/requests`). Holds no headers, bodies or signatures. */
export interface RequestLogEntry {
  /** Wall-clock time the request arrived (RFC 3339). */
  readonly time: string;
  readonly requestId: string;
  readonly method: string;
  /** Path without the query string (queries can carry page tokens, never secrets, but stay out anyway). */
  readonly path: string;
  /** `oci`, `functiongraph`, `control` or `none` (unrouted). */
  readonly service: string;
  readonly operation?: string;
  readonly status: number;
  /** Error code of a non-2xx answer. */
  readonly code?: string;
  /** Tenancy OCID or project id of an authenticated request. */
  readonly tenant?: string;
  /** Key id, access key or user name of an authenticated request (identifiers, not secrets). */
  readonly subject?: string;
  /** The fault rule that answered, if any. */
  readonly fault?: string;
  /** Wall-clock handling time in milliseconds. */
  readonly durationMs: number;
}

/** Counters behind `GET /_emulator/stats`. */
export interface StatsSnapshot {
  /** Routed requests by service, then operation. */
  readonly requests: Record<string, Record<string, number>>;
  /** Requests answered 429 by the rate limiter or a fault. */
  readonly throttled: number;
  /** Non-2xx answers by status. */
  readonly errors: Record<string, number>;
}

/** Request counters and a bounded request log. */
export class RequestStats {
  #requests: Record<string, Record<string, number>> = {};
  #throttled = 0;
  #errors: Record<string, number> = {};
  #log: RequestLogEntry[] = [];

  /** @param logLimit how many log entries to keep (oldest dropped first). */
  constructor(private readonly logLimit = 5000) {}

  /** Records one finished request. */
  record(entry: RequestLogEntry): void {
    if (entry.operation !== undefined && entry.service !== "control") {
      const byOp = (this.#requests[entry.service] ??= {});
      byOp[entry.operation] = (byOp[entry.operation] ?? 0) + 1;
    }
    if (entry.service !== "control") {
      if (entry.status === 429) this.#throttled++;
      if (entry.status >= 300)
        this.#errors[String(entry.status)] = (this.#errors[String(entry.status)] ?? 0) + 1;
    }
    this.#log.push(entry);
    if (this.#log.length > this.logLimit) this.#log.splice(0, this.#log.length - this.logLimit);
  }

  /** A copy of the counters. */
  snapshot(): StatsSnapshot {
    return structuredClone({ requests: this.#requests, throttled: this.#throttled, errors: this.#errors });
  }

  /** The log, newest last. */
  log(): readonly RequestLogEntry[] {
    return [...this.#log];
  }

  /** Clears counters and log. */
  clear(): void {
    this.#requests = {};
    this.#throttled = 0;
    this.#errors = {};
    this.#log = [];
  }
}
