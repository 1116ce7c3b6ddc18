/**
 * The thin adapter `npm run reliability` drives the demo stack through: up, refresh and destroy of the
 * demo program (examples/demo) through the real dynamic-provider plugin and today's engine model
 * (examples/demo/engine.ts, test/engine/harness.ts). Swap this file's body to drive another engine
 * model; bench/reliability.ts only uses {@link DemoStack}.
 *
 * A plugin is started lazily and kept for the following operations, as long as it lives; after a kill
 * (see {@link DemoStackOptions.killDuringCreate}) the next operation starts a new one, as the next
 * `pulumi up` would.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunningEmulator } from "../emulator/index";
import { DemoEngine } from "../examples/demo/engine";
import { cliEnvironment, stackConfig } from "../examples/demo/run";
import { type PluginClient, type Props, type ResourceTarget, startPlugin } from "../test/engine/harness";

/** One resource of the stack's state. */
export interface StateResource {
  readonly type: string;
  readonly name: string;
  readonly id: string;
}

/** Options of {@link DemoStack}. */
export interface DemoStackOptions {
  readonly emulator: RunningEmulator;
  /** The project directory (from `fixtureProject`). */
  readonly projectDir: string;
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

const project = "fnstack-demo";
const stack = "dev";
const program = join(__dirname, "..", "examples", "demo");

/** The demo stack on one emulator; see the module comment. */
export class DemoStack {
  #plugin: PluginClient | undefined;
  #killed = false;

  constructor(private readonly options: DemoStackOptions) {}

  /** `pulumi up`. */
  up(): Promise<void> {
    return this.#operation((engine) => engine.up());
  }

  /** `pulumi refresh`. */
  refresh(): Promise<void> {
    return this.#operation((engine) => engine.refresh());
  }

  /** `pulumi destroy`. */
  destroy(): Promise<void> {
    return this.#operation((engine) => engine.destroy());
  }

  /** The resources in the state file. */
  resources(): StateResource[] {
    if (!existsSync(this.options.statePath)) return [];
    const state = JSON.parse(readFileSync(this.options.statePath, "utf8")) as { resources: StateResource[] };
    return state.resources.map((r) => ({ type: r.type, name: r.name, id: r.id }));
  }

  /** Stops the plugin. */
  async close(): Promise<void> {
    await this.#plugin?.close();
    this.#plugin = undefined;
  }

  async #operation(run: (engine: DemoEngine) => Promise<unknown>): Promise<void> {
    if (this.#plugin === undefined || this.#killed) {
      await this.close();
      this.#killed = false;
      this.#plugin = await startPlugin({
        cwd: this.options.projectDir,
        env: cliEnvironment(this.options.emulator),
        config: stackConfig(this.options.emulator, true),
        project,
        stack,
        timeoutMs: 120_000,
      });
    }
    const engine = this.#engineFor(this.#watched(this.#plugin));
    try {
      await run(engine);
    } finally {
      await engine.close();
    }
  }

  #engineFor(plugin: PluginClient): DemoEngine {
    return new DemoEngine({
      plugin,
      statePath: this.options.statePath,
      program,
      project,
      stack,
      config: stackConfig(this.options.emulator, true),
      env: cliEnvironment(this.options.emulator),
      log: () => undefined,
    });
  }

  /** The plugin, with creates watched for kills and timing. */
  #watched(plugin: PluginClient): PluginClient {
    const { killDuringCreate, onCreateDone, onKill } = this.options;
    const markKilled = (): void => {
      this.#killed = true;
    };
    const watched = Object.create(plugin) as PluginClient;
    watched.create = async (properties: Props, target?: ResourceTarget) => {
      const started = Date.now();
      const delay = target === undefined ? undefined : killDuringCreate?.(target);
      const timer =
        delay === undefined
          ? undefined
          : setTimeout(() => {
              markKilled();
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
