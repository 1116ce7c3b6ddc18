import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "mocha";
import { unknownSentinel } from "../../../provider/inputs";
import { checkAlias } from "../../../provider/functiongraph/alias-model";
import { checkDependencyVersion } from "../../../provider/functiongraph/dependency-version-handler";
import { checkFunction } from "../../../provider/functiongraph/function-handler";
import { checkInvocation } from "../../../provider/functiongraph/invocation-model";
import { checkTrigger } from "../../../provider/functiongraph/trigger-model";
import { checkVersion } from "../../../provider/functiongraph/version-model";
import type { Props } from "../../../provider/handler";
import {
  type BadCase,
  badAliasCases,
  badDependencyCases,
  derivedCases,
  funcUrnCases,
  badFunctionCases,
  badInvocationCases,
  badTriggerCases,
  badVersionCases,
  patched,
  urnOf,
  validAlias,
  validDependency,
  validFunction,
  validInvocation,
  validTrigger,
  validVersion,
} from "./cases";
import { useConfig } from "./helpers";

type Check = (news: Props) => Promise<{ inputs?: Props; failures?: { property: string; reason: string }[] }>;

const urn = urnOf("0123456789abcdef0123456789abcdef", "hello-fn");

function suite(resource: string, check: Check, valid: Props, cases: readonly BadCase[]): void {
  describe(`${resource} check`, () => {
    // Check reads the stack config (a funcUrn of another project): none is left from other test files.
    before(() => useConfig({}));
    it("accepts the valid baseline", async () => {
      const r = await check(valid);
      assert.deepEqual(r.failures ?? [], []);
    });
    it(`rejects every bad input (${cases.length} cases), naming the property and, where pinned, the rule`, async () => {
      for (const c of cases) {
        const r = await check(patched(valid, c.patch));
        const props = (r.failures ?? []).map((f) => f.property);
        assert.ok(
          props.includes(c.property),
          `${c.what}: expected a failure on ${c.property}, got ${JSON.stringify(r.failures)}`,
        );
        assert.ok((r.failures ?? []).every((f) => f.reason.length > 0));
        if (c.rule !== undefined) {
          const reasons = (r.failures ?? []).filter((f) => f.property === c.property).map((f) => f.reason);
          assert.ok(
            reasons.some((reason) => c.rule?.test(reason)),
            `${c.what}: the reason should match ${c.rule}, got ${JSON.stringify(reasons)}`,
          );
        }
      }
    });
    it("tolerates the unknown sentinel in every input", async () => {
      for (const key of Object.keys(valid)) {
        const r = await check({ ...valid, [key]: unknownSentinel });
        assert.deepEqual(r.failures ?? [], [], `unknown ${key}`);
      }
    });
  });
}

suite("Function", checkFunction, validFunction(), [...badFunctionCases, ...derivedCases(validFunction())]);
suite("Version", (n) => Promise.resolve(checkVersion(n)), validVersion(urn), [
  ...badVersionCases(urn),
  ...derivedCases(validVersion(urn)),
  ...funcUrnCases(urn),
]);
suite("Alias", (n) => Promise.resolve(checkAlias(n)), validAlias(urn), [
  ...badAliasCases(urn),
  ...derivedCases(validAlias(urn)),
  ...funcUrnCases(urn),
]);
suite("Trigger", (n) => Promise.resolve(checkTrigger(n)), validTrigger(urn), [
  ...badTriggerCases(),
  ...derivedCases(validTrigger(urn)),
  ...funcUrnCases(urn),
]);
suite("DependencyVersion", checkDependencyVersion, validDependency(), [
  ...badDependencyCases,
  ...derivedCases(validDependency()),
]);
suite("Invocation", (n) => Promise.resolve(checkInvocation(n)), validInvocation(urn), [
  ...badInvocationCases(urn),
  ...derivedCases(validInvocation(urn)),
  ...funcUrnCases(urn),
]);

