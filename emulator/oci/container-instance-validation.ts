import { isIP } from "node:net";
import { type Json, onlyFields, read, readCompartmentId, requireOcidOf } from "./body";
import { type ShapeSpec, containerInstanceShapes } from "./container-instance-shapes";
import { OciErrors } from "./errors";
import { VnicsApi } from "./vnics";

const createFields = [
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
];
const containerFields = [
  "imageUrl",
  "displayName",
  "command",
  "arguments",
  "workingDirectory",
  "environmentVariables",
  "volumeMounts",
  "isResourcePrincipalDisabled",
  "resourceConfig",
  "healthChecks",
  "securityContext",
  "freeformTags",
  "definedTags",
];
const updateFields = ["displayName", "freeformTags", "definedTags"];

function stringMapSize(map: Json, path: string, limitBytes: number): void {
  let size = 0;
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== "string") throw OciErrors.invalidParameter(`${path}.${k} must be a string`);
    size += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (size > limitBytes)
    throw OciErrors.invalidParameter(`${path} is ${size} bytes; the limit is ${limitBytes}`);
}

function validateHealthCheck(check: Json, path: string): void {
  const type = read.enumOf(check, "healthCheckType", ["HTTP", "TCP"], {
    required: true,
    path: `${path}.healthCheckType`,
  });
  const common = [
    "healthCheckType",
    "name",
    "initialDelayInSeconds",
    "intervalInSeconds",
    "failureThreshold",
    "successThreshold",
    "timeoutInSeconds",
    "failureAction",
  ];
  onlyFields(check, type === "HTTP" ? [...common, "path", "port", "headers"] : [...common, "port"], path);
  read.integer(check, "port", { required: true, min: 1, max: 65535, path: `${path}.port` });
  if (type === "HTTP") read.string(check, "path", { required: true, path: `${path}.path` });
  read.enumOf(check, "failureAction", ["KILL", "NONE"], { path: `${path}.failureAction` });
  for (const key of [
    "initialDelayInSeconds",
    "intervalInSeconds",
    "failureThreshold",
    "successThreshold",
    "timeoutInSeconds",
  ]) {
    read.integer(check, key, { min: 0, path: `${path}.${key}` });
  }
}

function validateVolume(volume: Json, path: string): void {
  read.string(volume, "name", {
    required: true,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}$/,
    path: `${path}.name`,
  });
  const type = read.enumOf(volume, "volumeType", ["EMPTYDIR", "CONFIGFILE", "OCI_FSS_FILE_SYSTEM"], {
    required: true,
    path: `${path}.volumeType`,
  });
  if (type === "EMPTYDIR") {
    onlyFields(volume, ["name", "volumeType", "backingStore"], path);
    read.enumOf(volume, "backingStore", ["EPHEMERAL_STORAGE", "MEMORY"], { path: `${path}.backingStore` });
  } else if (type === "CONFIGFILE") {
    onlyFields(volume, ["name", "volumeType", "configs"], path);
    read.objectArray(volume, "configs", { path: `${path}.configs` })?.forEach((c, i) => {
      read.string(c, "fileName", { required: true, path: `${path}.configs[${i}].fileName` });
      const data = read.string(c, "data", { required: true, path: `${path}.configs[${i}].data` }) as string;
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data))
        throw OciErrors.invalidParameter(`${path}.configs[${i}].data must be base64`);
    });
  } else {
    onlyFields(
      volume,
      ["name", "volumeType", "mountTarget", "export", "security", "mountCommand", "subnetId"],
      path,
    );
    read.object(volume, "mountTarget", { required: true, path: `${path}.mountTarget` });
    read.object(volume, "export", { required: true, path: `${path}.export` });
  }
}

/** The stored volume as the API returns it: CONFIGFILE contents are not echoed back. */
export function volumeView(volume: Json): Json {
  if (volume.volumeType !== "CONFIGFILE" || !Array.isArray(volume.configs)) return volume;
  return { ...volume, configs: (volume.configs as Json[]).map(({ data: _data, ...rest }) => rest) };
}

/** The stored pull secret as the API returns it: BASIC credentials are not echoed back. */
export function pullSecretView(secret: Json): Json {
  const { username: _u, password: _p, ...rest } = secret;
  return rest;
}

/** A validated `CreateContainerInstanceDetails`, with the defaults OCI applies. */
export interface CreateContainerInstanceDetails {
  compartmentId: string;
  availabilityDomain: string;
  faultDomain: string;
  displayName?: string;
  shape: ShapeSpec;
  shapeConfig: { ocpus: number; memoryInGBs: number };
  containers: Json[];
  vnics: Json[];
  volumes: Json[];
  imagePullSecrets: Json[];
}

