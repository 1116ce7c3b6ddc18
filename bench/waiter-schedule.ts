/**
 * Replays poll schedules (no sleeping) and prints, for operations finishing after 1 s, 10 s, 1 min,
 * 10 min and 20 min, how many polls each schedule makes and how late it notices the end.
 *
 * Run: `npx ts-node bench/waiter-schedule.ts`
 *
 * The lag of an operation finishing at `f` is `first poll at or after f` minus `f`. It depends on where
 * `f` falls between two polls, which nobody controls, so worst and mean lag are taken over finish times
 * spread evenly across ±10 % of the nominal duration (2 001 samples). Polls are counted for an operation
 * finishing exactly at the nominal duration, the first poll (at 0) included. Polls are assumed to take no
 * time.
 */
import { defaultPollSchedule, nextPollDelayMs } from "../sdk/core/wait";

type DelayRule = (elapsedMs: number, pollsSoFar: number) => number;

const schedules: readonly { readonly name: string; readonly next: DelayRule }[] = [
  {
    name: `fnstack (${defaultPollSchedule.intervalFactor}×elapsed, ${defaultPollSchedule.minIntervalMs / 1000}–${defaultPollSchedule.maxIntervalMs / 1000} s)`,
    next: (elapsed) => nextPollDelayMs(elapsed),
  },
  { name: "fixed 5 s", next: () => 5_000 },
  // The OCI SDK's waiter (oci-api.md §6): min(2^n, 30) s, first poll immediate, no jitter.
  { name: "OCI SDK waiter (2^n, ≤30 s)", next: (_elapsed, polls) => Math.min(2 ** (polls - 1), 30) * 1_000 },
];

const durationsMs: readonly [string, number][] = [
  ["1 s", 1_000],
  ["10 s", 10_000],
  ["1 min", 60_000],
  ["10 min", 600_000],
  ["20 min", 1_200_000],
];

/** Poll times from 0 until the first poll at or after `untilMs`. */
function times(next: DelayRule, untilMs: number): number[] {
  const result = [0];
  let now = 0;
  while (now < untilMs) {
    now += next(now, result.length);
    result.push(now);
  }
  return result;
}

function detection(pollTimes: readonly number[], finishMs: number): { at: number; polls: number } {
  const index = pollTimes.findIndex((t) => t >= finishMs);
  return { at: pollTimes[index] ?? Number.NaN, polls: index + 1 };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const rows: string[][] = [["duration", "schedule", "polls", "worst lag", "mean lag", "mean lag / duration"]];
for (const [label, duration] of durationsMs) {
  for (const schedule of schedules) {
    const pollTimes = times(schedule.next, duration * 1.1);
    const samples = 2_001;
    let worst = 0;
    let total = 0;
    for (let i = 0; i < samples; i++) {
      const finish = duration * (0.9 + (0.2 * i) / (samples - 1));
      const lag = detection(pollTimes, finish).at - finish;
      worst = Math.max(worst, lag);
      total += lag;
    }
    const mean = total / samples;
    rows.push([
      label,
      schedule.name,
      String(detection(pollTimes, duration).polls),
      seconds(worst),
      seconds(mean),
      `${((100 * mean) / duration).toFixed(1)} %`,
    ]);
  }
}

const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
for (const [index, row] of rows.entries()) {
  console.log(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  "));
  if (index === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
}
