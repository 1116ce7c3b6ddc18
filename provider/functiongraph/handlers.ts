import type { HandlerFactory, ResourceHandler } from "../handler";

type Loaded = Record<string, () => ResourceHandler>;

/** Loads a handler module on first use, so a stub of one kind loads only its own handler. */
function lazy(modulePath: string, factoryName: string): HandlerFactory {
  return () => {
    const mod = require(modulePath) as Loaded;
    const factory = mod[factoryName];
    if (typeof factory !== "function") throw new TypeError(`${modulePath} does not export ${factoryName}()`);
    return factory();
  };
}

/** Handlers of the FunctionGraph resources, by kind (`functiongraph:Function`, ...). */
export const functionGraphHandlers: Readonly<Record<string, HandlerFactory>> = Object.freeze({
  "functiongraph:Function": lazy("./function-handler", "functionHandler"),
  "functiongraph:Version": lazy("./version-handler", "versionHandler"),
  "functiongraph:Alias": lazy("./alias-handler", "aliasHandler"),
  "functiongraph:Trigger": lazy("./trigger-handler", "triggerHandler"),
  "functiongraph:DependencyVersion": lazy("./dependency-version-handler", "dependencyVersionHandler"),
  "functiongraph:Invocation": lazy("./invocation-handler", "invocationHandler"),
});
