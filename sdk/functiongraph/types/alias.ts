/** One routing rule of an alias's additional-version strategy. */
export interface VersionStrategyRule {
  /** `header` or `cookie` (OTC docs spell `Header`). */
  rule_type: string;
  param: string;
  /** `=` or `in` (`in` takes comma-separated values). */
  op: string;
  value: string;
}

/** Per-version routing strategy of an alias. */
export interface VersionStrategy {
  /** `and` or `or`. */
  combine_type: string;
  rules: VersionStrategyRule[];
}

/** Body of `POST .../aliases`. */
export interface CreateAliasRequest {
  name: string;
  version: string;
  description?: string;
  /** Version name → percent of traffic (0..100). */
  additional_version_weights?: Record<string, number>;
  additional_version_strategy?: Record<string, VersionStrategy>;
}

/** Body of `PUT .../aliases/{name}`. */
export type UpdateAliasRequest = Omit<CreateAliasRequest, "name">;

/** An alias as GET/POST/PUT return it (lists omit the strategy). */
export interface FunctionAlias {
  name: string;
  version: string;
  description?: string;
  last_modified?: string;
  alias_urn?: string;
  additional_version_weights?: Record<string, number>;
  additional_version_strategy?: Record<string, VersionStrategy>;
}
