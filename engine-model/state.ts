/**
 * The stack's state, in the format of `pulumi stack export --show-secrets` (deployment version 3,
 * pulumi/pulumi `sdk/go/common/apitype/core.go` `DeploymentV3`, `ResourceV3`): so it can be read with
 * `jq`, diffed, or imported with `pulumi stack import`. Secrets are stored where they are in the value,
 * as `{"4dabf…": "1b47…", "plaintext": "<JSON>"}` (what `--show-secrets` exports; the engine model keeps
 * no secrets provider, so there is no `ciphertext`).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { type Props, isSecret, secret, secretSig, sigKey } from "./wire";

/** One resource of the deployment (`apitype.ResourceV3`, the fields the engine model uses). */
export interface ResourceV3 {
  readonly urn: string;
  readonly custom: boolean;
  /** Set when the resource is pending deletion (an old copy replaced create-before-delete). */
  delete?: boolean;
  id?: string;
  readonly type: string;
  /** Checked inputs, secrets as envelopes; in the file, as `plaintext` envelopes. */
  inputs?: Props;
  outputs?: Props;
  parent?: string;
  protect?: boolean;
  /** The provider reference `<provider urn>::<provider id>`. */
  provider?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  initErrors?: string[];
  additionalSecretOutputs?: string[];
  aliases?: string[];
  retainOnDelete?: boolean;
  deleteBeforeReplace?: boolean;
  ignoreChanges?: string[];
  replaceOnChanges?: string[];
  created?: string;
  modified?: string;
}

/** `apitype.DeploymentV3`. */
export interface DeploymentV3 {
  manifest: { time: string; magic: string; version: string };
  resources: ResourceV3[];
  pending_operations?: unknown[];
}

/** `apitype.UntypedDeployment` as `pulumi stack export` prints it. */
export interface StackExport {
  version: 3;
  deployment: DeploymentV3;
}

/** Reads a state file; an absent file is an empty stack. Secrets come back as in-memory envelopes. */
export function readState(path: string): DeploymentV3 {
  if (!existsSync(path)) return emptyDeployment();
  const parsed = JSON.parse(readFileSync(path, "utf8")) as StackExport;
  if (parsed.version !== 3) throw new Error(`${path}: deployment version ${String(parsed.version)} is not 3`);
  return fromFile(parsed.deployment) as DeploymentV3;
}

/** Writes a state file atomically (temporary file, then rename), as the local backend does. */
export function writeState(path: string, deployment: DeploymentV3, engineVersion: string): void {
  const exported: StackExport = {
    version: 3,
    deployment: {
      ...(toFile(deployment) as DeploymentV3),
      manifest: { time: new Date().toISOString(), magic: "", version: engineVersion },
    },
  };
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(exported, null, 4)}\n`);
  renameSync(temporary, path);
}

/** A deployment with no resources. */
export function emptyDeployment(): DeploymentV3 {
  return { manifest: { time: new Date().toISOString(), magic: "", version: "" }, resources: [] };
}

function toFile(value: unknown): unknown {
  if (isSecret(value)) return { [sigKey]: secretSig, plaintext: JSON.stringify(value.value) };
  if (Array.isArray(value)) return value.map(toFile);
  if (value !== null && typeof value === "object") {
    const out: Props = {};
    for (const [key, child] of Object.entries(value)) if (child !== undefined) out[key] = toFile(child);
    return out;
  }
  return value;
}

function fromFile(value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const object = value as Props;
    if (object[sigKey] === secretSig && typeof object.plaintext === "string") {
      return secret(JSON.parse(object.plaintext) as unknown);
    }
    const out: Props = {};
    for (const [key, child] of Object.entries(object)) out[key] = fromFile(child);
    return out;
  }
  if (Array.isArray(value)) return value.map(fromFile);
  return value;
}
