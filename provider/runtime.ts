/**
 * The module every serialized fnstack stub loads with `require("fnstack/provider")` (package.json
 * `exports`). It holds what the stubs must not: the stack configuration handed over by `configure`,
 * and the handlers of every resource kind, built on first use.
 *
 * Old stubs live on in Pulumi state and call whichever fnstack is installed in the project, so the
 * names exported here (`configure`, `handlers`) and the handler methods are a frozen ABI.
 */
import { ConfigurationError } from "../sdk/core/errors";
import { setMaxRequestsPerSecondSource } from "../sdk/core/rate-limiter";
import { withConnections } from "./connection";
import type { HandlerFactory, Props, ResourceHandler } from "./handler";
import { configure, stackConfig } from "./stack-config";
import { withoutUndefined } from "./without-undefined";
import { identityAwareHandler } from "./identity";

// What a handler outside this package (an extension, a test kind) needs, from the one module it can
// reach through the package's exports.
export { partialFailure, ResourceInitError } from "./partial-failure";
// The stack configuration lives in its own module so partial-failure.ts can redact with it without
// importing this one (which re-exports partial-failure.ts): no import cycle.
export { configure, stackConfig, redactSecrets } from "./stack-config";
export { withoutUndefined } from "./without-undefined";
export { unknownSentinel, isUnknown, containsUnknown } from "./inputs";
export type { HandlerFactory, ResourceHandler, Props } from "./handler";

type Registry = Readonly<Record<string, HandlerFactory>>;

/**
 * `fnstack:maxRequestsPerSecond`: the ceiling of the adaptive rate limiter for every cloud endpoint
 * (the per-cloud defaults otherwise; `FNSTACK_MAX_REQUESTS_PER_SECOND` is the environment's way).
 */
function maxRequestsPerSecond(): number | undefined {
  const raw = stackConfig()("fnstack:maxRequestsPerSecond");
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(
      `fnstack:maxRequestsPerSecond must be a positive number of requests per second, got ${JSON.stringify(raw)}`,
      { code: "InvalidConfiguration" },
    );
  }
  return value;
}
// Read when a request is about to be sent, so a bad value fails that request before anything is sent.
setMaxRequestsPerSecondSource(maxRequestsPerSecond);

/** The version of the fnstack package that is running, for messages; "unknown" if unreadable. */
export const fnstackVersion: string = readOwnVersion();

function readOwnVersion(): string {
  try {
    // Self-reference by package name works from src (ts-node) and dist alike.
    const manifest = require("fnstack/package.json") as { version?: unknown };
    return typeof manifest.version === "string" ? manifest.version : "unknown";
  } catch {
    return "unknown";
  }
}

const builtHandlers = new Map<string, ResourceHandler>();
const extraFactories = new Map<string, HandlerFactory>();
const handlerMethods = ["check", "diff", "create", "read", "update", "delete"] as const;

function ociRegistry(): Registry {
  return (require("./oci/handlers") as { ociHandlers: Registry }).ociHandlers;
}

function functionGraphRegistry(): Registry {
  return (require("./functiongraph/handlers") as { functionGraphHandlers: Registry }).functionGraphHandlers;
}

/** The registry a kind belongs to, chosen by prefix so an OCI stub never loads FunctionGraph code. */
function registryFor(kind: string): Registry | undefined {
  if (kind.startsWith("oci:")) return ociRegistry();
  if (kind.startsWith("functiongraph:")) return functionGraphRegistry();
  return undefined;
}

function factoryFor(kind: string): HandlerFactory | undefined {
  const registry = registryFor(kind);
  if (registry !== undefined && Object.prototype.hasOwnProperty.call(registry, kind)) return registry[kind];
  return extraFactories.get(kind);
}

/** Every kind this installation can serve, sorted. */
export function knownKinds(): string[] {
  return [
    ...Object.keys(ociRegistry()),
    ...Object.keys(functionGraphRegistry()),
    ...extraFactories.keys(),
  ].sort();
}

/**
 * The handler of `kind`, built on first use and cached for the life of the process.
 *
 * @throws ConfigurationError naming the kind and the installed fnstack version when this version does
 *   not know the kind (state written by a newer fnstack, or a misspelt kind).
 */
export function handlerFor(kind: string): ResourceHandler {
  const cached = builtHandlers.get(kind);
  if (cached !== undefined) return cached;
  const factory = factoryFor(kind);
  if (factory === undefined) {
    const known = knownKinds();
    throw new ConfigurationError(
      `fnstack ${fnstackVersion} has no resource kind "${kind}". ` +
        `If this resource was created with a newer fnstack, install that version in the project ` +
        `(npm install fnstack@latest). Kinds this version knows: ${known.length > 0 ? known.join(", ") : "none"}.`,
      { code: "UnknownResourceKind" },
    );
  }
  const handler = factory();
  for (const method of handlerMethods) {
    if (typeof handler[method] !== "function") {
      throw new TypeError(`the handler of ${kind} has no ${method}() method`);
    }
  }
  // Outermost: the resource's connection (where it lives); inside it, its stack identity (what it is).
  const marshallable = plainResults(withConnections(kind, identityAwareHandler(kind, handler)));
  builtHandlers.set(kind, marshallable);
  return marshallable;
}

