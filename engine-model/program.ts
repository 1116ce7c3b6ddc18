/**
 * Runs a Pulumi program the way `pulumi preview` / `pulumi up` do for a Node.js project: the project's
 * `Pulumi.yaml` gives the program directory and entry point (pulumi/pulumi `pkg/engine/project.go`
 * `getPwdMain`), and `@pulumi/pulumi/cmd/run`, resolved from the program directory, runs it with the
 * arguments and environment of Pulumi's Node language host (`sdk/nodejs/cmd/pulumi-language-nodejs/
 * main.go` `Run`, `execRuntime`, `constructArguments`, `constructConfig`, `parseOptions`).
 *
 * Not passed: `--sync` (the pipes for synchronous invokes; the programs run here make no invokes),
 * `--tracing`. The language host's own monitor proxy is left out: the program dials the engine
 * model's monitor directly, which sees the same requests.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";

/** What a project's Pulumi.yaml says about how to run it. */
export interface ProjectFile {
  readonly name: string;
  readonly runtime: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly main?: string;
}

/** Reads `<projectDir>/Pulumi.yaml` (`workspace.Project`: `name`, `runtime` as a string or `{name, options}`, `main`). */
export function readProject(projectDir: string): ProjectFile {
  const file = join(projectDir, "Pulumi.yaml");
  const parsed = parseYaml(readFileSync(file, "utf8")) as Record<string, unknown> | null;
  const name = parsed?.name;
  if (typeof name !== "string" || name === "") throw new Error(`${file}: name is required`);
  const runtime = parsed?.runtime;
  const runtimeName =
    typeof runtime === "string" ? runtime : (runtime as { name?: unknown } | undefined)?.name;
  if (runtimeName !== "nodejs")
    throw new Error(`${file}: runtime must be nodejs, not ${String(runtimeName)}`);
  const options =
    typeof runtime === "object" && runtime !== null
      ? ((runtime as { options?: Record<string, unknown> }).options ?? {})
      : {};
  const main = parsed?.main;
  if (main !== undefined && typeof main !== "string") throw new Error(`${file}: main must be a string`);
  return { name, runtime: runtimeName, options, main };
}

/**
 * The program directory (`pwd`) and entry point for a project, as `getPwdMain` computes them: no `main`
 * → the project directory and "."; a directory → that directory and "."; a file → its directory and
 * its base name.
 */
export function pwdAndMain(projectDir: string, main: string | undefined): { pwd: string; main: string } {
  if (main === undefined || main === "") return { pwd: projectDir, main: "." };
  const full = isAbsolute(main) ? main : resolve(projectDir, main);
  if (!existsSync(full)) throw new Error(`project 'main' could not be read: ${full} does not exist`);
  if (statSync(full).isDirectory()) return { pwd: full, main: "." };
  return { pwd: dirname(full), main: full.slice(dirname(full).length + 1) };
}

/**
 * The file `@pulumi/pulumi/cmd/run` would load for a project: `run.ts` `run` (entry "." → the nearest
 * package.json's `exports` (string, or `"."` as a string or `{default, require, import}`), else its
 * `main`, when that file exists) and then Node's `require` of a directory (its package.json `main`,
 * `index.js`, then `index.ts` as ts-node registers `.ts` after Node's own extensions).
 */
export function resolveProgram(projectDir: string): string {
  const project = readProject(projectDir);
  const { pwd, main } = pwdAndMain(projectDir, project.main);
  let program = join(pwd, main);
  if (main === ".") {
    const packageRoot = packageRootOf(program);
    const packageJson = readPackageJson(packageRoot);
    const exported = packageJson.exports;
    const entry = (candidate: unknown): void => {
      if (typeof candidate === "string" && existsSync(join(packageRoot, candidate)))
        program = join(packageRoot, candidate);
    };
    if (typeof exported === "string") entry(exported);
    else if (typeof exported === "object" && exported !== null) {
      const dot = (exported as Record<string, unknown>)["."];
      if (typeof dot === "string") entry(dot);
      else if (typeof dot === "object" && dot !== null) {
        const conditions = dot as Record<string, unknown>;
        entry(conditions.default || conditions.require || conditions.import);
      }
    } else if (packageJson.main) entry(packageJson.main);
  }
  return requireTarget(program);
}

