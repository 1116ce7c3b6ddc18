/**
 * Per-resource connections (issue 13): every fnstack resource may name where it lives — its region and
 * account (an OCI config-file profile; a FunctionGraph `clouds.yaml` cloud entry and project) — in an
 * optional `connection` input, overriding the stack configuration for that resource only.
 *
 * This module wraps each kind's handler once (in `handlerFor`), so the handlers themselves stay unaware:
 *
 * - `check` validates `connection` and hands the handler the other inputs;
 * - `create` resolves the connection (credentials are read now, from config, environment and files)
 *   and records where the resource went — region and account identity, names only — in the `connection`
 *   output;
 * - `diff` compares that record with where the new inputs point: another region or account replaces
 *   the resource, a new name for the same account and region (a renamed profile) is an update that
 *   makes no cloud call;
 * - `read`, `update` and `delete` run against the recorded region and account, so a later change of the
 *   stack's defaults never sends them elsewhere. State written before connections existed falls back to
 *   what the resource's id says (OCIDs and URNs carry the region), then to the stack configuration.
 *
 * The handlers learn the call's connection from the {@link CallScope} each method is handed (see
 * {@link connectionOf}), and pass it on to where they resolve credentials.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CallScope, Props, ResourceHandler } from "./handler";
import { containsUnknown } from "./inputs";

/** The input and output property that holds a resource's connection. */
export const connectionProperty = "connection";

/** What a cloud contributes: how its connection is checked, resolved, recorded and compared. */
export interface ConnectionSpec {
  /** Validation failures of a `connection` input (not unknown); property paths start with `connection`. */
  check(value: unknown): { property: string; reason: string }[];
  /** The input as stored: trimmed strings, no empty members; undefined when nothing is set. */
  normalize(value: unknown): Props | undefined;
  /**
   * Where a resource with this (checked, known) `connection` input lives — the record kept in its
   * outputs. Resolves credentials, so configuration errors surface before any request.
   */
  resolve(input: unknown): Promise<Props>;
  /** The record in a resource's outputs; undefined when the state predates connections. */
  recorded(outs: Props): Props | undefined;
  /** For state without a record: what the resource's id and outputs say (region, project), resolved. */
  fallback(id: string, outs: Props): Promise<Props>;
  /** True when two records name the same account and region (a change of either replaces). */
  sameLocation(a: Props, b: Props): boolean;
  /** The settings a call on the resource recorded as `record` runs with (see {@link connectionOf}). */
  settings(record: Props): unknown;
}

/** The connection of a `check` whose `connection` input is not known yet (preview). */
const unknownConnection: unique symbol = Symbol("fnstack.unknownConnection");

/**
 * The connection settings of a handler call, as the cloud's {@link ConnectionSpec} built them;
 * undefined outside a wrapped call, or in a check whose connection is unknown (the stack configuration
 * applies).
 */
export function connectionOf(call: CallScope | undefined): unknown {
  const connection = call?.connection;
  return connection === unknownConnection ? undefined : connection;
}

/**
 * False in the `check` of a resource whose `connection` is still unknown (a preview): its region and
 * account are not known, so nothing may be derived from them (a FunctionGraph `funcUrn`).
 */
export function connectionKnown(call: CallScope | undefined): boolean {
  return call?.connection !== unknownConnection;
}

/** The scope the wrapped handler runs with: `settings` as its connection (the identity wrapper adds more). */
function scoped(settings: unknown): CallScope {
  return { connection: settings };
}

let ociSpec: ConnectionSpec | undefined;
let functionGraphSpec: ConnectionSpec | undefined;

/**
 * The spec of a kind's cloud, loaded on first use so an OCI stub never loads FunctionGraph code. Kept
 * once loaded: `require` of a module first loaded from elsewhere resolves its path anew on every call
 * (Node caches the resolution only for the parent that loaded it), about 5 KB of garbage per call.
 */
function specFor(kind: string): ConnectionSpec | undefined {
  if (kind.startsWith("oci:")) {
    return (ociSpec ??= (require("./oci/connection") as { ociConnectionSpec: ConnectionSpec })
      .ociConnectionSpec);
  }
  if (kind.startsWith("functiongraph:")) {
    return (functionGraphSpec ??= (
      require("./functiongraph/connection") as { functionGraphConnectionSpec: ConnectionSpec }
    ).functionGraphConnectionSpec);
  }
  return undefined;
}

/** `props` without `connection`, and its `connection` value. */
function split(props: Props | undefined): [Props, unknown] {
  if (props === undefined || props === null) return [{}, undefined];
  const { [connectionProperty]: connection, ...rest } = props;
  return [rest, connection];
}

/** Serialises a record for comparison (key order ignored). */
function sameRecord(a: Props, b: Props): boolean {
  const text = (r: Props): string =>
    JSON.stringify(
      Object.keys(r)
        .sort()
        .filter((k) => r[k] !== undefined)
        .map((k) => [k, r[k]]),
    );
  return text(a) === text(b);
}

/**
 * Wraps `handler` of `kind` with per-resource connections; kinds outside the two clouds (test kinds,
 * extensions) are returned as they are.
 */
