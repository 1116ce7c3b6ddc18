/**
 * The hooks every resource scenario file registers: one emulator fixture and one driver per
 * `describe`, closed after it, with injected faults cleared after each test.
 */
import { makeDriver, type Driver, type modes } from "./drivers";
import { startOciFixture, type OciFixture } from "./emulator-fixture";

/** Emulator timing a test may change and the hooks put back after it. */
export interface FixtureTiming {
  readonly lifecycleMs: number;
  readonly workRequestMs: number;
}

/**
 * Registers, in the enclosing `describe`: before its tests, an emulator fixture and the `mode` driver
 * of `kind`, handed to `ready`; after each test, fault clearing and (when given) `timing` restored;
 * after all, the driver and the fixture closed.
 */
export function useEmulatorDriver(
  mode: (typeof modes)[number],
  kind: string,
  ready: (fx: OciFixture, driver: Driver) => void,
  timing?: FixtureTiming,
): void {
  let fx: OciFixture | undefined;
  let driver: Driver | undefined;
  before(async () => {
    fx = await startOciFixture();
    driver = await makeDriver(mode, kind, fx);
    ready(fx, driver);
  });
  after(async () => {
    await driver?.close();
    await fx?.close();
  });
  afterEach(async () => {
    await fx?.clearFaults();
    if (timing !== undefined) await fx?.control("PUT", "timing", timing);
  });
}
