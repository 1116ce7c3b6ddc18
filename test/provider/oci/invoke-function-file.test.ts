/** `oci:InvokeFunction` with a body read from a file (terraform's `input_body_source_path`), issue 9. */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { directDriver, modes, type Driver } from "./drivers";
import { uniqueName, type OciFixture } from "./emulator-fixture";
import { useEmulatorDriver } from "./use-emulator-driver";

for (const mode of modes) {
  describe(`oci:InvokeFunction body from a file (${mode})`, function () {
    this.timeout(60_000);
    let fx: OciFixture;
    let driver: Driver;
    let functionId: string;
    let dir: string;

    useEmulatorDriver(mode, "oci:InvokeFunction", (f, d) => ((fx = f), (driver = d)));
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), "fnstack-invoke-"));
      const app = await directDriver("oci:Application").create({
        compartmentId: fx.emulator.oci.compartmentOcid,
        displayName: uniqueName("app"),
        subnetIds: [fx.emulator.oci.subnetOcid],
      });
      functionId = (
        await directDriver("oci:Function").create({
          applicationId: app.id,
          displayName: "echo",
          memoryInMBs: 128,
          image: "iad.ocir.io/ns/echo:1",
        })
      ).id;
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("sends the file's bytes, and invokes again when the file's content changes", async () => {
      const path = join(dir, "payload.bin");
      const bytes = Buffer.from([0, 1, 2, 250, 251, 10]);
      writeFileSync(path, bytes);
      const checked = await driver.check(
        {},
        { functionId, inputBodySourcePath: path, base64EncodeContent: true },
      );
      assert.deepEqual(checked.failures, []);
      assert.match(String(checked.inputs.inputBodySourceSha256), /^[0-9a-f]{64}$/);
      const { id, outs } = await driver.create(checked.inputs);
      assert.equal(outs.content, bytes.toString("base64"), "the emulator echoes the file's bytes");
      const same = await driver.check(
        {},
        { functionId, inputBodySourcePath: path, base64EncodeContent: true },
      );
      assert.equal((await driver.diff(id, outs, same.inputs)).changes, false);
      writeFileSync(path, "changed");
      const changed = await driver.check(
        {},
        { functionId, inputBodySourcePath: path, base64EncodeContent: true },
      );
      assert.deepEqual((await driver.diff(id, outs, changed.inputs)).replaces, ["inputBodySourceSha256"]);
    });

    it("streams a 2 MB file, and refuses one grown past 6 MB after check before invoking", async () => {
      const path = join(dir, "two-mb.bin");
      const bytes = randomBytes(2 * 1024 * 1024 + 7);
      writeFileSync(path, bytes);
      const inputs = { functionId, inputBodySourcePath: path, base64EncodeContent: true };
      const checked = await driver.check({}, inputs);
      const { outs } = await driver.create(checked.inputs);
      assert.equal(outs.content, bytes.toString("base64"), "the emulator verified and echoed every byte");
      const stats = async () => (await fx.stats()).requests.oci ?? {};
      const invokesBefore = Object.entries(await stats()).filter(([k]) => /invoke/i.test(k));
      writeFileSync(path, Buffer.alloc(6 * 1024 * 1024 + 1));
      await assert.rejects(driver.create(checked.inputs), /holds more than 6291456 bytes/);
      const invokesAfter = Object.entries(await stats()).filter(([k]) => /invoke/i.test(k));
      assert.ok(invokesBefore.length > 0, `an invoke is counted: ${JSON.stringify(await stats())}`);
      assert.deepEqual(invokesAfter, invokesBefore, "no invoke request was sent for the grown file");
    });

    it("rejects a missing file, a file over 6 MB and two bodies at check, before any request", async () => {
      const big = join(dir, "big.bin");
      writeFileSync(big, Buffer.alloc(6 * 1024 * 1024 + 1));
      const before = await fx.ociRequestCount();
      for (const [inputs, pattern] of [
        [{ functionId, inputBodySourcePath: join(dir, "nope") }, /cannot read .*ENOENT/],
        [{ functionId, inputBodySourcePath: big }, /6291457 bytes; OCI Functions accepts at most 6291456/],
        [{ functionId, inputBodySourcePath: big, invokeFunctionBody: "x" }, /give one body/],
      ] as [Record<string, unknown>, RegExp][]) {
        const { failures } = await driver.check({}, inputs);
        assert.ok(
          failures.some((f) => pattern.test(f.reason)),
          `${JSON.stringify(failures)} should match ${pattern}`,
        );
      }
      assert.equal(await fx.ociRequestCount(), before);
    });
  });
}
