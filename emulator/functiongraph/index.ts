import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import type {
  Clock,
  DriftRequest,
  EmulatedService,
  EmulatorRequest,
  EmulatorResponse,
  Principal,
  RouteMatch,
  ServiceContext,
} from "../service";
import type { OperationContext } from "./context";
import {
  createDependencyVersion,
  deleteDependencyVersion,
  listDependencies,
  listDependencyVersions,
  showDependencyVersion,
} from "./dependencies";
import {
  badRequest,
  functionGraphErrorResponse,
  gatewayForbidden,
  gatewayNoSuchApi,
  gatewayUnauthorized,
} from "./errors";
import * as aliases from "./aliases";
import * as fns from "./functions";
import * as reserved from "./reserved-instances";
import * as tags from "./tags";
import * as versions from "./versions";
import { createToken, listProjects } from "./iam";
import { IdentityStore, type Caller, developmentRegion, functionGraphDevelopmentAccount } from "./identity";
import { invokeFunction, invokeFunctionAsync } from "./invocations";
import { type FunctionState, type Json, type ProjectState, clone, isObject } from "./model";
import { matchRoute, unknownApiOperation } from "./routes";
import {
  createTrigger,
  deleteAllTriggers,
  deleteTrigger,
  listTriggers,
  showTrigger,
  updateTrigger,
} from "./triggers";
import { parseFunctionRef } from "./urn";

export { functionGraphDevelopmentAccount } from "./identity";

/** The development account as `RunningEmulator.functiongraph` reports it (minus the file path). */
export interface FunctionGraphDevelopmentAccount {
  readonly region: "eu-de";
  readonly projectId: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly userName: string;
  readonly password: string;
  readonly domainName: string;
}

/** The FunctionGraph service plus what the server reports about its development account. */
export interface FunctionGraphService extends EmulatedService {
  readonly developmentAccount: FunctionGraphDevelopmentAccount;
}

/** Options of {@link createFunctionGraphService}. */
export interface FunctionGraphServiceOptions {
  /**
   * The clock `X-Sdk-Date` is checked against (±15 min); default the wall clock, like the OCI verifier,
   * so a manual emulator clock can be advanced without invalidating signatures. Tests may pass their own.
   */
  readonly signatureClock?: Clock;
  /** The region this instance serves (URNs name it; projects of other regions are refused); default eu-de. */
  readonly region?: string;
  /** Accounts, keys and tokens, shared by the instances of every region (IAM is global to an account). */
  readonly identity?: IdentityStore;
}

const wallClock: Clock = { now: () => Date.now() };

type Handler = (ctx: OperationContext) => EmulatorResponse;

const handlers: Readonly<Record<string, Handler>> = {
  CreateFunction: fns.createFunction,
  ListFunctions: fns.listFunctions,
  ShowFunctionConfig: fns.showFunctionConfig,
  UpdateFunctionConfig: fns.updateFunctionConfig,
  ShowFunctionCode: fns.showFunctionCode,
  UpdateFunctionCode: fns.updateFunctionCode,
  UpdateFunctionMaxInstanceConfig: fns.updateMaxInstances,
  UpdateFunctionCollectState: fns.updateCollectState,
  DeleteFunction: fns.deleteFunction,
  UpdateFunctionReservedInstancesCount: reserved.updateReservedInstances,
  ListReservedInstanceConfigs: reserved.listReservedInstanceConfigs,
  CreateFunctionVersion: versions.publishVersion,
  ListFunctionVersions: versions.listVersions,
  CreateVersionAlias: aliases.createAlias,
  ListVersionAliases: aliases.listAliases,
  ShowVersionAlias: aliases.showAlias,
  UpdateVersionAlias: aliases.updateAlias,
  DeleteVersionAlias: aliases.deleteAlias,
  ShowFunctionTags: tags.showTags,
  CreateTags: tags.createTags,
  DeleteTags: tags.deleteTags,
  InvokeFunction: invokeFunction,
  AsyncInvokeFunction: invokeFunctionAsync,
  CreateFunctionTrigger: createTrigger,
  ListFunctionTriggers: listTriggers,
  BatchDeleteFunctionTriggers: deleteAllTriggers,
  ShowFunctionTrigger: showTrigger,
  UpdateTrigger: updateTrigger,
  DeleteFunctionTrigger: deleteTrigger,
  CreateDependencyVersion: createDependencyVersion,
  ListDependencies: listDependencies,
  ListDependencyVersion: listDependencyVersions,
  ShowDependencyVersion: showDependencyVersion,
  DeleteDependencyVersion: deleteDependencyVersion,
};

