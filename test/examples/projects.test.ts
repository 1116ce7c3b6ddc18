import { strict as assert } from "node:assert";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { EngineModel } from "../../engine-model/engine";
import { readProject, resolveProgram } from "../../engine-model/program";

// Every Pulumi project in the repository is one a user can `pulumi up`: its program resolves (as
// @pulumi/pulumi's cmd/run resolves it) to the intended file, type-checks, and each example's README
// commands run, up to where the Pulumi CLI itself is needed, against the emulator started by the
// README's own command.

const repoRoot = resolve(__dirname, "..", "..");
const examples = readdirSync(join(repoRoot, "examples")).filter((d) =>
  existsSync(join(repoRoot, "examples", d, "Pulumi.yaml")),
);

describe("Pulumi projects: the program Pulumi's Node runner would run", function () {
  this.timeout(120_000);

  it("finds a project at the root and in every example", () => {
    assert.ok(existsSync(join(repoRoot, "Pulumi.yaml")));
    assert.deepEqual(examples.sort(), [
      "demo",
      "functiongraph-hello",
      "multi-region",
      "oci-container-instance",
      "oci-functions",
    ]);
  });

  it("resolves the root Pulumi.yaml to the demo program, not the library", () => {
    assert.equal(resolveProgram(repoRoot), join(repoRoot, "examples", "demo", "index.ts"));
  });

  for (const example of examples) {
    it(`resolves examples/${example}/Pulumi.yaml to its own index.ts`, () => {
      const dir = join(repoRoot, "examples", example);
      assert.equal(resolveProgram(dir), join(dir, "index.ts"));
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      };
      assert.equal(pkg.dependencies.fnstack, "file:../..");
      assert.ok(pkg.dependencies["@pulumi/pulumi"]);
    });
  }

  it("resolves as cmd/run does: a directory main falls back to the nearest package.json's entry point", async () => {
    // The layout the root Pulumi.yaml used to have (`main: prog/`, no package.json in prog/): the
    // resolver and the real runner must agree that the package's exports win over prog/index.js.
    const dir = mkdtempSync(join(tmpdir(), "fnstack-resolve-"));
    try {
      writeFileSync(
        join(dir, "Pulumi.yaml"),
        "name: resolve\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: prog/\n",
      );
      writeFileSync(
        join(dir, "package.json"),
        JSON.stringify({ name: "resolve", exports: { ".": "./lib.js" } }),
      );
      const marker = (name: string): string =>
        `require("fs").writeFileSync(${JSON.stringify(join(dir, "ran.txt"))}, ${JSON.stringify(name)});\n`;
      writeFileSync(join(dir, "lib.js"), marker("lib.js"));
      mkdirSync(join(dir, "prog"));
      writeFileSync(join(dir, "prog", "index.js"), marker("prog/index.js"));
      mkdirSync(join(dir, "node_modules", "@pulumi"), { recursive: true });
      symlinkSync(
        dirname(require.resolve("@pulumi/pulumi/package.json")),
        join(dir, "node_modules", "@pulumi", "pulumi"),
      );
      assert.equal(resolveProgram(dir), join(dir, "lib.js"));
      const engine = new EngineModel({ projectDir: dir, stack: "dev", statePath: join(dir, "state.json") });
      const preview = await engine.preview();
      assert.equal(preview.exitCode, 0, preview.error);
      assert.equal(
        readFileSync(join(dir, "ran.txt"), "utf8"),
        "lib.js",
        "cmd/run ran the package's entry point",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The shell blocks of a README under "## Run it against the emulator" (the demo: "## With the Pulumi CLI"). */
function readmeCommands(example: string): { emulator: string; commands: string[] } {
  const text = readFileSync(join(repoRoot, "examples", example, "README.md"), "utf8");
  const section = text.split(/^## (?:Run it against the emulator|With the Pulumi CLI)$/m)[1] ?? "";
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] ?? "").trim().split("\n"));
  const emulator = blocks.flat().find((l) => l.startsWith("npx fnstack emulator"));
  assert.ok(emulator, `examples/${example}/README.md names the emulator command`);
  return { emulator, commands: blocks.flat().filter((l) => !l.startsWith("npx fnstack emulator")) };
}

/** A shell word without its single or double quotes: `'a{b}'` → `a{b}`. */
function unquote(word: string): string {
  return /^(['"]).*\1$/.test(word) ? word.slice(1, -1) : word;
}

/**
 * The lines a README's `eval "$(npx ts-node <script> <args>)"` runs: the script's output, run with the
 * example's own ts-node (a devDependency `npm install` puts in the example's node_modules/.bin; here the
 * repository's, which is the same package).
 */
function evalLines(line: string, cwd: string, env: NodeJS.ProcessEnv): string[] {
  const inner = /^eval "\$\((.*)\)"$/.exec(line)?.[1] ?? "";
  const words = inner.split(/\s+/);
  assert.deepEqual(words.slice(0, 2), ["npx", "ts-node"], `${line}: evaluates a ts-node script`);
  const output = execFileSync(
    process.execPath,
    [require.resolve("ts-node/dist/bin.js"), "--transpile-only", ...words.slice(2)],
    { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  return output.split("\n").filter((l) => l.trim() !== "");
}

/** Starts the emulator as the README says (through the built CLI), with its data dir and port replaced. */
async function startEmulatorCommand(
  line: string,
  dataDir: string,
): Promise<{ child: ChildProcess; url: string; hints: string }> {
  const args = line.replace(/^npx fnstack /, "").split(/\s+/);
  const at = args.indexOf("--data-dir");
  const port = args.indexOf("--port");
  assert.ok(at > 0 && port > 0, `${line}: names --data-dir and --port`);
  args[at + 1] = dataDir;
  args[port + 1] = "0";
  const child = spawn(process.execPath, [join(repoRoot, "dist", "cli", "fnstack.js"), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let hints = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (hints += chunk));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match) resolveUrl(match[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`emulator exited ${code}: ${hints}`)));
  });
  // The hints (stderr) follow the URL line: wait for the last one.
  for (let i = 0; i < 100 && !hints.includes("OS_CLOUD"); i++) await new Promise((r) => setTimeout(r, 20));
  return { child, url, hints };
}

describe("examples: each README's commands, up to where the Pulumi CLI is needed", function () {
  this.timeout(300_000);

  for (const example of examples) {
    it(`examples/${example}: tsc, then up, refresh (no drift) and destroy through cmd/run against the emulator`, async () => {
      const dir = join(repoRoot, "examples", example);
      execFileSync(
        process.execPath,
        [require.resolve("typescript/bin/tsc"), "-p", join(dir, "tsconfig.json"), "--noEmit"],
        {
          stdio: "pipe",
        },
      );
      const { emulator, commands } = readmeCommands(example);
      const readmeDataDir = emulator.split(/\s+/)[emulator.split(/\s+/).indexOf("--data-dir") + 1] as string;
      const readmePort = emulator.split(/\s+/)[emulator.split(/\s+/).indexOf("--port") + 1] as string;
      const work = mkdtempSync(join(tmpdir(), `fnstack-${example}-`));
      const running = await startEmulatorCommand(emulator, join(work, "data"));
      try {
        const compartment = /OCI development compartment:\s+(\S+)/.exec(running.hints)?.[1] ?? "";
        const subnet = /OCI development subnet:\s+(\S+)/.exec(running.hints)?.[1] ?? "";
        const substitute = (text: string): string =>
          text
            .replaceAll(`http://127.0.0.1:${readmePort}`, running.url)
            .replaceAll(readmeDataDir, join(work, "data"))
            .replaceAll("<compartment OCID>", compartment)
            .replaceAll("<subnet OCID>", subnet);
        const env: NodeJS.ProcessEnv = { ...process.env };
        for (const key of Object.keys(env)) if (/^(OCI_|OS_|FNSTACK_|PULUMI_)/.test(key)) delete env[key];
        env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
        const project = readProject(dir).name;
        const config: Record<string, string> = {};
        const engine = (): EngineModel =>
          new EngineModel({
            projectDir: dir,
            stack: "dev",
            statePath: join(work, "state.json"),
            config,
            env,
          });
        const ran: string[] = [];
        // README lines get the test's URL and data dir; lines a script printed already hold them.
        const pending = commands.map((raw) => ({ raw, line: substitute(raw) }));
        for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
          const { raw, line } = next;
          const words = line.split(/\s+/);
          if (line.startsWith("eval ")) {
            // The printed `export` and `pulumi config set` lines run next, as the shell runs them.
            pending.unshift(...evalLines(line, dir, env).map((printed) => ({ raw: printed, line: printed })));
          } else if (line.startsWith("export ")) {
            for (const assignment of words.slice(1)) {
              const [name, ...value] = assignment.split("=");
              env[name as string] = unquote(value.join("="));
            }
          } else if (line.startsWith("pulumi config set ")) {
            const [key, value] = words.slice(3) as [string, string];
            config[key.includes(":") ? key : `${project}:${key}`] = unquote(value);
          } else if (/^pulumi (up|refresh|destroy|preview)\b/.test(line)) {
            const op = words[1] as "up" | "refresh" | "destroy" | "preview";
            const result =
              op === "refresh"
                ? await engine().refresh({
                    previewOnly: words.includes("--preview-only"),
                    expectNoChanges: words.includes("--expect-no-changes"),
                  })
                : await engine()[op]();
            assert.equal(result.exitCode, 0, `${raw}: ${result.error ?? ""}`);
            if (op === "refresh") {
              const drift = result.steps.filter((s) => s.op !== "same");
              assert.deepEqual(drift, [], `${raw} right after up shows no drift`);
            }
            if (op === "up")
              assert.ok(result.steps.length > 0 && result.steps.every((s) => s.op === "create"));
            if (op === "destroy") assert.ok(result.steps.every((s) => s.op === "delete"));
            ran.push(op);
          }
          // `cd`, `npm install`, `pulumi login`, `pulumi stack init`: the Pulumi CLI's and npm's part.
        }
        assert.deepEqual(ran, ["up", "refresh", "destroy"]);
      } finally {
        running.child.kill("SIGTERM");
        await new Promise((r) => running.child.once("exit", r));
        rmSync(work, { recursive: true, force: true });
      }
    });
  }
});
