/**
 * Asks the emulator, through the clouds' own list APIs, what the demo left behind: OCI applications and
 * container instances of the compartment that are not DELETING/DELETED, and FunctionGraph functions and
 * private dependencies of the project.
 */
import type { RunningEmulator } from "../../emulator/index";
import type * as credentialsModule from "../../sdk/oci/auth/credentials";
import type * as containerInstancesModule from "../../sdk/oci/clients/container-instances";
import type * as functionsModule from "../../sdk/oci/clients/functions-management";
import type * as contextModule from "../../sdk/oci/context";

// fnstack's OCI client as built into dist/ (compiling the sources with ts-node takes seconds).
const { resolveOciCredentials } = require("../../dist/sdk/oci/auth/credentials") as typeof credentialsModule;
const { listContainerInstances } =
  require("../../dist/sdk/oci/clients/container-instances") as typeof containerInstancesModule;
const { listApplications } =
  require("../../dist/sdk/oci/clients/functions-management") as typeof functionsModule;
const { ociClientContext } = require("../../dist/sdk/oci/context") as typeof contextModule;

const gone = new Set(["DELETING", "DELETED"]);

/** Descriptions of every live resource the emulator still holds (empty: nothing left). */
export async function leftovers(emulator: RunningEmulator, withFunctionGraph: boolean): Promise<string[]> {
  const found: string[] = [];
  const credentials = await resolveOciCredentials({
    env: { OCI_CONFIG_FILE: emulator.oci.configFile, FNSTACK_OCI_ENDPOINT: emulator.url },
    config: () => undefined,
  });
  const compartmentId = emulator.oci.compartmentOcid;
  for await (const app of listApplications(ociClientContext("functions", credentials), { compartmentId })) {
    if (!gone.has(app.lifecycleState))
      found.push(`OCI application ${app.displayName} (${app.lifecycleState})`);
  }
  for await (const instance of listContainerInstances(ociClientContext("containerInstances", credentials), {
    compartmentId,
  })) {
    if (!gone.has(instance.lifecycleState))
      found.push(`OCI container instance ${instance.displayName} (${instance.lifecycleState})`);
  }
  if (withFunctionGraph) {
    const token = await functionGraphToken(emulator);
    const base = `${emulator.url}/v2/${emulator.functiongraph.projectId}/fgs`;
    const functions = (await getJson(`${base}/functions`, token)) as { functions?: { func_urn: string }[] };
    for (const fn of functions.functions ?? []) found.push(`FunctionGraph function ${fn.func_urn}`);
    const dependencies = (await getJson(`${base}/dependencies?dependency_type=private`, token)) as {
      dependencies?: { id: string; name: string }[];
    };
    for (const dep of dependencies.dependencies ?? [])
      found.push(`FunctionGraph dependency ${dep.name} (${dep.id})`);
  }
  return found;
}

/** A project-scoped IAM token for the development account (password authentication). */
async function functionGraphToken(emulator: RunningEmulator): Promise<string> {
  const fg = emulator.functiongraph;
  const response = await fetch(`${emulator.url}/v3/auth/tokens?nocatalog=true`, {
    method: "POST",
    headers: { "content-type": "application/json;charset=utf8" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: fg.userName, password: fg.password, domain: { name: fg.domainName } } },
        },
        scope: { project: { name: fg.region } },
      },
    }),
  });
  await response.arrayBuffer();
  const token = response.headers.get("x-subject-token");
  if (response.status !== 201 || token === null) throw new Error(`IAM token request: ${response.status}`);
  return token;
}

async function getJson(url: string, token: string): Promise<unknown> {
  const response = await fetch(url, { headers: { "x-auth-token": token } });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as unknown;
}
