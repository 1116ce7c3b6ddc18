/**
 * "Already gone" handling shared by every handler: a read of a vanished resource tells the engine it
 * is gone, and a delete of one counts as done.
 */
import type * as pulumi from "@pulumi/pulumi";
import { NotFoundError } from "../../sdk/core/errors";

/** Runs a read; a resource that is gone (NotFoundError) reads as the empty result that tells Pulumi so. */
export async function readOrGone(
  read: () => Promise<pulumi.dynamic.ReadResult>,
): Promise<pulumi.dynamic.ReadResult> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof NotFoundError) return { id: "", props: {} };
    throw err;
  }
}

/** Runs a delete; a resource that is already gone (NotFoundError) counts as deleted. */
export async function deleteOrGone(remove: () => Promise<unknown>): Promise<void> {
  try {
    await remove();
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
}
