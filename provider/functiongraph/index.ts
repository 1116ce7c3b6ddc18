/** FunctionGraph v2 resources: Function, Version, Alias, Trigger, DependencyVersion, Invocation. */
export {};
