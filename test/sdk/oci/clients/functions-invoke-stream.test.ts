/**
 * `invokeFunction` with a body streamed from a file (issue 9, terraform's `input_body_source_path`):
 * signed from a first hashing pass, sent as a file stream, re-opened per attempt, checked by the
 * emulator's OCI signature verification (which recomputes `x-content-sha256` from the bytes received).
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { Agent, type Dispatcher } from "undici";
import type { ManualClock, RunningEmulator } from "../../../../emulator";
import type { ClientContext } from "../../../../sdk/core/client";
import { AuthenticationError } from "../../../../sdk/core/errors";
import type { OutgoingRequest } from "../../../../sdk/core/request";
import { createFunction, createApplication } from "../../../../sdk/oci/clients/functions-management";
import {
  invokeContext,
  invokeFunction,
  maxInvokeBodyBytes,
  measureBodyFile,
} from "../../../../sdk/oci/clients/functions-invoke";
import { ociClientContext } from "../../../../sdk/oci/context";
import { startClockedOciEmulator } from "../../../emulator/helpers";

/** What one context saw: the requests its signer signed and the bodies handed to undici. */
interface Spy {
  readonly signed: OutgoingRequest[];
  readonly undiciBodies: unknown[];
}

describe("sdk/oci functions-invoke: a body streamed from a file", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let clock: ManualClock;
  let fn: ClientContext;
  let agent: Agent;
  let invokeEndpoint: string;
  let functionId: string;
  let dir: string;

  before(async () => {
    const started = await startClockedOciEmulator();
    ({ emu, clock } = started);
    const { credentials } = started;
    fn = ociClientContext("functions", credentials, {
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, jitterMs: 0 },
    });
    agent = new Agent();
    const app = await createApplication(fn, {
      compartmentId: emu.oci.compartmentOcid,
      displayName: "stream-app",
      subnetIds: [emu.oci.subnetOcid],
    });
    clock.advance(1000);
    const created = await createFunction(fn, {
      applicationId: app.value.id,
      displayName: "stream-fn",
      memoryInMBs: 128,
      image: "iad.ocir.io/ns/echo:1",
    });
    clock.advance(1000);
    functionId = created.value.id;
    invokeEndpoint = String(created.value.invokeEndpoint);
    dir = mkdtempSync(join(tmpdir(), "fnstack-stream-"));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await agent.close();
    await emu.close();
  });

  /** An invoke context whose signer and dispatcher record what they were given. */
  function spiedContext(failFirstConnect = false): { ctx: ClientContext; spy: Spy } {
    const spy: Spy = { signed: [], undiciBodies: [] };
    const base = invokeContext(fn, invokeEndpoint);
    const dispatcher = {
      request(options: Dispatcher.RequestOptions) {
        spy.undiciBodies.push(options.body);
        if (failFirstConnect && spy.undiciBodies.length === 1) {
          // A connection refused never reached the server, so even a non-idempotent POST is retried.
          return Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
        }
        return agent.request(options);
      },
    } as unknown as Dispatcher;
    const signer = {
      async sign(request: OutgoingRequest, options?: { signal?: AbortSignal }) {
        spy.signed.push(request);
        await base.signer.sign(request, options);
      },
    };
    return { ctx: { ...base, signer, dispatcher }, spy };
  }

  function writeFile(name: string, bytes: Buffer): string {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  }

  it("sends exactly the file's bytes as a stream, signed with the measured hash", async () => {
    const bytes = randomBytes(4 * 1024 * 1024 + 3);
    const path = writeFile("four-mb.bin", bytes);
    const body = await measureBodyFile(path);
    assert.equal(body.length, bytes.length);
    const { ctx, spy } = spiedContext();
    const out = await invokeFunction(ctx, { functionId, body });
    assert.equal(out.statusCode, 200, "the emulator accepted the signature (x-content-sha256 included)");
    assert.ok(out.body.equals(bytes), "the emulator received (and echoed) exactly the file's bytes");
    assert.equal(spy.signed.length, 1);
    const [signed] = spy.signed;
    assert.ok(signed);
    assert.equal(signed.body, undefined, "no Buffer body was given to the signer");
    assert.equal(signed.headers["content-length"], String(bytes.length));
    assert.equal(signed.headers["x-content-sha256"], body.sha256);
    assert.equal(signed.headers["content-type"], "application/octet-stream");
    assert.ok(spy.undiciBodies[0] instanceof Readable, "undici was given a stream");
    assert.ok(!Buffer.isBuffer(spy.undiciBodies[0]));
  });

  it("re-opens the file for a retried attempt", async () => {
    const bytes = randomBytes(2 * 1024 * 1024);
    const path = writeFile("retry.bin", bytes);
    const measured = await measureBodyFile(path);
    let opens = 0;
    const body = { ...measured, open: () => (opens++, measured.open()) };
    const { ctx, spy } = spiedContext(true);
    const out = await invokeFunction(ctx, { functionId, body });
    assert.equal(spy.undiciBodies.length, 2, "the refused connection was retried once");
    assert.equal(opens, 2, "each attempt got a fresh stream");
    assert.notEqual(spy.undiciBodies[0], spy.undiciBodies[1]);
    assert.ok(out.body.equals(bytes));
  });

  it("is refused by the signature check when the file changes after it was measured", async () => {
    const path = writeFile("changing.bin", randomBytes(1024 * 1024));
    const body = await measureBodyFile(path);
    writeFileSync(path, randomBytes(1024 * 1024)); // same length, other bytes
    const { ctx } = spiedContext();
    await assert.rejects(invokeFunction(ctx, { functionId, body }), (error: unknown) => {
      assert.ok(error instanceof AuthenticationError, String(error));
      assert.match(error.message, /x-content-sha256/);
      return true;
    });
  });

  it("refuses a file over 6 MB in the hashing pass, before any request", async () => {
    const path = writeFile("big.bin", Buffer.alloc(maxInvokeBodyBytes + 1));
    await assert.rejects(measureBodyFile(path), /holds more than 6291456 bytes/);
    const { ctx, spy } = spiedContext();
    const tooLong = { length: maxInvokeBodyBytes + 1, sha256: "x", open: () => Readable.from([]) };
    await assert.rejects(invokeFunction(ctx, { functionId, body: tooLong }), RangeError);
    assert.deepEqual(spy.undiciBodies, []);
  });
});
