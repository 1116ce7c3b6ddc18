/**
 * Prepares a running `fnstack emulator` for this example: registers a second FunctionGraph account
 * (project "team-b") through the emulator's control API and writes a `clouds.yaml` holding the
 * emulator's development entry (`fnstack`) plus `team-b`. Prints the environment and stack config to use
 * as shell lines (`export …`, `pulumi config set …`), for `eval` in the stack's directory:
 *
 *   eval "$(npx ts-node setup-emulator.ts http://127.0.0.1:<port> <emulator data dir>)"
 *
 * OCI needs no second account here: both copies of the OCI function use the development account, in two
 * regions, which the emulator serves under `<url>/regions/<region>/` (FNSTACK_OCI_ENDPOINT carries the
 * `{region}` placeholder).
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";

/** What the example needs to run against the emulator. */
export interface MultiRegionSetup {
  /** Environment of `pulumi up`. */
  readonly env: Record<string, string>;
  /** Stack config (`pulumi config set <key> <value>`). */
  readonly config: Record<string, string>;
  /** The second account's project id. */
  readonly teamBProjectId: string;
}

/** Registers the team-b account and writes `<dataDir>/multi-region.clouds.yaml`. */
export async function setUpMultiRegion(url: string, dataDir: string): Promise<MultiRegionSetup> {
  const teamB = {
    accessKey: `TEAMB${randomBytes(8).toString("hex").toUpperCase()}`,
    secretKey: randomBytes(20).toString("hex"),
    projectId: randomBytes(16).toString("hex"),
    projectName: "eu-de",
  };
  const response = await fetch(`${url}/_emulator/credentials`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ service: "functiongraph", ...teamB }),
  });
  if (!response.ok) throw new Error(`registering team-b: ${response.status} ${await response.text()}`);

  const emulatorClouds = parse(readFileSync(join(dataDir, "clouds.yaml"), "utf8")) as {
    clouds: Record<string, Record<string, unknown>>;
  };
  const fnstack = emulatorClouds.clouds.fnstack;
  if (fnstack === undefined) throw new Error(`no fnstack cloud in ${join(dataDir, "clouds.yaml")}`);
  const cloudsYaml = join(dataDir, "multi-region.clouds.yaml");
  const teamBEntry = {
    auth: { auth_url: `${url}/v3`, project_id: teamB.projectId, project_name: teamB.projectName },
    region_name: "eu-de",
    ak: teamB.accessKey,
    sk: teamB.secretKey,
  };
  writeFileSync(cloudsYaml, stringify({ clouds: { fnstack, "team-b": teamBEntry } }), { mode: 0o600 });

  const ociConfig = readFileSync(join(dataDir, "oci", "config"), "utf8");
  const tenancy = /^tenancy=(.+)$/m.exec(ociConfig)?.[1];
  if (tenancy === undefined) throw new Error("no tenancy in the emulator's OCI config");
  return {
    env: {
      FNSTACK_OCI_ENDPOINT: `${url}/regions/{region}`,
      OCI_CONFIG_FILE: join(dataDir, "oci", "config"),
      FNSTACK_FUNCTIONGRAPH_ENDPOINT: `${url}/regions/{region}`,
      OS_CLIENT_CONFIG_FILE: cloudsYaml,
      OS_CLOUD: "fnstack",
    },
    config: {
      "multi-region:compartmentId": tenancy,
      "multi-region:subnetId": "ocid1.subnet.oc1.iad.aaaaaaaaexample",
    },
    teamBProjectId: teamB.projectId,
  };
}

if (require.main === module) {
  const [url, dataDir] = process.argv.slice(2);
  if (url === undefined || dataDir === undefined) {
    console.error("usage: ts-node setup-emulator.ts <emulator url> <emulator data dir>");
    process.exit(2);
  }
  setUpMultiRegion(url, dataDir).then(
    (setup) => {
      for (const [k, v] of Object.entries(setup.env)) console.log(`export ${k}='${v}'`);
      for (const [k, v] of Object.entries(setup.config)) console.log(`pulumi config set ${k} '${v}'`);
    },
    (err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    },
  );
}
