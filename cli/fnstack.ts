#!/usr/bin/env node
/**
 * The `fnstack` command line. Subcommands:
 * - `fnstack emulator [--host H] [--port P] [--data-dir D] [--state FILE]`: run the local emulator.
 * - `fnstack --version`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { runEmulatorCommand } from "../emulator/cli";

type Subcommand = (args: string[]) => Promise<number>;

const subcommands: Record<string, () => Subcommand> = {
  // Loaded on use so `fnstack --version` does not pay for the emulator.
  emulator: () =>
    (require("../emulator/cli") as { runEmulatorCommand: typeof runEmulatorCommand }).runEmulatorCommand,
};

function packageVersion(): string {
  // dist/cli/fnstack.js sits two levels below package.json; cli/fnstack.ts (ts-node) one level.
  for (const up of [["..", ".."], [".."]]) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, ...up, "package.json"), "utf8")) as {
        name?: string;
        version: string;
      };
      if (pkg.name === "fnstack") return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  throw new Error("cannot find fnstack's package.json");
}

function usage(): string {
  const names = Object.keys(subcommands).sort();
  return `usage: fnstack <${names.join("|") || "command"}> [options]\n       fnstack --version`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-v") {
    console.log(packageVersion());
    return 0;
  }
  const load = name === undefined ? undefined : subcommands[name];
  if (load === undefined) {
    console.error(
      name === undefined || name === "--help" ? usage() : `fnstack: unknown command "${name}"\n${usage()}`,
    );
    return name === "--help" ? 0 : 2;
  }
  return load()(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`fnstack: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
