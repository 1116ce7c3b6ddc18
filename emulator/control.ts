import { isAdvanceable } from "./clock";
import type { EmulatorServer } from "./server";
import type { DriftRequest, EmulatedService, EmulatorResponse, Timing } from "./service";

/** Error body of the control API: `{error: "<message>"}`. */
function error(status: number, message: string): EmulatorResponse {
  return { status, body: { error: message } };
}

type Parsed =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly response: EmulatorResponse };

function parseObject(body: Buffer): Parsed {
  if (body.length === 0) return { ok: true, value: {} };
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return { ok: false, response: error(400, "body must be a JSON object") };
    }
    return { ok: true, value: parsed as Record<string, unknown> };
  } catch {
    return { ok: false, response: error(400, "body is not valid JSON") };
  }
}

const timingKeys: readonly (keyof Timing)[] = ["lifecycleMs", "workRequestMs", "triggerMs"];

/**
 * The control API under `/_emulator/` (loopback only; the server checks the peer address). See
 * docs/emulator.md for the reference.
 */
export function handleControlRequest(
  server: EmulatorServer,
  method: string,
  path: string,
  raw: Buffer,
): EmulatorResponse {
  const route = `${method} ${path.replace(/\/+$/, "")}`;
  const parsed = parseObject(raw);
  if (!parsed.ok) return parsed.response;
  const body = parsed.value;
  switch (route) {
    case "POST /_emulator/reset":
      server.reset();
      return { status: 204 };
    case "GET /_emulator/timing":
      return { status: 200, body: server.timing };
    case "PUT /_emulator/timing": {
      const next: Record<string, number> = { ...server.timing };
      for (const [key, value] of Object.entries(body)) {
        if (!timingKeys.includes(key as keyof Timing)) return error(400, `unknown timing \`${key}\``);
        if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
          return error(400, `\`${key}\` must be a number of milliseconds ≥ 0`);
        }
        next[key] = value;
      }
      server.timing = next as unknown as Timing;
      return { status: 200, body: server.timing };
    }
    case "GET /_emulator/faults":
      return { status: 200, body: { faults: server.faults.list() } };
    case "POST /_emulator/faults":
      try {
        return { status: 201, body: { id: server.faults.add(body) } };
      } catch (err) {
        return error(400, (err as Error).message);
      }
    case "DELETE /_emulator/faults":
      server.faults.clear();
      return { status: 204 };
    case "GET /_emulator/rate-limit":
      return { status: 200, body: server.rateLimiter.settings };
    case "PUT /_emulator/rate-limit": {
      const rps = body.requestsPerSecond;
      const burst = body.burst ?? rps;
      if (typeof rps !== "number" || !Number.isFinite(rps) || rps < 0) {
        return error(400, "`requestsPerSecond` must be a number ≥ 0 (0 turns limiting off)");
      }
      if (typeof burst !== "number" || !Number.isFinite(burst) || burst < 0)
        return error(400, "`burst` must be a number ≥ 0");
      server.rateLimiter.configure({ requestsPerSecond: rps, burst });
      return { status: 200, body: server.rateLimiter.settings };
    }
    case "POST /_emulator/drift": {
      const { action, resourceId, patch } = body;
      if (action !== "change" && action !== "delete")
        return error(400, '`action` must be "change" or "delete"');
      if (typeof resourceId !== "string" || resourceId === "")
        return error(400, "`resourceId` must be a non-empty string");
      if (patch !== undefined && (typeof patch !== "object" || patch === null || Array.isArray(patch))) {
        return error(400, "`patch` must be an object");
      }
      if (action === "change" && patch === undefined) return error(400, "`change` needs a `patch`");
      const request: DriftRequest = {
        action,
        resourceId,
        patch: patch as Record<string, unknown> | undefined,
      };
      for (const service of server.services) {
        if (service.drift(request)) {
          server.markDirty();
          return { status: 200, body: { service: service.name, resourceId, action } };
        }
      }
      return error(404, `no service holds a resource with id ${resourceId}`);
    }
    case "GET /_emulator/stats":
      return { status: 200, body: server.stats.snapshot() };
    case "GET /_emulator/requests":
      return { status: 200, body: { requests: server.stats.log() } };
    case "POST /_emulator/credentials": {
      const service = server.services.find((s) => s.name === body.service);
      if (service === undefined) return error(400, '`service` must be "oci" or "functiongraph"');
      try {
        service.registerCredentials(body);
      } catch (err) {
        return error(400, (err as Error).message);
      }
      server.markDirty();
      return { status: 204 };
    }
    case "POST /_emulator/clock/advance": {
      const ms = body.ms;
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)
        return error(400, "`ms` must be a number ≥ 0");
      if (!isAdvanceable(server.clock))
        return error(409, "the emulator runs on the wall clock; start it with a ManualClock");
      server.clock.advance(ms);
      return { status: 200, body: { now: new Date(server.clock.now()).toISOString() } };
    }
    case "GET /_emulator/clock":
      return {
        status: 200,
        body: { now: new Date(server.clock.now()).toISOString(), manual: isAdvanceable(server.clock) },
      };
    default: {
      // Cloud-specific routes (`/_emulator/oci/…`) belong to the service that owns them.
      if (path.startsWith("/_emulator/oci/")) {
        const oci = server.services.find((s) => s.name === "oci") as
          | (EmulatedService & {
              control?: (m: string, p: string, b: Record<string, unknown>) => EmulatorResponse | undefined;
            })
          | undefined;
        const answer = oci?.control?.(method, path, body);
        if (answer !== undefined) {
          server.markDirty();
          return answer;
        }
      }
      return error(404, `no control route ${route}`);
    }
  }
}
