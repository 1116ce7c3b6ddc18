import type { EmulatorResponse } from "../service";
import {
  type Json,
  jsonBody,
  onlyFields,
  read,
  readCompartmentId,
  readFunctionsConfig,
  requireOcidOf,
} from "./body";
import { OciErrors } from "./errors";
import type { ImageRegistry } from "./image-registry";
import { pagedResponse, queryEnum, requiredQuery, sortItems } from "./paging";
import type { PbfCatalogue } from "./pbf";
import { type OciCall, type OciStore, type StoredResource, ociResponse } from "./store";

/** Largest invoke payload: 6 MB (oci-api.md §2.2). */
export const maxInvokeBodyBytes = 6 * 1024 * 1024;

const shapes = ["GENERIC_X86", "GENERIC_ARM", "GENERIC_X86_ARM"] as const;
const namePattern = /^[A-Za-z][A-Za-z0-9_-]{0,254}$/;
const imageDigestPattern = /^sha256:[0-9a-f]{64}$/;
const listBounds = { defaultLimit: 10, maxLimit: 50 };
const lifecycleStates = ["CREATING", "ACTIVE", "INACTIVE", "UPDATING", "DELETING", "DELETED", "FAILED"];

const applicationMutable = [
  "config",
  "networkSecurityGroupIds",
  "syslogUrl",
  "traceConfig",
  "logging",
  "imagePolicyConfig",
  "freeformTags",
  "definedTags",
  "securityAttributes",
] as const;
const applicationCreateFields = ["compartmentId", "displayName", "subnetIds", "shape", ...applicationMutable];
const functionMutable = [
  "image",
  "imageDigest",
  "memoryInMBs",
  "config",
  "timeoutInSeconds",
  "detachedModeTimeoutInSeconds",
  "provisionedConcurrencyConfig",
  "failureDestination",
  "successDestination",
  "traceConfig",
  "freeformTags",
  "definedTags",
] as const;
const functionCreateFields = ["displayName", "applicationId", "sourceDetails", ...functionMutable];

/** Validates the mutable application fields present in `body` and returns them. */
function applicationFields(body: Json): Json {
  const out: Json = {};
  const config = readFunctionsConfig(body);
  if (config !== undefined) out.config = config;
  const nsgs = read.stringArray(body, "networkSecurityGroupIds", {
    item: (v, p) => requireOcidOf("networksecuritygroup", v, p),
  });
  if (nsgs !== undefined) {
    if (nsgs.length > 5) throw OciErrors.invalidParameter("networkSecurityGroupIds allows at most 5 entries");
    out.networkSecurityGroupIds = nsgs;
  }
  const syslogUrl = read.string(body, "syslogUrl", {
    pattern: /^$|^(tcp|udp|tcp\+tls):\/\/[^\s/:]+:\d{1,5}$/,
  });
  if (syslogUrl !== undefined && syslogUrl !== "") {
    // The service sends logs to that host and port (CreateApplicationDetails.syslogUrl): a TCP/UDP port.
    const port = Number(syslogUrl.slice(syslogUrl.lastIndexOf(":") + 1));
    if (port < 1 || port > 65535) {
      throw OciErrors.invalidParameter(`syslogUrl has port ${port}; a port is 1 to 65535`);
    }
  }
  if (syslogUrl !== undefined) out.syslogUrl = syslogUrl;
  const trace = read.object(body, "traceConfig");
  if (trace !== undefined) {
    onlyFields(trace, ["isEnabled", "domainId"], "traceConfig");
    read.boolean(trace, "isEnabled", { path: "traceConfig.isEnabled" });
    const domainId = read.string(trace, "domainId", { path: "traceConfig.domainId" });
    if (domainId !== undefined && domainId !== "")
      requireOcidOf("apmdomain", domainId, "traceConfig.domainId");
    out.traceConfig = trace;
  }
  const logging = read.object(body, "logging");
  if (logging !== undefined) {
    onlyFields(logging, ["lineFormat"], "logging");
    read.string(logging, "lineFormat", { path: "logging.lineFormat" });
    out.logging = logging;
  }
  const policy = read.object(body, "imagePolicyConfig");
  if (policy !== undefined) {
    onlyFields(policy, ["isPolicyEnabled", "keyDetails"], "imagePolicyConfig");
    read.boolean(policy, "isPolicyEnabled", { required: true, path: "imagePolicyConfig.isPolicyEnabled" });
    const keys = read.objectArray(policy, "keyDetails", { path: "imagePolicyConfig.keyDetails" });
    keys?.forEach((k, i) => {
      const kmsKeyId = read.string(k, "kmsKeyId", {
        required: true,
        path: `imagePolicyConfig.keyDetails[${i}].kmsKeyId`,
      });
      requireOcidOf("key", kmsKeyId as string, `imagePolicyConfig.keyDetails[${i}].kmsKeyId`);
    });
    out.imagePolicyConfig = policy;
  }
  const freeform = read.freeformTags(body);
  if (freeform !== undefined) out.freeformTags = freeform;
  const defined = read.nestedTags(body, "definedTags");
  if (defined !== undefined) out.definedTags = defined;
  const security = read.nestedTags(body, "securityAttributes");
  if (security !== undefined) out.securityAttributes = security;
  return out;
}

