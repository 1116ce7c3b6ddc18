/**
 * Messages between the demo engine (`engine.ts`) and the language host (`language-host.ts`) that runs
 * the program: the part of Pulumi's ResourceMonitor protocol the demo needs, over Node's IPC channel.
 */

/** Property bags as the plugin and the state file hold them. */
export type Props = Record<string, unknown>;

/** The value the engine sends for an input that is not known yet (preview). */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The key and value that mark a secret envelope `{[secretSigKey]: secretSig, value}`. */
export const secretSigKey = "4dabf18193072939515e22adb298388d";
export const secretSig = "1b47061264138c4ac30d75fd1eb44270";

/** What the language host is told to run, in the {@link EngineMessage} `run`. */
export interface HostSettings {
  /** Absolute path of the program (a directory with index.ts, or a file). */
  readonly program: string;
  readonly project: string;
  readonly stack: string;
  /** `pulumi preview` (true) or `pulumi up` (false). */
  readonly preview: boolean;
}

/** Language host → engine. */
export type HostMessage =
  | {
      readonly kind: "register";
      readonly seq: number;
      readonly urn: string;
      readonly type: string;
      readonly name: string;
      /** Inputs as the SDK sent them, `__provider` included; unknowns as {@link unknownValue}. */
      readonly inputs: Props;
      /** URNs of the resources these inputs depend on. */
      readonly dependencies: string[];
      readonly additionalSecretOutputs: string[];
    }
  | { readonly kind: "ready" }
  | { readonly kind: "done"; readonly outputs: Props }
  | { readonly kind: "error"; readonly message: string };

/** Engine → language host: run the program once, or the answer to one `register`. */
export type EngineMessage =
  | { readonly kind: "run"; readonly settings: HostSettings }
  | {
      readonly kind: "registered";
      readonly seq: number;
      /** Empty during a preview of a create or replace (the id is unknown). */
      readonly id: string;
      readonly state: Props;
      /** Top-level output names to hand back as secrets. */
      readonly secretOutputs: string[];
    }
  | { readonly kind: "failed"; readonly seq: number; readonly message: string };
