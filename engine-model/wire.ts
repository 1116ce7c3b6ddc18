/**
 * The constants of Pulumi's property wire format, in one place: what the engine, the SDK and the
 * dynamic-provider plugin put in a `google.protobuf.Struct` for values that plain JSON cannot say.
 * Source: pulumi/pulumi `sdk/go/common/resource/plugin/rpc.go` (`UnknownStringValue`) and
 * `sdk/go/common/resource/properties.go` (`SecretSig`); the Node SDK's `runtime/rpc.ts` uses the same.
 */

/** Props as they cross the wire: plain JSON with the sentinels below. */
export type Props = Record<string, unknown>;

/** The string that stands for a value not known yet (a preview's computed output). */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The key that marks a special object (`resource.SigKey`). */
export const sigKey = "4dabf18193072939515e22adb298388d";

/** `resource.SecretSig`: the signature of a secret `{[sigKey]: secretSig, value}`. */
export const secretSig = "1b47061264138c4ac30d75fd1eb44270";

/** The type token of the root stack resource (`resource.RootStackType`). */
export const rootStackType = "pulumi:pulumi:Stack";

/** The package of dynamic resources: every `pulumi-nodejs:dynamic*` type goes to its default provider. */
export const dynamicPackage = "pulumi-nodejs";

/** The type of the default provider resource for dynamic resources. */
export const dynamicProviderType = `pulumi:providers:${dynamicPackage}`;

/** A secret envelope around `value`, as the engine sends it to receivers that accept secrets. */
export function secret(value: unknown): Props {
  return { [sigKey]: secretSig, value };
}

/** Whether `value` is a secret envelope. */
export function isSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Props)[sigKey] === secretSig;
}

/** Whether `value` is the unknown sentinel. */
export function isUnknownValue(value: unknown): boolean {
  return value === unknownValue;
}

/** `value` with every secret envelope replaced by its contents (what a receiver without secrets gets). */
export function unwrapSecrets<T>(value: T): T {
  if (isSecret(value)) return unwrapSecrets(value.value) as T;
  if (Array.isArray(value)) return value.map((v) => unwrapSecrets(v)) as T;
  if (value !== null && typeof value === "object") {
    const out: Props = {};
    for (const [key, child] of Object.entries(value)) out[key] = unwrapSecrets(child);
    return out as T;
  }
  return value;
}

/** Whether `value` holds a secret anywhere inside. */
export function containsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsSecret);
  return false;
}

/** Whether `value` holds an unknown anywhere inside. */
export function containsUnknown(value: unknown): boolean {
  if (value === unknownValue) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** The engine's gRPC message size limit: 400 MiB (sdk/go/common/util/rpcutil/serve.go maxRPCMessageSize). */
export const maxRpcMessageSize = 1024 * 1024 * 400;
