/**
 * Wire shapes of FunctionGraph v2 functions (`/v2/{project_id}/fgs/functions...`). Field names are the
 * API's snake_case names; the provider maps them to camelCase in one place per resource.
 */

/** VPC access of a function (`func_vpc`). `vpc_id` and `subnet_id` are required when set. */
export interface FuncVpc {
  vpc_id: string;
  subnet_id: string;
  vpc_name?: string;
  subnet_name?: string;
  cidr?: string;
  gateway?: string;
  security_groups?: string[];
  domain_id?: string;
  namespace?: string;
}

/** One mounted file system (`mount_config.func_mounts[]`). */
export interface FuncMount {
  /** `sfs`, `sfsTurbo` or `ecs`. */
  mount_type: string;
  mount_resource: string;
  mount_share_path?: string;
  local_mount_path: string;
  status?: string;
}

/** File-system mounts of a function (`mount_config`). */
export interface MountConfig {
  mount_user: { user_id: number; user_group_id: number };
  func_mounts: FuncMount[];
}

/**
 * Concurrency settings (`strategy_config`). `concurrency` is the function's maximum number of instances,
 * -1..1000 (0 disables the function): the value `PUT .../config-max-instance` sets (TF-HW and TF-OTC read
 * `max_instance_num` from it).
 */
export interface StrategyConfig {
  concurrency?: number;
  /** Requests per instance, 1..1000 (v2 functions only). */
  concurrent_num?: number;
}

/** Custom container image (`custom_image`), used with `code_type: Custom-Image-Swr`. */
export interface CustomImage {
  enabled: boolean;
  image: string;
  command?: string;
  args?: string;
  working_dir?: string;
  uid?: string;
  gid?: string;
}

/** LTS log destination (`log_config`). */
export interface LogConfig {
  group_id?: string;
  group_name?: string;
  stream_id?: string;
  stream_name?: string;
}

/** Network restrictions (`network_controller`). */
export interface NetworkController {
  disable_public_network?: boolean;
  trigger_access_vpcs?: { vpc_id?: string; vpc_name?: string }[];
}

/** Code payload (`func_code`): base64 in `file`, or a `link`. Never returned by reads. */
export interface FuncCode {
  file?: string;
  link?: string;
}

/** Code types the API accepts. */
export type CodeType = "inline" | "zip" | "obs" | "jar" | "Custom-Image-Swr";

/**
 * The configuration fields `PUT .../config` accepts. The API treats that PUT as a full replacement, so
 * callers send every field they want to keep.
 */
export interface FunctionConfigurable {
  func_name: string;
  runtime: string;
  /** Seconds, 3..259200. */
  timeout: number;
  handler: string;
  /** MB, one of the documented sizes. */
  memory_size: number;
  /** JSON object of environment variables, encoded as a string. */
  user_data?: string;
  /** Like `user_data`, encrypted at rest; values come back blank on read. */
  encrypted_user_data?: string;
  xrole?: string;
  app_xrole?: string;
  description?: string;
  func_vpc?: FuncVpc;
  mount_config?: MountConfig;
  strategy_config?: StrategyConfig;
  custom_image?: CustomImage;
  extend_config?: string;
  initializer_handler?: string;
  /** Seconds, 1..300. */
  initializer_timeout?: number;
  pre_stop_handler?: string;
  /** Seconds, 1..90. */
  pre_stop_timeout?: number;
  /** MB, 512 or 10240. */
  ephemeral_storage?: number;
  enterprise_project_id?: string;
  log_config?: LogConfig;
  network_controller?: NetworkController;
  is_stateful_function?: boolean;
  enable_dynamic_memory?: boolean;
  enable_auth_in_header?: boolean;
  domain_names?: string;
  lts_custom_tag?: Record<string, string>;
  enable_lts_log?: boolean;
  gpu_memory?: number;
  gpu_type?: string;
  package?: string;
}

/** Body of `POST /fgs/functions`. */
export interface CreateFunctionRequest extends FunctionConfigurable {
  package: string;
  code_type?: CodeType;
  code_url?: string;
  code_filename?: string;
  func_code?: FuncCode;
  depend_version_list?: string[];
  /** `v1` or `v2`. */
  type?: string;
}

