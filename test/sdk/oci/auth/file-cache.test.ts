import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import fsPromises = require("node:fs/promises");
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  deriveFromFile,
  type FileReads,
  readCachedText,
  resolveOverFiles,
} from "../../../../sdk/oci/auth/file-cache";

describe("sdk/oci file cache", () => {
  let dir: string;
  let n = 0;
  const realReadFile = fsPromises.readFile;
  /** Reads of each path through `node:fs/promises`, counted while a test runs. */
  let reads: Map<string, number>;
  /** When set, the next read of this path fails once. */
  let failNextReadOf: string | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "fnstack-filecache-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    reads = new Map();
    failNextReadOf = undefined;
    (fsPromises as { readFile: unknown }).readFile = async (path: string, ...rest: unknown[]) => {
      reads.set(path, (reads.get(path) ?? 0) + 1);
      if (path === failNextReadOf) {
        failNextReadOf = undefined;
        throw Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" });
      }
      return (realReadFile as (...args: unknown[]) => Promise<unknown>)(path, ...rest);
    };
  });
  afterEach(() => {
    (fsPromises as { readFile: unknown }).readFile = realReadFile;
  });
  const file = (text: string): string => {
    const path = join(dir, `f${n++}`);
    writeFileSync(path, text);
    return path;
  };

  it("reads a file once for calls that ask while the read runs, and again when it changes", async () => {
    const path = file("[DEFAULT]\nregion=iad\n");
    const texts = await Promise.all(Array.from({ length: 20 }, () => readCachedText(path)));
    assert.ok(texts.every((t) => t === "[DEFAULT]\nregion=iad\n"));
    assert.equal(reads.get(path), 1);
    assert.equal(await readCachedText(path), "[DEFAULT]\nregion=iad\n");
    assert.equal(reads.get(path), 1);

    writeFileSync(path, "[DEFAULT]\nregion=phx-changed\n");
    assert.equal(await readCachedText(path), "[DEFAULT]\nregion=phx-changed\n");
    assert.equal(reads.get(path), 2);
  });

  it("derives once per version of the file, and does not keep a failed derivation", async () => {
    const path = file("one");
    let derivations = 0;
    const derive = (text: string): string => {
      derivations++;
      if (text === "bad") throw new Error("cannot parse");
      return text.toUpperCase();
    };
    assert.equal(await deriveFromFile(path, "upper", derive), "ONE");
    assert.equal(await deriveFromFile(path, "upper", derive), "ONE");
    assert.equal(derivations, 1);

    writeFileSync(path, "bad");
    await assert.rejects(deriveFromFile(path, "upper", derive), /cannot parse/);
    await assert.rejects(deriveFromFile(path, "upper", derive), /cannot parse/);
    assert.equal(derivations, 3, "a failed derivation runs again at the next call");
  });

  it("does not keep a failed read: the next call reads the file again", async () => {
    const path = file("text");
    failNextReadOf = path;
    await assert.rejects(readCachedText(path), { code: "EIO" });
    assert.equal(await readCachedText(path), "text");
    assert.equal(reads.get(path), 2);
  });

  it("fails as reading would when the file does not exist", async () => {
    await assert.rejects(readCachedText(join(dir, "missing")), { code: "ENOENT" });
  });

  describe("resolveOverFiles", () => {
    /** A resolution of `inputs` that reads `path` (absent: recorded so) and counts its runs. */
    const counted = () => {
      const runs: string[] = [];
      const resolve =
        (inputs: { path: string }) =>
        async (reads: FileReads): Promise<string> => {
          runs.push(inputs.path);
          try {
            return `${inputs.path}: ${await readCachedText(inputs.path, reads)}`;
          } catch (err) {
            if ((err as { code?: unknown }).code !== "ENOENT") throw err;
            reads.absent(inputs.path);
            return `${inputs.path}: none`;
          }
        };
      return { runs, resolve };
    };

    it("resolves once for every call with the same inputs, also while it runs", async () => {
      const path = file("a");
      const { runs, resolve } = counted();
      const inputs = { path };
      const values = await Promise.all(
        Array.from({ length: 20 }, () => resolveOverFiles({ ...inputs }, resolve(inputs))),
      );
      assert.ok(values.every((v) => v === `${path}: a`));
      assert.equal(await resolveOverFiles({ ...inputs }, resolve(inputs)), `${path}: a`);
      assert.equal(runs.length, 1);

      const other = { path: file("b") };
      assert.equal(await resolveOverFiles(other, resolve(other)), `${other.path}: b`);
      assert.equal(runs.length, 2, "other inputs resolve on their own");
    });

    it("resolves again when a file it read changes, or a file it found absent appears", async () => {
      const path = file("first");
      const { runs, resolve } = counted();
      await resolveOverFiles({ path }, resolve({ path }));
      writeFileSync(path, "second, longer");
      assert.equal(await resolveOverFiles({ path }, resolve({ path })), `${path}: second, longer`);
      assert.equal(runs.length, 2);

      const missing = join(dir, `later${n++}`);
      assert.equal(await resolveOverFiles({ path: missing }, resolve({ path: missing })), `${missing}: none`);
      assert.equal(await resolveOverFiles({ path: missing }, resolve({ path: missing })), `${missing}: none`);
      assert.equal(runs.length, 3);
      writeFileSync(missing, "now here");
      assert.equal(
        await resolveOverFiles({ path: missing }, resolve({ path: missing })),
        `${missing}: now here`,
      );
      assert.equal(runs.length, 4);
    });

    it("does not keep a failed resolution", async () => {
      const path = file("text");
      const { runs, resolve } = counted();
      failNextReadOf = path;
      await assert.rejects(resolveOverFiles({ path }, resolve({ path })), { code: "EIO" });
      assert.equal(await resolveOverFiles({ path }, resolve({ path })), `${path}: text`);
      assert.equal(runs.length, 2);
    });
  });
});
