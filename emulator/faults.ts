import { type Random, seededRandom } from "./random";

/** A fault rule as `POST /_emulator/faults` accepts it. */
export interface FaultRuleInput {
  /** `oci` or `functiongraph`. */
  readonly service: string;
  /**
   * The operation it applies to (`GetFunction`, `CreateContainerInstance`...); every operation of the
   * service when absent. `WorkRequest:<operationType>` (e.g. `WorkRequest:CREATE_CONTAINER_INSTANCE`) makes
   * the next matching OCI work requests end FAILED (or CANCELED when `code` is `Canceled`) instead of
   * answering the HTTP request with an error; such rules only match when named explicitly.
   */
  readonly operation?: string;
  /**
   * Operations a service-wide rule (no `operation`) leaves alone, e.g. `["InvokeFunction"]` for a fault
   * mix that must not hit calls the client deliberately never repeats.
   */
  readonly exceptOperations?: readonly string[];
  /** HTTP status to answer with. Without it (and without `connectionReset`) the rule only adds latency. */
  readonly status?: number;
  /** The service's error code; default derived from the status. */
  readonly code?: string;
  /** The error message; default a text naming the fault. */
  readonly message?: string;
  /** Fire with this probability (0–1) on each matching request; default 1. */
  readonly probability?: number;
  /** Seed of the probability draw, so a run repeats. */
  readonly seed?: number;
  /** Fire on every n-th matching request only (the n-th, 2n-th...). Overrides `probability`. */
  readonly everyNth?: number;
  /** Fire at most this many times, then the rule is spent; default unlimited. */
  readonly times?: number;
  /** Wall-clock delay before answering (or before handling, for latency-only rules), in milliseconds. */
  readonly latencyMs?: number;
  /** Destroy the connection without answering. */
  readonly connectionReset?: boolean;
  /**
   * "Processed, answer lost": the request is authenticated and carried out as usual, then the connection
   * is destroyed instead of answering, so the client cannot tell whether its change happened (a proxy or
   * load balancer dropping the response). Takes precedence over `status` and `connectionReset`.
   */
  readonly answerLost?: boolean;
  /** Adds a `Retry-After` header with this many seconds to the error response. */
  readonly retryAfterSeconds?: number;
}

/** What a fired rule asks the pipeline to do. */
export interface FiredFault {
  readonly ruleId: string;
  readonly status?: number;
  readonly code?: string;
  readonly message?: string;
  readonly latencyMs: number;
  readonly connectionReset: boolean;
  readonly answerLost: boolean;
  readonly retryAfterSeconds?: number;
}

interface FaultRule extends FaultRuleInput {
  readonly id: string;
  matched: number;
  fired: number;
  readonly random: Random;
}

const workRequestPrefix = "WorkRequest:";

/** Validates a fault rule body; returns an error message or undefined. */
function invalidRule(body: Record<string, unknown>): string | undefined {
  if (typeof body.service !== "string" || body.service === "") return "`service` must be a non-empty string";
  if (body.operation !== undefined && typeof body.operation !== "string")
    return "`operation` must be a string";
  const except = body.exceptOperations;
  if (except !== undefined && (!Array.isArray(except) || except.some((o) => typeof o !== "string")))
    return "`exceptOperations` must be a list of operation names";
  const intIn = (key: string, min: number, max: number): string | undefined => {
    const v = body[key];
    if (v === undefined) return undefined;
    return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max
      ? undefined
      : `\`${key}\` must be an integer in [${min}, ${max}]`;
  };
  const p = body.probability;
  if (p !== undefined && (typeof p !== "number" || !(p >= 0 && p <= 1)))
    return "`probability` must be in [0, 1]";
  for (const key of ["code", "message"]) {
    if (body[key] !== undefined && typeof body[key] !== "string") return `\`${key}\` must be a string`;
  }
  for (const key of ["connectionReset", "answerLost"]) {
    if (body[key] !== undefined && typeof body[key] !== "boolean") return `\`${key}\` must be a boolean`;
  }
  return (
    intIn("status", 100, 599) ??
    intIn("seed", -(2 ** 31), 2 ** 32) ??
    intIn("everyNth", 1, 1e9) ??
    intIn("times", 0, 1e9) ??
    intIn("latencyMs", 0, 600_000) ??
    intIn("retryAfterSeconds", 0, 86_400)
  );
}

/** The set of active fault rules (control API `/_emulator/faults`). */
export class FaultRules {
  #rules: FaultRule[] = [];
  #nextId = 1;

  /** @param defaultSeed seed for rules that give none (the emulator's `seed` option); random when undefined. */
  constructor(private readonly defaultSeed?: number) {}

  /** Adds a rule; throws `TypeError` with a message for an invalid body. Returns its id. */
  add(body: Record<string, unknown>): string {
    const problem = invalidRule(body);
    if (problem !== undefined) throw new TypeError(problem);
    const input = body as unknown as FaultRuleInput;
    const id = `fault-${this.#nextId++}`;
    const seed = input.seed ?? this.defaultSeed;
    this.#rules.push({
      ...input,
      id,
      matched: 0,
      fired: 0,
      random: seed === undefined ? Math.random : seededRandom(seed),
    });
    return id;
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules = [];
  }

  /** The rules with their counters, for `GET /_emulator/faults`. */
  list(): object[] {
    return this.#rules.map(({ random: _random, ...rest }) => rest);
  }

  /**
   * Evaluates the rules against one request (or one synthetic `WorkRequest:` operation) and returns the
   * first that fires. Counters advance for every matching rule, fired or not.
   */
  evaluate(service: string, operation: string): FiredFault | undefined {
    const synthetic = operation.startsWith(workRequestPrefix);
    let fired: FiredFault | undefined;
    for (const rule of this.#rules) {
      if (rule.service !== service) continue;
      if (rule.operation === undefined ? synthetic : rule.operation !== operation) continue;
      if (rule.exceptOperations?.includes(operation) === true) continue;
      if (rule.times !== undefined && rule.fired >= rule.times) continue;
      rule.matched++;
      if (fired !== undefined) continue;
      const fires =
        rule.everyNth !== undefined
          ? rule.matched % rule.everyNth === 0
          : rule.probability === undefined || rule.random() < rule.probability;
      if (!fires) continue;
      rule.fired++;
      fired = {
        ruleId: rule.id,
        status: rule.status,
        code: rule.code,
        message: rule.message,
        latencyMs: rule.latencyMs ?? 0,
        connectionReset: rule.connectionReset === true && rule.answerLost !== true,
        answerLost: rule.answerLost === true,
        retryAfterSeconds: rule.retryAfterSeconds,
      };
    }
    return fired;
  }
}

/** A default error code for a fault status when the rule names none. */
export function defaultFaultCode(status: number, throttleCode: string): string {
  switch (status) {
    case 400:
      return "InvalidParameter";
    case 401:
      return "NotAuthenticated";
    case 404:
      return "NotAuthorizedOrNotFound";
    case 409:
      return "IncorrectState";
    case 429:
      return throttleCode;
    case 502:
      return "BadGateway";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "GatewayTimeout";
    default:
      return status >= 500 ? "InternalServerError" : "FaultInjected";
  }
}
