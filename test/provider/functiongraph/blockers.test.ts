import { strict as assert } from "node:assert";
import { after, before, describe, it } from "mocha";
import type { RunningEmulator } from "../../../emulator";
import type { ClientContext } from "../../../sdk/core/client";
import * as triggers from "../../../sdk/functiongraph/clients/triggers";
import { control, startTestEmulator, tokenContext } from "../../sdk/functiongraph/clients/helpers";
import { validFunction } from "./cases";
import { akskConfig, handler, useConfig } from "./helpers";

// Destroy is not stuck on what fnstack left (issue 11): an alias blocked by triggers a killed run of
// the same stack left behind is deleted after them; another stack's triggers are named, with the
// command that frees them, and no hint about credentials.
describe("deleting an alias blocked by triggers (403 FSS.1154)", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let ctx: ClientContext;

  before(async () => {
    emu = await startTestEmulator();
    ctx = await tokenContext(emu);
    useConfig(akskConfig(emu));
  });
  after(async () => {
    useConfig({});
    await emu?.close();
  });

  /** A function, version v1 and alias `live`, the function created as `identity`'s; answers the alias id. */
  async function aliasWithLeftoverTrigger(
    name: string,
    identity: string,
  ): Promise<{ id: string; aliasUrn: string }> {
    const fn = await handler("Function").create({ ...validFunction(name), stackIdentity: identity });
    const funcUrn = String(fn.outs?.funcUrn);
    await handler("Version").create({ funcUrn, version: "v1", stackIdentity: `${identity}-v1` });
    const alias = await handler("Alias").create({
      funcUrn,
      name: "live",
      version: "v1",
      stackIdentity: `${identity}-live`,
    });
    const aliasUrn = `${funcUrn}:!live`;
    // What a killed run leaves: a trigger on the alias that no state knows.
    await triggers.createTrigger(ctx, {
      funcUrn: aliasUrn,
      body: {
        trigger_type_code: "TIMER",
        trigger_status: "ACTIVE",
        event_data: { name: "orphan", schedule_type: "Rate", schedule: "5m" },
      },
    });
    return { id: alias.id, aliasUrn };
  }

  it("deletes the triggers of the same stack first, then the alias", async () => {
    const { id, aliasUrn } = await aliasWithLeftoverTrigger("blocked-same", "shop/prod/greeter");
    await handler("Alias").delete(id, { stackIdentity: "shop/prod/greeter-live" });
    const left: unknown[] = [];
    for await (const t of triggers.listTriggers(ctx, { funcUrn: aliasUrn.replace(":!live", "") }))
      left.push(t);
    assert.deepEqual(left, [], "the leftover trigger went with the alias");
    const { requests } = (await control(emu, "GET", "requests")) as {
      requests: { operation?: string; status: number }[];
    };
    assert.ok(requests.some((r) => r.operation === "DeleteVersionAlias" && r.status === 204));
  });

  it("names another stack's triggers and the command that frees them, without a credential hint", async () => {
    const { id } = await aliasWithLeftoverTrigger("blocked-other", "shop/dev/greeter");
    await assert.rejects(
      handler("Alias").delete(id, { stackIdentity: "shop/prod/greeter-live" }),
      (err: Error) => {
        assert.match(err.message, /TIMER trigger \S+ bound to it do not belong to this stack/);
        assert.match(
          err.message,
          /DeleteFunctionTrigger --function_urn=\S+ --trigger_type_code=TIMER --trigger_id=\S+/,
        );
        assert.doesNotMatch(err.message, /credential/i);
        assert.equal((err as { code?: string }).code, "FSS.1154");
        return true;
      },
    );
  });
});