describe("Function check defaults and code hash", () => {
  it("fills package and code type, and hashes the code", async () => {
    const r = await checkFunction(validFunction());
    assert.equal(r.inputs?.package, "default");
    assert.equal(r.inputs?.codeType, "inline");
    assert.match(String(r.inputs?.codeHash), /^sha256:[0-9a-f]{64}$/);
  });

  it("hashes a local file's bytes, so editing the file changes the hash", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fg-code-"));
    const path = join(dir, "code.zip");
    writeFileSync(path, Buffer.from("PK\x03\x04one"));
    const base: Props = { ...validFunction(), inlineCode: undefined, codePath: path };
    delete base.inlineCode;
    const a = await checkFunction(base);
    writeFileSync(path, Buffer.from("PK\x03\x04two"));
    const b = await checkFunction(base);
    assert.equal(a.inputs?.codeType, "zip");
    assert.notEqual(a.inputs?.codeHash, b.inputs?.codeHash);
  });

  it("identifies OBS code by URL and user-given version, not by content", async () => {
    const base: Props = {
      ...validFunction(),
      codeUrl: "https://b.obs.eu-de.otc.t-systems.com/c.zip",
      codeVersion: "etag-1",
    };
    delete base.inlineCode;
    const a = await checkFunction(base);
    const b = await checkFunction({ ...base, codeVersion: "etag-2" });
    assert.equal(a.inputs?.codeType, "obs");
    assert.notEqual(a.inputs?.codeHash, b.inputs?.codeHash);
  });

  it("gives the same hash for the same zip as base64 or as a file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fg-code-"));
    const bytes = Buffer.from("PK\x03\x04same");
    writeFileSync(join(dir, "a.zip"), bytes);
    const f: Props = { ...validFunction(), codePath: join(dir, "a.zip") };
    delete f.inlineCode;
    const g: Props = { ...validFunction(), codeBase64: bytes.toString("base64") };
    delete g.inlineCode;
    assert.equal((await checkFunction(f)).inputs?.codeHash, (await checkFunction(g)).inputs?.codeHash);
  });

  it("sets the handler of a custom image to '-' and rejects another", async () => {
    const base: Props = {
      ...validFunction(),
      handler: undefined,
      runtime: "Custom Image",
      customImage: { image: "swr.eu-de.otc.t-systems.com/o/i:1" },
    };
    delete base.inlineCode;
    delete base.handler;
    const r = await checkFunction(base);
    assert.equal(r.inputs?.handler, "-");
    assert.equal(r.inputs?.codeType, "Custom-Image-Swr");
    const bad = await checkFunction({ ...base, handler: "index.handler" });
    assert.ok(bad.failures?.some((f) => f.property === "handler"));
  });
});

describe("check with unknowns nested in objects (preview)", () => {
  before(() => useConfig({}));
  it("skips rules on unknown members instead of failing them", async () => {
    const t = checkTrigger({
      funcUrn: urn,
      triggerTypeCode: "TIMER",
      eventData: { name: "t", scheduleType: unknownSentinel, schedule: unknownSentinel },
    });
    assert.deepEqual(t.failures ?? [], []);
    const a = checkAlias({
      funcUrn: urn,
      name: "live",
      version: "v1",
      additionalVersionWeights: { v2: unknownSentinel },
    });
    assert.deepEqual(a.failures ?? [], []);
    const f = await checkFunction({
      ...validFunction(),
      userData: { A: unknownSentinel },
      funcVpc: { vpcId: unknownSentinel, subnetId: "s" },
    });
    assert.deepEqual(f.failures ?? [], []);
    assert.equal(f.inputs?.codeHash === unknownSentinel, false, "known code still hashes");
    const g = await checkFunction({ ...validFunction(), inlineCode: unknownSentinel });
    assert.equal(g.inputs?.codeHash, unknownSentinel, "unknown code gives an unknown hash (a change)");
  });
});
