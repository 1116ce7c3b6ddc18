/**
 * Pure logic of `oci:ContainerInstance`: validation, diff, request bodies and the normalisation that
 * keeps refresh free of false drift. No I/O.
 *
 * In place: the instance's displayName and tags, each container's displayName and tags, the
 * compartment (a move), the desired `state` (start/stop) and each VNIC's displayName, hostnameLabel,
 * nsgIds, skipSourceDestCheck and tags (Core UpdateVnic, as terraform-provider-oci does). Everything
 * else replaces the instance, since the API has no way to change it.
 */
import type {
  Container,
  ContainerInstance,
  CreateContainerInstanceDetails,
} from "../../sdk/oci/types/container-instances";
import type { UpdateVnicDetails, Vnic } from "../../sdk/oci/types/vnics";
import type { Props } from "../handler";
import { isUnknown } from "../inputs";
import {
  canonicalJson,
  compact,
  DiffCollector,
  type DiffOutcome,
  isPlain,
  keepOrder,
  managedDefinedTags,
  pick,
  sameJson,
  sameSet,
  tagsMatch,
  tagUpdates,
  timeoutsRule,
} from "./common";
import {
  array,
  bool,
  checkInputs,
  definedTags,
  type Failures,
  type Field,
  freeformTags,
  int,
  ipAddress,
  maxTotalBytes,
  num,
  obj,
  ocid,
  oneOf,
  type Rule,
  str,
  stringMap,
  union,
} from "./validate";

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const base64 = (max = 65_536): Rule =>
  str({ max, pattern: base64Pattern, describe: "must be base64 (A-Z, a-z, 0-9, +, / and = padding)" });

const healthCommon: Readonly<Record<string, Field>> = {
  name: { rule: str({ max: 255 }) },
  initialDelayInSeconds: { rule: int(0, 3600, " seconds") },
  intervalInSeconds: { rule: int(1, 3600, " seconds") },
  failureThreshold: { rule: int(1, 1000) },
  successThreshold: { rule: int(1, 1000) },
  timeoutInSeconds: { rule: int(1, 3600, " seconds") },
  failureAction: { rule: oneOf(["KILL", "NONE"]) },
};
const port = { rule: int(1, 65535), required: true };

const linuxSecurityContext = union("securityContextType", {
  LINUX: {
    runAsUser: { rule: int(0, 65535) },
    runAsGroup: { rule: int(0, 65535) },
    isNonRootUserCheckEnabled: { rule: bool },
    isRootFileSystemReadonly: { rule: bool },
    capabilities: {
      rule: obj({
        addCapabilities: { rule: array(str({ max: 64 })) },
        dropCapabilities: { rule: array(str({ max: 64 })) },
      }),
    },
  },
});

/** A container's security context; runAsUser "must be provided if runAsGroup is provided" (CreateLinuxSecurityContextDetails). */
const containerSecurityContext: Rule = (value, path, failures) => {
  linuxSecurityContext(value, path, failures);
  if (!isPlain(value)) return;
  const given = (v: unknown): boolean => v !== undefined && v !== null;
  if (given(value.runAsGroup) && !given(value.runAsUser))
    failures.push({ property: `${path}.runAsUser`, reason: "is required when runAsGroup is given" });
};

