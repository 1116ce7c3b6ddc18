/** Wire types of the OCI services fnstack calls. */
export * from "./functions";
export * from "./container-instances";
export * from "./work-requests";
export * from "./vnics";
