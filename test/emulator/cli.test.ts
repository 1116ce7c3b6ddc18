import { strict as assert } from "node:assert";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { startEmulator } from "../../emulator";
import { emulatorHints } from "../../emulator/cli";
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

function stderrUntil(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let err = "";
    const onData = (chunk: Buffer): void => {
      err += chunk.toString();
      if (pattern.test(err)) {
        child.stderr?.off("data", onData);
        resolve(err);
      }
    };
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`exited with ${String(code)}; stderr: ${err}`)));
  });
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
    const hints = stderrUntil(child, /^export OS_CLOUD=.*\n/m);
    hints.catch(() => undefined); // awaited below; this only keeps an early exit from being unhandled
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

    const stderr = await hints;
    assert.match(stderr, new RegExp(`^export FNSTACK_OCI_ENDPOINT=${url}$`, "m"));
    assert.ok(stderr.includes(`\nexport OCI_CONFIG_FILE=${configFile}\n`), stderr);
    assert.match(stderr, new RegExp(`^export FNSTACK_FUNCTIONGRAPH_ENDPOINT=${url}$`, "m"));
    assert.ok(stderr.includes(`\nexport OS_CLIENT_CONFIG_FILE=${join(dataDir, "clouds.yaml")}\n`), stderr);
    const compartment = /^OCI development compartment: (ocid1\.\S+)$/m.exec(stderr)?.[1];
    const subnet = /^OCI development subnet: +(ocid1\.subnet\.\S+)$/m.exec(stderr)?.[1];
    assert.ok(compartment !== undefined && subnet !== undefined, stderr);
    const app = await oci.call("POST", "/20181201/applications", {
      body: { compartmentId: compartment, displayName: "from-hints", subnetIds: [subnet] },
    });
    assert.equal(app.status, 200, `the printed compartment and subnet create an application: ${app.text}`);

    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 0);
    assert.equal(stdout.trim().split("\n").length, 1, `stdout: ${stdout}`);
    assert.ok(existsSync(join(dir, "state.json")));
  });

  it("prints hints whose export lines a POSIX shell reads back exactly, even for a data dir with spaces and quotes", async () => {
    const emu = await startEmulator({ dataDir: join(dir, "it's a dir") });
    try {
      const hints = emulatorHints(emu);
      for (const ocid of [emu.oci.compartmentOcid, emu.oci.subnetOcid])
        assert.ok(hints.includes(ocid), `${ocid} in ${hints}`);
      const exports = hints
        .split("\n")
        .filter((l) => l.startsWith("export "))
        .join("\n");
      const vars = [
        "FNSTACK_OCI_ENDPOINT",
        "OCI_CONFIG_FILE",
        "FNSTACK_FUNCTIONGRAPH_ENDPOINT",
        "OS_CLIENT_CONFIG_FILE",
        "OS_CLOUD",
      ];
      const printed = execFileSync(
        "sh",
        ["-c", `${exports}\nprintf '%s\\n' ${vars.map((v) => `"$${v}"`).join(" ")}`],
        {
          encoding: "utf8",
        },
      );
      assert.deepEqual(printed.split("\n").slice(0, -1), [
        emu.url,
        emu.oci.configFile,
        emu.url,
        emu.functiongraph.cloudsYaml,
        "fnstack",
      ]);
    } finally {
      await emu.close();
    }
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
