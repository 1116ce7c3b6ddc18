import type * as pulumi from "@pulumi/pulumi";

/**
 * The thin stubs Pulumi serializes into every resource's `__provider` (pulumi-dynamic.md §4).
 *
 * Each method is one line that loads `fnstack/provider` when the dynamic-provider plugin calls it, so
 * the serialized text holds only the kind string: no clients, agents, environment reads or
 * credentials. Credentials reach the runtime through `configure` (the stack config the engine sends,
 * decrypted) or are read by handlers from the environment and files at call time.
 *
 * The stub text is stored in state and replayed by later `refresh`/`destroy` runs against whichever
 * fnstack is installed then, so it is an ABI: change it only by adding methods.
 */
const stubs = new Map<string, pulumi.dynamic.ResourceProvider>();

/**
 * The provider object for a resource kind (`oci:Function`, `functiongraph:Trigger`): one frozen
 * instance per kind for the life of the process, so Pulumi's per-object serialization cache hits and
 * every resource of a kind stores the same `__provider` text.
 *
 * @throws TypeError when `kind` is not of the form `<cloud>:<Type>`.
 */
export function makeProvider(kind: string): pulumi.dynamic.ResourceProvider {
  if (typeof kind !== "string" || !/^[a-z][a-z0-9-]*:[A-Za-z][A-Za-z0-9]*$/.test(kind)) {
    throw new TypeError(`makeProvider: kind must look like "oci:Function", got ${JSON.stringify(kind)}`);
  }
  let stub = stubs.get(kind);
  if (stub === undefined) {
    stub = Object.freeze(createStub(kind));
    stubs.set(kind, stub);
  }
  return stub;
}

// Everything below is serialized by Pulumi's closure serializer: each body must reference nothing but
// `kind`, its parameters and `require` (which the serializer never captures).
function createStub(kind: string): pulumi.dynamic.ResourceProvider {
  return {
    async configure(req) {
      require("fnstack/provider").configure((key: string) => req.config.get(key));
    },
    async check(olds, news) {
      return require("fnstack/provider").handlers[kind].check(olds, news);
    },
    async diff(id, olds, news) {
      return require("fnstack/provider").handlers[kind].diff(id, olds, news);
    },
    async create(inputs) {
      return require("fnstack/provider").handlers[kind].create(inputs);
    },
    async read(id, props) {
      return require("fnstack/provider").handlers[kind].read(id, props);
    },
    async update(id, olds, news) {
      return require("fnstack/provider").handlers[kind].update(id, olds, news);
    },
    async delete(id, props) {
      return require("fnstack/provider").handlers[kind].delete(id, props);
    },
  };
}
