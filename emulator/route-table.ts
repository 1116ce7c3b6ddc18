import type { RouteMatch } from "./service";

interface CompiledRoute {
  readonly method: string;
  readonly segments: readonly string[];
  readonly operation: string;
}

/**
 * A service's routes, each written `"<METHOD> <path template> <Operation>"` with `{param}` segments, e.g.
 * `"GET /20181201/functions/{functionId} GetFunction"`. Routes are tried in order; the first match wins.
 */
export class RouteTable {
  readonly #routes: readonly CompiledRoute[];

  constructor(lines: readonly string[]) {
    this.#routes = lines.map((line) => {
      const [method, template, operation, ...extra] = line.trim().split(/\s+/);
      if (method === undefined || template === undefined || operation === undefined || extra.length > 0) {
        throw new TypeError(`Expected a route as "<METHOD> <template> <Operation>", got "${line}"`);
      }
      return { method, segments: template.split("/").slice(1), operation };
    });
  }

  /**
   * Matches a method and the path's segments (the path split on `/` without the leading empty one);
   * undefined when no route owns them. A `{param}` segment matches any non-empty segment.
   */
  match(method: string, segments: readonly string[]): RouteMatch | undefined {
    for (const route of this.#routes) {
      if (route.method !== method || route.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = route.segments.every((want, i) => {
        const got = segments[i] ?? "";
        if (!want.startsWith("{")) return want === got;
        params[want.slice(1, -1)] = got;
        return got !== "";
      });
      if (matches) return { operation: route.operation, params };
    }
    return undefined;
  }
}
