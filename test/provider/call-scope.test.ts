import { strict as assert } from "node:assert";
import { inFreshProcess } from "../fresh-process";

// Each handler call is handed its connection and identity as an argument (provider/handler.ts,
// CallScope), not through an AsyncLocalStorage, which on Node 20 and 22 adds a promise hook to the whole
// plugin process (issue 12).
describe("the call scope", function () {
  this.timeout(30_000);

  it("reaches the handler with the resource's connection, and leaves the process's promises alone", () => {
    const seen = inFreshProcess(`
      const { handlerFor } = require("./provider/runtime");
      const project = (digit) => digit.repeat(32);
      const funcUrn = "urn:fss:eu-de:" + project("b") + ":function:default:hello";
      const version = handlerFor("functiongraph:Version");
      const check = (projectId) =>
        version.check({}, { funcUrn, connection: { region: "eu-de", projectId } });
      Promise.all([check(project("b")), check(project("c"))]).then(([same, other]) => {
        const probe = new Promise((resolve) => resolve());
        console.log(JSON.stringify({
          same: (same.failures ?? []).map((f) => f.property),
          other: (other.failures ?? []).map((f) => f.reason),
          promiseFields: Object.getOwnPropertySymbols(probe).map(String),
        }));
      });
    `) as { same: string[]; other: string[]; promiseFields: string[] };
    assert.deepEqual(seen.same, [], "a funcUrn of the connection's own project is accepted");
    assert.equal(seen.other.length, 1);
    assert.match(seen.other[0] ?? "", /belongs to project b{32}, but the provider works in project c{32}/);
    assert.deepEqual(seen.promiseFields, [], "no async hook gave promises their own fields");
  });
});
