/**
 * `oci:Function`: a function in an OCI Functions application. Like applications, functions have no
 * work requests: changes are followed by a wait on `lifecycleState`.
 */
import * as fm from "../../sdk/oci/clients/functions-management";
import type { ResourceHandler } from "../handler";
import {
  checkFunction,
  createFunctionDetails,
  diffFunction,
  functionImmutableMismatches,
  functionInputKeys,
  functionOutputs,
  updateFunctionDetails,
} from "./function-model";
import { functionsResourceHandler } from "./functions-resource-handler";

/** Builds the `oci:Function` handler. */
export function functionHandler(): ResourceHandler {
  return functionsResourceHandler({
    noun: "function",
    createOperation: "CreateFunction",
    inputKeys: functionInputKeys,
    check: checkFunction,
    diff: diffFunction,
    createDetails: createFunctionDetails,
    outputs: functionOutputs,
    immutableMismatches: functionImmutableMismatches,
    get: fm.getFunction,
    create: fm.createFunction,
    listNamed: (ctx, details) =>
      fm.listFunctions(ctx, { applicationId: details.applicationId, displayName: details.displayName }),
    async applyChanges(ctx, id, olds, news) {
      const details = updateFunctionDetails(olds, news);
      if (Object.keys(details).length > 0) await fm.updateFunction(ctx, id, details);
    },
    remove: fm.deleteFunction,
  });
}
