import type { HandlerFactory, ResourceHandler } from "../handler";

type Module = Record<string, () => ResourceHandler>;

/** Loads `./<file>` on first use and calls its factory, so a stub of one kind loads only what it needs. */
function lazy(file: string, factory: string): HandlerFactory {
  return () => {
    const build = (require(file) as Module)[factory];
    if (build === undefined) throw new TypeError(`${file} exports no ${factory}()`);
    return build();
  };
}

/** Handlers of the OCI resources, by kind. */
export const ociHandlers: Readonly<Record<string, HandlerFactory>> = Object.freeze({
  "oci:Application": lazy("./application-handler", "applicationHandler"),
  "oci:Function": lazy("./function-handler", "functionHandler"),
  "oci:InvokeFunction": lazy("./invoke-function-handler", "invokeFunctionHandler"),
  "oci:ContainerInstance": lazy("./container-instance-handler", "containerInstanceHandler"),
});
