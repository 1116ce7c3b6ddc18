/**
 * The thin adapter `npm run reliability` drives the demo stack through: up, refresh and destroy of the
 * demo program (examples/demo) on the engine model (engine-model/), which runs the program under
 * `@pulumi/pulumi`'s own `cmd/run` and starts a fresh dynamic-provider plugin for every deployment, as
 * the CLI does. bench/reliability.ts only uses {@link DemoStack}.
 *
 * A kill (see {@link DemoStackOptions.killDuringCreate}) ends that deployment's plugin, and with it the
 * operation; the next operation starts a new plugin, as the next `pulumi up` would.
 */
import { join } from "node:path";
import type { RunningEmulator } from "../emulator/index";
import { EngineModel, type OperationResult } from "../engine-model/engine";
import type { PluginClient, Props, ResourceTarget } from "../engine-model/plugin";
import { cliEnvironment, stackConfig } from "../examples/demo/run";

/** One resource of the stack's state. */
export interface StateResource {
  readonly type: string;
  readonly name: string;
  readonly id: string;
}

/** Options of {@link DemoStack}. */
export interface DemoStackOptions {
  readonly emulator: RunningEmulator;
  /** The state file. */
  readonly statePath: string;
  /**
   * Called when a create starts; answers a delay in ms after which the plugin is killed (SIGKILL of its
   * process group) unless the create has answered by then, or undefined for no kill.
   */
  readonly killDuringCreate?: (target: ResourceTarget) => number | undefined;
  /** Called when the plugin was killed during a create. */
  readonly onKill?: (target: ResourceTarget) => void;
  /** Called when a create answered, with how long it took (ms). */
  readonly onCreateDone?: (target: ResourceTarget, ms: number) => void;
}

const stackName = "dev";
const demoProject = join(__dirname, "..", "examples", "demo");

/** The demo stack on one emulator; see the module comment. */
export class DemoStack {
  readonly #engine: EngineModel;

  constructor(private readonly options: DemoStackOptions) {
    this.#engine = new EngineModel({
      projectDir: demoProject,
      stack: stackName,
      statePath: options.statePath,
      config: stackConfig(options.emulator, true),
      env: cliEnvironment(options.emulator),
      timeoutMs: 120_000,
      wrapPlugin: (plugin) => this.#watched(plugin),
    });
  }

  /** `pulumi up`. */
  up(): Promise<void> {
    return this.#operation(() => this.#engine.up());
  }

  /** `pulumi refresh`. */
  refresh(): Promise<void> {
    return this.#operation(() => this.#engine.refresh());
  }

  /** `pulumi destroy`. */
  destroy(): Promise<void> {
    return this.#operation(() => this.#engine.destroy());
  }

  /** The resources in the state file (the stack's provider excluded). */
  resources(): StateResource[] {
    return this.#engine
      .state()
      .resources.filter((r) => !r.type.startsWith("pulumi:"))
      .map((r) => ({ type: r.type, name: r.urn.split("::").pop() ?? "", id: r.id ?? "" }));
  }

  /** Nothing outlives an operation: each deployment stops its own plugin. */
  async close(): Promise<void> {}

  /** Runs an operation; a non-zero exit is an error, as a failed `pulumi` command is to a script. */
  async #operation(run: () => Promise<OperationResult>): Promise<void> {
    const result = await run();
    if (result.exitCode !== 0) throw new Error(result.error ?? `exit code ${result.exitCode}`);
  }

  /** The plugin, with creates watched for kills and timing. */
  #watched(plugin: PluginClient): PluginClient {
    const { killDuringCreate, onCreateDone, onKill } = this.options;
    const watched = Object.create(plugin) as PluginClient;
    watched.create = async (properties: Props, target?: ResourceTarget) => {
      const started = Date.now();
      const delay = target === undefined ? undefined : killDuringCreate?.(target);
      const timer =
        delay === undefined
          ? undefined
          : setTimeout(() => {
              if (target !== undefined) onKill?.(target);
              try {
                process.kill(-plugin.pid, "SIGKILL");
              } catch {
                // Already gone.
              }
            }, delay);
      try {
        const reply = await plugin.create(properties, target);
        if (target !== undefined) onCreateDone?.(target, Date.now() - started);
        return reply;
      } finally {
        if (timer !== undefined) clearTimeout(timer);
      }
    };
    return watched;
  }
}
