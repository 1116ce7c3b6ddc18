import { strict as assert } from "node:assert";
import { ociContexts } from "../../../provider/oci/common";
import { resolveRetryPolicy } from "../../../sdk/core/retry";
import { type OciFixture, startOciFixture } from "./emulator-fixture";

describe("OCI client contexts", () => {
  let fx: OciFixture;
  before(async () => {
    fx = await startOciFixture();
  });
  after(() => fx.close());

  it("are shared by calls with the same credentials and tuning, and built anew when either differs", async () => {
    const [first, concurrent] = await Promise.all([ociContexts(undefined), ociContexts(undefined)]);
    assert.equal(concurrent, first, "calls at once share one set");
    assert.equal((await ociContexts(undefined)).functions, first.functions);

    const phoenix = await ociContexts({ connection: { region: "us-phoenix-1" } });
    assert.notEqual(phoenix, first);
    assert.match(phoenix.functions.endpoint.href, /^http:\/\/127\.0\.0\.1:\d+\//);

    const saved = process.env.FNSTACK_POLL_MIN_INTERVAL_MS;
    process.env.FNSTACK_POLL_MIN_INTERVAL_MS = "30";
    try {
      const retuned = await ociContexts(undefined);
      assert.notEqual(retuned, first);
      assert.equal(retuned.poll.minIntervalMs, 30);
    } finally {
      if (saved === undefined) delete process.env.FNSTACK_POLL_MIN_INTERVAL_MS;
      else process.env.FNSTACK_POLL_MIN_INTERVAL_MS = saved;
    }
    assert.equal(await ociContexts(undefined), first);
  });

  it("carry a frozen retry tuning, which the retry loop resolves once", async () => {
    const saved = process.env.FNSTACK_RETRY_MAX_ATTEMPTS;
    process.env.FNSTACK_RETRY_MAX_ATTEMPTS = "3";
    try {
      const { functions } = await ociContexts(undefined);
      assert.ok(functions.retry !== undefined && Object.isFrozen(functions.retry));
      const resolved = resolveRetryPolicy(functions.retry);
      assert.equal(resolved.maxAttempts, 3);
      assert.equal(resolveRetryPolicy(functions.retry), resolved);
    } finally {
      if (saved === undefined) delete process.env.FNSTACK_RETRY_MAX_ATTEMPTS;
      else process.env.FNSTACK_RETRY_MAX_ATTEMPTS = saved;
    }
  });
});