/** The inputs of one container. */
export const containerFields: Readonly<Record<string, Field>> = {
  imageUrl: {
    rule: str({
      max: 1024,
      pattern: /^[^\s]+$/,
      describe: "must be an image reference without spaces, e.g. docker.io/library/nginx:1.27",
    }),
    required: true,
  },
  displayName: { rule: str({ max: 255 }) },
  command: { rule: array(str({ min: 1, max: 65_536 }), { max: 255 }) },
  // "The total size of all arguments combined must be 64 KB or smaller" (CreateContainerDetails).
  arguments: {
    rule: maxTotalBytes(
      array(str({ min: 0, max: 65_536 }), { max: 255 }),
      65_536,
      "arguments (64 KB at most)",
    ),
  },
  workingDirectory: { rule: str({ max: 1024 }) },
  environmentVariables: {
    rule: stringMap({
      keyPattern: /^[A-Za-z_][A-Za-z0-9_.-]*$/,
      keyRule: "must be an environment variable name",
      maxTotalBytes: 65_536,
    }),
  },
  volumeMounts: {
    rule: array(
      obj({
        mountPath: {
          rule: str({ max: 1024, pattern: /^\//, describe: "must be an absolute path" }),
          required: true,
        },
        volumeName: { rule: str({ max: 255 }), required: true },
        subPath: { rule: str({ max: 1024 }) },
        isReadOnly: { rule: bool },
        partition: { rule: int(0, 128) },
      }),
      { max: 64 },
    ),
  },
  isResourcePrincipalDisabled: { rule: bool },
  resourceConfig: {
    rule: obj({
      vcpusLimit: { rule: num(0, 128, " vCPUs") },
      memoryLimitInGBs: { rule: num(0, 1024, " GB") },
    }),
  },
  healthChecks: {
    rule: array(
      union("healthCheckType", {
        HTTP: {
          ...healthCommon,
          port,
          path: { rule: str({ max: 1024, pattern: /^\//, describe: "must start with /" }), required: true },
          headers: {
            rule: array(
              obj({
                name: { rule: str(), required: true },
                value: { rule: str({ min: 0, max: 4096 }), required: true },
              }),
            ),
          },
        },
        TCP: { ...healthCommon, port },
      }),
      { max: 16 },
    ),
  },
  securityContext: { rule: containerSecurityContext },
  freeformTags: { rule: freeformTags },
  definedTags: { rule: definedTags },
};

const vnicFields: Readonly<Record<string, Field>> = {
  subnetId: { rule: ocid("subnet"), required: true },
  displayName: { rule: str({ max: 255 }) },
  // "comply with RFC 952 and RFC 1123" (Core VNIC hostnameLabel): no '-' at either end.
  hostnameLabel: {
    rule: str({
      max: 63,
      pattern: /^[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?$/,
      describe: "must be a DNS label: a letter, then letters, digits or '-', not ending with '-'",
    }),
  },
  isPublicIpAssigned: { rule: bool },
  skipSourceDestCheck: { rule: bool },
  nsgIds: { rule: array(ocid("networksecuritygroup"), { max: 5, unique: true }) },
  privateIp: { rule: ipAddress() },
  freeformTags: { rule: freeformTags },
  definedTags: { rule: definedTags },
  // An output, accepted back as an input as it always was; never sent.
  vnicId: { rule: str() },
};

/** VNIC inputs (what CreateContainerVnicDetails takes). */
const vnicInputKeys = Object.keys(vnicFields).filter((k) => k !== "vnicId");

/** Volume names, as CreateContainerInstance accepts them (no spaces; letters, digits, `_`, `.`, `-`). */
const volumeName = str({
  max: 255,
  pattern: /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
  describe: "must start with a letter or digit and hold only letters, digits, '_', '.' and '-'",
});

const volumeRule = union("volumeType", {
  EMPTYDIR: {
    name: { rule: volumeName, required: true },
    backingStore: { rule: oneOf(["EPHEMERAL_STORAGE", "MEMORY"]) },
  },
  CONFIGFILE: {
    name: { rule: volumeName, required: true },
    configs: {
      rule: array(
        obj({
          fileName: { rule: str(), required: true },
          data: { rule: base64(1_048_576), required: true },
          // "Relative path for this file inside the volume mount directory" (ContainerConfigFile).
          path: {
            rule: str({ max: 1024, pattern: /^[^/]/, describe: "must be a relative path (no leading '/')" }),
          },
        }),
      ),
    },
  },
  OCI_FSS_FILE_SYSTEM: {
    name: { rule: volumeName, required: true },
    mountTarget: {
      rule: obj({
        ociFssMountTargetType: { rule: oneOf(["OCID"]), required: true },
        id: { rule: ocid("mounttarget"), required: true },
      }),
      required: true,
    },
    export: {
      rule: obj({
        ociFssExportType: { rule: oneOf(["OCID"]), required: true },
        id: { rule: ocid("export"), required: true },
      }),
      required: true,
    },
    security: {
      rule: obj({ auth: { rule: oneOf(["SYS"]), required: true }, isEncryptedInTransit: { rule: bool } }),
    },
    mountCommand: {
      rule: obj({
        mountOptions: {
          rule: array(obj({ option: { rule: str(), required: true }, value: { rule: str() } })),
        },
      }),
    },
    subnetId: { rule: ocid("subnet") },
  },
});

/** The inputs of `oci:ContainerInstance`, by name. */
export const containerInstanceFields: Readonly<Record<string, Field>> = {
  compartmentId: { rule: ocid("compartment", "tenancy"), required: true },
  availabilityDomain: {
    rule: str({ pattern: /^[A-Za-z0-9]+:[A-Za-z0-9-]+$/, describe: "must look like Uocm:PHX-AD-1" }),
    required: true,
  },
  shape: {
    rule: str({
      pattern: /^CI\.[A-Za-z0-9.]+$/,
      describe: "must be a container instance shape such as CI.Standard.E4.Flex",
    }),
    required: true,
  },
  shapeConfig: {
    rule: obj({
      ocpus: { rule: num(1, 128, " OCPUs"), required: true },
      memoryInGBs: { rule: num(1, 1024, " GB") },
    }),
    required: true,
  },
  containers: {
    rule: array(
      obj(containerFields, () => {}),
      { min: 1, max: 10 },
    ),
    required: true,
  },
  vnics: { rule: array(obj(vnicFields), { min: 1, max: 1 }), required: true },
  displayName: { rule: str({ max: 255 }) },
  faultDomain: {
    rule: str({ pattern: /^FAULT-DOMAIN-[1-3]$/, describe: "must be FAULT-DOMAIN-1, -2 or -3" }),
  },
  volumes: { rule: array(volumeRule, { max: 32 }) },
  dnsConfig: {
    rule: obj({
      // "either an IPv4 address (in dot notation), or an IPv6 address" (CreateContainerDnsConfigDetails).
      nameservers: { rule: array(ipAddress({ v6: true }), { max: 3 }) },
      searches: { rule: array(str({ max: 255 }), { max: 6 }) },
      options: { rule: array(str({ max: 255 })) },
    }),
  },
  gracefulShutdownTimeoutInSeconds: { rule: int(0, 300, " seconds") },
  imagePullSecrets: {
    rule: array(
      union("secretType", {
        BASIC: {
          registryEndpoint: { rule: str(), required: true },
          username: { rule: base64(), required: true },
          password: { rule: base64(), required: true },
        },
        VAULT: {
          registryEndpoint: { rule: str(), required: true },
          secretId: { rule: ocid("vaultsecret"), required: true },
        },
      }),
      { max: 16 },
    ),
  },
  containerRestartPolicy: { rule: oneOf(["ALWAYS", "NEVER", "ON_FAILURE"]) },
  securityContext: {
    rule: union("securityContextType", {
      LINUX: {
        fsGroup: { rule: int(0, 65535) },
        fsGroupChangePolicy: { rule: oneOf(["ALWAYS", "ON_ROOT_MISMATCH"]) },
      },
    }),
  },
  freeformTags: { rule: freeformTags },
  definedTags: { rule: definedTags },
  state: { rule: oneOf(["ACTIVE", "INACTIVE"]) },
  timeouts: { rule: timeoutsRule },
  adoptId: { rule: ocid("computecontainerinstance") },
};

/** Input names of `oci:ContainerInstance`. */
export const containerInstanceInputKeys: readonly string[] = Object.keys(containerInstanceFields);

const createKeys = [
  "compartmentId",
  "availabilityDomain",
  "shape",
  "shapeConfig",
  "containers",
  "vnics",
  "displayName",
  "faultDomain",
  "volumes",
  "dnsConfig",
  "gracefulShutdownTimeoutInSeconds",
  "imagePullSecrets",
  "containerRestartPolicy",
  "securityContext",
  "freeformTags",
  "definedTags",
] as const;

/** Memory a flexible shape allows per OCPU, in GB (ListContainerInstanceShapes `memoryOptions`). */
const memoryPerOcpuInGBs = { min: 1, max: 64 };

/**
 * Rules that tie fields together, as CreateContainerInstance enforces them: memory per OCPU within the
 * shape's bounds, and each container's resource limits within the instance's shape.
 */
function checkResourceBounds(news: Props, failures: Failures): void {
  const sc = news.shapeConfig;
  if (!isPlain(sc) || typeof sc.ocpus !== "number") return;
  const ocpus = sc.ocpus;
  const memory = typeof sc.memoryInGBs === "number" ? sc.memoryInGBs : undefined;
  if (
    memory !== undefined &&
    (memory > ocpus * memoryPerOcpuInGBs.max || memory < ocpus * memoryPerOcpuInGBs.min)
  )
    failures.push({
      property: "shapeConfig.memoryInGBs",
      reason: `must be between ${memoryPerOcpuInGBs.min} and ${memoryPerOcpuInGBs.max} GB per OCPU (${ocpus * memoryPerOcpuInGBs.min}–${ocpus * memoryPerOcpuInGBs.max} GB for ${ocpus} OCPUs), got ${memory}`,
    });
  if (!Array.isArray(news.containers)) return;
  news.containers.forEach((c, i) => {
    const rc = isPlain(c) ? c.resourceConfig : undefined;
    if (!isPlain(rc)) return;
    if (typeof rc.vcpusLimit === "number" && rc.vcpusLimit > ocpus)
      failures.push({
        property: `containers[${i}].resourceConfig.vcpusLimit`,
        reason: `must be at most the instance's shapeConfig.ocpus (${ocpus}), got ${rc.vcpusLimit}`,
      });
    if (memory !== undefined && typeof rc.memoryLimitInGBs === "number" && rc.memoryLimitInGBs > memory)
      failures.push({
        property: `containers[${i}].resourceConfig.memoryLimitInGBs`,
        reason: `must be at most the instance's shapeConfig.memoryInGBs (${memory}), got ${rc.memoryLimitInGBs}`,
      });
  });
}

/** A CONFIGFILE volume's files: "The fileName should be unique across the volume" (ContainerConfigFile). */
function checkConfigFileNames(volume: unknown, path: string, failures: Failures): void {
  if (!isPlain(volume) || volume.volumeType !== "CONFIGFILE" || !Array.isArray(volume.configs)) return;
  const seen = new Set<string>();
  volume.configs.forEach((file, j) => {
    if (
      !isPlain(file) ||
      typeof file.fileName !== "string" ||
      isUnknown(file.fileName) ||
      isUnknown(file.path)
    )
      return;
    const where = `${typeof file.path === "string" ? file.path : ""}/${file.fileName}`;
    if (seen.has(where))
      failures.push({
        property: `${path}.configs[${j}].fileName`,
        reason: `repeats file ${JSON.stringify(file.fileName)}; file names must be unique in the volume`,
      });
    seen.add(where);
  });
}

/** Validates inputs, including that every volume mount names a declared volume. */
export function checkContainerInstance(news: Props): Failures {
  const failures = checkInputs(news, containerInstanceFields);
  checkResourceBounds(news, failures);
  const volumes = Array.isArray(news.volumes) ? news.volumes : [];
  if (!isUnknown(news.volumes)) {
    const names = new Set<string>();
    volumes.forEach((v, i) => {
      const name = isPlain(v) ? v.name : undefined;
      if (typeof name !== "string") return;
      if (names.has(name))
        failures.push({
          property: `volumes[${i}].name`,
          reason: `repeats volume name ${JSON.stringify(name)}; names must be unique`,
        });
      names.add(name);
      checkConfigFileNames(v, `volumes[${i}]`, failures);
    });
    if (Array.isArray(news.containers)) {
      news.containers.forEach((c, i) => {
        const mounts = isPlain(c) && Array.isArray(c.volumeMounts) ? c.volumeMounts : [];
        mounts.forEach((m, j) => {
          const name = isPlain(m) ? m.volumeName : undefined;
          if (typeof name === "string" && !isUnknown(name) && !names.has(name)) {
            failures.push({
              property: `containers[${i}].volumeMounts[${j}].volumeName`,
              reason: `names no volume in volumes (declared: ${[...names].join(", ") || "none"})`,
            });
          }
        });
      });
    }
  }
  return failures;
}

/** The CreateContainerInstance body for checked inputs (output-only fields such as `vnicId` stripped). */
export function createContainerInstanceDetails(inputs: Props): CreateContainerInstanceDetails {
  const body = compact(pick(inputs, createKeys));
  body.containers = (inputs.containers as Props[]).map((c) => compact(pick(c, Object.keys(containerFields))));
  body.vnics = (inputs.vnics as Props[]).map((v) => compact(pick(v, vnicInputKeys)));
  return body as unknown as CreateContainerInstanceDetails;
}

/** Canonical form of a container image reference: registry and tag made explicit. */
export function canonicalImageUrl(imageUrl: string): string {
  let ref = imageUrl;
  const firstSlash = ref.indexOf("/");
  const first = firstSlash < 0 ? "" : ref.slice(0, firstSlash);
  const hasRegistry =
    firstSlash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  if (!hasRegistry) ref = `docker.io/${ref.includes("/") ? ref : `library/${ref}`}`;
  const lastSegment = ref.slice(ref.lastIndexOf("/") + 1);
  if (!lastSegment.includes(":") && !lastSegment.includes("@")) ref = `${ref}:latest`;
  return ref;
}

const containerInPlace = ["displayName", "freeformTags", "definedTags"];

function sameImage(a: unknown, b: unknown): boolean {
  return typeof a === "string" && typeof b === "string" && canonicalImageUrl(a) === canonicalImageUrl(b);
}

/** A value the API reports for a field nobody set: absent, false, zero-length. */
function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlain(value)) return Object.values(value).every(isEmptyValue);
  return false;
}

/**
 * True when the object the user wrote (`wanted`) is what the cloud holds: every written field equal,
 * and every other field the cloud holds empty (a default). So a key the user removed, or one added
 * behind Pulumi's back, is a change, while the API's own defaults are not.
 */
export function fieldsMatch(wanted: unknown, held: unknown): boolean {
  if (!isPlain(wanted) || !isPlain(held)) return subsetMatch(wanted, held);
  if (!subsetMatch(wanted, held)) return false;
  return Object.entries(held).every(
    ([k, v]) => (wanted[k] !== undefined && wanted[k] !== null) || isEmptyValue(v),
  );
}

/** Environment variables: exactly the map written (left out means none), so a removed variable is a change. */
function sameEnvironment(wanted: unknown, held: unknown): boolean {
  return sameJson(wanted ?? {}, held ?? {});
}

/**
 * Compares the cloud's instance (`olds`, the outputs) with the inputs. Replaces unless only the
 * in-place fields differ. Optional fields left out are whatever the cloud holds; tags and environment
 * variables left out mean none; a key removed from a map the user writes (environment, `dnsConfig`,
 * `securityContext`) is a change. Deletes before replacing when a VNIC pins a private IP or hostname
 * label in the same subnet, which two instances cannot hold at once.
 */
export function diffContainerInstance(olds: Props, news: Props): DiffOutcome {
  const d = new DiffCollector();
  d.replaceIfFailed(olds);
  d.compare("displayName", news.displayName, olds.displayName, false);
  d.compareTags(olds, news);
  d.compare("compartmentId", news.compartmentId, olds.compartmentId, false);
  d.compare("state", news.state, olds.state, false);
  d.compare(
    "availabilityDomain",
    news.availabilityDomain,
    olds.availabilityDomain,
    true,
    (a, b) => String(a).toLowerCase() === String(b).toLowerCase(),
  );
  d.compare("shapeConfig", news.shapeConfig, olds.shapeConfig, true, (a, b) => subsetMatch(a, b));
  for (const key of [
    "shape",
    "faultDomain",
    "gracefulShutdownTimeoutInSeconds",
    "containerRestartPolicy",
    "volumes",
    "imagePullSecrets",
  ]) {
    d.compare(key, news[key], olds[key], true, (a, b) => subsetMatch(a, b));
  }
  for (const key of ["dnsConfig", "securityContext"]) d.compare(key, news[key], olds[key], true, fieldsMatch);
  diffVnics(d, olds.vnics, news.vnics);
  diffContainers(d, olds.containers, news.containers);
  return d.result(d.replaces.length > 0 && pinsVnicAddress(olds.vnics, news.vnics));
}

/** True when a wanted VNIC pins a private IP or hostname label in the subnet its held VNIC is in. */
function pinsVnicAddress(held: unknown, wanted: unknown): boolean {
  if (!Array.isArray(wanted)) return false;
  const h = Array.isArray(held) ? held : [];
  return wanted.some((w, i) => {
    if (!isPlain(w)) return false;
    const pinned = [w.privateIp, w.hostnameLabel].some((v) => v !== undefined && v !== null);
    const hv = h[i];
    const sameSubnet =
      isUnknown(w.subnetId) || !isPlain(hv) || hv.subnetId === undefined || hv.subnetId === w.subnetId;
    return pinned && sameSubnet;
  });
}

/** VNIC fields only a replacement can change. */
const vnicReplaceKeys = ["subnetId", "privateIp", "isPublicIpAssigned"];
/** VNIC fields UpdateVnic changes; left out, they are whatever the cloud holds. */
const vnicSettingKeys = ["displayName", "hostnameLabel", "skipSourceDestCheck"];

function diffVnics(d: DiffCollector, held: unknown, wanted: unknown): void {
  if (wanted === undefined) return;
  if (isUnknown(wanted) && !Array.isArray(wanted)) return d.change("vnics", true);
  const w = wanted as unknown[];
  const h = Array.isArray(held) ? held : [];
  if (w.length !== h.length) return d.change("vnics", true);
  w.forEach((v, i) => {
    const hv = isPlain(h[i]) ? (h[i] as Props) : {};
    if (!isPlain(v)) return d.change("vnics", true);
    for (const key of vnicReplaceKeys) d.compare("vnics", v[key], hv[key], true);
    if (vnicChanges(hv, v) !== undefined) d.change("vnics", false);
  });
}

/** The UpdateVnic body that brings the held VNIC to the wanted one, or undefined when none is needed. */
function vnicChanges(held: Props, wanted: Props): UpdateVnicDetails | undefined {
  const out: Record<string, unknown> = {};
  for (const key of vnicSettingKeys) {
    const value = wanted[key];
    if (value !== undefined && value !== null && (isUnknown(value) || !sameJson(value, held[key])))
      out[key] = value;
  }
  // nsgIds left out mean none, like an application's networkSecurityGroupIds.
  if (isUnknown(wanted.nsgIds) || !sameSet(wanted.nsgIds ?? [], held.nsgIds ?? []))
    out.nsgIds = wanted.nsgIds ?? [];
  Object.assign(out, tagUpdates(held, wanted));
  return Object.keys(out).length > 0 ? (out as UpdateVnicDetails) : undefined;
}

function diffContainers(d: DiffCollector, held: unknown, wanted: unknown): void {
  if (wanted === undefined) return;
  if (isUnknown(wanted) && !Array.isArray(wanted)) return d.change("containers", true);
  const w = wanted as unknown[];
  const h = Array.isArray(held) ? held : [];
  if (w.length !== h.length) return d.change("containers", true);
  w.forEach((c, i) => {
    const hc = isPlain(h[i]) ? (h[i] as Props) : {};
    if (!isPlain(c)) return d.change("containers", true);
    for (const [key, value] of Object.entries(c)) {
      if (value === undefined || value === null || key === "containerId") continue;
      if (key === "freeformTags" || key === "definedTags" || key === "environmentVariables") continue;
      const eq = key === "imageUrl" ? sameImage : key === "securityContext" ? fieldsMatch : subsetMatch;
      if (isUnknown(value) || !eq(value, hc[key])) d.change("containers", !containerInPlace.includes(key));
    }
    if (
      isUnknown(c.environmentVariables) ||
      !sameEnvironment(c.environmentVariables, hc.environmentVariables)
    )
      d.change("containers", true);
    if (!sameJson(c.freeformTags ?? {}, hc.freeformTags ?? {}) || !tagsMatch(hc, c))
      d.change("containers", false);
  });
}

/** True when every field the user wrote (`wanted`) equals the cloud's (`held`); lists compared item by item. */
export function subsetMatch(wanted: unknown, held: unknown): boolean {
  if (wanted === undefined || wanted === null) return true;
  if (Array.isArray(wanted)) return listMatch(wanted, held, subsetMatch);
  if (isPlain(wanted)) {
    if (!isPlain(held)) return false;
    return Object.entries(wanted).every(([k, v]) => subsetMatch(v, held[k]));
  }
  return canonicalJson(wanted) === canonicalJson(held);
}

function listMatch(wanted: unknown, held: unknown, item: (a: unknown, b: unknown) => boolean): boolean {
  if (!Array.isArray(wanted)) return subsetMatch(wanted, held);
  const h = Array.isArray(held) ? held : [];
  return wanted.length === h.length && wanted.every((w, i) => item(w, h[i]));
}

/** What an update must do, derived from the diff's in-place fields. */
export interface ContainerInstanceChanges {
  /** The compartment to move to, if it changes. */
  readonly compartmentId?: string;
  /** UpdateContainerInstance body, if display name or tags change. */
  readonly instance?: {
    displayName?: string;
    freeformTags?: Record<string, string>;
    definedTags?: Record<string, Record<string, unknown>>;
  };
  /** UpdateContainer bodies, by container id. */
  readonly containers: {
    containerId: string;
    details: {
      displayName?: string;
      freeformTags?: Record<string, string>;
      definedTags?: Record<string, Record<string, unknown>>;
    };
  }[];
  /** UpdateVnic bodies, by VNIC id. */
  readonly vnics: { vnicId: string; details: UpdateVnicDetails }[];
  /** Start or stop. */
  readonly state?: "ACTIVE" | "INACTIVE";
}

/** The in-place changes between the outputs and the inputs. */
export function containerInstanceChanges(olds: Props, news: Props): ContainerInstanceChanges {
  const compartmentId =
    typeof news.compartmentId === "string" && news.compartmentId !== olds.compartmentId
      ? news.compartmentId
      : undefined;
  const instance = tagAndNameChanges(olds, news);
  const heldContainers = Array.isArray(olds.containers) ? (olds.containers as Props[]) : [];
  const containers: ContainerInstanceChanges["containers"] = [];
  (Array.isArray(news.containers) ? (news.containers as Props[]) : []).forEach((c, i) => {
    const hc = heldContainers[i];
    if (hc === undefined || typeof hc.containerId !== "string") return;
    const details = tagAndNameChanges(hc, c);
    if (details !== undefined) containers.push({ containerId: hc.containerId, details });
  });
  const heldVnics = Array.isArray(olds.vnics) ? (olds.vnics as Props[]) : [];
  const vnics: ContainerInstanceChanges["vnics"] = [];
  (Array.isArray(news.vnics) ? (news.vnics as Props[]) : []).forEach((v, i) => {
    const hv = heldVnics[i];
    if (hv === undefined || typeof hv.vnicId !== "string") return;
    const details = vnicChanges(hv, v);
    if (details !== undefined) vnics.push({ vnicId: hv.vnicId, details });
  });
  const state =
    news.state === "ACTIVE" || news.state === "INACTIVE"
      ? news.state !== olds.state
        ? news.state
        : undefined
      : undefined;
  return { compartmentId, instance, containers, vnics, state };
}

function tagAndNameChanges(olds: Props, news: Props): ContainerInstanceChanges["instance"] {
  const out: Record<string, unknown> = {};
  if (news.displayName !== undefined && news.displayName !== olds.displayName)
    out.displayName = news.displayName;
  Object.assign(out, tagUpdates(olds, news));
  return Object.keys(out).length > 0 ? (out as ContainerInstanceChanges["instance"]) : undefined;
}

/**
 * Outputs for an instance as the cloud holds it (with its containers and VNICs read one by one). Values
 * the API never returns are kept from `previous` (the last outputs or the inputs): CONFIGFILE `data`,
 * BASIC pull-secret `username`/`password`, and a VNIC's settings while the VNIC cannot be read.
 */
export function containerInstanceOutputs(
  instance: ContainerInstance,
  containers: readonly (Container | undefined)[],
  previous: Props,
  vnics: readonly (Vnic | undefined)[] = [],
): Props {
  const wire = instance as unknown as Props;
  const out: Props = compact(
    pick(wire, [
      "compartmentId",
      "availabilityDomain",
      "faultDomain",
      "shape",
      "displayName",
      "dnsConfig",
      "gracefulShutdownTimeoutInSeconds",
      "containerRestartPolicy",
      "securityContext",
      "definedTags",
      "lifecycleState",
      "lifecycleDetails",
      "timeCreated",
      "timeUpdated",
    ]),
  );
  out.freeformTags = instance.freeformTags ?? {};
  out.shapeConfig = compact(
    pick((instance.shapeConfig ?? {}) as unknown as Props, [
      "ocpus",
      "memoryInGBs",
      "processorDescription",
      "networkingBandwidthInGbps",
    ]),
  );
  out.state =
    instance.lifecycleState === "INACTIVE"
      ? "INACTIVE"
      : instance.lifecycleState === "ACTIVE"
        ? "ACTIVE"
        : (previous.state ?? instance.lifecycleState);
  const prevContainers = Array.isArray(previous.containers) ? (previous.containers as Props[]) : [];
  out.containers = instance.containers.map((ref, i) =>
    containerOutput(ref.containerId, ref.displayName, containers[i], prevContainers[i] ?? {}),
  );
  const prevVnics = Array.isArray(previous.vnics) ? (previous.vnics as Props[]) : [];
  // Only the VNIC id comes back here (oci-api.md §2.3): the rest is read from the Core VNIC API.
  out.vnics = (instance.vnics ?? []).map((v, i) => vnicOutput(v.vnicId, vnics[i], prevVnics[i] ?? {}));
  if (instance.volumes !== undefined)
    out.volumes = instance.volumes.map((v) => restoreVolume(v as unknown as Props, previous.volumes));
  if (instance.imagePullSecrets !== undefined)
    out.imagePullSecrets = instance.imagePullSecrets.map((s) =>
      restorePullSecret(s as unknown as Props, previous.imagePullSecrets),
    );
  out.managedDefinedTags = managedDefinedTags(previous);
  return { ...out, ...pick(previous, ["timeouts", "adoptId"]) };
}

/**
 * One VNIC's outputs: as the VNIC API holds it when it could be read (so drift shows), else what was
 * known before. `isPublicIpAssigned` is not a VNIC field: it is kept from before, or read off `publicIp`.
 */
function vnicOutput(vnicId: string | undefined, vnic: Vnic | undefined, previous: Props): Props {
  if (vnic === undefined) return compact({ ...previous, vnicId });
  const wire = vnic as unknown as Props;
  return compact({
    ...pick(wire, [
      "subnetId",
      "displayName",
      "hostnameLabel",
      "skipSourceDestCheck",
      "privateIp",
      "publicIp",
      "macAddress",
      "definedTags",
    ]),
    isPublicIpAssigned: previous.isPublicIpAssigned ?? (vnic.publicIp !== undefined && vnic.publicIp !== ""),
    nsgIds: keepOrder(vnic.nsgIds ?? [], previous.nsgIds),
    freeformTags: vnic.freeformTags ?? {},
    managedDefinedTags: managedDefinedTags(previous),
    vnicId: vnic.id,
  });
}

function containerOutput(
  containerId: string,
  displayName: string | undefined,
  container: Container | undefined,
  previous: Props,
): Props {
  if (container === undefined)
    return compact({ ...previous, containerId, displayName: displayName ?? previous.displayName });
  const fields = compact(pick(container as unknown as Props, Object.keys(containerFields)));
  if (Array.isArray(fields.healthChecks)) {
    fields.healthChecks = (fields.healthChecks as Props[]).map(
      ({ status: _s, statusDetails: _d, ...rest }) => rest,
    );
  }
  // Keep the user's spelling of the image when the cloud holds the same image in canonical form.
  if (typeof previous.imageUrl === "string" && sameImage(previous.imageUrl, fields.imageUrl))
    fields.imageUrl = previous.imageUrl;
  fields.freeformTags = container.freeformTags ?? {};
  fields.managedDefinedTags = managedDefinedTags(previous);
  return { ...fields, containerId, lifecycleState: container.lifecycleState };
}

function restoreVolume(volume: Props, previous: unknown): Props {
  if (volume.volumeType !== "CONFIGFILE" || !Array.isArray(volume.configs)) return volume;
  const prev = (Array.isArray(previous) ? (previous as Props[]) : []).find((p) => p.name === volume.name);
  const prevConfigs = prev !== undefined && Array.isArray(prev.configs) ? (prev.configs as Props[]) : [];
  return {
    ...volume,
    configs: (volume.configs as Props[]).map((c) => {
      const match = prevConfigs.find(
        (p) => p.fileName === c.fileName && (p.path ?? null) === (c.path ?? null),
      );
      return c.data === undefined && match?.data !== undefined ? { ...c, data: match.data } : c;
    }),
  };
}

function restorePullSecret(secret: Props, previous: unknown): Props {
  if (secret.secretType !== "BASIC") return secret;
  const match = (Array.isArray(previous) ? (previous as Props[]) : []).find(
    (p) => p.secretType === "BASIC" && p.registryEndpoint === secret.registryEndpoint,
  );
  return match === undefined
    ? secret
    : { ...secret, username: secret.username ?? match.username, password: secret.password ?? match.password };
}

/** Fields that differ between an existing instance and the inputs but cannot change in place. */
export function containerInstanceImmutableMismatches(held: Props, inputs: Props): string[] {
  return diffContainerInstance(held, inputs).replaces;
}