/**
 * Wraps a handler so that what it returns can cross the plugin's `Struct.fromJavaScript`, which
 * rejects `undefined` anywhere ("Unexpected struct type"): keys holding undefined are dropped (they
 * mean "absent", as in JSON) and undefined array elements become null.
 *
 * The wrappers chain with `then` rather than `await`: a suspended async function is a frame of about
 * half a KiB that a waiting operation holds until it ends, and 200 waiting creates hold every frame
 * of their chains (issue 12). The same goes for the other pass-through layers of a create.
 */
function plainResults(handler: ResourceHandler): ResourceHandler {
  return {
    check: (...args) => handler.check(...args).then((result) => cleaned(result, "inputs")),
    diff: (...args) => handler.diff(...args),
    create: (...args) => handler.create(...args).then((result) => cleaned(result, "outs")),
    read: (...args) => handler.read(...args).then((result) => cleaned(result, "props", "inputs")),
    update: (...args) => handler.update(...args).then((result) => cleaned(result, "outs")),
    delete: (...args) => handler.delete(...args),
  };
}

/** `result` with the named property bags passed through {@link withoutUndefined}, when present. */
function cleaned<T extends object>(result: T, ...keys: (keyof T)[]): T {
  if (result === null || typeof result !== "object") return result;
  const copy = { ...result };
  for (const key of keys) {
    if (copy[key] !== undefined) copy[key] = withoutUndefined(copy[key]);
  }
  return copy;
}

/**
 * The entry point of the stubs fnstack ≥ 0.2 serializes (see `provider/stub.ts`): one function serves
 * `configure(req)`, `check(olds, news)`, `create(inputs)`, `read(id, props)` and
 * `diff(id, olds, news)`, told apart by their arguments as the dynamic-provider plugin passes them
 * (`cmd/dynamic-provider/index.js`): a request whose `config.get` is a function is configure (state
 * values are JSON and never hold functions); a string first argument is an id, with two arguments for
 * read and three for diff; otherwise two arguments are check and one is create. Part of the frozen ABI.
 */
export async function fromStub(kind: string, args: readonly unknown[]): Promise<unknown> {
  const [first, second, third] = args;
  if (args.length === 1 && isConfigureRequest(first)) {
    const { config } = first;
    configure((key: string) => config.get(key) as string | undefined);
    return undefined;
  }
  const handler = handlerFor(kind);
  if (typeof first === "string") {
    return args.length >= 3
      ? handler.diff(first, second as Props, third as Props)
      : handler.read(first, second as Props);
  }
  return args.length >= 2 ? handler.check(first as Props, second as Props) : handler.create(first as Props);
}

/**
 * The entry point the stubs use for `update(id, olds, news)` and `delete(id, props)`, which have the
 * shapes of diff and read and so need a function of their own: three arguments are update, two are
 * delete. Part of the frozen ABI.
 */
export async function fromStubUpdateOrDelete(kind: string, args: readonly unknown[]): Promise<unknown> {
  const [id, second, third] = args;
  if (typeof id !== "string") throw new TypeError(`${kind}: update/delete expects the resource id first`);
  const handler = handlerFor(kind);
  return args.length >= 3
    ? handler.update(id, second as Props, third as Props)
    : handler.delete(id, second as Props);
}

function isConfigureRequest(value: unknown): value is { config: { get(key: string): unknown } } {
  if (typeof value !== "object" || value === null) return false;
  const config = (value as { config?: unknown }).config;
  return (
    typeof config === "object" && config !== null && typeof (config as { get?: unknown }).get === "function"
  );
}

/**
 * Adds a handler for a kind fnstack does not ship (test kinds, extensions). Built-in kinds cannot be
 * replaced, and a kind can be registered once.
 *
 * @throws TypeError when the kind is built in or already registered, or `factory` is not a function.
 */
export function registerHandler(kind: string, factory: HandlerFactory): void {
  if (typeof factory !== "function")
    throw new TypeError(`registerHandler(${kind}): factory must be a function`);
  if (factoryFor(kind) !== undefined) throw new TypeError(`resource kind ${kind} is already registered`);
  extraFactories.set(kind, factory);
}

/**
 * The handler of every resource kind, by kind (`handlers["oci:Function"]`). A handler is built on
 * first access; reading a kind this version does not know throws a ConfigurationError naming it and
 * the installed fnstack version. Keys without a `:` (probes such as `then` or `toJSON`) read as
 * undefined. Read-only.
 */
export const handlers: Readonly<Record<string, ResourceHandler>> = new Proxy(
  {},
  {
    get(_target, key) {
      if (typeof key !== "string" || !key.includes(":")) return undefined;
      return handlerFor(key);
    },
    has(_target, key) {
      return typeof key === "string" && factoryFor(key) !== undefined;
    },
    ownKeys() {
      return knownKinds();
    },
    getOwnPropertyDescriptor(_target, key) {
      if (typeof key !== "string" || factoryFor(key) === undefined) return undefined;
      return { enumerable: true, configurable: true, get: () => handlerFor(key) };
    },
    set() {
      return false;
    },
    defineProperty() {
      return false;
    },
    deleteProperty() {
      return false;
    },
  },
) as Readonly<Record<string, ResourceHandler>>;
