/**
 * `oci:Application`: an OCI Functions application. Functions has no work requests, so every change is
 * followed by a wait on `lifecycleState` (ACTIVE; DELETED or 404 on delete).
 */
import * as fm from "../../sdk/oci/clients/functions-management";
import type { ResourceHandler } from "../handler";
import {
  applicationOutputs,
  applicationInputKeys,
  checkApplication,
  createApplicationDetails,
  diffApplication,
  immutableMismatches,
  updateApplicationDetails,
} from "./application-model";
import { createOnce } from "./common";
import { functionsResourceHandler } from "./functions-resource-handler";

/** Builds the `oci:Application` handler. */
export function applicationHandler(): ResourceHandler {
  return functionsResourceHandler({
    noun: "application",
    createOperation: "CreateApplication",
    inputKeys: applicationInputKeys,
    check: checkApplication,
    diff: diffApplication,
    createDetails: createApplicationDetails,
    outputs: applicationOutputs,
    immutableMismatches,
    get: fm.getApplication,
    create: fm.createApplication,
    listNamed: (ctx, details) =>
      fm.listApplications(ctx, { compartmentId: details.compartmentId, displayName: details.displayName }),
    async applyChanges(ctx, id, olds, news) {
      if (typeof news.compartmentId === "string" && news.compartmentId !== olds.compartmentId) {
        const target = news.compartmentId;
        // ChangeCompartment is a POST without a retry token: after an ambiguous failure, look before repeating.
        await createOnce(
          ctx,
          (once) => fm.changeApplicationCompartment(once, id, target),
          async () =>
            (await fm.getApplication(ctx, id)).value.compartmentId === target
              ? { value: undefined }
              : undefined,
          `ChangeApplicationCompartment ${id}`,
        );
      }
      const details = updateApplicationDetails(olds, news);
      if (Object.keys(details).length > 0) await fm.updateApplication(ctx, id, details);
    },
    remove: fm.deleteApplication,
  });
}
