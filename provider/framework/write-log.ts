/**
 * Bookkeeping of the writes one provider call makes, so a call that fails after the cloud accepted a
 * write reports what changed (Pulumi's partial-failure error) instead of leaving the old outputs in
 * state, and a call that fails before any write stays a plain error.
 */
import type { Props } from "../handler";
import { partialFailure } from "../partial-failure";
export { partialFailure };

/** Counts the writes the cloud accepted during one call, and which named steps completed. */
export class WriteLog {
  /** Writes answered with success so far. */
  accepted = 0;
  /** Steps (groups of writes, e.g. `"tags"`) that completed. */
  readonly done = new Set<string>();

  /** Awaits one write and counts it once the cloud accepted it. */
  async write<T>(call: Promise<T>): Promise<T> {
    const result = await call;
    this.accepted++;
    return result;
  }

  /** Marks a step complete. */
  complete(step: string): void {
    this.done.add(step);
  }
}

/** How to describe the resource after an accepted write when the call then fails. */
export interface OutputsAfterFailure {
  /** Reads the resource back (preferred: it shows what the cloud holds). */
  readonly readBack?: () => Promise<Props>;
  /** The merged expectation, used without `readBack` or when the read-back fails too. */
  readonly expected: () => Props;
}

/**
 * Runs `body` with a {@link WriteLog}. When it throws after at least one accepted write, the error
 * becomes `partialFailure(cause, id, outputs, inputs)` with outputs read back (or expected); before
 * any accepted write, the error is rethrown as it is (nothing changed).
 *
 * @param id the resource's id in the cloud
 * @param inputs the inputs of the call as the plugin passed them (they carry `__provider`)
 * @param log the log to count in; pass one that already counted a write (a create) to always report
 */
export async function guardWrites<T>(
  id: string,
  inputs: Props,
  outputs: OutputsAfterFailure,
  body: (log: WriteLog) => Promise<T>,
  log: WriteLog = new WriteLog(),
): Promise<T> {
  try {
    return await body(log);
  } catch (err) {
    if (log.accepted === 0) throw err;
    let outs: Props;
    try {
      outs = outputs.readBack ? await outputs.readBack() : outputs.expected();
    } catch {
      outs = outputs.expected();
    }
    throw partialFailure(err, id, outs, inputs);
  }
}
