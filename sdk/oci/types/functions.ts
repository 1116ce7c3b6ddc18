/**
 * Wire types of the OCI Functions API (`/20181201`), field names exactly as JSON carries them
 * (reference oci-api.md §2.1, §2.2).
 */

/** Tags under namespaces: `{namespace: {key: value}}`. */
export type DefinedTags = Record<string, Record<string, unknown>>;

/** Lifecycle states of applications and functions. */
export type FunctionsLifecycleState =
  "CREATING" | "ACTIVE" | "INACTIVE" | "UPDATING" | "DELETING" | "DELETED" | "FAILED";

/** Processor architectures an application's functions may run on. */
export type ApplicationShape = "GENERIC_X86" | "GENERIC_ARM" | "GENERIC_X86_ARM";

/** The application shapes the API accepts. */
export const applicationShapes: readonly ApplicationShape[] = Object.freeze([
  "GENERIC_X86",
  "GENERIC_ARM",
  "GENERIC_X86_ARM",
]);

/** Tracing of an application's functions to an APM domain. */
export interface ApplicationTraceConfig {
  readonly isEnabled?: boolean;
  /** OCID of the APM domain. */
  readonly domainId?: string;
}

/** Log line format of an application. */
export interface ApplicationLoggingConfig {
  readonly lineFormat?: "JSON" | "PLAIN_TEXT";
}

/** Signed-image verification of an application. */
export interface ImagePolicyConfig {
  readonly isPolicyEnabled: boolean;
  /** Vault master keys whose signatures are accepted. */
  readonly keyDetails?: readonly { readonly kmsKeyId: string }[];
}

/** Body of CreateApplication. */
export interface CreateApplicationDetails {
  readonly compartmentId: string;
  /** Unique in the compartment. */
  readonly displayName: string;
  readonly subnetIds: readonly string[];
  readonly config?: Readonly<Record<string, string>>;
  readonly shape?: ApplicationShape;
  readonly networkSecurityGroupIds?: readonly string[];
  readonly syslogUrl?: string;
  readonly traceConfig?: ApplicationTraceConfig;
  readonly logging?: ApplicationLoggingConfig;
  readonly imagePolicyConfig?: ImagePolicyConfig;
  readonly freeformTags?: Readonly<Record<string, string>>;
  readonly definedTags?: DefinedTags;
  readonly securityAttributes?: DefinedTags;
}

/** Body of UpdateApplication: what can change in place (compartment moves separately). */
export type UpdateApplicationDetails = Partial<
  Omit<CreateApplicationDetails, "compartmentId" | "displayName" | "subnetIds" | "shape">
>;

/** An application as GetApplication returns it. */
export interface Application extends Omit<CreateApplicationDetails, "shape"> {
  readonly id: string;
  readonly shape?: ApplicationShape;
  readonly lifecycleState: FunctionsLifecycleState;
  readonly timeCreated?: string;
  readonly timeUpdated?: string;
}

/** An element of ListApplications. */
export interface ApplicationSummary {
  readonly id: string;
  readonly compartmentId: string;
  readonly displayName: string;
  readonly lifecycleState: FunctionsLifecycleState;
  readonly subnetIds?: readonly string[];
  readonly shape?: ApplicationShape;
  readonly freeformTags?: Readonly<Record<string, string>>;
  readonly definedTags?: DefinedTags;
  readonly timeCreated?: string;
  readonly timeUpdated?: string;
}

/** Provisioned concurrency of a function. */
export type FunctionProvisionedConcurrencyConfig =
  { readonly strategy: "NONE" } | { readonly strategy: "CONSTANT"; readonly count: number };

/** Where detached invocations report their outcome. */
export type FunctionDestination =
  | { readonly kind: "NONE" }
  | { readonly kind: "STREAM"; readonly streamId: string }
  | { readonly kind: "QUEUE"; readonly queueId: string; readonly channelId?: string }
  | { readonly kind: "NOTIFICATION"; readonly topicId: string };

/** A pre-built function as a function's source. */
export interface FunctionSourceDetails {
  readonly sourceType: "PRE_BUILT_FUNCTIONS";
  readonly pbfListingId: string;
}

/** Tracing of one function. */
export interface FunctionTraceConfig {
  readonly isEnabled?: boolean;
}

/** Body of CreateFunction. */
export interface CreateFunctionDetails {
  /** Unique within the application. */
  readonly displayName: string;
  readonly applicationId: string;
  /** Memory in MB. */
  readonly memoryInMBs: number;
  /** OCIR image in the function's region, e.g. `phx.ocir.io/ns/repo:tag`. */
  readonly image?: string;
  /** `sha256:…`; resolved from the tag by the service when absent. */
  readonly imageDigest?: string;
  readonly sourceDetails?: FunctionSourceDetails;
  readonly config?: Readonly<Record<string, string>>;
  /** Seconds. */
  readonly timeoutInSeconds?: number;
  /** Seconds. */
  readonly detachedModeTimeoutInSeconds?: number;
  readonly provisionedConcurrencyConfig?: FunctionProvisionedConcurrencyConfig;
  readonly successDestination?: FunctionDestination;
  readonly failureDestination?: FunctionDestination;
  readonly traceConfig?: FunctionTraceConfig;
  readonly freeformTags?: Readonly<Record<string, string>>;
  readonly definedTags?: DefinedTags;
}

/** Body of UpdateFunction: everything except the name, the application and the source. */
export type UpdateFunctionDetails = Partial<
  Omit<CreateFunctionDetails, "displayName" | "applicationId" | "sourceDetails">
>;

/** A function as GetFunction returns it. */
export interface FunctionResource extends CreateFunctionDetails {
  readonly id: string;
  readonly compartmentId?: string;
  readonly shape?: ApplicationShape;
  readonly invokeEndpoint?: string;
  readonly lifecycleState: FunctionsLifecycleState;
  readonly timeCreated?: string;
  readonly timeUpdated?: string;
}

/** An element of ListFunctions. */
export interface FunctionSummary {
  readonly id: string;
  readonly applicationId: string;
  readonly displayName: string;
  readonly lifecycleState: FunctionsLifecycleState;
  readonly compartmentId?: string;
  readonly image?: string;
  readonly imageDigest?: string;
  readonly memoryInMBs?: number;
  readonly invokeEndpoint?: string;
  readonly timeCreated?: string;
  readonly timeUpdated?: string;
}

/** A pre-built function listing (`/pbfListings`). */
export interface PbfListing {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly lifecycleState?: string;
  readonly [field: string]: unknown;
}

/** A version of a pre-built function listing (`/pbfListingVersions`). */
export interface PbfListingVersion {
  readonly id: string;
  readonly pbfListingId: string;
  readonly name?: string;
  readonly lifecycleState?: string;
  readonly [field: string]: unknown;
}

/** A trigger a pre-built function can be wired to (`/pbfListings/triggers`). */
export interface PbfTrigger {
  readonly name: string;
}

/** How an invocation's body is meant. */
export type FnIntent = "httprequest" | "cloudevent";
/** Synchronous or detached invocation. */
export type FnInvokeType = "sync" | "detached";
