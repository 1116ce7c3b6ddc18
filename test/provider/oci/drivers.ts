/**
 * Two ways to drive a resource kind in the same scenario: directly through its handler, and through
 * the real dynamic-provider plugin (engine path) with the serialized stub as `__provider`.
 */
import { handlerFor } from "../../../provider/runtime";
import { PluginCallError, type PluginClient, serializeKind, startPlugin } from "../../engine/harness";
import type { OciFixture } from "./emulator-fixture";
import { ociTestEnv } from "./emulator-fixture";

export type Props = Record<string, unknown>;

/** A failure as both paths report it. */
export interface Failure {
  readonly message: string;
  /** Set when the resource was recorded despite the failure (partial failure). */
  readonly initFailed?: { id: string; properties: Props };
}

/** One resource kind, driven one way. */
export interface Driver {
  readonly mode: "direct" | "engine";
  check(
    olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props): Promise<{ id: string; props: Props; inputs?: Props }>;
  update(id: string, olds: Props, news: Props): Promise<Props>;
  delete(id: string, props: Props): Promise<void>;
  /** Runs `action` expecting it to fail; answers the failure. */
  failure(action: Promise<unknown>): Promise<Failure>;
  close(): Promise<void>;
}

function strip(props: Props | undefined): Props {
  const { __provider: _p, ...rest } = props ?? {};
  return rest;
}

/** Drives `kind` by calling its handler in this process. */
export function directDriver(kind: string): Driver {
  const h = () => handlerFor(kind);
  return {
    mode: "direct",
    async check(olds, news) {
      const r = await h().check(olds, news);
      return {
        inputs: r.inputs ?? {},
        failures: (r.failures ?? []).map((f) => ({ property: String(f.property), reason: f.reason })),
      };
    },
    async diff(id, olds, news) {
      const r = await h().diff(id, olds, news);
      return {
        changes: r.changes === true,
        replaces: r.replaces ?? [],
        deleteBeforeReplace: r.deleteBeforeReplace === true,
      };
    },
    async create(inputs) {
      const r = await h().create(inputs);
      return { id: r.id, outs: r.outs as Props };
    },
    async read(id, props) {
      const r = await h().read(id, props);
      return { id: r.id ?? "", props: (r.props ?? {}) as Props, inputs: r.inputs as Props | undefined };
    },
    async update(id, olds, news) {
      return (await h().update(id, olds, news)).outs as Props;
    },
    delete: (id, props) => h().delete(id, props),
    async failure(action) {
      try {
        await action;
      } catch (err) {
        const e = err as Error & { id?: string; properties?: Props };
        return {
          message: e.message,
          initFailed: e.id === undefined ? undefined : { id: e.id, properties: e.properties ?? {} },
        };
      }
      throw new Error("expected the action to fail, but it succeeded");
    },
    close: async () => {},
  };
}

/** Drives `kind` through the real plugin; the emulator's environment is passed as the CLI's. */
export async function engineDriver(kind: string, fixture: OciFixture): Promise<Driver> {
  const provider = await serializeKind(kind);
  const plugin: PluginClient = await startPlugin({
    env: { ...process.env, ...ociTestEnv(fixture.emulator) },
  });
  await plugin.configure();
  const withProvider = (p: Props): Props => ({ ...p, __provider: provider });
  return {
    mode: "engine",
    async check(olds, news) {
      const r = await plugin.check(olds, withProvider(news));
      return { inputs: strip(r.inputs), failures: r.failures };
    },
    async diff(id, olds, news) {
      const r = await plugin.diff(id, withProvider(olds), withProvider(news));
      return {
        changes: r.changes === "DIFF_SOME",
        replaces: r.replaces,
        deleteBeforeReplace: r.deleteBeforeReplace,
      };
    },
    async create(inputs) {
      const r = await plugin.create(withProvider(inputs));
      return { id: r.id, outs: strip(r.properties) };
    },
    async read(id, props) {
      const r = await plugin.read(id, withProvider(props), withProvider(props));
      return {
        id: r.id,
        props: strip(r.properties),
        inputs: r.inputs === undefined ? undefined : strip(r.inputs),
      };
    },
    async update(id, olds, news) {
      return strip((await plugin.update(id, withProvider(olds), withProvider(news))).properties);
    },
    delete: (id, props) => plugin.delete(id, withProvider(props)),
    async failure(action) {
      try {
        await action;
      } catch (err) {
        if (!(err instanceof PluginCallError)) throw err;
        const init = err.initFailed;
        return {
          message: err.message,
          initFailed: init === undefined ? undefined : { id: init.id, properties: init.properties },
        };
      }
      throw new Error("expected the action to fail, but it succeeded");
    },
    close: () => plugin.close(),
  };
}

/** Both drivers of `kind`, for `for (const make of drivers(kind))` loops. */
export const modes = ["direct", "engine"] as const;

/** Makes the driver of `mode`. */
export function makeDriver(mode: (typeof modes)[number], kind: string, fixture: OciFixture): Promise<Driver> {
  return mode === "direct" ? Promise.resolve(directDriver(kind)) : engineDriver(kind, fixture);
}
