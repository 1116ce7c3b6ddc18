/**
 * The fnstack demo stack: OCI Functions and Container Instances next to FunctionGraph, in one program.
 *
 * - OCI: an Application, a Function in it, an InvokeFunction that smoke-tests the function, and a
 *   ContainerInstance running one container.
 * - FunctionGraph: a DependencyVersion, a Function using it, a published Version, an Alias on that
 *   version, a TIMER Trigger on the alias and an Invocation of the alias.
 *
 * Stack config (namespace `fnstack-demo`, the project name in this folder's and the repository's Pulumi.yaml):
 *
 * | key | meaning | fallback |
 * |---|---|---|
 * | `fnstack-demo:compartmentId` | OCI compartment OCID to create everything in | env `FNSTACK_DEMO_COMPARTMENT_ID` |
 * | `fnstack-demo:subnetId` | OCI subnet OCID for the application and the container instance | env `FNSTACK_DEMO_SUBNET_ID` |
 * | `fnstack-demo:functiongraph` | `false` leaves the FunctionGraph resources out | `true` |
 *
 * Credentials and endpoints are fnstack's usual ones (docs/pulumi.md). Against the emulator
 * (`npx fnstack emulator --data-dir /tmp/fnstack`, which prints its URL and the development
 * compartment and subnet):
 *
 * ```sh
 * export FNSTACK_OCI_ENDPOINT=<url> OCI_CONFIG_FILE=/tmp/fnstack/oci/config
 * export FNSTACK_FUNCTIONGRAPH_ENDPOINT=<url> OS_CLIENT_CONFIG_FILE=/tmp/fnstack/clouds.yaml OS_CLOUD=fnstack
 * pulumi config set fnstack-demo:compartmentId <compartment OCID>
 * pulumi config set fnstack-demo:subnetId <subnet OCID>
 * pulumi up
 * ```
 *
 * Without the CLI, `npm run demo` runs this program under `@pulumi/pulumi/cmd/run` on the engine model
 * against an in-process emulator (examples/demo/run.ts; README.md for the steps).
 */
import * as pulumi from "@pulumi/pulumi";
import { functiongraph, oci } from "fnstack";

const config = new pulumi.Config();

function setting(key: string, envVar: string): string {
  const value = config.get(key) ?? process.env[envVar];
  if (value === undefined || value === "") {
    throw new Error(`set the stack config fnstack-demo:${key} (or the environment variable ${envVar})`);
  }
  return value;
}

const compartmentId = setting("compartmentId", "FNSTACK_DEMO_COMPARTMENT_ID");
const subnetId = setting("subnetId", "FNSTACK_DEMO_SUBNET_ID");
const withFunctionGraph = config.getBoolean("functiongraph") ?? true;

// ---- OCI Functions --------------------------------------------------------------------------------

const app = new oci.Application("demo-app", {
  compartmentId,
  displayName: "fnstack-demo",
  subnetIds: [subnetId],
  config: { GREETING: "hello" },
  freeformTags: { project: "fnstack-demo" },
});

const hello = new oci.Function("hello", {
  applicationId: app.id,
  displayName: "hello",
  image: "iad.ocir.io/fnstack/hello:1.0.0",
  memoryInMBs: 256,
  timeoutInSeconds: 30,
  config: { LOG_LEVEL: "info" },
});

const smoke = new oci.InvokeFunction("hello-smoke", {
  functionId: hello.id,
  invokeFunctionBody: JSON.stringify({ name: "fnstack" }),
});

// ---- OCI Container Instances ----------------------------------------------------------------------

const web = new oci.ContainerInstance("web", {
  compartmentId,
  availabilityDomain: "Uocm:PHX-AD-1",
  shape: "CI.Standard.E4.Flex",
  shapeConfig: { ocpus: 1, memoryInGBs: 4 },
  displayName: "fnstack-demo-web",
  vnics: [{ subnetId }],
  containers: [{ displayName: "web", imageUrl: "nginx:1.27", environmentVariables: { PORT: "8080" } }],
  containerRestartPolicy: "ALWAYS",
});

export const ociFunctionId = hello.id;
export const ociInvokeEndpoint = hello.invokeEndpoint;
export const ociSmokeResponse = smoke.content;
export const containerInstanceId = web.id;
export const containerInstanceState = web.state;

// ---- FunctionGraph --------------------------------------------------------------------------------

function functionGraphStack(): Record<string, pulumi.Output<unknown>> {
  const libs = new functiongraph.DependencyVersion("demo-libs", {
    name: "fnstack-demo-libs",
    runtime: "Python3.9",
    filePath: `${__dirname}/libs.zip`,
    description: "shared helpers",
  });

  const fn = new functiongraph.Function("greeter", {
    name: "fnstack-demo-greeter",
    runtime: "Python3.9",
    handler: "index.handler",
    memorySize: 256,
    timeout: 30,
    inlineCode: "def handler(event, context):\n    return {'hello': event.get('name', 'world')}\n",
    dependVersionList: [libs.versionId],
    userData: { GREETING: "hello" },
    tags: { project: "fnstack-demo" },
  });

  const v1 = new functiongraph.Version("greeter-v1", {
    funcUrn: fn.funcUrn,
    version: "v1",
    description: "first release",
  });

  const live = new functiongraph.Alias("greeter-live", {
    funcUrn: fn.funcUrn,
    name: "live",
    version: v1.version,
  });

  new functiongraph.Trigger("greeter-nightly", {
    funcUrn: live.aliasUrn,
    triggerTypeCode: "TIMER",
    eventData: { name: "nightly", scheduleType: "Cron", schedule: "0 0 2 * * *", userEvent: "nightly" },
  });

  const greet = new functiongraph.Invocation("greeter-smoke", {
    funcUrn: live.aliasUrn,
    event: { name: "fnstack" },
  });

  return { fgFuncUrn: fn.funcUrn, fgAliasUrn: live.aliasUrn, fgSmokeResult: greet.result };
}

const fg = withFunctionGraph ? functionGraphStack() : {};
export const fgFuncUrn = fg.fgFuncUrn;
export const fgAliasUrn = fg.fgAliasUrn;
export const fgSmokeResult = fg.fgSmokeResult;
