import type * as pulumi from "@pulumi/pulumi";

/** Properties as the dynamic-provider plugin passes them: plain JSON values, `__provider` included. */
export type Props = Record<string, unknown>;

/**
 * What the runtime knows of a handler call beyond its properties, handed to every handler method as its
 * last argument by the runtime's wrappers (provider/connection.ts, provider/identity.ts). Passed
 * explicitly rather than through an AsyncLocalStorage: on Node 20 and 22 that installs a promise hook
 * for the whole plugin process, which cost every promise of every call (gRPC's too) two extra fields
 * (issue 12: ~2 MiB of the plugin's peak RSS under 200 concurrent creates). Undefined, or a member
 * undefined, means "not known": the stack configuration applies and no identity is recorded.
 */
export interface CallScope {
  /**
   * Where the resource lives: the connection settings its cloud's `ConnectionSpec` built from the
   * resource's recorded or requested `connection`; undefined for the stack's default.
   */
  readonly connection?: unknown;
  /** `<project>/<stack>/<name>` of the resource (provider/identity.ts); undefined for older state. */
  readonly identity?: string;
}

/**
 * What every fnstack resource implements. The thin stub in `__provider` forwards each Pulumi call to
 * the handler of its kind (`oci:Function`, `functiongraph:Trigger`, ...). Handlers are the frozen ABI
 * old stubs in state keep calling: never rename or remove a method, and keep reading old state.
 */
export interface ResourceHandler {
  /** Validates and normalises inputs; tolerates unknown values during preview. */
  check(olds: Props, news: Props, call?: CallScope): Promise<pulumi.dynamic.CheckResult>;
  /** Compares old outputs with new checked inputs. */
  diff(id: string, olds: Props, news: Props, call?: CallScope): Promise<pulumi.dynamic.DiffResult>;
  /** Creates (or adopts) the resource; a failure after the cloud accepted it carries the id. */
  create(inputs: Props, call?: CallScope): Promise<pulumi.dynamic.CreateResult>;
  /** Reads the live resource for refresh; an empty id means it is gone. */
  read(id: string, props: Props, inputs?: Props, call?: CallScope): Promise<pulumi.dynamic.ReadResult>;
  /** Updates in place and returns the full outputs. */
  update(id: string, olds: Props, news: Props, call?: CallScope): Promise<pulumi.dynamic.UpdateResult>;
  /** Deletes and waits until gone; "already gone" is success. */
  delete(id: string, props: Props, call?: CallScope): Promise<void>;
}

/** A kind's handler, built on first use so a stub loads only the cloud it needs. */
export type HandlerFactory = () => ResourceHandler;
