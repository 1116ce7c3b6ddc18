/**
 * The FunctionGraph side of per-resource connections (see ../connection.ts): a resource's `connection`
 * names a `clouds.yaml` cloud entry (the account), a region and a project; its record in state is the
 * region, the project id and the cloud entry's name. No secret is ever part of either.
 */
import type * as credentialsTypes from "../../sdk/functiongraph/auth/credentials";
import type * as sessionTypes from "../../sdk/functiongraph/session";
import { type ConnectionSpec, connectionOf } from "../connection";
import type { CallScope } from "../handler";
import type { Props } from "../handler";
import { stackConfig } from "../stack-config";

/**
 * Where a FunctionGraph resource lives, when not where the stack configuration says
 * (`opentelekomcloud:region`, `opentelekomcloud:projectId`/`projectName`, `opentelekomcloud:cloud`). A
 * plain, non-secret object: define it once and pass it to every resource of that project.
 *
 * ```ts
 * const teamB: functiongraph.ConnectionArgs = { cloud: "team-b" };
 * new functiongraph.Function("hello-b", { ...fnArgs, connection: teamB });
 * ```
 */
export interface FunctionGraphConnectionArgs {
  /**
   * Region name (`eu-de`). Without `projectId`/`projectName` the project is the region's own (named
   * after the region). Default: the cloud entry's, then the stack's. A change replaces the resource.
   */
  region?: string;
  /** Project id. Default: the cloud entry's, then the stack's. A change replaces the resource. */
  projectId?: string;
  /** Project name, looked up in IAM when no `projectId` is given (`eu-de_team-a`). */
  projectName?: string;
  /**
   * Cloud entry of `clouds.yaml` (+ `secure.yaml`) whose account this resource uses; its keys are read at
   * each call, never stored. Default: the stack's account. Renaming the entry is no change.
   */
  cloud?: string;
}

/** Where a FunctionGraph resource was created, as recorded in its `connection` output. */
export interface FunctionGraphConnectionRecord {
  readonly region: string;
  readonly projectId: string;
  /** The cloud entry named by the resource's `connection`, if any. */
  readonly cloud?: string;
}

const allowedKeys = ["region", "projectId", "projectName", "cloud"] as const;
const patterns: Readonly<Record<(typeof allowedKeys)[number], [RegExp, string]>> = {
  region: [/^[a-z0-9][a-z0-9_-]{0,63}$/, "must be a region name such as eu-de"],
  projectId: [/^[A-Za-z0-9_-]{1,64}$/, "must be a project id (letters, digits, '_' and '-')"],
  projectName: [/^[A-Za-z0-9_.-]{1,64}$/, "must be a project name such as eu-de_team-a"],
  cloud: [/^[^\r\n]{1,256}$/, "must be the name of a clouds.yaml cloud entry"],
};

function sessionModule(): typeof sessionTypes {
  return require("../../sdk/functiongraph/session") as typeof sessionTypes;
}

/** Region and project of a function URN (`urn:fss:<region>:<project>:function:...`). */
export function locationOfUrn(urn: unknown): { region: string; projectId: string } | undefined {
  if (typeof urn !== "string") return undefined;
  const match = /^urn:fss:([a-z0-9_-]+):([A-Za-z0-9_-]+):function:/.exec(urn);
  return match === null ? undefined : { region: match[1] as string, projectId: match[2] as string };
}

function asRecord(value: unknown): FunctionGraphConnectionRecord | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { region, projectId, cloud } = value as Props;
  if (typeof region !== "string" || typeof projectId !== "string") return undefined;
  return { region, projectId, ...(typeof cloud === "string" ? { cloud } : {}) };
}

/** The session settings of a connection (names only). */
function settingsOf(input: unknown): credentialsTypes.FunctionGraphConnectionSettings | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  const out: Record<string, string> = {};
  for (const key of allowedKeys) {
    const v = (input as Props)[key];
    if (typeof v === "string" && v.trim() !== "") out[key] = v.trim();
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

async function resolveRecord(
  settings: credentialsTypes.FunctionGraphConnectionSettings | undefined,
): Promise<FunctionGraphConnectionRecord> {
  const sources = { config: stackConfig(), ...(settings === undefined ? {} : { connection: settings }) };
  // The configuration usually names the project id: then `diff` needs no IAM call to know where a
  // resource points. Only a project known by name is looked up (once per process, cached by the session).
  const { resolveFunctionGraphCredentials } =
    require("../../sdk/functiongraph/auth/credentials") as typeof credentialsTypes;
  const credentials = await resolveFunctionGraphCredentials(sources);
  const projectId =
    credentials.projectId ?? (await sessionModule().resolveFunctionGraphSession(sources)).projectId;
  return {
    region: credentials.region,
    projectId,
    ...(settings?.cloud === undefined ? {} : { cloud: settings.cloud }),
  };
}

/** The FunctionGraph {@link ConnectionSpec}. */
export const functionGraphConnectionSpec: ConnectionSpec = {
  check(value) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return [
        { property: "connection", reason: "must be an object {region?, projectId?, projectName?, cloud?}" },
      ];
    }
    const failures: { property: string; reason: string }[] = [];
    for (const [key, v] of Object.entries(value as Props)) {
      const property = `connection.${key}`;
      const rule = (patterns as Record<string, [RegExp, string]>)[key];
      if (rule === undefined) {
        failures.push({ property, reason: `is not a connection setting (known: ${allowedKeys.join(", ")})` });
      } else if (v === undefined || v === null) {
        continue;
      } else if (typeof v !== "string" || !rule[0].test(v.trim())) {
        failures.push({ property, reason: rule[1] });
      }
    }
    return failures;
  },

  normalize(value) {
    const settings = settingsOf(value);
    return settings === undefined ? undefined : { ...settings };
  },

  async resolve(input) {
    return { ...(await resolveRecord(settingsOf(input))) };
  },

  recorded(outs) {
    const record = asRecord(outs.connection);
    return record === undefined ? undefined : { ...record };
  },

  async fallback(id, outs) {
    // Function URNs carry region and project: state from before connections still finds them.
    const location = locationOfUrn(id) ?? locationOfUrn(outs.funcUrn) ?? locationOfUrn(outs.functionUrn);
    return { ...(await resolveRecord(location)) };
  },

  sameLocation(a, b) {
    const x = asRecord(a);
    const y = asRecord(b);
    return x !== undefined && y !== undefined && x.region === y.region && x.projectId === y.projectId;
  },

  settings(record) {
    const r = asRecord(record);
    return r === undefined ? undefined : settingsOf(r);
  },
};

/**
 * The session settings of a handler call (the resource's recorded or requested region, project and
 * cloud entry), for `resolveFunctionGraphSession`'s `connection`; undefined outside a resource call.
 */
export function callConnection(
  call: CallScope | undefined,
): credentialsTypes.FunctionGraphConnectionSettings | undefined {
  return connectionOf(call) as credentialsTypes.FunctionGraphConnectionSettings | undefined;
}