/** Body of `PUT .../config`. */
export type UpdateFunctionConfigRequest = FunctionConfigurable;

/** Body of `PUT .../code`. `depend_version_list: []` clears the dependencies (an omitted list is ignored). */
export interface UpdateFunctionCodeRequest {
  code_type: CodeType;
  code_url?: string;
  code_filename?: string;
  func_code?: FuncCode;
  depend_version_list?: string[];
  code_encrypt_kms_key_id?: string;
}

/** A dependency attached to a function, as reads list it. */
export interface FunctionDependency {
  id?: string;
  dep_id?: string;
  name?: string;
  version?: number;
  runtime?: string;
  link?: string;
  etag?: string;
  size?: number;
  owner?: string;
  file_name?: string;
}

/** A function's metadata as `POST /fgs/functions` and `GET .../config` return it. */
export interface FunctionConfig extends Partial<FunctionConfigurable> {
  func_id?: string;
  /** On create and GET config: with a `:latest` (or version) suffix. */
  func_urn: string;
  func_name: string;
  domain_id?: string;
  namespace?: string;
  project_name?: string;
  package: string;
  runtime: string;
  timeout: number;
  handler: string;
  memory_size: number;
  /** Millicores. */
  cpu?: number;
  code_type?: CodeType;
  code_url?: string;
  code_filename?: string;
  /** Bytes. */
  code_size?: number;
  /** SHA-512 hex of the code package, computed by the service. */
  digest?: string;
  /** `latest` or a published version name. */
  version?: string;
  image_name?: string;
  /** `"2019-10-25 15:37:27"`. */
  last_modified?: string;
  depend_version_list?: string[];
  dependencies?: FunctionDependency[];
  type?: string;
  log_group_id?: string;
  log_stream_id?: string;
  /** KMS key of the encrypted environment variables. */
  user_data_encrypt_kms_key_id?: string;
  /** KMS key of the code package. */
  code_encrypt_kms_key_id?: string;
  resource_id?: string;
  reserved_instance_count?: number;
  func_vpc_id?: string;
}

/** `GET .../code`: never returns the code itself (`func_code` is empty). */
export interface FunctionCode {
  func_urn: string;
  func_name?: string;
  runtime?: string;
  code_type?: CodeType;
  code_url?: string;
  code_filename?: string;
  code_size?: number;
  digest?: string;
  last_modified?: string;
  func_code?: FuncCode;
  depend_version_list?: string[];
  dependencies?: FunctionDependency[];
}

/** One page of `GET /fgs/functions`. */
export interface ListFunctionsPage {
  functions: FunctionConfig[];
  next_marker?: number;
  count?: number;
}

/** Body of `PUT .../config-max-instance`: -1 unlimited, 0 disables the function. */
export interface MaxInstanceRequest {
  max_instance_num: number;
}

/** Body (and answer) of `PUT .../reservedinstances`. */
export interface ReservedInstancesRequest {
  count: number;
  idle_mode?: boolean;
  tactics_config?: {
    cron_configs?: {
      name?: string;
      cron?: string;
      count?: number;
      start_time?: number;
      expired_time?: number;
    }[];
    metric_configs?: { name?: string; type?: string; threshold?: number; min?: number }[];
  };
}

/** A resource tag. */
export interface Tag {
  key: string;
  value: string;
}

/** One entry of `GET /fgs/functions/reservedinstanceconfigs`. */
export interface ReservedInstanceConfig {
  function_urn: string;
  /** `version` or `alias`. */
  qualifier_type: string;
  /** Version name (`latest`, ...) or alias name. */
  qualifier_name: string;
  min_count: number;
  idle_mode?: boolean;
  tactics_config?: ReservedInstancesRequest["tactics_config"];
}

/** One page of `GET /fgs/functions/reservedinstanceconfigs`. */
export interface ListReservedInstanceConfigsPage {
  reserved_instances: ReservedInstanceConfig[];
  page_info?: { next_marker?: number; previous_marker?: number; current_count?: number };
  count?: number;
}
