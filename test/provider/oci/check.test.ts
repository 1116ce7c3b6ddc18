import { strict as assert } from "node:assert";
import { unknownSentinel } from "../../../provider/inputs";
import { handlerFor } from "../../../provider/runtime";
import { PluginCallError, serializeKind, startPlugin, type PluginClient } from "../../engine/harness";
import { ociTestEnv, startOciFixture, type OciFixture } from "./emulator-fixture";

type Props = Record<string, unknown>;
const compartment = "ocid1.compartment.oc1..aaaaaaaaexample";
const subnet = "ocid1.subnet.oc1.iad.aaaaaaaaexample";
const app = "ocid1.fnapp.oc1.iad.aaaaaaaaexample";
const fn = "ocid1.fnfunc.oc1.iad.aaaaaaaaexample";

const validApplication: Props = { compartmentId: compartment, displayName: "orders", subnetIds: [subnet] };
const validFunction: Props = {
  applicationId: app,
  displayName: "hello",
  memoryInMBs: 256,
  image: "iad.ocir.io/ns/hello:1",
};
const validInvoke: Props = { functionId: fn, invokeFunctionBody: "{}" };
const validInstance: Props = {
  compartmentId: compartment,
  availabilityDomain: "Uocm:PHX-AD-1",
  shape: "CI.Standard.E4.Flex",
  shapeConfig: { ocpus: 1, memoryInGBs: 4 },
  vnics: [{ subnetId: subnet }],
  containers: [{ imageUrl: "nginx:1.27" }],
};

/** [what is wrong, the inputs, the property the failure must name]. */
type Case = [string, Props, string];

