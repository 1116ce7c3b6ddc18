/**
 * The same OCI function in two regions, and the same FunctionGraph function in two projects (two
 * accounts), from one stack. Each resource names where it lives with a `connection`: a plain,
 * non-secret object defined once per place and passed to every resource there, as an explicit provider
 * would be in `@pulumi/oci` or a provider alias in Terraform.
 *
 * Against the emulator (see README.md): `fnstack emulator`, then
 * `eval "$(npx ts-node setup-emulator.ts <url> <dataDir>)"` sets the environment and stack config; then
 * `pulumi up`.
 */
import * as pulumi from "@pulumi/pulumi";
import { functiongraph, oci } from "fnstack";

const config = new pulumi.Config();
const compartmentId = config.require("compartmentId");
const subnetId = config.require("subnetId");
const ociRegions = config.getObject<string[]>("ociRegions") ?? ["us-ashburn-1", "us-phoenix-1"];
// `clouds.yaml` entries, one per project; "" means the stack's own account.
const projects = config.getObject<string[]>("functionGraphClouds") ?? ["", "team-b"];

/** Where each copy of the OCI function lives: only the region differs. */
const ociPlaces: Record<string, oci.ConnectionArgs> = Object.fromEntries(
  ociRegions.map((region) => [region, { region }]),
);

export const ociFunctions: Record<string, pulumi.Output<string>> = {};
export const ociConnections: Record<string, pulumi.Output<oci.ConnectionRecord>> = {};
for (const [region, connection] of Object.entries(ociPlaces)) {
  const app = new oci.Application(`orders-${region}`, {
    compartmentId,
    displayName: "orders",
    subnetIds: [subnetId],
    connection,
  });
  const fn = new oci.Function(`hello-${region}`, {
    applicationId: app.id,
    displayName: "hello",
    image: config.get("image") ?? "iad.ocir.io/mytenancy/hello:1.0",
    memoryInMBs: 256,
    connection,
  });
  ociFunctions[region] = fn.id;
  ociConnections[region] = fn.connection;
}

export const functionGraphUrns: Record<string, pulumi.Output<string>> = {};
for (const cloud of projects) {
  const place = cloud === "" ? "default" : cloud;
  const connection: functiongraph.ConnectionArgs | undefined = cloud === "" ? undefined : { cloud };
  const fn = new functiongraph.Function(`greeter-${place}`, {
    name: "greeter",
    runtime: "Python3.9",
    handler: "index.handler",
    memorySize: 128,
    timeout: 10,
    inlineCode: "def handler(event, context):\n    return {'hello': event.get('name', 'world')}\n",
    connection,
  });
  functionGraphUrns[place] = fn.funcUrn;
}
