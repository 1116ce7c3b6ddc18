/**
 * The engine's gRPC endpoints a program talks to: the ResourceMonitor (pulumi/pulumi
 * `pkg/resource/deploy/source_eval.go` `resmon`) and the Engine service (`pkg/engine` `hostServer`,
 * `Log`, `GetRootResource`, `SetRootResource`). Served on `127.0.0.1:0` from the protos that ship in
 * `@pulumi/pulumi/proto`, with the `@grpc/grpc-js` copy those generated stubs load. Methods not
 * served here answer UNIMPLEMENTED, which the Node SDK treats as an older engine (`SupportsFeature`
 * → no, `GetDeploymentInfo` → probe features one by one, `SignalAndWaitForShutdown` → skip).
 */
import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as engineGrpcTypes from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as enginePbTypes from "@pulumi/pulumi/proto/engine_pb";
import type * as resourceGrpcTypes from "@pulumi/pulumi/proto/resource_grpc_pb";
import type * as resourcePbTypes from "@pulumi/pulumi/proto/resource_pb";
import type * as structPbTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as emptyPbTypes from "google-protobuf/google/protobuf/empty_pb";
import { maxRpcMessageSize, type Props } from "./wire";

const protoRequire = createRequire(require.resolve("@pulumi/pulumi/proto/resource_pb"));
const grpc = protoRequire("@grpc/grpc-js") as typeof grpcTypes;
const resourceGrpc = protoRequire("./resource_grpc_pb") as typeof resourceGrpcTypes;
const resourcePb = protoRequire("./resource_pb") as typeof resourcePbTypes;
const engineGrpc = protoRequire("./engine_grpc_pb") as typeof engineGrpcTypes;
const enginePb = protoRequire("./engine_pb") as typeof enginePbTypes;
const structPb = protoRequire("google-protobuf/google/protobuf/struct_pb") as typeof structPbTypes;
const emptyPb = protoRequire("google-protobuf/google/protobuf/empty_pb") as typeof emptyPbTypes;

/** A RegisterResourceRequest, decoded to what the step generator reads (`resmon.RegisterResource`). */
export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly parent: string;
  readonly custom: boolean;
  /** The inputs, unknowns as the sentinel, secrets as envelopes (the SDK was told secrets are supported). */
  readonly inputs: Props;
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
  readonly protect?: boolean;
  readonly provider: string;
  /** `deleteBeforeReplace` when the program set it (`deleteBeforeReplaceDefined`), else undefined. */
  readonly deleteBeforeReplace?: boolean;
  readonly ignoreChanges: string[];
  readonly replaceOnChanges: string[];
  readonly retainOnDelete?: boolean;
  readonly additionalSecretOutputs: string[];
  /** Alias URNs the SDK computed (it does so when the monitor lacks the `aliasSpecs` feature). */
  readonly aliasUrns: string[];
  readonly importId: string;
}

/** What the engine answers a registration with. */
export interface Registered {
  readonly urn: string;
  /** "" for an unknown id (a preview of a create). */
  readonly id: string;
  /** Outputs; unknowns as the sentinel, secrets as envelopes. */
  readonly outputs: Props;
}

/** A LogRequest as the CLI receives it. */
export interface LogEntry {
  readonly severity: "debug" | "info" | "warning" | "error";
  readonly message: string;
  readonly urn: string;
  readonly streamId: number;
  /** Ephemeral messages are progress: the CLI shows them in the status column and drops them. */
  readonly ephemeral: boolean;
}

/** What the monitor hands to the deployment. */
export interface MonitorHandlers {
  /** Features this monitor supports (`resmon.SupportsFeature`). */
  readonly features: ReadonlySet<string>;
  register(registration: Registration): Promise<Registered>;
  registerOutputs(urn: string, outputs: Props): Promise<void>;
  log(entry: LogEntry): void;
}

/** A running monitor + engine server. */
export interface MonitorServer {
  /** `127.0.0.1:<port>`, for `--monitor` and `--engine` (one server serves both services). */
  readonly address: string;
  close(): Promise<void>;
}

type Callback<T> = (error: grpcTypes.ServiceError | null, value?: T) => void;
type Call<T> = { request: T };

const severities = ["debug", "info", "warning", "error"] as const;

/**
 * What a registration gets once the deployment has failed: the engine cancels the resource monitor, and
 * every registration waiting on its step answers `Unavailable` (`source_eval.go` `RegisterResource`:
 * "resource monitor shut down while waiting on step's done channel"). The Node SDK takes that for "the
 * engine is terminating" (`runtime/resource.ts` `terminateRpcs`) and lets the program end without a
 * second report: the engine reports the step's own error.
 */
