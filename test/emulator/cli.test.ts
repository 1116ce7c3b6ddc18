import { strict as assert } from "node:assert";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { OciTestClient } from "./helpers";

const repo = join(__dirname, "..", "..");

function spawnCli(args: string[]): ChildProcess {
  return spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", join(repo, "cli", "fnstack.ts"), ...args],
    {
      cwd: repo,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
    },
  );
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) {
        child.stdout?.off("data", onData);
        resolve(out.slice(0, nl));
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`exited with ${String(code)} before printing: ${out}`)));
  });
}

describe("fnstack emulator (command line)", function () {
  this.timeout(60_000);
  let dir: string;
  const children: ChildProcess[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "fnstack-cli-test-"));
  });
  after(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints exactly one line with the URL, writes the development account, serves signed requests and stops on SIGTERM", async () => {
    const dataDir = join(dir, "data");
    const child = spawnCli([
      "emulator",
      "--port",
      "0",
      "--data-dir",
      dataDir,
      "--state",
      join(dir, "state.json"),
    ]);
    children.push(child);
    let stdout = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    const line = await firstLine(child);
    const match = /^fnstack emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
    assert.ok(match, line);
    const url = match[1] as string;

    const configFile = join(dataDir, "oci", "config");
    const config = readFileSync(configFile, "utf8");
    assert.match(config, /^\[DEFAULT\]$/m);
    for (const key of ["user", "fingerprint", "tenancy", "region", "key_file"])
      assert.match(config, new RegExp(`^${key}=\\S+$`, "m"));
    assert.match(
      config,
      new RegExp(
        `^key_file=${join(dataDir, "oci", "key.pem").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`,
        "m",
      ),
    );
    assert.match(readFileSync(join(dataDir, "oci", "key.pem"), "utf8"), /BEGIN PRIVATE KEY/);
    assert.ok(existsSync(join(dataDir, "clouds.yaml")));

    const tenancy = /^tenancy=(\S+)$/m.exec(config)?.[1] as string;
    const oci = new OciTestClient({
      url,
      oci: {
        configFile,
        profile: "DEFAULT",
        region: "us-ashburn-1",
        tenancyOcid: tenancy,
        compartmentOcid: tenancy,
        subnetOcid: "",
      },
    });
    const res = await oci.call("GET", `/20181201/applications?compartmentId=${tenancy}`);
    assert.equal(res.status, 200, res.text);

    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 0);
    assert.equal(stdout.trim().split("\n").length, 1, `stdout: ${stdout}`);
    assert.ok(existsSync(join(dir, "state.json")));
  });

  it("prints the package version", async () => {
    const child = spawnCli(["--version"]);
    children.push(child);
    const line = await firstLine(child);
    assert.equal(
      line,
      (JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { version: string }).version,
    );
  });

  it("exits non-zero with a usage message for an unknown option", async () => {
    const child = spawnCli(["emulator", "--bogus", "1"]);
    children.push(child);
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(child, "exit")) as [number | null];
    assert.notEqual(code, 0);
    assert.match(stderr, /unknown option --bogus/);
  });
});
