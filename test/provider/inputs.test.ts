import { strict as assert } from "node:assert";
import { containsUnknown, isUnknown, isWhollyUnknown, unknownSentinel } from "../../provider/inputs";

describe("unknown inputs", () => {
  it("uses the engine's unknown sentinel", () => {
    assert.equal(unknownSentinel, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
  });

  it("finds the sentinel at any depth of objects and arrays", () => {
    assert.equal(isUnknown(unknownSentinel), true);
    assert.equal(isUnknown({ a: { b: [1, { c: unknownSentinel }] } }), true);
    assert.equal(isUnknown([[unknownSentinel]]), true);
    assert.equal(containsUnknown({ env: { KEY: unknownSentinel } }), true);
  });

  it("is false for known values, including look-alike strings", () => {
    for (const value of [undefined, null, 0, "", "04da6b54", `${unknownSentinel} `, { a: [1, "x"] }, []]) {
      assert.equal(isUnknown(value), false, JSON.stringify(value));
    }
  });

  it("tolerates cycles", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    assert.equal(isUnknown(cyclic), false);
    cyclic.later = unknownSentinel;
    assert.equal(isUnknown(cyclic), true);
  });

  it("tells a wholly unknown value from one that only contains an unknown", () => {
    assert.equal(isWhollyUnknown(unknownSentinel), true);
    assert.equal(isWhollyUnknown({ a: unknownSentinel }), false);
  });
});
