import type {
  DriftRequest,
  EmulatedService,
  EmulatorRequest,
  EmulatorResponse,
  Principal,
  RouteMatch,
  ServiceContext,
} from "../service";
import { type OciDevelopmentAccount, developmentRegion, writeOciDevelopmentAccount } from "./account";
import { OciKeyRegistry, verifyOciRequest } from "./auth";
import { ContainerInstancesApi } from "./container-instances";
import { OciErrors, ociErrorResponse } from "./errors";
import { FunctionsApi } from "./functions";
import { ImageRegistry } from "./image-registry";
import { handleOciControl } from "./control";
import { PbfCatalogue } from "./pbf";
import { ocidType } from "./ids";
import { matchOciRoute } from "./routes";
import { VnicsApi } from "./vnics";
import {
  type OciState,
  OciStore,
  type StoredResource,
  type WorkRequestFaultHook,
  emptyOciState,
} from "./store";

/** Options of the OCI service beyond the shared {@link ServiceContext}. */
export interface OciServiceOptions {
  /** Decides whether a new work request must fail (the server wires `WorkRequest:<type>` fault rules here). */
  readonly workRequestFault?: WorkRequestFaultHook;
  /** Wall clock for the signature skew check, in ms; default `Date.now`. */
  readonly wallClock?: () => number;
  /** The region this instance serves (its OCIDs name it); default the development region. */
  readonly region?: string;
  /** The trusted API keys, shared by the instances of every region (IAM is not regional). */
  readonly keys?: OciKeyRegistry;
}

/** The emulated OCI service: its {@link EmulatedService} plus the development account once written. */
export interface OciService extends EmulatedService {
  /** The development account; set by `writeDevelopmentAccount`. */
  readonly developmentAccount: OciDevelopmentAccount | undefined;
  /**
   * The OCI routes of the control API (`/_emulator/oci/…`, see docs/emulator.md): answers undefined for
   * a path it does not own.
   */
  control(
    method: string,
    path: string,
    body: Readonly<Record<string, unknown>>,
  ): EmulatorResponse | undefined;
}

/**
 * OCI Functions (`/20181201`), Container Instances (`/20210415`) and Work Requests (`/20160918`) behind one
 * store, one signature verifier and one error factory.
 */
export function createOciService(context: ServiceContext, options: OciServiceOptions = {}): OciService {
  const keys = options.keys ?? new OciKeyRegistry();
  const region = options.region ?? developmentRegion;
  const store = new OciStore(context, region, options.workRequestFault ?? (() => undefined));
  const pbf = new PbfCatalogue(region);
  const images = new ImageRegistry(store);
  const functions = new FunctionsApi(store, pbf, images);
  const vnics = new VnicsApi(store);
  const containerInstances = new ContainerInstancesApi(store, vnics);
  const operations = {
    ...functions.operations,
    ...pbf.operations,
    ...containerInstances.operations,
    ...vnics.operations,
  };
  const wallClock = options.wallClock ?? Date.now;
  let account: OciDevelopmentAccount | undefined;

  const tables = (): Record<string, StoredResource>[] => [
    store.state.applications,
    store.state.functions,
    store.state.containerInstances,
    store.state.containers,
    store.state.vnics,
  ];

  return {
    name: "oci",
    throttleCode: "TooManyRequests",
    get developmentAccount() {
      return account;
    },
    route(method: string, path: string): RouteMatch | undefined {
      return matchOciRoute(method, path);
    },
    authenticate(request: EmulatorRequest): Principal {
      return verifyOciRequest(request, keys, wallClock());
    },
    handle(request: EmulatorRequest, match: RouteMatch, principal: Principal): Promise<EmulatorResponse> {
      for (const [name, value] of Object.entries(match.params)) {
        if (ocidType(value) === undefined)
          throw OciErrors.invalidParameter(`${name} '${value}' is not a valid OCID`);
      }
      store.settleLifecycles();
      containerInstances.settle();
      const operation = operations[match.operation];
      if (operation === undefined) {
        throw OciErrors.notImplemented(match.operation);
      }
      return Promise.resolve(operation({ request, params: match.params, principal }));
    },
    errorResponse: ociErrorResponse,
    drift(request: DriftRequest): boolean {
      store.settleLifecycles();
      containerInstances.settle();
      for (const table of tables()) {
        const resource = table[request.resourceId];
        if (resource === undefined) continue;
        if (request.action === "delete") {
          delete table[request.resourceId];
        } else {
          Object.assign(resource.wire, request.patch ?? {}, { id: resource.id });
          resource.etag = store.newEtag();
        }
        return true;
      }
      return false;
    },
    control(method, path, body) {
      store.settleLifecycles();
      containerInstances.settle();
      return handleOciControl({ store, images }, method, path, body);
    },
    registerCredentials(body: Readonly<Record<string, unknown>>): void {
      keys.register(body);
    },
    async writeDevelopmentAccount(dataDir: string): Promise<void> {
      account = await writeOciDevelopmentAccount(dataDir);
      keys.add(account.apiKey);
    },
    reset(): void {
      store.state = emptyOciState();
      store.lifecycleFailures = [];
    },
    exportState(): unknown {
      return { ...store.state, registeredKeys: keys.exportRegistered() };
    },
    importState(state: unknown): void {
      if (typeof state !== "object" || state === null) return;
      const { registeredKeys, ...resources } = state as Partial<OciState> & { registeredKeys?: unknown };
      store.state = { ...emptyOciState(), ...resources };
      keys.importRegistered(registeredKeys);
    },
  };
}
