import { maxRequestsPerSecondSource, setMaxRequestsPerSecondSource } from "../../sdk/core/rate-limiter";
import type * as partialFailureModule from "../../provider/partial-failure";
import type * as runtimeModule from "../../provider/runtime";

/** A private copy of the runtime and the partial-failure module that uses it. */
export interface FreshRuntime {
  readonly runtime: typeof runtimeModule;
  readonly partialFailure: typeof partialFailureModule;
}

/**
 * Loads new instances of provider/runtime.ts, provider/partial-failure.ts and provider/stack-config.ts,
 * then puts the shared instances back in the module cache. The runtime holds process-wide state (the
 * configured stack config, registered kinds, the rate limiter's ceiling source, which loading a runtime
 * installs): tests that configure it must not leak that state into other tests.
 */
export function freshRuntime(): FreshRuntime {
  const keys = [
    require.resolve("../../provider/runtime"),
    require.resolve("../../provider/partial-failure"),
    require.resolve("../../provider/stack-config"),
  ];
  const saved = keys.map((key) => require.cache[key]);
  const savedCeilingSource = maxRequestsPerSecondSource();
  for (const key of keys) delete require.cache[key];
  try {
    return {
      runtime: require("../../provider/runtime") as typeof runtimeModule,
      partialFailure: require("../../provider/partial-failure") as typeof partialFailureModule,
    };
  } finally {
    setMaxRequestsPerSecondSource(savedCeilingSource);
    keys.forEach((key, i) => {
      const previous = saved[i];
      if (previous === undefined) delete require.cache[key];
      else require.cache[key] = previous;
    });
  }
}
