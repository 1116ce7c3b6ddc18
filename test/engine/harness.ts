/**
 * The engine-path harness the tests import: the plugin client of the engine model
 * (`engine-model/plugin.ts`), re-exported so tests keep one import path.
 */
export * from "../../engine-model/plugin";
