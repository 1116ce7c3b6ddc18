/**
 * What the resource benchmarks (`requests-per-operation.ts`, `state-size.ts`) share: pointing the
 * in-process handlers at an emulator, and one typical input per resource kind, with an in-place change.
 * Not a benchmark itself.
 */
import type { RunningEmulator } from "../emulator/index";
import type { Props } from "../provider/handler";
import { configure, handlerFor } from "../provider/runtime";

/** One resource kind with typical inputs and one change to them. */
export interface Scenario {
  /** `oci:Function`, `functiongraph:Trigger`, ... */
  readonly kind: string;
  /** Inputs before `check`. */
  readonly inputs: Props;
  /** A change applied over `inputs`: in place where the kind has in-place updates. */
  readonly change: Props;
  /** What `change` changes, for tables. */
  readonly changeLabel: string;
}

/** The emulator timing of the provider tests: lifecycle 100 ms, work requests 150 ms, triggers 100 ms. */
export const shortTiming = Object.freeze({ lifecycleMs: 100, workRequestMs: 150, triggerMs: 100 });

/**
 * Points the handlers of this process at `emulator`: OCI through `FNSTACK_OCI_ENDPOINT` and
 * `OCI_CONFIG_FILE`, FunctionGraph through AK/SK stack config (`configure`), with retry delays of
 * 5–40 ms and polls every 20–100 ms. Returns a function restoring the environment.
 */
export function pointHandlersAt(emulator: RunningEmulator): () => void {
  const env: Record<string, string> = {
    FNSTACK_OCI_ENDPOINT: emulator.url,
    OCI_CONFIG_FILE: emulator.oci.configFile,
  };
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  const fg = emulator.functiongraph;
  const config: Record<string, string> = {
    "fnstack:functiongraphEndpoint": emulator.url,
    "opentelekomcloud:accessKey": fg.accessKey,
    "opentelekomcloud:secretKey": fg.secretKey,
    "opentelekomcloud:projectId": fg.projectId,
    "opentelekomcloud:region": fg.region,
    "fnstack:retryBaseDelayMs": "5",
    "fnstack:retryMaxDelayMs": "40",
    "fnstack:retryJitterMs": "5",
    "fnstack:pollMinIntervalMs": "20",
    "fnstack:pollMaxIntervalMs": "100",
  };
  configure((key) => config[key]);
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/**
 * Calls `visit` once for each of the ten resource kinds, in dependency order, creating the parents a
 * kind needs (an application, functions, a published version) before visiting it. Parents are left in
 * the emulator.
 */
export async function forEachScenario(
  emulator: RunningEmulator,
  visit: (scenario: Scenario) => Promise<void>,
): Promise<void> {
  const compartmentId = emulator.oci.compartmentOcid;
  const subnetId = emulator.oci.subnetOcid;
  const application: Props = {
    compartmentId,
    displayName: "bench-app",
    subnetIds: [subnetId],
    config: { LOG_LEVEL: "info" },
  };
  await visit({
    kind: "oci:Application",
    inputs: application,
    change: { config: { LOG_LEVEL: "debug" } },
    changeLabel: "config value",
  });

  const parentApp = await handlerFor("oci:Application").create({
    ...application,
    displayName: "bench-parent",
  });
  const ociFunction = (name: string): Props => ({
    applicationId: parentApp.id,
    displayName: name,
    memoryInMBs: 256,
    image: "iad.ocir.io/ns/hello:1.0",
    config: { GREETING: "hi" },
  });
  await visit({
    kind: "oci:Function",
    inputs: ociFunction("bench-fn"),
    change: { config: { GREETING: "hello" } },
    changeLabel: "config value",
  });
  const parentFn = await handlerFor("oci:Function").create(ociFunction("bench-parent-fn"));
  await visit({
    kind: "oci:InvokeFunction",
    inputs: { functionId: parentFn.id, invokeFunctionBody: '{"name":"world"}', fnIntent: "httprequest" },
    change: { invokeFunctionBody: '{"name":"again"}' },
    changeLabel: "body",
  });
  await visit({
    kind: "oci:ContainerInstance",
    inputs: {
      compartmentId,
      availabilityDomain: "Uocm:PHX-AD-1",
      shape: "CI.Standard.E4.Flex",
      shapeConfig: { ocpus: 1, memoryInGBs: 4 },
      vnics: [{ subnetId }],
      displayName: "bench-ci",
      containers: [{ imageUrl: "nginx:1.27", displayName: "web", environmentVariables: { PORT: "8080" } }],
    },
    change: { displayName: "bench-ci-renamed" },
    changeLabel: "displayName",
  });

  const fgFunction = (name: string): Props => ({
    name,
    runtime: "Python3.9",
    handler: "index.handler",
    memorySize: 256,
    timeout: 30,
    inlineCode: "def handler(event, context):\n    return event\n",
  });
  await visit({
    kind: "functiongraph:Function",
    inputs: fgFunction("bench-fn"),
    change: { memorySize: 512 },
    changeLabel: "memorySize",
  });
  const parent = await handlerFor("functiongraph:Function").create(fgFunction("bench-parent"));
  const funcUrn = parent.id;
  // FunctionGraph refuses a second version of unchanged code (FSS.1016): the visited Version gets a
  // function of its own, and the Alias points at a version published beforehand.
  await handlerFor("functiongraph:Version").create({ funcUrn, version: "base" });
  const versioned = await handlerFor("functiongraph:Function").create(fgFunction("bench-versioned"));
  await visit({
    kind: "functiongraph:Version",
    inputs: { funcUrn: versioned.id, version: "v1", description: "first" },
    change: { description: "second" },
    changeLabel: "description",
  });
  await visit({
    kind: "functiongraph:Alias",
    inputs: { funcUrn, name: "live", version: "base" },
    change: { description: "canary" },
    changeLabel: "description",
  });
  await visit({
    kind: "functiongraph:Trigger",
    inputs: {
      funcUrn,
      triggerTypeCode: "TIMER",
      eventData: { name: "every5", scheduleType: "Rate", schedule: "5m", userEvent: "tick" },
    },
    change: { status: "DISABLED" },
    changeLabel: "status",
  });
  await visit({
    kind: "functiongraph:DependencyVersion",
    // An empty zip: the end-of-central-directory record alone.
    inputs: { name: "bench-deps", runtime: "Python3.9", fileBase64: "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==" },
    change: { description: "libs" },
    changeLabel: "description",
  });
  await visit({
    kind: "functiongraph:Invocation",
    inputs: { funcUrn: `${funcUrn}:latest`, event: { n: 1 } },
    change: { event: { n: 2 } },
    changeLabel: "event",
  });
}