export function withConnections(kind: string, handler: ResourceHandler): ResourceHandler {
  if (specFor(kind) === undefined) return handler;
  const spec = (): ConnectionSpec => specFor(kind) as ConnectionSpec;

  /** Where an existing resource lives: its record, else what its id says, else the stack's default. */
  const locate = async (id: string, outs: Props): Promise<Props> =>
    spec().recorded(outs) ?? (await spec().fallback(id, outs));

  return {
    async check(olds, news) {
      const [oldRest] = split(olds);
      const [newRest, connection] = split(news);
      const absent = connection === undefined || connection === null;
      const failures = absent || containsUnknown(connection) ? [] : spec().check(connection);
      // The inner check runs where the resource will live, so what it derives from region and account
      // (a FunctionGraph funcUrn) is right for a per-resource connection, and not derived while unknown.
      const settings = absent
        ? undefined
        : containsUnknown(connection)
          ? unknownConnection
          : failures.length > 0
            ? unknownConnection
            : spec().normalize(connection);
      const result = await handler.check(oldRest, newRest, scoped(settings));
      if (absent) return result;
      const inputs =
        result.inputs === undefined
          ? undefined
          : {
              ...result.inputs,
              [connectionProperty]: containsUnknown(connection) ? connection : spec().normalize(connection),
            };
      return {
        ...result,
        ...(inputs === undefined ? {} : { inputs }),
        failures: [...(result.failures ?? []), ...failures],
      };
    },

    async diff(id, olds, news) {
      const [oldRest] = split(olds);
      const [newRest, connection] = split(news);
      const result = await handler.diff(id, oldRest, newRest);
      const moved = async (): Promise<"replace" | "rename" | "same"> => {
        if (containsUnknown(connection)) return "replace";
        const before = spec().recorded(olds);
        const was = before ?? (await spec().fallback(id, olds));
        const now = await spec().resolve(connection);
        if (!spec().sameLocation(was, now)) return "replace";
        // State from before connections, now given one: record it (an update without requests), so
        // later calls use the named account even after the stack's default changes.
        if (before === undefined) return connection === undefined || connection === null ? "same" : "rename";
        return sameRecord(before, now) ? "same" : "rename";
      };
      const outcome = await moved();
      if (outcome === "same") return result;
      const replaces = [...(result.replaces ?? [])];
      if (outcome === "replace" && !replaces.includes(connectionProperty)) replaces.push(connectionProperty);
      return { ...result, changes: true, replaces } satisfies pulumi.dynamic.DiffResult;
    },

    async create(inputs) {
      const [rest, connection] = split(inputs);
      const record = await spec().resolve(connection);
      // Returned, not awaited: this frame ends while the create waits (provider/runtime.ts, plainResults).
      return handler.create(rest, scoped(spec().settings(record))).then(
        (result) => ({ ...result, outs: { ...result.outs, [connectionProperty]: record } }),
        (err: unknown) => {
          recordOnFailure(err, record);
          throw err;
        },
      );
    },

    async read(id, props, inputs) {
      const [rest] = split(props);
      const [inputRest, inputConnection] = split(inputs);
      const record =
        spec().recorded(props) ??
        (inputConnection !== undefined ? await spec().resolve(inputConnection) : await locate(id, props));
      const result = await handler.read(
        id,
        rest,
        inputs === undefined ? undefined : inputRest,
        scoped(spec().settings(record)),
      );
      if (result.id === undefined || result.id === "") return result;
      return {
        ...result,
        props: { ...result.props, [connectionProperty]: record },
        ...(result.inputs !== undefined && inputConnection !== undefined
          ? { inputs: { ...result.inputs, [connectionProperty]: inputConnection } }
          : {}),
      };
    },

    async update(id, olds, news) {
      const [oldRest] = split(olds);
      const [newRest, connection] = split(news);
      const record = await spec().resolve(connection);
      const call = scoped(spec().settings(record));
      // Only the connection's names changed (a renamed profile, or a connection newly given to state
      // written before connections; the diff replaces any move): nothing to send. Any other update goes
      // to the handler even when its diff finds nothing: the engine also runs Update for a resource with
      // init errors (step_generator.go, hasInitErrors), and that update is what finishes the interrupted
      // create.
      const before = spec().recorded(olds);
      const recordChanged =
        before === undefined ? connection !== undefined && connection !== null : !sameRecord(before, record);
      const renamedOnly = recordChanged && (await handler.diff(id, oldRest, newRest, call)).changes === false;
      if (renamedOnly) return { outs: { ...oldRest, [connectionProperty]: record } };
      try {
        const result = await handler.update(id, oldRest, newRest, call);
        return { ...result, outs: { ...result.outs, [connectionProperty]: record } };
      } catch (err) {
        recordOnFailure(err, record);
        throw err;
      }
    },

    async delete(id, props) {
      const [rest] = split(props);
      const record = await locate(id, props);
      await handler.delete(id, rest, scoped(spec().settings(record)));
    },
  };
}

/** Adds the record to a partial failure's properties, so the failed resource's state knows where it is. */
function recordOnFailure(err: unknown, record: Props): void {
  if (typeof err !== "object" || err === null) return;
  const properties = (err as { properties?: unknown }).properties;
  if (typeof properties === "object" && properties !== null && !Array.isArray(properties)) {
    (properties as Props)[connectionProperty] = record;
  }
}
