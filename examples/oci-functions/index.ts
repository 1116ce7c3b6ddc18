/**
 * An OCI Functions application, one function and an invocation that checks it answers.
 *
 * Against the emulator: `fnstack emulator` then
 * `FNSTACK_OCI_ENDPOINT=<url> OCI_CONFIG_FILE=<dataDir>/oci/config pulumi up`, with
 * `pulumi config set compartmentId <the emulator's compartment OCID>` and `subnetId` likewise.
 */
import * as pulumi from "@pulumi/pulumi";
import { oci } from "fnstack";

const config = new pulumi.Config();
const compartmentId = config.require("compartmentId");
const subnetId = config.require("subnetId");

const app = new oci.Application("orders", {
  compartmentId,
  displayName: "orders",
  subnetIds: [subnetId],
  config: { LOG_LEVEL: "info" },
  timeouts: { delete: "10m" },
});

const hello = new oci.Function("hello", {
  applicationId: app.id,
  displayName: "hello",
  image: config.get("image") ?? "iad.ocir.io/mytenancy/hello:1.0",
  memoryInMBs: 256,
  timeoutInSeconds: 30,
  config: { GREETING: "hello" },
});

const smokeTest = new oci.InvokeFunction("smoke-test", {
  functionId: hello.id,
  invokeFunctionBody: JSON.stringify({ name: "pulumi" }),
  fnIntent: "httprequest",
});

export const applicationId = app.id;
export const invokeEndpoint = hello.invokeEndpoint;
export const imageDigest = hello.imageDigest;
export const answer = smokeTest.content;
