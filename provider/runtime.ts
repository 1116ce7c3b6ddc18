/**
 * The module every serialized fnstack stub loads with `require("fnstack/provider")` (package.json
 * `exports`). It holds what the stubs must not: the stack configuration handed over by `configure`,
 * and the handlers of every resource kind, built on first use.
 *
 * Old stubs live on in Pulumi state and call whichever fnstack is installed in the project, so the
 * names exported here (`configure`, `handlers`) and the handler methods are a frozen ABI.
 */
import { ConfigurationError } from "../sdk/core/errors";
import type { ConfigLookup } from "../sdk/core/config-lookup";
import type { HandlerFactory, ResourceHandler } from "./handler";
import { identityAwareHandler } from "./identity";

// What a handler outside this package (an extension, a test kind) needs, from the one module it can
// reach through the package's exports.
export { partialFailure, ResourceInitError } from "./partial-failure";
export { unknownSentinel, isUnknown, containsUnknown } from "./inputs";
export type { HandlerFactory, ResourceHandler, Props } from "./handler";

type Registry = Readonly<Record<string, HandlerFactory>>;

let currentLookup: ConfigLookup | undefined;
/** Values handed out for credential-like keys, so error messages can be scrubbed of them. */
const sensitiveValues = new Set<string>();
const sensitiveKeyPattern = /secret|password|passphrase|privatekey$|token|apikey|credential/i;
/** Shorter values are not redacted: replacing "on" everywhere would garble messages, not protect them. */
const minimumRedactedLength = 6;

/**
 * Installs the stack configuration the stubs receive in `configure(req)`: `lookup("oci:region")`
 * returns the raw, decrypted string, or undefined when unset. Called once per distinct stub text in
 * a plugin process; every call replaces the previous lookup (they all see the same stack config).
 *
 * @throws TypeError when `lookup` is not a function.
 */
export function configure(lookup: ConfigLookup): void {
  if (typeof lookup !== "function") {
    throw new TypeError(`configure(lookup): expected a function, got ${typeof lookup}`);
  }
  currentLookup = lookup;
}

/**
 * The stack configuration as handlers read credentials through it: full keys (`oci:tenancyOcid`,
 * `opentelekomcloud:secretKey`, `fnstack:ociEndpoint`); undefined when unset or before `configure`
 * ran (plain Node use). The returned function reads the configuration current at call time.
 * Non-string values (a structured config value) come back JSON-encoded.
 */
export function stackConfig(): ConfigLookup {
  return readStackConfig;
}

function readStackConfig(key: string): string | undefined {
  const lookup = currentLookup;
  if (lookup === undefined) return undefined;
  let raw: unknown;
  try {
    raw = lookup(key);
  } catch {
    // The plugin's Config throws when no Configure RPC arrived (its config is undefined): that is
    // "no stack config", and the handler falls back to the environment and files.
    return undefined;
  }
  const value = normalizeConfigValue(raw);
  if (value !== undefined && value.length >= minimumRedactedLength && sensitiveKeyPattern.test(key)) {
    sensitiveValues.add(value);
  }
  return value;
}

function normalizeConfigValue(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "string") return raw;
  // A plugin older than the secret unwrapping would hand over the engine's secret envelope.
  if (typeof raw === "object" && "4dabf18193072939515e22adb298388d" in raw && "value" in raw) {
    return normalizeConfigValue((raw as { value: unknown }).value);
  }
  return JSON.stringify(raw);
}

/**
 * Replaces every credential value read through {@link stackConfig} (keys naming a secret, password,
 * passphrase, private key, token or API key) with `[redacted]`. Used on messages that leave the
 * process, such as the partial-failure error recorded in Pulumi state.
 */
export function redactSecrets(text: string): string {
  let result = text;
  for (const value of sensitiveValues) {
    if (result.includes(value)) result = result.split(value).join("[redacted]");
  }
  return result;
}

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
  const marshallable = plainResults(identityAwareHandler(kind, handler));
  builtHandlers.set(kind, marshallable);
  return marshallable;
}

/**
 * Wraps a handler so that what it returns can cross the plugin's `Struct.fromJavaScript`, which
 * rejects `undefined` anywhere ("Unexpected struct type"): keys holding undefined are dropped (they
 * mean "absent", as in JSON) and undefined array elements become null.
 */
function plainResults(handler: ResourceHandler): ResourceHandler {
  return {
    check: async (...args) => cleaned(await handler.check(...args), "inputs"),
    diff: (...args) => handler.diff(...args),
    create: async (...args) => cleaned(await handler.create(...args), "outs"),
    read: async (...args) => cleaned(await handler.read(...args), "props", "inputs"),
    update: async (...args) => cleaned(await handler.update(...args), "outs"),
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

/** A copy of `value` with undefined object values dropped and undefined array elements nulled. */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map((item: unknown) => (item === undefined ? null : withoutUndefined(item))) as T;
  }
  if (value !== null && typeof value === "object") {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) copy[key] = withoutUndefined(item);
    }
    return copy as T;
  }
  return value;
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