/** Validates a `CreateContainerInstanceDetails` body with OCI's 400s. */
export function validateCreate(body: Json): CreateContainerInstanceDetails {
  onlyFields(body, createFields, "CreateContainerInstanceDetails");
  const compartmentId = readCompartmentId(body);
  const availabilityDomain = read.string(body, "availabilityDomain", {
    required: true,
    max: 255,
  }) as string;
  const faultDomain =
    read.string(body, "faultDomain", { pattern: /^FAULT-DOMAIN-[1-3]$/ }) ?? "FAULT-DOMAIN-1";
  const displayName = read.string(body, "displayName", { max: 255 });
  const shapeName = read.string(body, "shape", { required: true }) as string;
  const shape = containerInstanceShapes.find((s) => s.name === shapeName);
  if (shape === undefined)
    throw OciErrors.invalidParameter(
      `shape must be one of ${containerInstanceShapes.map((s) => s.name).join(", ")}, got '${shapeName}'`,
    );
  const sc = read.object(body, "shapeConfig", { required: true }) as Json;
  onlyFields(sc, ["ocpus", "memoryInGBs"], "shapeConfig");
  const ocpus = read.number(sc, "ocpus", {
    required: true,
    min: shape.ocpus.min,
    max: shape.ocpus.max,
    path: "shapeConfig.ocpus",
  }) as number;
  const memoryInGBs =
    read.number(sc, "memoryInGBs", {
      min: shape.memory.minInGBs,
      max: shape.memory.maxInGBs,
      path: "shapeConfig.memoryInGBs",
    }) ?? Math.min(shape.memory.maxInGBs, ocpus * shape.memory.defaultPerOcpuInGBs);
  if (
    memoryInGBs > ocpus * shape.memory.maxPerOcpuInGBs ||
    memoryInGBs < ocpus * shape.memory.minPerOcpuInGBs
  ) {
    throw OciErrors.invalidParameter(
      `shapeConfig.memoryInGBs must be between ${shape.memory.minPerOcpuInGBs} and ${shape.memory.maxPerOcpuInGBs} GB per OCPU`,
    );
  }
  const volumes = read.objectArray(body, "volumes") ?? [];
  volumes.forEach((v, i) => validateVolume(v, `volumes[${i}]`));
  const volumeNames = volumes.map((v) => String(v.name));
  if (new Set(volumeNames).size !== volumeNames.length)
    throw OciErrors.invalidParameter("volumes must have unique names");
  const containers = read.objectArray(body, "containers", { required: true, nonEmpty: true }) as Json[];
  if (containers.length > 10) throw OciErrors.invalidParameter("containers allows at most 10 entries");
  containers.forEach((c, i) => {
    const path = `containers[${i}]`;
    onlyFields(c, containerFields, path);
    read.string(c, "imageUrl", {
      required: true,
      max: 1024,
      pattern: /^[^\s]+$/,
      path: `${path}.imageUrl`,
    });
    read.string(c, "displayName", { max: 255, path: `${path}.displayName` });
    read.string(c, "workingDirectory", { path: `${path}.workingDirectory` });
    read.stringArray(c, "command", { path: `${path}.command` });
    const args = read.stringArray(c, "arguments", { path: `${path}.arguments` });
    if (args !== undefined && args.reduce((n, a) => n + Buffer.byteLength(a), 0) > 64 * 1024) {
      throw OciErrors.invalidParameter(`${path}.arguments exceeds 64 KB`);
    }
    const env = read.object(c, "environmentVariables", { path: `${path}.environmentVariables` });
    if (env !== undefined) stringMapSize(env, `${path}.environmentVariables`, 64 * 1024);
    read.boolean(c, "isResourcePrincipalDisabled", { path: `${path}.isResourcePrincipalDisabled` });
    const rc = read.object(c, "resourceConfig", { path: `${path}.resourceConfig` });
    if (rc !== undefined) {
      onlyFields(rc, ["vcpusLimit", "memoryLimitInGBs"], `${path}.resourceConfig`);
      read.number(rc, "vcpusLimit", { min: 0, max: ocpus, path: `${path}.resourceConfig.vcpusLimit` });
      read.number(rc, "memoryLimitInGBs", {
        min: 0,
        max: memoryInGBs,
        path: `${path}.resourceConfig.memoryLimitInGBs`,
      });
    }
    read.objectArray(c, "volumeMounts", { path: `${path}.volumeMounts` })?.forEach((m, j) => {
      read.string(m, "mountPath", { required: true, path: `${path}.volumeMounts[${j}].mountPath` });
      const name = read.string(m, "volumeName", {
        required: true,
        path: `${path}.volumeMounts[${j}].volumeName`,
      }) as string;
      if (!volumeNames.includes(name))
        throw OciErrors.invalidParameter(`${path}.volumeMounts[${j}].volumeName '${name}' names no volume`);
    });
    read
      .objectArray(c, "healthChecks", { path: `${path}.healthChecks` })
      ?.forEach((h, j) => validateHealthCheck(h, `${path}.healthChecks[${j}]`));
    read.freeformTags(c);
    read.nestedTags(c, "definedTags");
  });
  const vnics = read.objectArray(body, "vnics", { required: true, nonEmpty: true }) as Json[];
  if (vnics.length > 1) throw OciErrors.invalidParameter("vnics allows exactly one entry");
  vnics.forEach((v, i) => {
    onlyFields(
      v,
      [
        "subnetId",
        "displayName",
        "hostnameLabel",
        "isPublicIpAssigned",
        "skipSourceDestCheck",
        "nsgIds",
        "privateIp",
        "freeformTags",
        "definedTags",
      ],
      `vnics[${i}]`,
    );
    const subnetId = read.string(v, "subnetId", { required: true, path: `vnics[${i}].subnetId` }) as string;
    requireOcidOf("subnet", subnetId, `vnics[${i}].subnetId`);
    read.stringArray(v, "nsgIds", { path: `vnics[${i}].nsgIds` });
    read.boolean(v, "isPublicIpAssigned", { path: `vnics[${i}].isPublicIpAssigned` });
    VnicsApi.readRequest(v, `vnics[${i}]`);
  });
  const dns = read.object(body, "dnsConfig");
  if (dns !== undefined) {
    onlyFields(dns, ["nameservers", "searches", "options"], "dnsConfig");
    for (const k of ["searches", "options"]) read.stringArray(dns, k, { path: `dnsConfig.${k}` });
    // "either an IPv4 address (in dot notation), or an IPv6 address" (CreateContainerDnsConfigDetails).
    const nameservers = read.stringArray(dns, "nameservers", { path: "dnsConfig.nameservers" }) ?? [];
    nameservers.forEach((server, i) => {
      if (isIP(server) === 0) {
        throw OciErrors.invalidParameter(`dnsConfig.nameservers[${i}] is not an IPv4 or IPv6 address`);
      }
    });
  }
  read.integer(body, "gracefulShutdownTimeoutInSeconds", { min: 0, max: 300 });
  const secrets = read.objectArray(body, "imagePullSecrets") ?? [];
  secrets.forEach((s, i) => {
    const path = `imagePullSecrets[${i}]`;
    const type = read.enumOf(s, "secretType", ["BASIC", "VAULT"], {
      required: true,
      path: `${path}.secretType`,
    });
    read.string(s, "registryEndpoint", { required: true, path: `${path}.registryEndpoint` });
    if (type === "BASIC") {
      onlyFields(s, ["secretType", "registryEndpoint", "username", "password"], path);
      for (const k of ["username", "password"]) {
        const v = read.string(s, k, { required: true, path: `${path}.${k}` }) as string;
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v))
          throw OciErrors.invalidParameter(`${path}.${k} must be base64`);
      }
    } else {
      onlyFields(s, ["secretType", "registryEndpoint", "secretId"], path);
      requireOcidOf(
        "vaultsecret",
        read.string(s, "secretId", { required: true, path: `${path}.secretId` }) as string,
        `${path}.secretId`,
      );
    }
  });
  read.enumOf(body, "containerRestartPolicy", ["ALWAYS", "NEVER", "ON_FAILURE"]);
  const sec = read.object(body, "securityContext");
  if (sec !== undefined) {
    read.enumOf(sec, "securityContextType", ["LINUX"], {
      required: true,
      path: "securityContext.securityContextType",
    });
    read.enumOf(sec, "fsGroupChangePolicy", ["ALWAYS", "ON_ROOT_MISMATCH"], {
      path: "securityContext.fsGroupChangePolicy",
    });
  }
  read.freeformTags(body);
  read.nestedTags(body, "definedTags");
  return {
    compartmentId,
    availabilityDomain,
    faultDomain,
    displayName,
    shape,
    shapeConfig: { ocpus, memoryInGBs },
    containers,
    vnics,
    volumes,
    imagePullSecrets: secrets,
  };
}

/**
 * Reads `UpdateContainerInstanceDetails` / `UpdateContainerDetails` (the same three fields) into the patch
 * the work request applies; `what` names the body in messages.
 */
export function readUpdatePatch(body: Json, what: string): Json {
  onlyFields(body, updateFields, what);
  const patch: Json = {};
  const name = read.string(body, "displayName", { max: 255 });
  if (name !== undefined) patch.displayName = name;
  const freeform = read.freeformTags(body);
  if (freeform !== undefined) patch.freeformTags = freeform;
  const defined = read.nestedTags(body, "definedTags");
  if (defined !== undefined) patch.definedTags = defined;
  return patch;
}