/** `Principal.subject` of IAM login requests, which carry no credentials. */
const anonymous = "anonymous";

/**
 * The emulated FunctionGraph v2 API (`/v2/{project_id}/fgs/...`, tags under `/v2/{project_id}/functions/`)
 * and its IAM (`/v3/auth/tokens`, `/v3/projects`), on the server's port. Requests are authenticated by
 * AK/SK signature or an IAM token this service issued; stores are keyed by project id.
 */
export function createFunctionGraphService(
  context: ServiceContext,
  options: FunctionGraphServiceOptions = {},
): FunctionGraphService {
  const identity = options.identity ?? new IdentityStore(context.clock, options.signatureClock ?? wallClock);
  const region = options.region ?? developmentRegion;
  let projects = new Map<string, ProjectState>();
  // Callers verified in `authenticate`, handed to `handle` for the same request.
  const callers = new WeakMap<EmulatorRequest, Caller>();

  const projectState = (projectId: string): ProjectState => {
    let state = projects.get(projectId);
    if (state === undefined) {
      state = { functions: [], dependencyVersions: [] };
      projects.set(projectId, state);
    }
    return state;
  };

  const dev = functionGraphDevelopmentAccount;

  return {
    name: "functiongraph",
    throttleCode: "FSS.0429",
    developmentAccount: {
      region: developmentRegion,
      projectId: dev.projectId,
      accessKey: dev.accessKey,
      secretKey: dev.secretKey,
      userName: dev.userName,
      password: dev.password,
      domainName: dev.domainName,
    },

    route(method: string, path: string): RouteMatch | undefined {
      return matchRoute(method, path);
    },

    authenticate(request: EmulatorRequest, match: RouteMatch): Principal {
      if (
        match.operation === unknownApiOperation ||
        match.operation === "KeystoneCreateUserTokenByPassword"
      ) {
        return { tenant: match.params["project_id"] ?? "iam", subject: anonymous };
      }
      const caller = identity.verify(request);
      if (match.operation === "KeystoneListProjects") {
        callers.set(request, caller);
        return { tenant: caller.account.project.id, subject: caller.subject };
      }
      const projectId = match.params["project_id"] ?? "";
      identity.requireProject(caller, projectId);
      requireProjectInRegion(caller, region);
      const headerProject = request.headers["x-project-id"];
      if (headerProject !== undefined && headerProject !== projectId) {
        throw gatewayUnauthorized(`X-Project-Id ${headerProject} does not match the project in the path`);
      }
      callers.set(request, caller);
      return { tenant: projectId, subject: caller.subject };
    },

    handle(request: EmulatorRequest, match: RouteMatch, principal: Principal): Promise<EmulatorResponse> {
      try {
        return Promise.resolve(dispatch(request, match, principal));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },

    errorResponse: functionGraphErrorResponse,

    drift(request: DriftRequest): boolean {
      for (const [projectId, state] of projects) {
        if (applyDrift(projectId, state, request)) return true;
      }
      return false;
    },

    registerCredentials(body: Readonly<Record<string, unknown>>): void {
      identity.register(body);
    },

    async writeDevelopmentAccount(dataDir: string, origin: string): Promise<void> {
      const clouds = {
        clouds: {
          fnstack: {
            profile: "otc",
            auth: {
              auth_url: `${origin}/v3`,
              username: dev.userName,
              password: dev.password,
              user_domain_name: dev.domainName,
              project_name: developmentRegion,
              project_id: dev.projectId,
            },
            region_name: developmentRegion,
            interface: "public",
            identity_api_version: 3,
            ak: dev.accessKey,
            sk: dev.secretKey,
          },
        },
      };
      await mkdir(dataDir, { recursive: true });
      const target = join(dataDir, "clouds.yaml");
      const temporary = `${target}.${process.pid}.tmp`;
      await writeFile(
        temporary,
        `# fnstack emulator development account for FunctionGraph (${origin})\n${stringify(clouds)}`,
        {
          mode: 0o600,
        },
      );
      await rename(temporary, target);
    },

    reset(): void {
      projects = new Map();
    },

    exportState(): unknown {
      return {
        projects: Object.fromEntries([...projects].map(([id, state]) => [id, clone(state)])),
        identity: identity.exportState(),
      };
    },

    importState(state: unknown): void {
      if (!isObject(state)) return;
      const saved = state["projects"];
      projects = new Map();
      if (isObject(saved)) {
        for (const [id, project] of Object.entries(saved)) {
          if (
            isObject(project) &&
            Array.isArray(project["functions"]) &&
            Array.isArray(project["dependencyVersions"])
          ) {
            projects.set(id, clone(project) as unknown as ProjectState);
          }
        }
      }
      identity.importState(state["identity"]);
    },
  };

  function dispatch(request: EmulatorRequest, match: RouteMatch, principal: Principal): EmulatorResponse {
    if (match.operation === unknownApiOperation) throw gatewayNoSuchApi(request.method, request.path);
    if (match.operation === "KeystoneCreateUserTokenByPassword") return createToken(identity, request);
    // `authenticate` saw this request object; verifying again (a pure check) covers a pipeline that copies it.
    const caller = callers.get(request) ?? identity.verify(request);
    if (match.operation === "KeystoneListProjects") return listProjects(caller, request);
    const handler = handlers[match.operation];
    if (handler === undefined) throw gatewayNoSuchApi(request.method, request.path);
    requireJsonContentType(request);
    const ctx: OperationContext = {
      request,
      params: match.params,
      project: projectState(principal.tenant),
      projectId: principal.tenant,
      projectName: caller.account.project.name,
      region,
      domain: { id: caller.account.domainId, name: caller.account.domainName },
      now: context.clock.now(),
      newId: () => context.newId(),
      timing: () => context.timing(),
    };
    const response = handler(ctx);
    return { ...response, headers: { "x-request-id": request.requestId, ...response.headers } };
  }

  function applyDrift(projectId: string, state: ProjectState, request: DriftRequest): boolean {
    const patch = request.patch ?? {};
    const id = request.resourceId;
    // Dependency versions: their id, or `<dep_id>/<version>`.
    const dep = state.dependencyVersions.find((d) => d.id === id || `${d.dep_id}/${d.version}` === id);
    if (dep) {
      if (request.action === "delete")
        state.dependencyVersions = state.dependencyVersions.filter((d) => d !== dep);
      else Object.assign(dep, pick(patch, ["description", "link", "runtime", "etag", "size", "file_name"]));
      return true;
    }
    // Triggers: their id, or `<urn>/<type>/<id>`.
    const triggerId = id.split("/").pop() ?? id;
    for (const fn of state.functions) {
      const trigger = fn.triggers.find((t) => t.trigger_id === triggerId);
      if (trigger) {
        if (request.action === "delete") fn.triggers = fn.triggers.filter((t) => t !== trigger);
        else {
          if (typeof patch["trigger_status"] === "string") trigger.trigger_status = patch["trigger_status"];
          if (isObject(patch["event_data"])) Object.assign(trigger.event_data, clone(patch["event_data"]));
        }
        return true;
      }
    }
    const [urnPart, sub] = id.includes("/")
      ? [id.slice(0, id.indexOf("/")), id.slice(id.indexOf("/") + 1)]
      : [id, undefined];
    let ref;
    try {
      ref = parseFunctionRef(urnPart, region, projectId);
    } catch {
      return false;
    }
    const fn = state.functions.find((f) => f.package === ref.packageName && f.func_name === ref.functionName);
    if (fn === undefined) return false;
    const qualifier =
      sub ??
      (ref.qualifier
        ? ref.qualifier.kind === "alias"
          ? `!${ref.qualifier.name}`
          : ref.qualifier.name
        : undefined);
    if (qualifier === undefined || qualifier === "latest") {
      if (request.action === "delete") state.functions = state.functions.filter((f) => f !== fn);
      else {
        driftFunction(fn, patch);
        fn.last_modified = context.clock.now();
      }
      return true;
    }
    const aliasName = qualifier.startsWith("!") ? qualifier.slice(1) : qualifier;
    const alias = fn.aliases.find((a) => a.name === aliasName);
    if (alias) {
      if (request.action === "delete") fn.aliases = fn.aliases.filter((a) => a !== alias);
      else
        Object.assign(
          alias,
          pick(patch, [
            "version",
            "description",
            "additional_version_weights",
            "additional_version_strategy",
          ]),
        );
      return true;
    }
    const version = fn.versions.find((v) => v.version === qualifier);
    if (version) {
      if (request.action === "delete") fn.versions = fn.versions.filter((v) => v !== version);
      else {
        if (typeof patch["description"] === "string") version.description = patch["description"];
        Object.assign(version.config, pick(patch, Object.keys(version.config)));
      }
      return true;
    }
    return false;
  }
}

/**
 * FunctionGraph bodies are JSON: a body sent with another declared media type is refused before it is
 * parsed (`application/json;charset=UTF-8` and no `Content-Type` at all are accepted).
 */
/**
 * A project belongs to one region: IAM names region projects after the region and sub-projects
 * `<region>_<name>` (functiongraph-api.md §IAM), and a region's gateway does not know other regions'
 * projects.
 */
function requireProjectInRegion(caller: Caller, region: string): void {
  const projectRegion = caller.account.project.name.split("_")[0];
  if (projectRegion !== region) {
    throw gatewayForbidden(
      `project ${caller.account.project.id} is in region ${projectRegion}, not ${region}`,
    );
  }
}

function requireJsonContentType(request: EmulatorRequest): void {
  const type = request.headers["content-type"];
  if (request.body.length === 0 || type === undefined || type === "") return;
  if (!/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(type.trim())) {
    throw badRequest(`Unsupported Content-Type ${type}; send application/json`);
  }
}

function pick(patch: Readonly<Record<string, unknown>>, keys: readonly string[]): Json {
  return Object.fromEntries(
    Object.entries(patch)
      .filter(([k]) => keys.includes(k))
      .map(([k, v]) => [k, clone(v)]),
  );
}

/**
 * Merges a wire-field patch into a function: config fields, code fields, `max_instance_num` (which is
 * `strategy_config.concurrency`, see functions.ts `buildConfig`).
 */
function driftFunction(fn: FunctionState, patch: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (key === "max_instance_num" && typeof value === "number") {
      const strategy = isObject(fn.config["strategy_config"]) ? fn.config["strategy_config"] : {};
      fn.config["strategy_config"] = { ...strategy, concurrency: value };
    } else if (key === "strategy_config" && isObject(value) && isObject(fn.config["strategy_config"])) {
      fn.config["strategy_config"] = { ...fn.config["strategy_config"], ...clone(value) };
    } else if (key === "depend_version_list" && Array.isArray(value))
      fn.code.depend_version_list = value.map(String);
    else if (
      ["code_type", "code_url", "code_filename", "digest"].includes(key) &&
      typeof value === "string"
    ) {
      (fn.code as unknown as Json)[key] = value;
    } else if (key === "code_size" && typeof value === "number") fn.code.code_size = value;
    else if (!["func_name", "package", "func_urn", "func_id", "version"].includes(key))
      fn.config[key] = clone(value);
  }
}
