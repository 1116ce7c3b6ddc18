import type { HandlerFactory } from "../handler";

/**
 * Handlers of the OCI resources, by kind. Each module is loaded on first use, so a stub of one kind
 * loads only what it needs.
 */
export const ociHandlers: Readonly<Record<string, HandlerFactory>> = Object.freeze({
  "oci:Application": () =>
    (require("./application-handler") as typeof import("./application-handler")).applicationHandler(),
  "oci:Function": () =>
    (require("./function-handler") as typeof import("./function-handler")).functionHandler(),
  "oci:InvokeFunction": () =>
    (
      require("./invoke-function-handler") as typeof import("./invoke-function-handler")
    ).invokeFunctionHandler(),
  "oci:ContainerInstance": () =>
    (
      require("./container-instance-handler") as typeof import("./container-instance-handler")
    ).containerInstanceHandler(),
});