const cases: Record<string, { valid: Props; bad: Case[] }> = {
  "oci:Application": {
    valid: validApplication,
    bad: [
      ["missing compartmentId", { ...validApplication, compartmentId: undefined }, "compartmentId"],
      [
        "compartmentId of the wrong OCID type",
        { ...validApplication, compartmentId: subnet },
        "compartmentId",
      ],
      ["displayName with a space", { ...validApplication, displayName: "my app" }, "displayName"],
      ["displayName too long", { ...validApplication, displayName: "a".repeat(256) }, "displayName"],
      ["subnetIds empty", { ...validApplication, subnetIds: [] }, "subnetIds"],
      ["subnetIds not a list", { ...validApplication, subnetIds: subnet }, "subnetIds"],
      ["a repeated subnet", { ...validApplication, subnetIds: [subnet, subnet] }, "subnetIds[1]"],
      ["unknown shape", { ...validApplication, shape: "GENERIC_RISCV" }, "shape"],
      ["config key syntax", { ...validApplication, config: { "1BAD-KEY": "x" } }, "config.1BAD-KEY"],
      ["config over 4 KB", { ...validApplication, config: { BIG: "x".repeat(4100) } }, "config"],
      ["config value not a string", { ...validApplication, config: { N: 1 } }, "config.N"],
      [
        "too many NSGs",
        {
          ...validApplication,
          networkSecurityGroupIds: [1, 2, 3, 4, 5, 6].map((i) => `ocid1.networksecuritygroup.oc1.iad.a${i}`),
        },
        "networkSecurityGroupIds",
      ],
      ["syslogUrl scheme", { ...validApplication, syslogUrl: "http://logs:514" }, "syslogUrl"],
      ["logging lineFormat", { ...validApplication, logging: { lineFormat: "XML" } }, "logging.lineFormat"],
      [
        "imagePolicyConfig without isPolicyEnabled",
        { ...validApplication, imagePolicyConfig: {} },
        "imagePolicyConfig.isPolicyEnabled",
      ],
      ["a misspelt field", { ...validApplication, subnetId: subnet }, "subnetId"],
      ["a bad timeout", { ...validApplication, timeouts: { create: "soon" } }, "timeouts.create"],
      ["adoptId of another type", { ...validApplication, adoptId: fn }, "adoptId"],
    ],
  },
  "oci:Function": {
    valid: validFunction,
    bad: [
      ["missing applicationId", { ...validFunction, applicationId: undefined }, "applicationId"],
      ["applicationId not an OCID", { ...validFunction, applicationId: "my-app" }, "applicationId"],
      ["missing memory", { ...validFunction, memoryInMBs: undefined }, "memoryInMBs"],
      ["memory too small", { ...validFunction, memoryInMBs: 64 }, "memoryInMBs"],
      ["memory not an integer", { ...validFunction, memoryInMBs: 256.5 }, "memoryInMBs"],
      ["memory as a string", { ...validFunction, memoryInMBs: "256" }, "memoryInMBs"],
      ["timeout over 300 s", { ...validFunction, timeoutInSeconds: 301 }, "timeoutInSeconds"],
      [
        "detached timeout over 3600 s",
        { ...validFunction, detachedModeTimeoutInSeconds: 4000 },
        "detachedModeTimeoutInSeconds",
      ],
      ["digest not sha256", { ...validFunction, imageDigest: "md5:abc" }, "imageDigest"],
      ["a digest of spaces", { ...validFunction, imageDigest: " " }, "imageDigest"],
      ["neither image nor source", { ...validFunction, image: undefined }, "image"],
      [
        "both image and source",
        {
          ...validFunction,
          sourceDetails: { sourceType: "PRE_BUILT_FUNCTIONS", pbfListingId: "ocid1.fnpbf.oc1..aaaa" },
        },
        "sourceDetails",
      ],
      [
        "unknown concurrency strategy",
        { ...validFunction, provisionedConcurrencyConfig: { strategy: "BURST" } },
        "provisionedConcurrencyConfig.strategy",
      ],
      [
        "CONSTANT concurrency without count",
        { ...validFunction, provisionedConcurrencyConfig: { strategy: "CONSTANT" } },
        "provisionedConcurrencyConfig.count",
      ],
      [
        "STREAM destination without streamId",
        { ...validFunction, failureDestination: { kind: "STREAM" } },
        "failureDestination.streamId",
      ],
      ["config key syntax", { ...validFunction, config: { "a.b": "x" } }, "config.a.b"],
      ["image with spaces", { ...validFunction, image: "my image" }, "image"],
      [
        "traceConfig.isEnabled not a boolean",
        { ...validFunction, traceConfig: { isEnabled: "yes" } },
        "traceConfig.isEnabled",
      ],
    ],
  },
  "oci:InvokeFunction": {
    valid: validInvoke,
    bad: [
      ["missing functionId", { ...validInvoke, functionId: undefined }, "functionId"],
      ["functionId of an application", { ...validInvoke, functionId: app }, "functionId"],
      ["body not a string", { ...validInvoke, invokeFunctionBody: { a: 1 } }, "invokeFunctionBody"],
      [
        "both bodies",
        { ...validInvoke, invokeFunctionBodyBase64Encoded: "e30=" },
        "invokeFunctionBodyBase64Encoded",
      ],
      [
        "base64 body that is not base64",
        { functionId: fn, invokeFunctionBodyBase64Encoded: "not base64!" },
        "invokeFunctionBodyBase64Encoded",
      ],
      [
        "body over 6 MB",
        { ...validInvoke, invokeFunctionBody: "x".repeat(6 * 1024 * 1024 + 1) },
        "invokeFunctionBody",
      ],
      ["fnIntent", { ...validInvoke, fnIntent: "event" }, "fnIntent"],
      ["fnInvokeType", { ...validInvoke, fnInvokeType: "async" }, "fnInvokeType"],
      ["isDryRun not a boolean", { ...validInvoke, isDryRun: "true" }, "isDryRun"],
      [
        "base64EncodeContent not a boolean",
        { ...validInvoke, base64EncodeContent: 1 },
        "base64EncodeContent",
      ],
      ["a misspelt field", { ...validInvoke, body: "{}" }, "body"],
      [
        "a timeout phase that does not exist",
        { ...validInvoke, timeouts: { invoke: "1m" } },
        "timeouts.invoke",
      ],
    ],
  },
  "oci:ContainerInstance": {
    valid: validInstance,
    bad: [
      [
        "missing availabilityDomain",
        { ...validInstance, availabilityDomain: undefined },
        "availabilityDomain",
      ],
      ["availabilityDomain format", { ...validInstance, availabilityDomain: "AD-1" }, "availabilityDomain"],
      ["shape format", { ...validInstance, shape: "VM.Standard2.1" }, "shape"],
      [
        "shapeConfig without ocpus",
        { ...validInstance, shapeConfig: { memoryInGBs: 4 } },
        "shapeConfig.ocpus",
      ],
      ["no containers", { ...validInstance, containers: [] }, "containers"],
      [
        "a container without imageUrl",
        { ...validInstance, containers: [{ displayName: "x" }] },
        "containers[0].imageUrl",
      ],
      ["two VNICs", { ...validInstance, vnics: [{ subnetId: subnet }, { subnetId: subnet }] }, "vnics"],
      [
        "VNIC subnet of the wrong type",
        { ...validInstance, vnics: [{ subnetId: compartment }] },
        "vnics[0].subnetId",
      ],
      [
        "HTTP health check without path",
        {
          ...validInstance,
          containers: [{ imageUrl: "nginx", healthChecks: [{ healthCheckType: "HTTP", port: 80 }] }],
        },
        "containers[0].healthChecks[0].path",
      ],
      [
        "health check port out of range",
        {
          ...validInstance,
          containers: [{ imageUrl: "nginx", healthChecks: [{ healthCheckType: "TCP", port: 70000 }] }],
        },
        "containers[0].healthChecks[0].port",
      ],
      [
        "COMMAND health check (unsupported)",
        {
          ...validInstance,
          containers: [
            { imageUrl: "nginx", healthChecks: [{ healthCheckType: "COMMAND", command: ["true"] }] },
          ],
        },
        "containers[0].healthChecks[0].healthCheckType",
      ],
      ["restart policy", { ...validInstance, containerRestartPolicy: "SOMETIMES" }, "containerRestartPolicy"],
      [
        "graceful shutdown over 300 s",
        { ...validInstance, gracefulShutdownTimeoutInSeconds: 301 },
        "gracefulShutdownTimeoutInSeconds",
      ],
      [
        "BASIC pull secret without password",
        {
          ...validInstance,
          imagePullSecrets: [{ secretType: "BASIC", registryEndpoint: "docker.io", username: "dXNlcg==" }],
        },
        "imagePullSecrets[0].password",
      ],
      [
        "pull secret username not base64",
        {
          ...validInstance,
          imagePullSecrets: [
            { secretType: "BASIC", registryEndpoint: "docker.io", username: "user!", password: "cGFzcw==" },
          ],
        },
        "imagePullSecrets[0].username",
      ],
      [
        "CONFIGFILE data not base64",
        {
          ...validInstance,
          volumes: [{ volumeType: "CONFIGFILE", name: "cfg", configs: [{ fileName: "a", data: "%%%" }] }],
        },
        "volumes[0].configs[0].data",
      ],
      [
        "a mount naming no volume",
        {
          ...validInstance,
          containers: [{ imageUrl: "nginx", volumeMounts: [{ mountPath: "/data", volumeName: "missing" }] }],
        },
        "containers[0].volumeMounts[0].volumeName",
      ],
      ["desired state", { ...validInstance, state: "STOPPED" }, "state"],
      // Issue 9: what CreateContainerInstance rejects, check rejects first.
      [
        "a volume name with a space",
        { ...validInstance, volumes: [{ volumeType: "EMPTYDIR", name: "my vol" }] },
        "volumes[0].name",
      ],
      [
        "more than 64 GB per OCPU",
        { ...validInstance, shapeConfig: { ocpus: 1, memoryInGBs: 65 } },
        "shapeConfig.memoryInGBs",
      ],
      [
        "vcpusLimit above the instance's OCPUs",
        { ...validInstance, containers: [{ imageUrl: "nginx", resourceConfig: { vcpusLimit: 2 } }] },
        "containers[0].resourceConfig.vcpusLimit",
      ],
      [
        "environment variable value not a string",
        { ...validInstance, containers: [{ imageUrl: "nginx", environmentVariables: { PORT: 80 } }] },
        "containers[0].environmentVariables.PORT",
      ],
    ],
  },
};

