import { createHash } from "node:crypto";
import type { OciStore } from "./store";

/** One image tag in the emulated registry: its current digest and how many times it was pushed. */
export interface StoredImageTag {
  readonly digest: string;
  readonly pushes: number;
}

function digestOf(image: string, pushes: number): string {
  return `sha256:${createHash("sha256").update(`${image}\n${pushes}`, "utf8").digest("hex")}`;
}

/**
 * The container registry behind OCI Functions (OCIR): a tag resolves to the digest of what was last
 * pushed under it (CreateFunctionDetails.imageDigest: "if omitted, the service resolves it from the
 * tag", oci-api.md §2.1). A tag the emulator has not seen counts as pushed once, so programs need no
 * push step; the control API re-pushes a tag (`POST /_emulator/oci/images/push`), giving it a new
 * digest, which is how a user's `docker push` of a new build under the same tag is modelled.
 */
export class ImageRegistry {
  constructor(private readonly store: OciStore) {}

  /** The current digest of `image` (a reference with a tag), pushing it once if it was never seen. */
  resolve(image: string): string {
    const known = this.store.state.images[image];
    if (known !== undefined) return known.digest;
    return this.#push(image, 1);
  }

  /** Pushes `image` again: a new digest, which the next resolution of the tag answers. */
  repush(image: string): string {
    return this.#push(image, (this.store.state.images[image]?.pushes ?? 0) + 1);
  }

  /** Every tag and its current digest. */
  list(): { image: string; digest: string; pushes: number }[] {
    return Object.entries(this.store.state.images).map(([image, t]) => ({ image, ...t }));
  }

  #push(image: string, pushes: number): string {
    const digest = digestOf(image, pushes);
    this.store.state.images[image] = { digest, pushes };
    return digest;
  }
}
