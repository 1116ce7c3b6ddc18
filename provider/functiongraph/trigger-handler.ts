/**
 * `functiongraph:Trigger`: binds an event source to a function (or one of its versions/aliases). Waits
 * after every write until the trigger is ACTIVE or DISABLED, and after delete until it is gone.
 * The id is `<funcUrn>/<triggerTypeCode>/<triggerId>`.
 */
import type { ClientContext } from "../../sdk/core/client";
import { NotFoundError } from "../../sdk/core/errors";
import { waitFor } from "../../sdk/core/wait";
import { pollTuning } from "../tuning";
import * as triggers from "../../sdk/functiongraph/clients/triggers";
import type { FunctionTrigger } from "../../sdk/functiongraph/types/trigger";
import type { Props, ResourceHandler } from "../handler";
import { withPollProgress } from "../progress";
import { functionGraphContext } from "./context";
import { guardWrites, WriteLog } from "../framework/write-log";
import {
  assertValid,
  deleteOrGone,
  isPlainObject,
  type Plain,
  readOrGone,
  triggerDeleteTimeoutMs,
  triggerSettleTimeoutMs,
} from "./common";
import { timeoutFor } from "../framework/timeouts";
import {
  checkTrigger,
  diffTrigger,
  eventDataToWire,
  parseTriggerId,
  pullSettingsToWire,
  triggerOutputs,
} from "./trigger-model";
import { createTriggerOnce } from "./create-once";

/** Polls until the trigger is ACTIVE or DISABLED (and, when given, the wanted one). */
async function waitSettled(
  ctx: ClientContext,
  ref: triggers.TriggerRef,
  timeoutMs: number,
  wanted?: string,
): Promise<FunctionTrigger> {
  return waitFor<FunctionTrigger>(
    withPollProgress(`${ref.triggerTypeCode} trigger ${ref.triggerId}`, async (signal) => {
      const t = await triggers.getTrigger(ctx, ref, { signal });
      const status = String(t.trigger_status);
      if (status === "ACTIVE" || status === "DISABLED") {
        if (wanted === undefined || status === wanted) return { done: true, value: t };
        return { pending: true, observed: status };
      }
      if (/FAIL|ERROR/i.test(status))
        return { failed: true, error: new Error(`trigger ${ref.triggerId} is ${status}`) };
      return { pending: true, observed: status };
    }),
    {
      description: `${ref.triggerTypeCode} trigger ${ref.triggerId} to become ${wanted ?? "ACTIVE or DISABLED"}`,
      timeoutMs,
      ...pollTuning(),
    },
  );
}

async function waitGone(ctx: ClientContext, ref: triggers.TriggerRef, timeoutMs: number): Promise<void> {
  await waitFor<true>(
    async (signal) => {
      try {
        const t = await triggers.getTrigger(ctx, ref, { signal });
        return { pending: true, observed: String(t.trigger_status) };
      } catch (err) {
        if (err instanceof NotFoundError) return { done: true, value: true };
        throw err;
      }
    },
    {
      description: `${ref.triggerTypeCode} trigger ${ref.triggerId} to be deleted`,
      timeoutMs,
      ...pollTuning(),
    },
  );
}

/**
 * Sets the status and pull settings the inputs ask for when the live trigger differs, then waits until
 * it settles; the write goes to `log`.
 */
async function setStatus(
  ctx: ClientContext,
  ref: triggers.TriggerRef,
  inputs: Props,
  current: FunctionTrigger,
  log: WriteLog,
  timeoutMs: number,
): Promise<FunctionTrigger> {
  const pull = pullSettingsToWire(inputs.eventData);
  const statusDiffers = current.trigger_status !== inputs.status;
  const pullDiffers =
    pull !== undefined && Object.entries(pull).some(([k, v]) => (current.event_data ?? {})[k] !== v);
  if (!statusDiffers && !pullDiffers) return current;
  await log.write(
    triggers.updateTrigger(ctx, {
      ...ref,
      body: { trigger_status: String(inputs.status), ...(pull ? { event_data: pull } : {}) },
    }),
  );
  log.complete("status");
  return waitSettled(ctx, ref, timeoutMs, String(inputs.status));
}

/**
 * Settles the trigger on the inputs (wait, then status and pull settings) under {@link guardWrites}: a
 * failure after an accepted write (the create itself counts when `log` says so) raises the partial
 * failure with the trigger read back, or else as `known` with the accepted status laid over it.
 */
