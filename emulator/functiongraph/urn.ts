import { functionNotFound } from "./errors";

/** A function reference resolved from a path parameter: which function, and which qualifier if any. */
export interface FunctionRef {
  readonly region: string;
  readonly projectId: string;
  readonly packageName: string;
  readonly functionName: string;
  /** `undefined` when the URN names the function itself (no version/alias). */
  readonly qualifier?: Qualifier;
}

/** A version (`latest` or a published name) or an alias (written `!name` in a URN). */
export type Qualifier =
  { readonly kind: "version"; readonly name: string } | { readonly kind: "alias"; readonly name: string };

/**
 * Parses every form FunctionGraph accepts where a function URN is expected (functiongraph-api.md §2):
 * `<name>`, `<package>:<name>`, `<project>:<package>:<name>`, `<project>:<package>:<name>:<ver|!alias>`,
 * the 7-field URN (the function) and the 8-field URN (`:latest`, `:<version>` or `:!<alias>`).
 * The project and region default to the request's; a URN naming another project is "not found".
 *
 * @throws EmulatorHttpError 404 `FSS.1051` when the text is not a function URN of this project.
 */
export function parseFunctionRef(text: string, region: string, projectId: string): FunctionRef {
  // Clients may send the URN raw (`:`) or percent-encoded (`%3A`); the pipeline decoded the path once.
  let raw = text;
  if (/%3a/i.test(raw)) raw = safeDecode(raw);
  const parts = raw.split(":");
  let ref: {
    region: string;
    projectId: string;
    packageName?: string;
    functionName?: string;
    qualifier?: string;
  };
  if (parts[0] === "urn") {
    if ((parts.length !== 7 && parts.length !== 8) || parts[1] !== "fss" || parts[4] !== "function") {
      throw functionNotFound(text);
    }
    ref = {
      region: parts[2] ?? "",
      projectId: parts[3] ?? "",
      packageName: parts[5],
      functionName: parts[6],
      qualifier: parts[7],
    };
  } else if (parts.length === 1) {
    ref = { region, projectId, packageName: "default", functionName: parts[0] };
  } else if (parts.length === 2) {
    ref = { region, projectId, packageName: parts[0], functionName: parts[1] };
  } else if (parts.length === 3 || parts.length === 4) {
    ref = {
      region,
      projectId: parts[0] ?? "",
      packageName: parts[1],
      functionName: parts[2],
      qualifier: parts[3],
    };
  } else {
    throw functionNotFound(text);
  }
  if (
    ref.region !== region ||
    ref.projectId !== projectId ||
    !ref.packageName ||
    !ref.functionName ||
    ref.qualifier === ""
  ) {
    throw functionNotFound(text);
  }
  let qualifier: Qualifier | undefined;
  if (ref.qualifier !== undefined) {
    qualifier = ref.qualifier.startsWith("!")
      ? { kind: "alias", name: ref.qualifier.slice(1) }
      : { kind: "version", name: ref.qualifier };
    if (qualifier.name === "") throw functionNotFound(text);
  }
  return {
    region: ref.region,
    projectId: ref.projectId,
    packageName: ref.packageName,
    functionName: ref.functionName,
    qualifier,
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The 7-field URN of a function: `urn:fss:<region>:<project>:function:<package>:<name>`. */
export function functionUrn(
  region: string,
  projectId: string,
  packageName: string,
  functionName: string,
): string {
  return `urn:fss:${region}:${projectId}:function:${packageName}:${functionName}`;
}

/** The store key of a function inside its project: `<package>:<name>`. */
export function functionKey(packageName: string, functionName: string): string {
  return `${packageName}:${functionName}`;
}
