import type * as pulumi from "@pulumi/pulumi";

/** Properties as the dynamic-provider plugin passes them: plain JSON values, `__provider` included. */
export type Props = Record<string, unknown>;

/**
 * What every fnstack resource implements. The thin stub in `__provider` forwards each Pulumi call to
 * the handler of its kind (`oci:Function`, `functiongraph:Trigger`, ...). Handlers are the frozen ABI
 * old stubs in state keep calling: never rename or remove a method, and keep reading old state.
 */
export interface ResourceHandler {
  /** Validates and normalises inputs; tolerates unknown values during preview. */
  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
  /** Compares old outputs with new checked inputs. */
  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
  /** Creates (or adopts) the resource; a failure after the cloud accepted it carries the id. */
  create(inputs: Props): Promise<pulumi.dynamic.CreateResult>;
  /** Reads the live resource for refresh; an empty id means it is gone. */
  read(id: string, props: Props, inputs?: Props): Promise<pulumi.dynamic.ReadResult>;
  /** Updates in place and returns the full outputs. */
  update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult>;
  /** Deletes and waits until gone; "already gone" is success. */
  delete(id: string, props: Props): Promise<void>;
}

/** A kind's handler, built on first use so a stub loads only the cloud it needs. */
export type HandlerFactory = () => ResourceHandler;