export class MonitorShutDownError extends Error {
  constructor() {
    super("resource monitor shut down while waiting on step's done channel");
    this.name = "MonitorShutDownError";
  }
}

/** Starts the servers; registrations go to `handlers`. */
export async function startMonitor(handlers: MonitorHandlers): Promise<MonitorServer> {
  // Served as rpcutil.Serve serves the engine: a 400 MiB receive limit (sdk/go/common/util/rpcutil/serve.go).
  const server = new grpc.Server({ "grpc.max_receive_message_length": maxRpcMessageSize });
  let rootUrn = "";
  const fail = (callback: Callback<never>, err: unknown): void => {
    const message = err instanceof Error ? err.message : String(err);
    callback({
      code: err instanceof MonitorShutDownError ? grpc.status.UNAVAILABLE : grpc.status.UNKNOWN,
      details: message,
      message,
      name: "Error",
      metadata: new grpc.Metadata(),
    });
  };
  server.addService(resourceGrpc.ResourceMonitorService, {
    supportsFeature(
      call: Call<resourcePbTypes.SupportsFeatureRequest>,
      callback: Callback<resourcePbTypes.SupportsFeatureResponse>,
    ) {
      const reply = new resourcePb.SupportsFeatureResponse();
      reply.setHassupport(handlers.features.has(call.request.getId()));
      callback(null, reply);
    },
    registerResource(
      call: Call<resourcePbTypes.RegisterResourceRequest>,
      callback: Callback<resourcePbTypes.RegisterResourceResponse>,
    ) {
      const request = call.request;
      const propertyDependencies: Record<string, string[]> = {};
      for (const [key, deps] of request.getPropertydependenciesMap().entries()) {
        propertyDependencies[key] = deps.getUrnsList();
      }
      const registration: Registration = {
        type: request.getType(),
        name: request.getName(),
        parent: request.getParent(),
        custom: request.getCustom(),
        inputs: (request.getObject()?.toJavaScript() ?? {}) as Props,
        dependencies: request.getDependenciesList(),
        propertyDependencies,
        protect: request.hasProtect() ? request.getProtect() : undefined,
        provider: request.getProvider(),
        deleteBeforeReplace: request.getDeletebeforereplacedefined()
          ? request.getDeletebeforereplace()
          : undefined,
        ignoreChanges: request.getIgnorechangesList(),
        replaceOnChanges: request.getReplaceonchangesList(),
        retainOnDelete: request.hasRetainondelete() ? request.getRetainondelete() : undefined,
        additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
        aliasUrns: request.getAliasurnsList(),
        importId: request.getImportid(),
      };
      handlers.register(registration).then(
        (registered) => {
          const reply = new resourcePb.RegisterResourceResponse();
          reply.setUrn(registered.urn).setId(registered.id);
          reply.setObject(
            structPb.Struct.fromJavaScript(
              registered.outputs as Record<string, structPbTypes.JavaScriptValue>,
            ),
          );
          callback(null, reply);
        },
        (err: unknown) => fail(callback, err),
      );
    },
    registerResourceOutputs(
      call: Call<resourcePbTypes.RegisterResourceOutputsRequest>,
      callback: Callback<emptyPbTypes.Empty>,
    ) {
      const outputs = (call.request.getOutputs()?.toJavaScript() ?? {}) as Props;
      handlers.registerOutputs(call.request.getUrn(), outputs).then(
        () => callback(null, new emptyPb.Empty()),
        (err: unknown) => fail(callback, err),
      );
    },
  });
  server.addService(engineGrpc.EngineService, {
    log(call: Call<enginePbTypes.LogRequest>, callback: Callback<emptyPbTypes.Empty>) {
      const request = call.request;
      handlers.log({
        severity: severities[request.getSeverity()] ?? "info",
        message: request.getMessage(),
        urn: request.getUrn(),
        streamId: request.getStreamid(),
        ephemeral: request.getEphemeral(),
      });
      callback(null, new emptyPb.Empty());
    },
    getRootResource(_call: Call<unknown>, callback: Callback<enginePbTypes.GetRootResourceResponse>) {
      const reply = new enginePb.GetRootResourceResponse();
      reply.setUrn(rootUrn);
      callback(null, reply);
    },
    setRootResource(
      call: Call<enginePbTypes.SetRootResourceRequest>,
      callback: Callback<enginePbTypes.SetRootResourceResponse>,
    ) {
      rootUrn = call.request.getUrn();
      callback(null, new enginePb.SetRootResourceResponse());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // Calls still open (a program that never finished) must not keep the engine waiting.
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2_000).unref();
      }),
  };
}
