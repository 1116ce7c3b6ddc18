import { strict as assert } from "node:assert";
import * as undici from "undici";
import { loadUndici, undiciPartPaths } from "../../../sdk/core/undici-loader";
import { inFreshProcess } from "../../fresh-process";

// What a fresh process has loaded from node_modules/<name>, as paths inside that package.
const loadedFrom = `(name) => Object.keys(require.cache)
  .filter((p) => p.includes("/node_modules/" + name + "/"))
  .map((p) => p.slice(p.lastIndexOf("/node_modules/" + name + "/") + name.length + 15))`;

describe("loading undici on the first request", function () {
  this.timeout(30_000);

  it("loads the agent and the request API, not the whole package", () => {
    const seen = inFreshProcess(`
      const loaded = ${loadedFrom};
      const { sharedDispatcher } = require("./sdk/core/client");
      const before = loaded("undici").length;
      const agent = sharedDispatcher();
      console.log(JSON.stringify({
        before,
        after: loaded("undici"),
        hasRequest: typeof agent.request === "function",
      }));
    `) as { before: number; after: string[]; hasRequest: boolean };
    assert.equal(seen.before, 0, "importing the client must load no undici module");
    assert.ok(seen.hasRequest, "the agent must have undici's request() API");
    assert.ok(seen.after.includes("lib/dispatcher/agent.js"));
    assert.ok(!seen.after.includes("index.js"), "the package entry (fetch, WebSocket, mocks…) is not loaded");
    assert.deepEqual(
      seen.after.filter((p) => /^lib\/(web|mock|cache|interceptor)\//.test(p)),
      [],
      "nothing of fetch, the mocks, the cache or the interceptors",
    );
    assert.ok(seen.after.length < 40, `${seen.after.length} undici modules loaded`);
  });

  it("gives undici's own classes, so dispatchers from either entry mix", () => {
    const parts = loadUndici();
    assert.equal(parts.Agent, undici.Agent);
    assert.equal(parts.Dispatcher, undici.Dispatcher);
    for (const path of Object.values(undiciPartPaths)) assert.ok(require.resolve(path));
  });

  it("a FunctionGraph session with access keys loads neither the YAML parser nor the whole of undici", () => {
    const seen = inFreshProcess(`
      const loaded = ${loadedFrom};
      const { resolveFunctionGraphSession } = require("./sdk/functiongraph/session");
      const { send } = require("./sdk/core/send");
      resolveFunctionGraphSession({
        config: (key) => ({
          "opentelekomcloud:accessKey": "AK", "opentelekomcloud:secretKey": "SK",
          "opentelekomcloud:projectId": "0123456789abcdef0123456789abcdef",
          "opentelekomcloud:region": "eu-de",
        })[key],
      }, {}).then(async (session) => {
        await send({ ...session.context, endpoint: new URL("http://127.0.0.1:1"), retry: { maxAttempts: 1 } },
          { operation: "Probe", method: "GET", path: "/" }).catch(() => undefined);
        console.log(JSON.stringify({ yaml: loaded("yaml"), undici: loaded("undici") }));
        process.exit(0);
      });
    `) as { yaml: string[]; undici: string[] };
    assert.deepEqual(seen.yaml, []);
    assert.ok(seen.undici.includes("lib/dispatcher/agent.js"), "the probe went through undici's agent");
    assert.ok(!seen.undici.includes("index.js"));
  });
});