function packageRootOf(programPath: string): string {
  let dir =
    existsSync(programPath) && statSync(programPath).isDirectory() ? programPath : dirname(programPath);
  const start = dir;
  for (;;) {
    if (existsSync(join(dir, "package.json")) || existsSync(join(dir, "package.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
}

function readPackageJson(dir: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** What `require(path)` loads for a file or a directory (Node's LOAD_AS_FILE / LOAD_AS_DIRECTORY). */
function requireTarget(path: string): string {
  const extensions = ["", ".js", ".json", ".node", ".ts"];
  if (existsSync(path) && statSync(path).isDirectory()) {
    const main = readPackageJson(path).main;
    if (typeof main === "string") {
      for (const ext of extensions) if (isFile(join(path, main) + ext)) return join(path, main) + ext;
    }
    for (const index of ["index.js", "index.json", "index.node", "index.ts"]) {
      if (isFile(join(path, index))) return join(path, index);
    }
    throw new Error(`No entrypoint found in ${path}`);
  }
  for (const ext of extensions) if (isFile(path + ext)) return path + ext;
  throw new Error(`Cannot find module '${path}'`);
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** Options of {@link runProgram}. */
export interface RunProgramOptions {
  readonly projectDir: string;
  readonly project: ProjectFile;
  readonly stack: string;
  readonly organization?: string;
  /** `"<namespace>:<key>"` → value, as `RunRequest.config` carries it. */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  readonly dryRun: boolean;
  readonly parallel: number;
  readonly monitorAddress: string;
  readonly engineAddress: string;
  /** The CLI's environment (the language host passes its own `os.Environ()` on). */
  readonly env: NodeJS.ProcessEnv;
  /** Each line the program writes, as the CLI shows it (stdout as info, stderr as error output). */
  readonly output: (line: string, stream: "stdout" | "stderr") => void;
}

/** The outcome of a program run (`RunResponse`). */
export interface ProgramResult {
  /** "" on success; else the language host's message. */
  readonly error: string;
  /** The program printed its own error and exited 32: the CLI shows nothing more (`Bail`). */
  readonly bail: boolean;
}

/** The exit code by which cmd/run says "the user already saw an actionable message". */
const exitedAfterLoggingUserActionableMessage = 32;

/** Runs the program once under `@pulumi/pulumi/cmd/run`; resolves when the process exits. */
export function runProgram(options: RunProgramOptions): Promise<ProgramResult> {
  const { pwd, main } = pwdAndMain(options.projectDir, options.project.main);
  // `locateModule`: the runner is the program's own @pulumi/pulumi.
  const runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [pwd] });
  const args = [runPath];
  const arg = (key: string, value: string | undefined): void => {
    if (value) args.push(`--${key}`, value);
  };
  arg("monitor", options.monitorAddress);
  arg("engine", options.engineAddress);
  arg("organization", options.organization ?? "organization");
  arg("project", options.project.name);
  arg("root-directory", options.projectDir);
  arg("stack", options.stack);
  arg("pwd", pwd);
  if (options.dryRun) args.push("--dry-run");
  arg("parallel", String(options.parallel));
  args.push(main);

  // `constructConfig`: keys in the old `<namespace>:config:<name>` form the SDK reads.
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.config)) {
    const at = key.indexOf(":");
    config[`${key.slice(0, at)}:config:${key.slice(at + 1)}`] = value;
  }
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretKeys),
  };
  const {
    typescript = true,
    tsconfig,
    nodeargs,
  } = options.project.options as {
    typescript?: boolean;
    tsconfig?: string;
    nodeargs?: string;
  };
  if (typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = tsconfig;
  const nodeArgs = nodeargs ? nodeargs.split(/\s+/).filter((a) => a !== "") : [];

  return new Promise<ProgramResult>((resolveRun) => {
    const child = spawn(process.execPath, [...nodeArgs, ...args], {
      cwd: options.projectDir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const pump = (stream: NodeJS.ReadableStream | null, name: "stdout" | "stderr"): void => {
      let buffered = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          options.output(buffered.slice(0, newline), name);
          buffered = buffered.slice(newline + 1);
        }
      });
      stream?.on("end", () => {
        if (buffered !== "") options.output(buffered, name);
      });
    };
    pump(child.stdout, "stdout");
    pump(child.stderr, "stderr");
    child.once("error", (err) =>
      resolveRun({
        error: `Problem executing program (could not run language executor): ${err.message}`,
        bail: false,
      }),
    );
    child.once("close", (code, signal) => {
      if (code === 0) resolveRun({ error: "", bail: false });
      else if (code === exitedAfterLoggingUserActionableMessage) resolveRun({ error: "", bail: true });
      else resolveRun({ error: `Program exited with non-zero exit code: ${code ?? signal}`, bail: false });
    });
  });
}
