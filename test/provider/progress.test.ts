import { strict as assert } from "node:assert";
import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as engineGrpcTypes from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as enginePbTypes from "@pulumi/pulumi/proto/engine_pb";
import {
  engineReporter,
  formatElapsed,
  pluginEngineAddress,
  progressGapMs,
  progressLine,
  progressRepeatMs,
  withPollProgress,
} from "../../provider/progress";

/** An Engine service whose Log answers with `status` (0 = OK); it records every request. */
async function fakeEngine(
  status: number,
): Promise<{ address: string; logs: enginePbTypes.LogRequest[]; close(): void }> {
  const protoRequire = createRequire(require.resolve("@pulumi/pulumi/proto/engine_pb"));
  const grpc = protoRequire("@grpc/grpc-js") as typeof grpcTypes;
  const engineGrpc = protoRequire("./engine_grpc_pb") as typeof engineGrpcTypes;
  const empty = protoRequire("google-protobuf/google/protobuf/empty_pb.js") as {
    Empty: new () => unknown;
  };
  const logs: enginePbTypes.LogRequest[] = [];
  const server = new grpc.Server();
  server.addService(engineGrpc.EngineService, {
    log(call: { request: enginePbTypes.LogRequest }, callback: (e: unknown, v?: unknown) => void) {
      logs.push(call.request);
      if (status === 0) callback(null, new empty.Empty());
      else callback({ code: status, details: "engine gone", metadata: new grpc.Metadata() });
    },
  } as unknown as grpcTypes.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  return { address: `127.0.0.1:${port}`, logs, close: () => server.forceShutdown() };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 300));

describe("provider progress", () => {
  it("finds the engine address only in the dynamic-provider plugin, as its last argument", () => {
    const plugin = ["/usr/bin/node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"];
    assert.equal(pluginEngineAddress([...plugin, "127.0.0.1:40123"]), "127.0.0.1:40123");
    assert.equal(
      pluginEngineAddress([...plugin, "--logtostderr", "-v=9", "localhost:5000"]),
      "localhost:5000",
    );
    assert.equal(pluginEngineAddress(["/usr/bin/node", "/x/mocha", "127.0.0.1:40123"]), undefined);
    assert.equal(pluginEngineAddress([...plugin, "--tracing"]), undefined);
  });

  it("formats the time waited in seconds, then minutes and seconds", () => {
    assert.equal(formatElapsed(400), "0 s");
    assert.equal(formatElapsed(59_400), "59 s");
    assert.equal(formatElapsed(72_000), "1 min 12 s");
  });

  it("passes every poll result through unchanged (outside the plugin nothing is sent)", async () => {
    const results = [
      { pending: true as const, observed: "CREATING" },
      { done: true as const, value: 7 },
    ];
    const poll = withPollProgress("thing", async () => results.shift() as (typeof results)[number]);
    const signal = new AbortController().signal;
    assert.deepEqual(await poll(signal), { pending: true, observed: "CREATING" });
    assert.deepEqual(await poll(signal), { done: true, value: 7 });
  });

  it("sends a line when the observed state changes, otherwise at most every few seconds", () => {
    let clock = 0;
    const sent: string[] = [];
    const line = progressLine(
      "application ocid1.x",
      (m) => sent.push(m),
      () => clock,
    );
    for (const [at, observed] of [
      [1_000, "CREATING"],
      [2_000, "CREATING"],
      [3_000, "CREATING"],
      [3_500, "UPDATING"],
      [1_000 + progressRepeatMs, "UPDATING"],
      [3_500 + progressRepeatMs, "UPDATING"],
    ] as const) {
      clock = at;
      line(observed);
    }
    assert.deepEqual(sent, [
      "application ocid1.x: CREATING, 1 s",
      "application ocid1.x: UPDATING, 4 s",
      `application ocid1.x: UPDATING, ${Math.round((3_500 + progressRepeatMs) / 1000)} s`,
    ]);
  });

  it("sends each line to the engine as an ephemeral Log", async () => {
    const engine = await fakeEngine(0);
    try {
      let clock = 0;
      const report = engineReporter(engine.address, () => clock);
      report("function hello: CREATING, 3 s");
      clock += progressGapMs;
      report("function hello: CREATING, 4 s");
      await settle();
      assert.deepEqual(
        engine.logs.map((l) => [l.getMessage(), l.getEphemeral()]),
        [
          ["function hello: CREATING, 3 s", true],
          ["function hello: CREATING, 4 s", true],
        ],
      );
    } finally {
      engine.close();
    }
  });

  it("sends at most one line per second across all waits, dropping the ones in between", async () => {
    const engine = await fakeEngine(0);
    try {
      let clock = 0;
      const report = engineReporter(engine.address, () => clock);
      const first = progressLine("application a", report, () => clock);
      const second = progressLine("application b", report, () => clock);
      first("CREATING");
      clock += progressGapMs - 1;
      second("CREATING"); // within the gap: dropped
      clock += 1;
      second("ACTIVE");
      clock += 10;
      first("ACTIVE"); // within the gap again
      await settle();
      assert.deepEqual(
        engine.logs.map((l) => l.getMessage()),
        ["application a: CREATING, 0 s", "application b: ACTIVE, 1 s"],
      );
    } finally {
      engine.close();
    }
  });

  it("stops sending after the first Log the engine does not take", async () => {
    const engine = await fakeEngine(14); // UNAVAILABLE
    try {
      let clock = 0;
      const report = engineReporter(engine.address, () => clock);
      report("first");
      await settle();
      for (let i = 0; i < 5; i++) {
        clock += progressGapMs;
        report(`later ${i}`);
      }
      await settle();
      assert.deepEqual(
        engine.logs.map((l) => l.getMessage()),
        ["first"],
      );
    } finally {
      engine.close();
    }
  });
});
