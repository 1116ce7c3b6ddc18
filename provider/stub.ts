import type * as pulumi from "@pulumi/pulumi";

/**
 * The thin stubs Pulumi serializes into every resource's `__provider` (pulumi-dynamic.md §4).
 *
 * A stub holds two one-line functions that load `fnstack/provider` when the dynamic-provider plugin
 * calls them, so the serialized text holds only the kind string: no clients, agents, environment
 * reads or credentials. Credentials reach the runtime through `configure` (the stack config the engine
 * sends, decrypted) or are read by handlers from the environment and files at call time.
 *
 * Why two functions and not seven: Pulumi's closure serializer wraps every distinct function in ~170
 * bytes of scaffolding, and the text is stored twice per resource (inputs and outputs), so seven
 * methods made 3.3 KB per resource, most of each resource's state (issue 12). The plugin calls the
 * methods with different argument shapes (`cmd/dynamic-provider/index.js`: `configure(req)`,
 * `check(olds, news)`, `create(inputs)`, `read(id, props)`, `diff(id, olds, news)`,
 * `update(id, olds, news)`, `delete(id, props)`), so one function can tell configure, check, create,
 * read and diff apart by their arguments ({@link "./runtime".fromStub}); only update (shaped like
 * diff) and delete (shaped like read) need a function of their own
 * ({@link "./runtime".fromStubUpdateOrDelete}).
 *
 * The stub text is stored in state and replayed by later `refresh`/`destroy` runs against whichever
 * fnstack is installed then, so it is an ABI: the runtime keeps serving every text it ever shipped
 * (the seven-method stubs of fnstack 0.1 call `configure` and `handlers[kind]`).
 */
const stubs = new Map<string, pulumi.dynamic.ResourceProvider>();

/**
 * The provider object for a resource kind (`oci:Function`, `functiongraph:Trigger`): one instance per
 * kind for the life of the process, so Pulumi's per-object serialization cache hits and every
 * resource of a kind stores the same `__provider` text. Not frozen: the serializer writes a frozen
 * object's properties as `Object.defineProperty` calls, which would double the text.
 *
 * @throws TypeError when `kind` is not of the form `<cloud>:<Type>`.
 */
export function makeProvider(kind: string): pulumi.dynamic.ResourceProvider {
  if (typeof kind !== "string" || !/^[a-z][a-z0-9-]*:[A-Za-z][A-Za-z0-9]*$/.test(kind)) {
    throw new TypeError(`makeProvider: kind must look like "oci:Function", got ${JSON.stringify(kind)}`);
  }
  let stub = stubs.get(kind);
  if (stub === undefined) {
    stub = createStub(kind);
    stubs.set(kind, stub);
  }
  return stub;
}

// Everything below is serialized by Pulumi's closure serializer: each body must reference nothing but
// `kind`, its parameters and `require` (which the serializer never captures).
function createStub(kind: string): pulumi.dynamic.ResourceProvider {
  const call = (...args: unknown[]): Promise<never> => require("fnstack/provider").fromStub(kind, args);
  const change = (...args: unknown[]): Promise<never> =>
    require("fnstack/provider").fromStubUpdateOrDelete(kind, args);
  return {
    configure: call,
    check: call,
    diff: call,
    create: call,
    read: call,
    update: change,
    delete: change,
  };
}
