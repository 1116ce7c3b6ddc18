import * as pulumi from "@pulumi/pulumi";
import type { OciConnectionArgs, OciConnectionRecord } from "./connection";
import { stackIdentity } from "../identity";
import { makeProvider } from "../stub";
import type { TimeoutsArgs } from "./shared-args";

/** Arguments of an {@link InvokeFunction}. */
export interface InvokeFunctionArgs {
  /** Function OCID. */
  functionId: pulumi.Input<string>;
  /** Request body as text (UTF-8). */
  invokeFunctionBody?: pulumi.Input<string>;
  /** Request body as base64 (binary payloads). */
  invokeFunctionBodyBase64Encoded?: pulumi.Input<string>;
  /**
   * Request body read from this file (at most 6 MB; terraform's `input_body_source_path`). Its SHA-256
   * is recorded as `inputBodySourceSha256`, so a changed file invokes again.
   */
  inputBodySourcePath?: pulumi.Input<string>;
  /** Record `content` as base64 instead of UTF-8 text. */
  base64EncodeContent?: pulumi.Input<boolean>;
  /** `fn-intent` header: `httprequest` or `cloudevent`. */
  fnIntent?: pulumi.Input<"httprequest" | "cloudevent">;
  /** `fn-invoke-type` header: `sync` (default) or `detached`. */
  fnInvokeType?: pulumi.Input<"sync" | "detached">;
  /** Validate the invocation without running the function. */
  isDryRun?: pulumi.Input<boolean>;
  /** The function is safe to run twice: retry 5xx and lost connections too (default false: only 429s and connect failures). */
  idempotent?: pulumi.Input<boolean>;
  /** `create`/`update`: deadline of the invocation (default 20 min). */
  timeouts?: pulumi.Input<TimeoutsArgs>;
  /**
   * Where this resource lives: region and account (config-file profile), overriding the stack configuration for it alone.
   * A change of region or account replaces the resource. Names only; credentials are read at each call.
   */
  connection?: pulumi.Input<OciConnectionArgs>;
}

/**
 * Invokes a function when created and again whenever its inputs change (by replacement), recording
 * the answer; like `@pulumi/oci`'s `functions.InvokeFunction`. Deleting it calls nothing.
 *
 * ```ts
 * const warmup = new oci.InvokeFunction("warmup", { functionId: fn.id, invokeFunctionBody: "{}" });
 * export const answer = warmup.content;
 * ```
 */
export class InvokeFunction extends pulumi.dynamic.Resource {
  /** Where the resource was created: region and account identity (never a secret). */
  declare readonly connection: pulumi.Output<OciConnectionRecord>;
  /** `<project>/<stack>/<name>`: how fnstack finds this resource again after a lost answer or a crash. */
  declare readonly stackIdentity: pulumi.Output<string>;
  declare readonly functionId: pulumi.Output<string>;
  /** The function's answer: UTF-8 text, or base64 with `base64EncodeContent`. */
  declare readonly content: pulumi.Output<string>;
  /** HTTP status of the invocation. */
  declare readonly statusCode: pulumi.Output<number>;
  declare readonly invokeEndpoint: pulumi.Output<string>;
  /** RFC 3339. */
  declare readonly timeInvoked: pulumi.Output<string>;

  constructor(name: string, args: InvokeFunctionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      makeProvider("oci:InvokeFunction"),
      name,
      {
        connection: undefined,
        ...args,
        stackIdentity: stackIdentity(name),
        content: undefined,
        statusCode: undefined,
        invokeEndpoint: undefined,
        timeInvoked: undefined,
      },
      opts,
      "fnstack/oci",
      "InvokeFunction",
    );
  }

  /** Reads an invocation recorded in this stack's state. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): InvokeFunction {
    return new InvokeFunction(name, undefined as unknown as InvokeFunctionArgs, { ...opts, id });
  }
}
