import type { HandlerFactory } from "../handler";

/** Handlers of the FunctionGraph resources, by kind (`functiongraph:Function`, ...). */
export const functionGraphHandlers: Readonly<Record<string, HandlerFactory>> = {};
