import { strict as assert } from "node:assert";
import type * as pulumi from "@pulumi/pulumi";
import type * as runtimeModule from "../../provider/runtime";
import { makeProvider } from "../../provider/stub";
import { serializeKind } from "../engine/harness";

// The stub's `require("fnstack/provider")` resolves through the package's own exports map to
// dist/provider/runtime.js, so these tests use that instance (`npm test` builds dist/ first).
const distRuntime = require("fnstack/provider") as typeof runtimeModule;

describe("makeProvider", () => {
  const calls: unknown[][] = [];
  before(() => {
    distRuntime.registerHandler("stubtest:Recorder", () => ({
      check: async (...args) => (calls.push(["check", ...args]), { inputs: args[1] }),
      diff: async (...args) => (calls.push(["diff", ...args]), { changes: true }),
      create: async (...args) => (calls.push(["create", ...args]), { id: "r-1", outs: { x: 1 } }),
      read: async (...args) => (calls.push(["read", ...args]), { id: args[0], props: args[1] }),
      update: async (...args) => (calls.push(["update", ...args]), { outs: args[2] }),
      delete: async (...args) => void calls.push(["delete", ...args]),
    }));
  });
  after(() => distRuntime.configure(() => undefined));

  it("forwards every method, with its arguments, to the kind's handler in the installed runtime", async () => {
    const stub = makeProvider("stubtest:Recorder") as Required<pulumi.dynamic.ResourceProvider>;
    calls.length = 0;
    assert.deepEqual(await stub.check({ o: 1 }, { n: 2 }), { inputs: { n: 2 } });
    assert.deepEqual(await stub.diff("r-1", { o: 1 }, { n: 2 }), { changes: true });
    assert.deepEqual(await stub.create({ n: 2 }), { id: "r-1", outs: { x: 1 } });
    assert.deepEqual(await stub.read("r-1", { x: 1 }), { id: "r-1", props: { x: 1 } });
    assert.deepEqual(await stub.update("r-1", { x: 1 }, { n: 3 }), { outs: { n: 3 } });
    assert.equal(await stub.delete("r-1", { x: 1 }), undefined);
    // Each handler method gets the call's scope last (provider/handler.ts, CallScope): a test kind has
    // no connection, and these inputs no identity.
    const scope = { connection: undefined, identity: undefined };
    assert.deepEqual(calls, [
      ["check", { o: 1 }, { n: 2 }, scope],
      ["diff", "r-1", { o: 1 }, { n: 2 }, scope],
      ["create", { n: 2 }, scope],
      ["read", "r-1", { x: 1 }, undefined, scope],
      ["update", "r-1", { x: 1 }, { n: 3 }, scope],
      ["delete", "r-1", { x: 1 }, scope],
    ]);
  });

  it("hands the runtime a lookup over req.config that resolves full namespaced keys", async () => {
    const stub = makeProvider("stubtest:Recorder") as Required<pulumi.dynamic.ResourceProvider>;
    const seen: string[] = [];
    const config = {
      get: (key: string) => (seen.push(key), key === "oci:region" ? "eu-frankfurt-1" : undefined),
      require: (key: string) => key,
    };
    await stub.configure({ config });
    assert.equal(distRuntime.stackConfig()("oci:region"), "eu-frankfurt-1");
    assert.equal(distRuntime.stackConfig()("oci:tenancyOcid"), undefined);
    assert.deepEqual(seen, ["oci:region", "oci:tenancyOcid"]);
  });

  it("returns one instance per kind", () => {
    const stub = makeProvider("oci:Application");
    assert.equal(makeProvider("oci:Application"), stub);
    assert.notEqual(makeProvider("oci:Function"), stub);
  });

  it("serializes to at most 1 KB of state per copy for every shipped kind", async () => {
    for (const kind of distRuntime.knownKinds()) {
      const stored = Buffer.byteLength(JSON.stringify(await serializeKind(kind)));
      assert.ok(stored <= 1024, `${kind}: ${stored} bytes`);
    }
  });

  it("routes create inputs holding a `config` map to create, not configure", async () => {
    const stub = makeProvider("stubtest:Recorder") as Required<pulumi.dynamic.ResourceProvider>;
    calls.length = 0;
    await stub.create({ config: { get: "not a function" } });
    assert.deepEqual(calls, [
      ["create", { config: { get: "not a function" } }, { connection: undefined, identity: undefined }],
    ]);
  });

  it("rejects kinds that are not <cloud>:<Type>", () => {
    for (const kind of ["", "Function", "oci:", ":Function", "oci:Function:x", "oci:my function"]) {
      assert.throws(() => makeProvider(kind), TypeError, kind);
    }
  });
});
