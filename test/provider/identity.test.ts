import { strict as assert } from "node:assert";
import { describe, it } from "mocha";
import type { ResourceHandler } from "../../provider/handler";
import {
  hideRecordedIdentity,
  identityAwareHandler,
  identityTagKey,
  recordIdentity,
  retryTokenFor,
} from "../../provider/identity";

const identity = "shop/prod/web";

describe("stable identity", () => {
  it("records the identity as an OCI freeform tag and hides it again, keeping the user's tags", () => {
    const recorded = recordIdentity("oci:ContainerInstance", { freeformTags: { team: "a" } }, identity);
    assert.deepEqual(recorded.freeformTags, { team: "a", [identityTagKey]: identity });
    assert.deepEqual(hideRecordedIdentity("oci:ContainerInstance", recorded).freeformTags, { team: "a" });
  });

  it("records the identity at the end of a FunctionGraph description; the marker alone reads back as no description", () => {
    const recorded = recordIdentity("functiongraph:Function", { description: "greets" }, identity);
    assert.equal(recorded.description, `greets [fnstack:${identity}]`);
    assert.equal(hideRecordedIdentity("functiongraph:Function", recorded).description, "greets");
    const bare = recordIdentity("functiongraph:Function", {}, identity);
    assert.ok(!("description" in hideRecordedIdentity("functiongraph:Function", bare)));
  });

  it("leaves a description too long for the marker as written", () => {
    const long = "d".repeat(510);
    assert.equal(recordIdentity("functiongraph:Function", { description: long }, identity).description, long);
  });

  it("derives one retry token per create, and a new one once an earlier resource of the identity was seen", () => {
    const body = { displayName: "web", shape: "CI.Standard.E4.Flex" };
    assert.equal(retryTokenFor(identity, body, []), retryTokenFor(identity, { ...body }, []));
    assert.notEqual(retryTokenFor(identity, body, []), retryTokenFor(identity, body, ["ocid1.old"]));
    assert.notEqual(retryTokenFor(identity, body, []), retryTokenFor("shop/dev/web", body, []));
    assert.ok(retryTokenFor(identity, body, []).length <= 64);
  });

  it("keeps the identity input from the handler, hands it the identity in the call scope, and puts it back in outputs", async () => {
    const seen: { inputs?: object; scope?: string } = {};
    const handler: ResourceHandler = {
      check: async (_olds, news) => ({ inputs: news }),
      diff: async () => ({}),
      create: async (inputs, call) => {
        seen.inputs = inputs;
        seen.scope = call?.identity;
        return { id: "x", outs: { ...inputs } };
      },
      read: async (id, props) => ({ id, props }),
      update: async (_id, _olds, news) => ({ outs: news }),
      delete: async () => undefined,
    };
    const wrapped = identityAwareHandler("oci:Application", handler);
    const checked = await wrapped.check({}, { displayName: "a", stackIdentity: identity });
    assert.deepEqual(checked.inputs, { displayName: "a", stackIdentity: identity });
    const created = await wrapped.create({ displayName: "a", stackIdentity: identity });
    assert.deepEqual(seen.inputs, { displayName: "a", freeformTags: { [identityTagKey]: identity } });
    assert.equal(seen.scope, identity);
    assert.deepEqual(created.outs, { displayName: "a", freeformTags: {}, stackIdentity: identity });
  });
});
