/**
 * Regions on one port (issue 13). A real cloud answers each region on its own host
 * (`functions.us-phoenix-1.oci.oraclecloud.com`, oci-api.md §1); the emulator has one loopback origin, so
 * a region is named by a path prefix instead: `<origin>/regions/<region>/<api path>`. An endpoint
 * override such as `http://127.0.0.1:8080/regions/us-phoenix-1` (or fnstack's
 * `http://127.0.0.1:8080/regions/{region}` template) therefore carries its region.
 *
 * Each region gets its own service instance — its own store, OCIDs and URLs minted with that region —
 * created on first use; paths without the prefix keep going to the default region, as before. A
 * resource in one region is not found through another region's prefix, as in the real cloud.
 */
import type {
  DriftRequest,
  EmulatedService,
  EmulatorRequest,
  EmulatorResponse,
  Principal,
  RouteMatch,
} from "./service";

/** The path prefix that names a region. */
export const regionPathPrefix = "/regions/";

/** Splits `/regions/<region>/rest` into the region and `/rest`; undefined without the prefix. */
export function splitRegionPath(path: string): { region: string; rest: string } | undefined {
  if (!path.startsWith(regionPathPrefix)) return undefined;
  const tail = path.slice(regionPathPrefix.length);
  const slash = tail.indexOf("/");
  const region = slash < 0 ? tail : tail.slice(0, slash);
  return { region, rest: slash < 0 ? "/" : tail.slice(slash) };
}

/** Options of {@link regionalService}. */
export interface RegionalServiceOptions<S extends EmulatedService> {
  /** The region of paths without the prefix. */
  readonly defaultRegion: string;
  /** Which region names exist; a prefix naming anything else matches no route (404). */
  readonly isRegion: (region: string) => boolean;
  /** Builds the service of one region. */
  readonly create: (region: string) => S;
}

/** A service that keeps one instance per region; its own fields are the default region's. */
export type RegionalService<S extends EmulatedService> = S & {
  /** The instance of `region` (created on first use). */
  region(region: string): S;
  /** Regions with an instance, default first. */
  regions(): string[];
};

/**
 * Wraps per-region instances of a service behind one {@link EmulatedService}: requests under
 * `/regions/<region>/` go to that region's instance with the prefix stripped from `path` (the raw
 * target, which signatures cover, is left as sent) and the prefix added to `origin` (so URLs the
 * service hands out, such as `invokeEndpoint`, stay in the region). Credentials registered through the
 * control API are trusted in every region; drift, reset and `--state` reach every region.
 */
export function regionalService<S extends EmulatedService>(
  options: RegionalServiceOptions<S>,
): RegionalService<S> {
  const base = options.create(options.defaultRegion);
  const instances = new Map<string, S>([[options.defaultRegion, base]]);
  const registered: Readonly<Record<string, unknown>>[] = [];

  const instance = (region: string): S => {
    let found = instances.get(region);
    if (found === undefined) {
      found = options.create(region);
      for (const body of registered) found.registerCredentials(body);
      instances.set(region, found);
    }
    return found;
  };

  /** The instance and the request as it sees it. */
  const target = (request: EmulatorRequest): [S, EmulatorRequest] => {
    const split = splitRegionPath(request.path);
    if (split === undefined) return [base, request];
    const prefix = `${regionPathPrefix}${split.region}`;
    return [instance(split.region), { ...request, path: split.rest, origin: `${request.origin}${prefix}` }];
  };

  const wrapper: EmulatedService = {
    name: base.name,
    throttleCode: base.throttleCode,
    route(method: string, path: string): RouteMatch | undefined {
      const split = splitRegionPath(path);
      if (split === undefined) return base.route(method, path);
      if (!options.isRegion(split.region)) return undefined;
      return instance(split.region).route(method, split.rest);
    },
    authenticate(request: EmulatorRequest, match: RouteMatch): Principal {
      const [service, seen] = target(request);
      return service.authenticate(seen, match);
    },
    handle(request: EmulatorRequest, match: RouteMatch, principal: Principal): Promise<EmulatorResponse> {
      const [service, seen] = target(request);
      return service.handle(seen, match, principal);
    },
    errorResponse: (status, code, message, requestId) => base.errorResponse(status, code, message, requestId),
    drift(request: DriftRequest): boolean {
      return [...instances.values()].some((service) => service.drift(request));
    },
    registerCredentials(body: Readonly<Record<string, unknown>>): void {
      for (const service of instances.values()) service.registerCredentials(body);
      registered.push(body);
    },
    writeDevelopmentAccount: (dataDir: string, origin: string) =>
      base.writeDevelopmentAccount(dataDir, origin),
    reset(): void {
      for (const service of instances.values()) service.reset();
    },
    exportState(): unknown {
      const state = base.exportState();
      const regions: Record<string, unknown> = {};
      for (const [region, service] of instances) {
        if (service !== base) regions[region] = service.exportState();
      }
      if (Object.keys(regions).length === 0 || typeof state !== "object" || state === null) return state;
      return { ...state, regions };
    },
    importState(state: unknown): void {
      if (typeof state !== "object" || state === null) return;
      const { regions, ...own } = state as { regions?: unknown };
      base.importState(own);
      if (typeof regions !== "object" || regions === null) return;
      for (const [region, saved] of Object.entries(regions)) {
        if (options.isRegion(region)) instance(region).importState(saved);
      }
    },
  };

  // The default instance's own fields (e.g. `developmentAccount`) stay reachable through the wrapper.
  return new Proxy(wrapper, {
    get(target, key, receiver) {
      if (key === "region") return instance;
      if (key === "regions") return () => [...instances.keys()];
      if (Reflect.has(target, key)) return Reflect.get(target, key, receiver) as unknown;
      const value = Reflect.get(base, key) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(base) : value;
    },
  }) as RegionalService<S>;
}
