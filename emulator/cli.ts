import { type RunningEmulator, startEmulator } from "./index";

const usage = "usage: fnstack emulator [--host 127.0.0.1] [--port 0] [--data-dir DIR] [--state FILE]";

/** Parses `--name value` / `--name=value` flags; throws with a usage message on anything else. */
export function parseEmulatorArgs(args: readonly string[]): {
  host?: string;
  port?: number;
  dataDir?: string;
  statePath?: string;
  help?: boolean;
} {
  const out: { host?: string; port?: number; dataDir?: string; statePath?: string; help?: boolean } = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--help" || arg === "-h") {
      out.help = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === "") throw new Error(`${name} needs a value\n${usage}`);
    switch (name) {
      case "--host":
        out.host = value;
        break;
      case "--port": {
        const port = Number(value);
        if (!/^\d+$/.test(value) || port > 65535)
          throw new Error(`--port must be an integer in [0, 65535]\n${usage}`);
        out.port = port;
        break;
      }
      case "--data-dir":
        out.dataDir = value;
        break;
      case "--state":
        out.statePath = value;
        break;
      default:
        throw new Error(`unknown option ${name}\n${usage}`);
    }
  }
  return out;
}

// Values pasted into a POSIX shell: quoted only when they hold characters the shell would interpret.
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * The client settings `fnstack emulator` prints to stderr after its one stdout line: the data dir, the
 * development compartment and subnet OCIDs (what `oci.Application` needs), and `export` lines for both
 * clouds that can be pasted into a shell. Ends with a newline.
 */
export function emulatorHints(
  emulator: Pick<RunningEmulator, "url" | "dataDir" | "oci" | "functiongraph">,
): string {
  const exports = (vars: Record<string, string>): string[] =>
    Object.entries(vars).map(([name, value]) => `export ${name}=${shellQuote(value)}`);
  return [
    `data dir: ${emulator.dataDir}`,
    `OCI development compartment: ${emulator.oci.compartmentOcid}`,
    `OCI development subnet:      ${emulator.oci.subnetOcid}`,
    "(use them as compartmentId and subnetIds of oci.Application and oci.ContainerInstance)",
    "# OCI",
    ...exports({ FNSTACK_OCI_ENDPOINT: emulator.url, OCI_CONFIG_FILE: emulator.oci.configFile }),
    `# FunctionGraph (project ${emulator.functiongraph.projectId}, region ${emulator.functiongraph.region})`,
    ...exports({
      FNSTACK_FUNCTIONGRAPH_ENDPOINT: emulator.url,
      OS_CLIENT_CONFIG_FILE: emulator.functiongraph.cloudsYaml,
      OS_CLOUD: emulator.functiongraph.cloud,
    }),
    `# several regions in one stack: set both endpoints to ${shellQuote(`${emulator.url}/regions/{region}`)}`,
    "",
  ].join("\n");
}

/**
 * `fnstack emulator`: starts the emulator, prints exactly one line `fnstack emulator listening on <url>` to
 * stdout (client settings go to stderr) and runs until SIGTERM or SIGINT. Resolves with the exit code.
 */
export async function runEmulatorCommand(args: readonly string[]): Promise<number> {
  const parsed = parseEmulatorArgs(args);
  if (parsed.help) {
    console.log(usage);
    return 0;
  }
  const emulator = await startEmulator({
    host: parsed.host,
    port: parsed.port,
    dataDir: parsed.dataDir,
    statePath: parsed.statePath,
  });
  process.stdout.write(`fnstack emulator listening on ${emulator.url}\n`);
  process.stderr.write(emulatorHints(emulator));
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      resolve();
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
  await emulator.close();
  return 0;
}
