import type { Clock } from "./service";

/** The wall clock: `Date.now()`. The emulator's default. */
export class SystemClock implements Clock {
  /** Milliseconds since the epoch. */
  now(): number {
    return Date.now();
  }
}

/**
 * A clock that only moves when told to. Pass it as `startEmulator({ clock })` and call {@link advance}
 * (or `POST /_emulator/clock/advance`) to drive lifecycle transitions and work requests deterministically.
 *
 * Signature clock-skew checks use the host's wall clock, not this one, so advancing it never
 * invalidates client signatures.
 */
export class ManualClock implements Clock {
  #now: number;

  /** @param startMs the initial time in milliseconds since the epoch; default the wall clock at construction. */
  constructor(startMs: number = Date.now()) {
    if (!Number.isFinite(startMs)) throw new TypeError("Expected `startMs` to be a finite number");
    this.#now = startMs;
  }

  /** Milliseconds since the epoch. */
  now(): number {
    return this.#now;
  }

  /** Moves the clock forward by `ms` milliseconds (≥ 0). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new TypeError("Expected `ms` to be a finite number ≥ 0");
    this.#now += ms;
  }
}

/** True if `clock` can be advanced (a {@link ManualClock} or anything shaped like one). */
export function isAdvanceable(clock: Clock): clock is Clock & { advance(ms: number): void } {
  return typeof (clock as { advance?: unknown }).advance === "function";
}
