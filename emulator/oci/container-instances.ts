import type { EmulatorResponse } from "../service";
import type { OciCall, OciStore } from "./store";

/** Container Instances (`/20210415`) and the Work Requests API (`/20160918`) over one work-request store. */
export class ContainerInstancesApi {
  constructor(private readonly store: OciStore) {}

  /** Finishes due work requests and applies their effects. */
  settle(): void {
    void this.store;
  }

  /** The operations by name. */
  readonly operations: Readonly<Record<string, (call: OciCall) => EmulatorResponse>> = {};
}
