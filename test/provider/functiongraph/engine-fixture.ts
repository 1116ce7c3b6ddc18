/**
 * The engine-path set-up the FunctionGraph plugin tests share: an emulator, the real dynamic-provider
 * plugin started as `pulumi` starts it (credentials from the emulator's clouds.yaml through the
 * environment, as a user's would arrive), and each kind's serialized stub. Run `npm run build` first:
 * the stubs load this repository's dist/.
 */
import { strict as assert } from "node:assert";
import type { RunningEmulator } from "../../../emulator";
import type { ClientContext } from "../../../sdk/core/client";
import {
  type FixtureProject,
  type PluginClient,
  type Props,
  fixtureProject,
  serializeKind,
  startPlugin,
} from "../../engine/harness";
import { startTestEmulator, tokenContext } from "../../sdk/functiongraph/clients/helpers";

/** What {@link startFunctionGraphPlugin} started. */
export interface FunctionGraphPlugin {
  readonly emu: RunningEmulator;
  /** A client context on the same account, to look at the cloud directly. */
  readonly ctx: ClientContext;
  readonly project: FixtureProject;
  readonly plugin: PluginClient;
  /** The serialized `__provider` of each kind (`Function`, `Trigger`...). */
  readonly stubs: Readonly<Record<string, string>>;
  /** The plugin's Check with the kind's stub; asserts no failure and answers the checked inputs. */
  check(kind: string, news: Props, olds?: Props): Promise<Props>;
  /** Stops the plugin and the emulator and removes the project. */
  close(): Promise<void>;
}

/** Starts the emulator and the plugin for `kinds`; see the module comment. */
export async function startFunctionGraphPlugin(kinds: readonly string[]): Promise<FunctionGraphPlugin> {
  const emu = await startTestEmulator();
  const ctx = await tokenContext(emu);
  const stubs: Record<string, string> = {};
  for (const k of kinds) stubs[k] = await serializeKind(`functiongraph:${k}`);
  const project = fixtureProject();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("OS_")) delete env[key];
  const plugin = await startPlugin({
    cwd: project.dir,
    env: {
      ...env,
      FNSTACK_FUNCTIONGRAPH_ENDPOINT: emu.url,
      OS_CLIENT_CONFIG_FILE: emu.functiongraph.cloudsYaml,
      OS_CLOUD: "fnstack",
    },
    config: {},
  });
  await plugin.configure();
  return {
    emu,
    ctx,
    project,
    plugin,
    stubs,
    async check(kind, news, olds = {}) {
      const r = await plugin.check(olds, { ...news, __provider: stubs[kind] });
      assert.deepEqual(r.failures, [], `${kind} check: ${JSON.stringify(r.failures)}`);
      return r.inputs;
    },
    async close() {
      await plugin.close();
      project.remove();
      await emu.close();
    },
  };
}
