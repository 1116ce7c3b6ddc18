/** The Invocation resource's pure logic: the input rules and the diff. */
import type * as pulumi from "@pulumi/pulumi";
import type { CallScope, Props } from "../handler";
import { changedKeys, isPlainObject, startCheck } from "./common";

/** Every input the Invocation accepts. */
export const invocationInputKeys = [
  "funcUrn",
  "event",
  "mode",
  "tailLog",
  "allowFailure",
  "triggers",
] as const;
/** Largest event accepted, in bytes of JSON (the API's synchronous body limit is 6 MB). */
export const maxEventBytes = 6 * 1024 * 1024;

/** Validates Invocation inputs; never sends a request. */
export function checkInvocation(news: Props, call?: CallScope): pulumi.dynamic.CheckResult {
  const { c, inputs } = startCheck(news, invocationInputKeys, { qualified: true }, call);
  if (inputs.mode === undefined) inputs.mode = "sync";
  c.oneOf("mode", inputs.mode, ["sync", "async"]);
  if (inputs.event === undefined) inputs.event = {};
  if (!c.skip(inputs.event)) {
    if (!isPlainObject(inputs.event)) c.fail("event", "must be a JSON object (the function's event)");
    else if (Buffer.byteLength(JSON.stringify(inputs.event)) > maxEventBytes)
      c.fail("event", `must encode to at most ${maxEventBytes} bytes`);
  }
  c.boolean("tailLog", inputs.tailLog);
  if (inputs.tailLog === true && inputs.mode === "async")
    c.fail("tailLog", "only applies to synchronous invocations");
  c.boolean("allowFailure", inputs.allowFailure);
  c.stringMap("triggers", inputs.triggers);
  return c.result(inputs);
}

/** Any input change means "invoke again": an update, never a replacement. */
export function diffInvocation(olds: Props, news: Props): pulumi.dynamic.DiffResult {
  const changed = changedKeys(olds, news, invocationInputKeys);
  return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
}

/** The handler of `functiongraph:Invocation`. */
