import type { HandlerFactory } from "../handler";

/** Handlers of the OCI resources, by kind (`oci:Application`, ...). */
export const ociHandlers: Readonly<Record<string, HandlerFactory>> = {};
