import type { FunctionConfig } from "./function";

/** Body of `POST .../versions`. All fields optional. */
export interface PublishVersionRequest {
  /** Version name; the service defaults it to `yyyymmdd-HHMMSS`. */
  version?: string;
  description?: string;
  /** Code digest to pin; default the latest code. */
  digest?: string;
}

/**
 * A published version: a function object whose `version` is the version name. Lists add the version's
 * own description as `version_description` (`description` is the function's).
 */
export type FunctionVersion = FunctionConfig & { version_description?: string };

/** One page of `GET .../versions`. */
export interface ListVersionsPage {
  versions: FunctionVersion[];
  next_marker?: number;
  count?: number;
}