async function settle(
  ctx: ClientContext,
  ref: triggers.TriggerRef,
  inputs: Props,
  raw: Props,
  known: FunctionTrigger,
  phase: "create" | "update",
  log: WriteLog = new WriteLog(),
): Promise<Props> {
  const timeoutMs = timeoutFor(inputs, phase, triggerSettleTimeoutMs);
  const expected = (): Props => {
    if (!log.done.has("status")) return triggerOutputs(known, ref, inputs);
    const pull = pullSettingsToWire(inputs.eventData) ?? {};
    const status = String(inputs.status);
    const event_data = { ...known.event_data, ...pull };
    return triggerOutputs({ ...known, trigger_status: status, event_data }, ref, inputs);
  };
  return guardWrites(
    triggerIdOf(ref),
    raw,
    { readBack: async () => triggerOutputs(await triggers.getTrigger(ctx, ref), ref, inputs), expected },
    async () => {
      // DDS and Kafka triggers are created DISABLED: settle, then turn on if asked.
      const t = await waitSettled(ctx, ref, timeoutMs);
      return triggerOutputs(await setStatus(ctx, ref, inputs, t, log, timeoutMs), ref, inputs);
    },
    log,
  );
}

/** `<funcUrn>/<triggerTypeCode>/<triggerId>`. */
function triggerIdOf(ref: triggers.TriggerRef): string {
  return `${ref.funcUrn}/${ref.triggerTypeCode}/${ref.triggerId}`;
}

/** The handler of `functiongraph:Trigger`. */
export function triggerHandler(): ResourceHandler {
  return {
    check: (_olds, news, call) => Promise.resolve(checkTrigger(news, call)),
    diff: (_id, olds, news) => Promise.resolve(diffTrigger(olds, news)),
    async create(raw, call) {
      const inputs = assertValid(checkTrigger(raw, call));
      const ctx = await functionGraphContext(call);
      const funcUrn = String(inputs.funcUrn);
      const type = String(inputs.triggerTypeCode);
      if (typeof inputs.adoptId === "string") {
        const ref = { funcUrn, triggerTypeCode: type, triggerId: inputs.adoptId };
        const current = await triggers.getTrigger(ctx, ref);
        return { id: triggerIdOf(ref), outs: await settle(ctx, ref, inputs, raw, current, "create") };
      }
      const event_data = eventDataToWire(inputs.eventData);
      const body = {
        trigger_type_code: type,
        trigger_status: String(inputs.status),
        ...(typeof inputs.eventTypeCode === "string" ? { event_type_code: inputs.eventTypeCode } : {}),
        event_data,
      };
      const created = await createTriggerOnce(ctx, { funcUrn, body }, call?.identity);
      const ref = { funcUrn, triggerTypeCode: type, triggerId: created.trigger_id };
      // The trigger exists from here on: every later failure is a partial one.
      const log = new WriteLog();
      log.accepted = 1;
      // The create answer is what is known of it should every later read fail.
      const answer: Partial<FunctionTrigger> = created;
      const known: FunctionTrigger = {
        ...created,
        trigger_type_code: type,
        trigger_status: answer.trigger_status ?? "",
        event_data: answer.event_data ?? event_data,
      };
      return { id: triggerIdOf(ref), outs: await settle(ctx, ref, inputs, raw, known, "create", log) };
    },
    async read(id, props, _inputs, call) {
      const ref = parseTriggerId(id);
      const ctx = await functionGraphContext(call);
      return readOrGone(async () => {
        const t = await triggers.getTrigger(ctx, ref);
        const template: Props = { ...props };
        // The secrets are write-only: keep them from state so refresh never shows them as drift.
        if (isPlainObject(props.eventDataSecrets))
          template.eventData = { ...(props.eventData as Plain), ...props.eventDataSecrets };
        const outs = triggerOutputs(t, ref, template, props.eventData === undefined);
        const inputs: Props = {
          funcUrn: outs.funcUrn,
          triggerTypeCode: outs.triggerTypeCode,
          status: outs.status,
          eventData: { ...(outs.eventData as Plain), ...(outs.eventDataSecrets as Plain | undefined) },
        };
        if (outs.eventTypeCode !== undefined) inputs.eventTypeCode = outs.eventTypeCode;
        return { id, props: outs, inputs };
      });
    },
    async update(id, _olds, news, call) {
      const inputs = assertValid(checkTrigger(news, call));
      const ref = parseTriggerId(id);
      const ctx = await functionGraphContext(call);
      const current = await triggers.getTrigger(ctx, ref);
      return { outs: await settle(ctx, ref, inputs, news, current, "update") };
    },
    async delete(id, props, call) {
      const ref = parseTriggerId(id);
      const ctx = await functionGraphContext(call);
      let gone = false;
      await deleteOrGone(async () => {
        await triggers.deleteTrigger(ctx, ref);
        gone = true;
      });
      if (gone) await waitGone(ctx, ref, timeoutFor(props, "delete", triggerDeleteTimeoutMs));
    },
  };
}
