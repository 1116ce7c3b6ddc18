import { strict as assert } from "node:assert";
import { after, describe, it } from "mocha";
import { cronRangeProblem, foreignProjectProblem } from "../../../provider/functiongraph/input-rules";
import { checkVersion } from "../../../provider/functiongraph/version-model";
import { urnOf } from "./cases";
import { useConfig } from "./helpers";

describe("FunctionGraph input rules", () => {
  after(() => useConfig({}));

  it("accepts Cron schedules within range, with names, L, W, # and steps", () => {
    for (const schedule of [
      "0 0 2 * * *",
      "0 15 10 ? * MON-FRI",
      "0 0/5 * * * ?",
      "0 0 12 L * ?",
      "0 0 12 ? * 6#3",
      "0 0 12 15W * ?",
      "59 59 23 31 DEC SUN",
      "0 0 0 1 1-12/2 *",
    ])
      assert.equal(cronRangeProblem(schedule.split(" ")), undefined, schedule);
  });

  it("names the field and its range for a value out of range", () => {
    assert.equal(cronRangeProblem("0 61 * * * *".split(" ")), "the minute must be 0–59, got 61");
    assert.equal(cronRangeProblem("0 0 25 * * *".split(" ")), "the hour must be 0–23, got 25");
    assert.equal(cronRangeProblem("0 0 0 1 13 *".split(" ")), "the month must be 1–12, got 13");
    assert.equal(
      cronRangeProblem("0 0 0 ? * 2#6".split(" ")),
      "the week of the month after # must be 1–5, got 6",
    );
  });

  it("refuses a funcUrn of another project than the stack config's, in check", () => {
    useConfig({ "opentelekomcloud:projectId": "11111111111111111111111111111111" });
    const foreign = urnOf("22222222222222222222222222222222", "hello-fn");
    assert.match(
      foreignProjectProblem(foreign) ?? "",
      /belongs to project 2{32}, but the provider works in project 1{32}/,
    );
    const r = checkVersion({ funcUrn: foreign, version: "v1" });
    assert.deepEqual(
      r.failures?.map((f) => f.property),
      ["funcUrn"],
    );
    assert.equal(
      checkVersion({ funcUrn: urnOf("11111111111111111111111111111111", "hello-fn") }).failures?.length ?? 0,
      0,
    );
  });

  it("says nothing about the project while it is only known after signing in", () => {
    useConfig({});
    const saved = process.env.OS_PROJECT_ID;
    delete process.env.OS_PROJECT_ID;
    try {
      assert.equal(foreignProjectProblem(urnOf("22222222222222222222222222222222", "f")), undefined);
    } finally {
      if (saved !== undefined) process.env.OS_PROJECT_ID = saved;
    }
  });
});