function destination(body: Json, key: string): Json | undefined {
  const d = read.object(body, key);
  if (d === undefined) return undefined;
  const kind = read.enumOf(d, "kind", ["NONE", "STREAM", "QUEUE", "NOTIFICATION"], {
    required: true,
    path: `${key}.kind`,
  });
  const required: Record<string, string[]> = {
    NONE: [],
    STREAM: ["streamId"],
    QUEUE: ["queueId"],
    NOTIFICATION: ["topicId"],
  };
  const optional: Record<string, string[]> = { QUEUE: ["channelId"] };
  onlyFields(d, ["kind", ...(required[kind as string] ?? []), ...(optional[kind as string] ?? [])], key);
  for (const field of required[kind as string] ?? [])
    read.string(d, field, { required: true, path: `${key}.${field}` });
  return d;
}

/** Validates the mutable function fields present in `body` and returns them. */
function functionFields(body: Json): Json {
  const out: Json = {};
  // "The qualified name of the Docker image to use in the function, including the image tag"
  // (oci-functions CreateFunctionDetails.image): a name without a tag is refused.
  const image = read.string(body, "image", { max: 512, pattern: /^\S+:[^\s/:]+$/ });
  if (image !== undefined) out.image = image;
  const digest = read.string(body, "imageDigest", { pattern: imageDigestPattern });
  if (digest !== undefined) out.imageDigest = digest;
  const memory = read.integer(body, "memoryInMBs", { min: 128, max: 3072 });
  if (memory !== undefined) out.memoryInMBs = memory;
  const config = readFunctionsConfig(body);
  if (config !== undefined) out.config = config;
  const timeout = read.integer(body, "timeoutInSeconds", { min: 5, max: 300 });
  if (timeout !== undefined) out.timeoutInSeconds = timeout;
  const detached = read.integer(body, "detachedModeTimeoutInSeconds", { min: 5, max: 3600 });
  if (detached !== undefined) out.detachedModeTimeoutInSeconds = detached;
  const pcc = read.object(body, "provisionedConcurrencyConfig");
  if (pcc !== undefined) {
    const strategy = read.enumOf(pcc, "strategy", ["NONE", "CONSTANT"], {
      required: true,
      path: "provisionedConcurrencyConfig.strategy",
    });
    onlyFields(
      pcc,
      strategy === "CONSTANT" ? ["strategy", "count"] : ["strategy"],
      "provisionedConcurrencyConfig",
    );
    if (strategy === "CONSTANT")
      read.integer(pcc, "count", { required: true, min: 0, path: "provisionedConcurrencyConfig.count" });
    out.provisionedConcurrencyConfig = pcc;
  }
  const failure = destination(body, "failureDestination");
  if (failure !== undefined) out.failureDestination = failure;
  const success = destination(body, "successDestination");
  if (success !== undefined) out.successDestination = success;
  const trace = read.object(body, "traceConfig");
  if (trace !== undefined) {
    onlyFields(trace, ["isEnabled"], "traceConfig");
    read.boolean(trace, "isEnabled", { path: "traceConfig.isEnabled" });
    out.traceConfig = trace;
  }
  const freeform = read.freeformTags(body);
  if (freeform !== undefined) out.freeformTags = freeform;
  const defined = read.nestedTags(body, "definedTags");
  if (defined !== undefined) out.definedTags = defined;
  return out;
}

