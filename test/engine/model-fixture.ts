/**
 * Fixture projects for the engine-model tests: a JavaScript Pulumi program (`index.js`, run by
 * `@pulumi/pulumi/cmd/run` without ts-node) declaring `fake:Thing` dynamic resources whose inline
 * provider calls the `fake-cloud` package in the project's node_modules. The fake cloud keeps its
 * objects in a JSON file (so they survive from one plugin process to the next, as a cloud would) and
 * appends every provider call to a log the tests read: method, resource name, plugin pid, start and end.
 *
 * Behaviour is chosen by inputs: `forceNew` changes force a replacement (`dbr: true` asks for
 * delete-before-replace); `delayMs` makes create/update/delete take that long; `failCreate`,
 * `failDelete` throw; `initFail` makes create throw `ErrorResourceInitFailed` with the new id;
 * `readDelayMs` slows down read; `progress` makes create report it through fnstack's provider/progress. `Plain` resources have no `diff` method.
 */
import {
  readFileSync,
  writeFileSync,
  existsSync,
  mkdirSync,
  symlinkSync,
  mkdtempSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { EngineModel, type EngineModelOptions } from "../../engine-model/engine";

const fakeCloud = String.raw`"use strict";
const fs = require("fs");
const file = () => process.env.FAKE_CLOUD_FILE;
const load = () => (fs.existsSync(file()) ? JSON.parse(fs.readFileSync(file(), "utf8")) : { next: 1, objects: {} });
const store = (db) => fs.writeFileSync(file(), JSON.stringify(db));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms || 0));
async function logged(method, name, args, body) {
  const entry = { method, name, pid: process.pid, start: Date.now(), args };
  try {
    return await body();
  } finally {
    entry.end = Date.now();
    fs.appendFileSync(process.env.FAKE_CLOUD_LOG, JSON.stringify(entry) + "\n");
  }
}
const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const strip = (p) => { const o = { ...p }; delete o.__provider; return o; };
exports.check = (olds, news) => logged("check", news.name, { olds: strip(olds), news: strip(news) }, async () => ({ inputs: news }));
exports.diff = (id, olds, news) =>
  logged("diff", news.name === unknown ? olds.name : news.name, { id, news: strip(news) }, async () => {
    const keys = Object.keys({ ...strip(olds), ...strip(news) }).filter((k) => !["id", "lastModified", "failCreate", "initFail"].includes(k));
    const changed = keys.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    const replaces = changed.filter((k) => k === "forceNew" || k === "parentId");
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: news.dbr === true };
  });
exports.create = (inputs) =>
  logged("create", inputs.name, {}, async () => {
    if (inputs.progress) require(process.env.FNSTACK_PROGRESS_MODULE).reportProgress(inputs.name + ": " + inputs.progress);
    await sleep(inputs.delayMs);
    if (inputs.failCreate) throw new Error("create of " + inputs.name + " failed");
    const db = load();
    const id = "obj-" + db.next++;
    const outs = { ...strip(inputs), id, lastModified: Date.now() };
    db.objects[id] = outs;
    store(db);
    if (inputs.initFail) {
      const err = new Error(inputs.name + " failed to initialize");
      err.id = id;
      // As fnstack's partialFailure does: the plugin leaves __provider out of these, and Delete needs it.
      err.properties = { ...outs, __provider: inputs.__provider };
      err.reasons = ["health check failed"];
      throw err;
    }
    return { id, outs };
  });
exports.read = (id, props) =>
  logged("read", props.name, { id }, async () => {
    await sleep(props.readDelayMs);
    const live = load().objects[id];
    if (live === undefined) return { id: "", props: {} };
    const inputs = { ...live };
    delete inputs.id;
    delete inputs.lastModified;
    return { id, props: live, inputs };
  });
exports.update = (id, olds, news) =>
  logged("update", news.name, { id }, async () => {
    await sleep(news.delayMs);
    const db = load();
    const outs = { ...strip(news), id, lastModified: Date.now() };
    db.objects[id] = outs;
    store(db);
    return { outs };
  });
exports.delete = (id, props) =>
  logged("delete", props.name, { id }, async () => {
    await sleep(props.delayMs);
    if (props.failDelete) throw new Error("delete of " + props.name + " failed");
    const db = load();
    delete db.objects[id];
    store(db);
  });
`;

/** The head of every fixture program: `Thing` and the config. */
export const programHead = String.raw`"use strict";
const pulumi = require("@pulumi/pulumi");
const provider = {
  check: (o, n) => require("fake-cloud").check(o, n),
  diff: (id, o, n) => require("fake-cloud").diff(id, o, n),
  create: (i) => require("fake-cloud").create(i),
  read: (id, p) => require("fake-cloud").read(id, p),
  update: (id, o, n) => require("fake-cloud").update(id, o, n),
  delete: (id, p) => require("fake-cloud").delete(id, p),
};
// Without a diff method: the engine diffs the inputs itself (DIFF_UNKNOWN).
const plainProvider = {
  check: (o, n) => require("fake-cloud").check(o, n),
  create: (i) => require("fake-cloud").create(i),
  read: (id, p) => require("fake-cloud").read(id, p),
  update: (id, o, n) => require("fake-cloud").update(id, o, n),
  delete: (id, p) => require("fake-cloud").delete(id, p),
};
class Plain extends pulumi.dynamic.Resource {
  constructor(name, props, opts) {
    super(plainProvider, name, { ...props, name: props.name || name }, opts, "fake", "Plain");
  }
}
class Thing extends pulumi.dynamic.Resource {
  constructor(name, props, opts) {
    super(provider, name, { lastModified: undefined, ...props, name: props.name || name }, opts, "fake", "Thing");
  }
}
const config = new pulumi.Config();
const step = config.getNumber("step") || 1;
`;

/** One logged provider call. */
export interface CloudCall {
  readonly method: "check" | "diff" | "create" | "read" | "update" | "delete";
  readonly name: string;
  readonly pid: number;
  readonly start: number;
  readonly end: number;
  readonly args: Record<string, unknown>;
}

/** A fixture project with an engine model over it. */
export interface ModelProject {
  readonly dir: string;
  readonly statePath: string;
  /** An engine model for stack `dev` with `fixture:step` = `step`. */
  engine(step?: number, options?: Partial<EngineModelOptions>): EngineModel;
  /** Every provider call so far. */
  calls(): CloudCall[];
  /** Forgets the calls so far. */
  clearCalls(): void;
  /** The fake cloud's live objects by id. */
  objects(): Record<string, Record<string, unknown>>;
  /** Changes a live object behind the engine's back. */
  drift(id: string, patch: Record<string, unknown>): void;
  remove(): void;
}

/** Writes a project whose `index.js` is {@link programHead} + `body`. */
export function modelProject(body: string): ModelProject {
  const dir = mkdtempSync(join(tmpdir(), "fnstack-model-"));
  writeFileSync(
    join(dir, "Pulumi.yaml"),
    "name: fixture\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
  );
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "fixture", private: true }));
  writeFileSync(join(dir, "index.js"), programHead + body);
  mkdirSync(join(dir, "node_modules", "@pulumi"), { recursive: true });
  mkdirSync(join(dir, "node_modules", "fake-cloud"));
  writeFileSync(join(dir, "node_modules", "fake-cloud", "index.js"), fakeCloud);
  const pulumiDir =
    process.env.FNSTACK_ENGINE_PULUMI_DIR || dirname(require.resolve("@pulumi/pulumi/package.json"));
  symlinkSync(pulumiDir, join(dir, "node_modules", "@pulumi", "pulumi"), "dir");
  const cloudFile = join(dir, "cloud.json");
  const logFile = join(dir, "calls.jsonl");
  const statePath = join(dir, "state.json");
  return {
    dir,
    statePath,
    engine: (step = 1, options = {}) =>
      new EngineModel({
        projectDir: dir,
        stack: "dev",
        statePath,
        config: { "fixture:step": String(step) },
        env: {
          ...process.env,
          FAKE_CLOUD_FILE: cloudFile,
          FAKE_CLOUD_LOG: logFile,
          FNSTACK_PROGRESS_MODULE: join(__dirname, "..", "..", "dist", "provider", "progress.js"),
        },
        ...options,
      }),
    calls: () =>
      existsSync(logFile)
        ? readFileSync(logFile, "utf8")
            .split("\n")
            .filter((l) => l !== "")
            .map((l) => JSON.parse(l) as CloudCall)
        : [],
    clearCalls: () => writeFileSync(logFile, ""),
    objects: () =>
      existsSync(cloudFile)
        ? (
            JSON.parse(readFileSync(cloudFile, "utf8")) as {
              objects: Record<string, Record<string, unknown>>;
            }
          ).objects
        : {},
    drift: (id, patch) => {
      const db = JSON.parse(readFileSync(cloudFile, "utf8")) as {
        objects: Record<string, Record<string, unknown>>;
      };
      db.objects[id] = { ...db.objects[id], ...patch };
      writeFileSync(cloudFile, JSON.stringify(db));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