describe("OCI resources: check", function () {
  this.timeout(60_000);
  let fx: OciFixture;
  let plugin: PluginClient;
  const providers: Record<string, string> = {};

  before(async () => {
    fx = await startOciFixture();
    plugin = await startPlugin({ env: { ...process.env, ...ociTestEnv(fx.emulator) } });
    await plugin.configure();
    for (const kind of Object.keys(cases)) providers[kind] = await serializeKind(kind);
  });
  after(async () => {
    await plugin?.close();
    await fx?.close();
  });

  for (const [kind, { valid, bad }] of Object.entries(cases)) {
    describe(kind, () => {
      it(`has at least ten kinds of bad input to reject (${bad.length})`, () => {
        assert.ok(bad.length >= 10);
      });

      it("accepts valid inputs", async () => {
        const result = await handlerFor(kind).check({}, valid);
        assert.deepEqual(result.failures ?? [], []);
      });

      it("rejects every bad input naming the field and the rule, directly and through the plugin, without sending a request", async () => {
        const before = await fx.ociRequestCount();
        for (const [what, inputs, property] of bad) {
          const direct = await handlerFor(kind).check({}, inputs);
          const failures = direct.failures ?? [];
          assert.ok(
            failures.some((f) => f.property === property && f.reason.length > 5),
            `${what}: expected a failure on ${property}, got ${JSON.stringify(failures)}`,
          );
          // The harness's gRPC client caps messages at 4 MB (the engine's cap is higher): the 6 MB body case runs directly only.
          if (JSON.stringify(inputs).length > 4_000_000) continue;
          const viaEngine = await plugin.check({}, { ...inputs, __provider: providers[kind] });
          assert.ok(
            viaEngine.failures.some((f) => f.property === property),
            `${what} (engine): expected a failure on ${property}, got ${JSON.stringify(viaEngine.failures)}`,
          );
        }
        assert.equal(await fx.ociRequestCount(), before, "check sent no request");
      });

      it("tolerates unknown values at any depth during preview", async () => {
        const unknowns: Props = {};
        for (const [key, value] of Object.entries(valid)) {
          unknowns[key] = Array.isArray(value) ? [unknownSentinel] : unknownSentinel;
        }
        assert.deepEqual((await handlerFor(kind).check({}, unknowns)).failures ?? [], []);
        const reply = await plugin.check({}, { ...unknowns, __provider: providers[kind] });
        assert.deepEqual(reply.failures, []);
      });
    });
  }

  it("reports a missing required field through the plugin as a check failure, not an error", async () => {
    const reply = await plugin
      .check({}, { __provider: providers["oci:Application"] })
      .catch((e: unknown) => e);
    assert.ok(!(reply instanceof PluginCallError));
    assert.deepEqual((reply as { failures: { property: string }[] }).failures.map((f) => f.property).sort(), [
      "compartmentId",
      "displayName",
      "subnetIds",
    ]);
  });
});