/** Lifecycle states in which a resource accepts mutations. */
function requireState(resource: StoredResource, allowed: readonly string[], action: string): void {
  const state = String(resource.wire.lifecycleState);
  if (state === "DELETED") throw OciErrors.notFound(resource.id);
  if (!allowed.includes(state)) {
    throw OciErrors.incorrectState(`Cannot ${action} ${resource.id} while it is ${state}`);
  }
}

function summaryOf(wire: Json, omit: readonly string[]): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(wire)) if (!omit.includes(k)) out[k] = v;
  return out;
}

function filterList(items: StoredResource[], query: URLSearchParams): StoredResource[] {
  const state = queryEnum(query, "lifecycleState", lifecycleStates);
  const displayName = query.get("displayName");
  const id = query.get("id");
  return items.filter(
    (r) =>
      (state === null || r.wire.lifecycleState === state) &&
      (displayName === null || r.wire.displayName === displayName) &&
      (id === null || r.id === id),
  );
}

// Display names are unique among the live (not DELETED) resources under one parent: an application's
// compartment, a function's application. A clash is OCI's 409 Conflict.
function requireUniqueName(
  table: Record<string, StoredResource>,
  tenant: string,
  [parentField, parentId]: readonly ["compartmentId" | "applicationId", string],
  displayName: unknown,
  noun: "An application" | "A function",
  except?: StoredResource,
): void {
  const clash = Object.values(table).find(
    (r) =>
      r !== except &&
      r.tenant === tenant &&
      r.wire[parentField] === parentId &&
      r.wire.displayName === displayName &&
      r.wire.lifecycleState !== "DELETED",
  );
  if (clash === undefined) return;
  const parent = parentField === "compartmentId" ? "compartment" : "application";
  throw OciErrors.conflict(
    `${noun} named '${String(displayName)}' already exists in ${parent} ${parentId}: ${clash.id}`,
  );
}

const sortKeys = {
  timeCreated: (r: StoredResource) => String(r.wire.timeCreated),
  id: (r: StoredResource) => r.id,
  displayName: (r: StoredResource) => String(r.wire.displayName),
};

/** The OCI Functions management and invoke operations (`/20181201`). */
export class FunctionsApi {
  constructor(
    private readonly store: OciStore,
    private readonly pbf: PbfCatalogue,
    private readonly images: ImageRegistry,
  ) {}

