/** Body of `POST /fgs/dependencies/version`. */
export interface CreateDependencyVersionRequest {
  /** `obs` (with `depend_link`) or `zip` (with base64 `depend_file`). */
  depend_type: "obs" | "zip";
  depend_link?: string;
  depend_file?: string;
  runtime: string;
  /** ≤96 chars: letters, digits, `_`, `.`, `-`; starts with a letter, ends with a letter or digit. */
  name: string;
  /** ≤512 chars. */
  description?: string;
}

/** A dependency version. `id` is what functions list in `depend_version_list`; `dep_id` the dependency. */
export interface DependencyVersion {
  id: string;
  dep_id: string;
  /** Starts at 1. */
  version: number;
  owner?: string;
  /** Rewritten by the service to its own bucket. */
  link?: string;
  runtime: string;
  /** MD5 of the package. */
  etag?: string;
  /** Bytes. */
  size?: number;
  name: string;
  description?: string;
  file_name?: string;
  /** Epoch seconds. */
  last_modified?: number;
  download_link?: string;
  is_shared?: boolean;
}

/** A dependency (all its versions share `id` = the versions' `dep_id`). */
export interface Dependency {
  id: string;
  name: string;
  owner?: string;
  link?: string;
  runtime?: string;
  etag?: string;
  size?: number;
  description?: string;
  file_name?: string;
  version?: number;
  dep_id?: string;
  last_modified?: number;
  download_link?: string;
  is_shared?: boolean;
}

/** One page of `GET /fgs/dependencies`. */
export interface ListDependenciesPage {
  dependencies: Dependency[];
  next_marker?: number;
  count?: number;
}

/** One page of `GET /fgs/dependencies/{depend_id}/version`. */
export interface ListDependencyVersionsPage {
  dependencies: DependencyVersion[];
  next_marker?: number;
  count?: number;
}
