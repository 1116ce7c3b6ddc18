import { strict as assert } from "node:assert";
import { formatElapsed, pluginEngineAddress, withPollProgress } from "../../provider/progress";

describe("provider progress", () => {
  it("finds the engine address only in the dynamic-provider plugin, as its last argument", () => {
    const plugin = ["/usr/bin/node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"];
    assert.equal(pluginEngineAddress([...plugin, "127.0.0.1:40123"]), "127.0.0.1:40123");
    assert.equal(
      pluginEngineAddress([...plugin, "--logtostderr", "-v=9", "localhost:5000"]),
      "localhost:5000",
    );
    assert.equal(pluginEngineAddress(["/usr/bin/node", "/x/mocha", "127.0.0.1:40123"]), undefined);
    assert.equal(pluginEngineAddress([...plugin, "--tracing"]), undefined);
  });

  it("formats the time waited in seconds, then minutes and seconds", () => {
    assert.equal(formatElapsed(400), "0 s");
    assert.equal(formatElapsed(59_400), "59 s");
    assert.equal(formatElapsed(72_000), "1 min 12 s");
  });

  it("passes every poll result through unchanged (outside the plugin nothing is sent)", async () => {
    const results = [
      { pending: true as const, observed: "CREATING" },
      { done: true as const, value: 7 },
    ];
    const poll = withPollProgress("thing", async () => results.shift() as (typeof results)[number]);
    const signal = new AbortController().signal;
    assert.deepEqual(await poll(signal), { pending: true, observed: "CREATING" });
    assert.deepEqual(await poll(signal), { done: true, value: 7 });
  });
});
