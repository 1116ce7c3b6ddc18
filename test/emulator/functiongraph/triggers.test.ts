import { strict as assert } from "node:assert";
import { Harness, base, projectId } from "./harness";

const fnUrn = `urn:fss:eu-de:${projectId}:function:default:trig`;
const triggers = `${base}/fgs/triggers/${fnUrn}`;
const timer = {
  trigger_type_code: "TIMER",
  event_data: { name: "every5", schedule_type: "Rate", schedule: "5m", user_event: "hi" },
};

describe("emulator/functiongraph triggers", () => {
  let h: Harness;
  beforeEach(async () => {
    h = new Harness();
    await h.createFunction("trig");
  });

  it("creates (201), lists as a bare array, gets, and deletes a trigger; GET after delete is the 500 quirk", async () => {
    const created = await h.call("POST", triggers, { body: timer });
    assert.equal(created.status, 201);
    assert.equal(created.json.trigger_status, "ACTIVE");
    assert.match(String(created.json.created_time), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const id = String(created.json.trigger_id);
    const list = await h.call("GET", triggers);
    assert.ok(Array.isArray(list.body));
    assert.equal(list.list.length, 1);
    const got = await h.call("GET", `${triggers}/TIMER/${id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.json.event_data, timer.event_data);
    assert.equal((await h.call("DELETE", `${triggers}/TIMER/${id}`)).status, 204);
    const gone = await h.call("GET", `${triggers}/TIMER/${id}`);
    assert.equal(gone.status, 500);
    assert.equal(gone.json.error_code, "FSS.0500");
    const again = await h.call("DELETE", `${triggers}/TIMER/${id}`);
    assert.equal(again.status, 404);
    assert.equal(again.json.error_code, "FSS.1131");
  });

  it("answers DELETE of a trigger whose function is gone with 401 FSS.0401", async () => {
    const id = String((await h.call("POST", triggers, { body: timer })).json.trigger_id);
    await h.call("DELETE", `${base}/fgs/functions/${fnUrn}`);
    const res = await h.call("DELETE", `${triggers}/TIMER/${id}`);
    assert.equal(res.status, 401);
    assert.equal(res.json.error_code, "FSS.0401");
  });

  it("updates only the status and the four pull settings", async () => {
    const kafka = {
      trigger_type_code: "KAFKA",
      event_data: {
        instance_id: "i-1",
        topic_ids: ["t1"],
        batch_size: 100,
        kafka_user: "u",
        kafka_password: "secret",
        polling_interval: 3,
      },
    };
    const created = await h.call("POST", triggers, { body: kafka });
    assert.equal(created.json.trigger_status, "DISABLED", "Kafka triggers are created DISABLED");
    assert.equal("kafka_password" in (created.json.event_data as object), false, "passwords are write-only");
    const path = `${triggers}/KAFKA/${String(created.json.trigger_id)}`;
    const updated = await h.call("PUT", path, {
      body: { trigger_status: "ACTIVE", event_data: { polling_interval: 10 } },
    });
    assert.equal(updated.status, 200);
    assert.equal(updated.json.trigger_status, "ACTIVE");
    assert.equal((updated.json.event_data as Record<string, unknown>).polling_interval, 10);
    const immutable = await h.call("PUT", path, { body: { event_data: { batch_size: 5 } } });
    assert.equal(immutable.status, 400);
    const missing = await h.call("PUT", `${triggers}/KAFKA/nope`, { body: { trigger_status: "ACTIVE" } });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error_code, "FSS.1131");
  });

  it("refuses to disable a trigger type that cannot be disabled, and validates event_data", async () => {
    const smn = await h.call("POST", triggers, {
      body: { trigger_type_code: "SMN", trigger_status: "DISABLED", event_data: { topic_urn: "urn:smn:x" } },
    });
    assert.equal(smn.status, 400);
    const badRate = await h.call("POST", triggers, {
      body: { ...timer, event_data: { ...timer.event_data, schedule: "61m" } },
    });
    assert.equal(badRate.status, 400);
    const badType = await h.call("POST", triggers, { body: { trigger_type_code: "FAX", event_data: {} } });
    assert.equal(badType.status, 400);
  });

  it("binds triggers to the qualifier in the URN; DELETE on the URN removes only that qualifier's triggers", async () => {
    await h.call("POST", `${base}/fgs/functions/${fnUrn}/versions`, { body: { version: "v1" } });
    await h.call("POST", triggers, { body: timer });
    await h.call("POST", `${triggers}:v1`, {
      body: { ...timer, event_data: { ...timer.event_data, name: "onv1" } },
    });
    assert.equal((await h.call("GET", triggers)).list.length, 1);
    assert.equal((await h.call("GET", `${triggers}:v1`)).list.length, 1);
    assert.equal((await h.call("DELETE", `${triggers}:v1`)).status, 204);
    assert.equal((await h.call("GET", `${triggers}:v1`)).list.length, 0);
    assert.equal((await h.call("GET", triggers)).list.length, 1);
  });
});

describe("emulator/functiongraph trigger event data", () => {
  it("adds api_id, invoke_url and triggerid to APIG triggers", async () => {
    const h = new Harness();
    await h.createFunction("trig");
    const res = await h.call("POST", triggers, {
      body: {
        trigger_type_code: "APIG",
        event_data: {
          group_id: "g1",
          name: "api_trig",
          env_name: "RELEASE",
          auth: "NONE",
          protocol: "HTTPS",
          path: "/x",
        },
      },
    });
    assert.equal(res.status, 201);
    const data = res.json.event_data as Record<string, unknown>;
    assert.match(String(data.api_id), /^[0-9a-f]{32}$/);
    assert.equal(data.triggerid, res.json.trigger_id);
    assert.ok(String(data.invoke_url).startsWith(h.origin));
  });

  it("accepts Cron schedules with a CRON_TZ prefix and @every, and rejects a 3-field cron", async () => {
    const h = new Harness();
    await h.createFunction("trig");
    const cron = (schedule: string, name: string) =>
      h.call("POST", triggers, {
        body: { trigger_type_code: "TIMER", event_data: { name, schedule_type: "Cron", schedule } },
      });
    assert.equal((await cron("CRON_TZ=Europe/Berlin 0 30 8 * * *", "c1")).status, 201);
    assert.equal((await cron("@every 1h30m", "c2")).status, 201);
    assert.equal((await cron("* * *", "c3")).status, 400);
    const dup = await cron("@every 1h", "c1");
    assert.equal(dup.status, 409);
  });
});
