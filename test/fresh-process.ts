import { execFileSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..");

/**
 * Runs `script` in a fresh Node process (ts-node, cwd the repository root, so `require("./sdk/…")`
 * loads the sources) and parses the one JSON line it prints. For what a shared test process cannot
 * show: which modules a code path loads, and process-wide hooks it installs.
 */
export function inFreshProcess(script: string): unknown {
  const output = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
  });
  return JSON.parse(output);
}