  /**
   * Schedules the end of a create or update: ACTIVE one lifecycle delay from now, or FAILED when a
   * lifecycle-failure rule asks for it (control API).
   */
  #settleLater(resource: StoredResource, operation: string, from: number): void {
    const { state, details } = this.store.settlesTo(operation);
    resource.pending = {
      state,
      at: from + this.store.context.timing().lifecycleMs,
      ...(details === undefined ? {} : { details }),
    };
  }

  #apps(): Record<string, StoredResource> {
    return this.store.state.applications;
  }

  #fns(): Record<string, StoredResource> {
    return this.store.state.functions;
  }

  #functionView(call: OciCall, fn: StoredResource): Json {
    // The invoke endpoint is whatever origin the client reached us on (it survives a port change on restart).
    return { ...fn.wire, invokeEndpoint: call.request.origin };
  }

  /** The operations by SDK name. */
  readonly operations: Readonly<Record<string, (call: OciCall) => EmulatorResponse>> = {
    CreateApplication: (call) => this.createApplication(call),
    GetApplication: (call) => {
      const app = this.store.find(
        this.#apps(),
        call.params.applicationId ?? "",
        call.principal,
        "application",
      );
      return ociResponse(call, 200, app.wire, { etag: app.etag });
    },
    ListApplications: (call) => this.listApplications(call),
    UpdateApplication: (call) => this.updateApplication(call),
    DeleteApplication: (call) => this.deleteApplication(call),
    ChangeApplicationCompartment: (call) => this.changeApplicationCompartment(call),
    CreateFunction: (call) => this.createFunction(call),
    GetFunction: (call) => {
      const fn = this.store.find(this.#fns(), call.params.functionId ?? "", call.principal, "function");
      return ociResponse(call, 200, this.#functionView(call, fn), { etag: fn.etag });
    },
    ListFunctions: (call) => this.listFunctions(call),
    UpdateFunction: (call) => this.updateFunction(call),
    DeleteFunction: (call) => this.deleteFunction(call),
    InvokeFunction: (call) => this.invokeFunction(call),
  };

  private createApplication(call: OciCall): EmulatorResponse {
    const body = jsonBody(call.request);
    onlyFields(body, applicationCreateFields, "CreateApplicationDetails");
    const compartmentId = readCompartmentId(body);
    const displayName = read.string(body, "displayName", { required: true, pattern: namePattern }) as string;
    const subnetIds = read.stringArray(body, "subnetIds", {
      required: true,
      nonEmpty: true,
      item: (v, p) => requireOcidOf("subnet", v, p),
    }) as string[];
    const shape = read.enumOf(body, "shape", shapes) ?? "GENERIC_X86";
    const fields = applicationFields(body);
    if (fields.syslogUrl === "") delete fields.syslogUrl;
    requireUniqueName(
      this.#apps(),
      call.principal.tenant,
      ["compartmentId", compartmentId],
      displayName,
      "An application",
    );
    const now = this.store.now();
    const id = this.store.newOcid("fnapp");
    const wire: Json = {
      id,
      compartmentId,
      displayName,
      lifecycleState: "CREATING",
      config: {},
      subnetIds,
      networkSecurityGroupIds: [],
      shape,
      freeformTags: {},
      definedTags: {},
      ...fields,
      timeCreated: this.store.iso(now),
      timeUpdated: this.store.iso(now),
    };
    const app = this.store.newResource(call.principal.tenant, wire, now);
    this.#settleLater(app, "CreateApplication", now);
    this.#apps()[id] = app;
    return ociResponse(call, 200, app.wire, { etag: app.etag });
  }

  private listApplications(call: OciCall): EmulatorResponse {
    return this.#list(call, this.#apps(), "compartmentId", (a) =>
      summaryOf(a.wire, ["config", "syslogUrl", "networkSecurityGroupIds", "logging"]),
    );
  }

  // Applications are listed by compartment and functions by application; the rest is the same.
  #list(
    call: OciCall,
    table: Record<string, StoredResource>,
    parent: "compartmentId" | "applicationId",
    view: (resource: StoredResource) => Json,
  ): EmulatorResponse {
    const q = call.request.query;
    const parentId = requiredQuery(q, parent);
    const items = Object.values(table).filter(
      (r) => r.tenant === call.principal.tenant && r.wire[parent] === parentId,
    );
    // sortBy "Default: displayName" (oci-functions request/list-applications-request.d.ts, list-functions-).
    const sorted = sortItems(filterList(items, q), q, sortKeys, "displayName");
    return pagedResponse(call, sorted, listBounds, view, "array");
  }

  private updateApplication(call: OciCall): EmulatorResponse {
    const app = this.store.find(this.#apps(), call.params.applicationId ?? "", call.principal, "application");
    const body = jsonBody(call.request);
    onlyFields(body, applicationMutable, "UpdateApplicationDetails");
    const fields = applicationFields(body);
    this.store.checkIfMatch(call, app);
    requireState(app, ["ACTIVE", "INACTIVE", "FAILED"], "update");
    this.#applyUpdate(app, fields, "UpdateApplication");
    return ociResponse(call, 200, app.wire, { etag: app.etag });
  }

  private deleteApplication(call: OciCall): EmulatorResponse {
    const app = this.store.find(this.#apps(), call.params.applicationId ?? "", call.principal, "application");
    this.store.checkIfMatch(call, app);
    requireState(app, ["ACTIVE", "INACTIVE", "FAILED"], "delete");
    const children = Object.values(this.#fns()).filter(
      (f) => f.wire.applicationId === app.id && f.wire.lifecycleState !== "DELETED",
    );
    if (children.length > 0) {
      throw OciErrors.conflict(
        `Application ${app.id} still has ${children.length} function(s); delete them first`,
      );
    }
    this.#scheduleDelete(app);
    return ociResponse(call, 204);
  }

  /**
   * Applies an update: the resource is UPDATING for one lifecycle delay, then ACTIVE (or FAILED when a
   * lifecycle-failure rule asks). The lifecycle enum of Application and Function has UPDATING
   * (oci-api.md §2.1); a second change meanwhile gets 409 IncorrectState.
   */
  #applyUpdate(resource: StoredResource, fields: Json, operation: string): void {
    const now = this.store.now();
    // syslogUrl "" switches syslog off: the field is no longer returned.
    if (fields.syslogUrl === "") {
      delete fields.syslogUrl;
      delete resource.wire.syslogUrl;
    }
    Object.assign(resource.wire, fields, { lifecycleState: "UPDATING", timeUpdated: this.store.iso(now) });
    resource.etag = this.store.newEtag();
    this.#settleLater(resource, operation, now);
  }

  #scheduleDelete(resource: StoredResource): void {
    const now = this.store.now();
    resource.wire.lifecycleState = "DELETING";
    resource.wire.timeUpdated = this.store.iso(now);
    resource.etag = this.store.newEtag();
    resource.pending = { state: "DELETED", at: now + this.store.context.timing().lifecycleMs };
  }

  private changeApplicationCompartment(call: OciCall): EmulatorResponse {
    const app = this.store.find(this.#apps(), call.params.applicationId ?? "", call.principal, "application");
    const body = jsonBody(call.request);
    onlyFields(body, ["compartmentId"], "ChangeApplicationCompartmentDetails");
    const compartmentId = readCompartmentId(body);
    this.store.checkIfMatch(call, app);
    requireState(app, ["ACTIVE", "INACTIVE", "FAILED"], "move");
    requireUniqueName(
      this.#apps(),
      app.tenant,
      ["compartmentId", compartmentId],
      app.wire.displayName,
      "An application",
      app,
    );
    const now = this.store.iso();
    Object.assign(app.wire, { compartmentId, timeUpdated: now });
    app.etag = this.store.newEtag();
    for (const fn of Object.values(this.#fns())) {
      if (fn.wire.applicationId === app.id) {
        Object.assign(fn.wire, { compartmentId, timeUpdated: now });
        fn.etag = this.store.newEtag();
      }
    }
    return ociResponse(call, 204);
  }

  private createFunction(call: OciCall): EmulatorResponse {
    const body = jsonBody(call.request);
    onlyFields(body, functionCreateFields, "CreateFunctionDetails");
    const displayName = read.string(body, "displayName", { required: true, pattern: namePattern }) as string;
    const applicationId = read.string(body, "applicationId", { required: true }) as string;
    requireOcidOf("fnapp", applicationId, "applicationId");
    read.integer(body, "memoryInMBs", { required: true });
    const fields = functionFields(body);
    const source = read.object(body, "sourceDetails");
    if (source !== undefined) {
      read.enumOf(source, "sourceType", ["PRE_BUILT_FUNCTIONS"], {
        required: true,
        path: "sourceDetails.sourceType",
      });
      onlyFields(source, ["sourceType", "pbfListingId"], "sourceDetails");
      const listingId = read.string(source, "pbfListingId", {
        required: true,
        path: "sourceDetails.pbfListingId",
      }) as string;
      if (!this.pbf.hasListing(listingId)) throw OciErrors.notFound(`pbf listing ${listingId}`);
      if (fields.image !== undefined)
        throw OciErrors.invalidParameter("image and sourceDetails are mutually exclusive");
    } else if (fields.image === undefined) {
      throw OciErrors.missingParameter("image");
    }
    const app = this.store.find(this.#apps(), applicationId, call.principal, "application");
    requireState(app, ["ACTIVE"], "create a function in");
    requireUniqueName(
      this.#fns(),
      call.principal.tenant,
      ["applicationId", applicationId],
      displayName,
      "A function",
    );
    const now = this.store.now();
    const id = this.store.newOcid("fnfunc");
    const image = fields.image as string | undefined;
    const wire: Json = {
      id,
      displayName,
      lifecycleState: "CREATING",
      applicationId,
      compartmentId: app.wire.compartmentId,
      ...(image === undefined
        ? { sourceDetails: source }
        : { image, imageDigest: fields.imageDigest ?? this.images.resolve(image) }),
      shape: app.wire.shape,
      memoryInMBs: fields.memoryInMBs,
      config: {},
      timeoutInSeconds: 30,
      provisionedConcurrencyConfig: { strategy: "NONE" },
      traceConfig: { isEnabled: false },
      freeformTags: {},
      definedTags: {},
      ...fields,
      timeCreated: this.store.iso(now),
      timeUpdated: this.store.iso(now),
    };
    if (image !== undefined) wire.imageDigest = fields.imageDigest ?? this.images.resolve(image);
    const fn = this.store.newResource(call.principal.tenant, wire, now);
    this.#settleLater(fn, "CreateFunction", now);
    this.#fns()[id] = fn;
    return ociResponse(call, 200, this.#functionView(call, fn), { etag: fn.etag });
  }

  private listFunctions(call: OciCall): EmulatorResponse {
    return this.#list(call, this.#fns(), "applicationId", (f) =>
      summaryOf(this.#functionView(call, f), [
        "config",
        "failureDestination",
        "successDestination",
        "detachedModeTimeoutInSeconds",
      ]),
    );
  }

  private updateFunction(call: OciCall): EmulatorResponse {
    const fn = this.store.find(this.#fns(), call.params.functionId ?? "", call.principal, "function");
    const body = jsonBody(call.request);
    onlyFields(body, functionMutable, "UpdateFunctionDetails");
    const fields = functionFields(body);
    this.store.checkIfMatch(call, fn);
    requireState(fn, ["ACTIVE", "INACTIVE", "FAILED"], "update");
    if (
      fn.wire.sourceDetails !== undefined &&
      (fields.image !== undefined || fields.imageDigest !== undefined)
    ) {
      throw OciErrors.invalidParameter("A pre-built function's image cannot be changed");
    }
    // A new image without a digest is re-resolved (oci-api.md §2.1, UpdateFunctionDetails): the tag's
    // digest now, which a re-push has changed.
    if (fields.image !== undefined && fields.imageDigest === undefined)
      fields.imageDigest = this.images.resolve(fields.image as string);
    this.#applyUpdate(fn, fields, "UpdateFunction");
    return ociResponse(call, 200, this.#functionView(call, fn), { etag: fn.etag });
  }

  private deleteFunction(call: OciCall): EmulatorResponse {
    const fn = this.store.find(this.#fns(), call.params.functionId ?? "", call.principal, "function");
    this.store.checkIfMatch(call, fn);
    requireState(fn, ["ACTIVE", "INACTIVE", "FAILED"], "delete");
    this.#scheduleDelete(fn);
    return ociResponse(call, 204);
  }

  /**
   * Invoke: the emulated function echoes its input. Sync calls answer 200 with the request body and its
   * content type; `fn-invoke-type: detached` answers 202 with no body; `is-dry-run: true` answers 200 with
   * no body.
   */
  private invokeFunction(call: OciCall): EmulatorResponse {
    const fn = this.store.find(this.#fns(), call.params.functionId ?? "", call.principal, "function");
    const { headers, body } = call.request;
    if (body.length > maxInvokeBodyBytes) throw OciErrors.payloadTooLarge(maxInvokeBodyBytes);
    const invokeType = headers["fn-invoke-type"] ?? "sync";
    if (invokeType !== "sync" && invokeType !== "detached") {
      throw OciErrors.invalidParameter(`fn-invoke-type must be sync or detached, got '${invokeType}'`);
    }
    const intent = headers["fn-intent"];
    if (intent !== undefined && intent !== "httprequest" && intent !== "cloudevent") {
      throw OciErrors.invalidParameter(`fn-intent must be httprequest or cloudevent, got '${intent}'`);
    }
    requireState(fn, ["ACTIVE"], "invoke");
    const callId = this.store.context.newId().toUpperCase();
    if (headers["is-dry-run"] === "true") return ociResponse(call, 200, undefined, { "fn-call-id": callId });
    if (invokeType === "detached") return ociResponse(call, 202, undefined, { "fn-call-id": callId });
    return ociResponse(call, 200, Buffer.from(body), {
      "fn-call-id": callId,
      "content-type": headers["content-type"] ?? "application/octet-stream",
    });
  }
}
