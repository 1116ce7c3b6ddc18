/**
 * A FunctionGraph function with a dependency, a published version, an alias sending 10% of traffic to
 * the latest code, a timer trigger on the alias and an invocation that smoke-tests the alias.
 *
 * Against the fnstack emulator:
 *   npx fnstack emulator --port 0 --data-dir /tmp/fg   (prints the URL)
 *   export FNSTACK_FUNCTIONGRAPH_ENDPOINT=<url> OS_CLIENT_CONFIG_FILE=/tmp/fg/clouds.yaml OS_CLOUD=fnstack
 *   pulumi up
 * Against Open Telekom Cloud: set `opentelekomcloud:accessKey`/`secretKey` (secret) and `projectId`.
 */
import * as pulumi from "@pulumi/pulumi";
import { functiongraph } from "fnstack";

const deps = new functiongraph.DependencyVersion("libs", {
  name: "hello-libs",
  runtime: "Python3.9",
  filePath: `${__dirname}/libs.zip`,
  description: "shared helpers",
});

const fn = new functiongraph.Function("hello", {
  name: "hello",
  runtime: "Python3.9",
  handler: "index.handler",
  memorySize: 256,
  timeout: 30,
  inlineCode: "def handler(event, context):\n    return {'hello': event.get('name', 'world')}\n",
  dependVersionList: [deps.versionId],
  userData: { GREETING: "hello" },
  encryptedUserData: { API_TOKEN: pulumi.secret("replace-me") },
  maxInstanceNum: 50,
  concurrentNum: 2,
  tags: { app: "hello" },
});

const v1 = new functiongraph.Version("v1", {
  funcUrn: fn.funcUrn,
  version: "v1",
  description: "first release",
});

const live = new functiongraph.Alias("live", {
  funcUrn: fn.funcUrn,
  name: "live",
  version: v1.version,
  additionalVersionWeights: { latest: 10 },
});

new functiongraph.Trigger("nightly", {
  funcUrn: live.aliasUrn,
  triggerTypeCode: "TIMER",
  eventData: {
    name: "nightly",
    scheduleType: "Cron",
    schedule: "CRON_TZ=Europe/Berlin 0 0 2 * * *",
    userEvent: "nightly",
  },
});

const smoke = new functiongraph.Invocation("smoke", {
  funcUrn: live.aliasUrn,
  event: { name: "pulumi" },
  triggers: { digest: fn.digest.apply((d) => d ?? "") },
});

export const funcUrn = fn.funcUrn;
export const aliasUrn = live.aliasUrn;
export const smokeResult = smoke.resultJson;
