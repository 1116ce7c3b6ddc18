/**
 * A resource's stable identity — `<project>/<stack>/<logical name>` — and how it reaches the cloud.
 *
 * The provider never sees the URN, so each resource class passes its identity as the input
 * {@link identityInput} (see {@link stackIdentity}). The runtime takes it out before the kind's handler
 * sees the inputs (so checks, diffs and models are unchanged), hands it to the handler in the call's
 * {@link CallScope} (`call.identity`) so create paths can use it, records it on the cloud resource
 * where the API has room for it (see {@link identityRecording}), and keeps it out of the outputs the
 * handler returns, so it never shows as drift.
 *
 * Creates look for a live resource carrying the identity before creating, and after any ambiguous
 * failure (provider/create-once.ts): a run killed after the cloud accepted a create, or a create whose
 * answer was lost, ends with one resource, not two. A stack destroyed and created again gets a new
 * resource: the old one is gone (DELETED or 404) and is never adopted, and OCI retry tokens
 * ({@link retryTokenFor}) include the ids of every earlier resource of the identity, so they differ too.
 */
import { createHash } from "node:crypto";
import type * as pulumiModule from "@pulumi/pulumi";
import type { CallScope, Props, ResourceHandler } from "./handler";

/** The input (and output) that carries the identity. */
export const identityInput = "stackIdentity";

/** The OCI freeform tag holding the identity. */
export const identityTagKey = "fnstack-identity";

/** Longest freeform tag value OCI accepts (oci-api.md); a longer identity is recorded as its hash. */
const maxTagValueLength = 256;

/**
 * The identity of the resource `name` in the running program: `<project>/<stack>/<name>`. Called by
 * each resource class's constructor.
 */
export function stackIdentity(name: string): string {
  // Loaded here, not at the top: the plugin loads this module without running a program.
  const pulumi = require("@pulumi/pulumi") as typeof pulumiModule;
  return `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
}

/** The {@link identityInput} of `props` when it is a non-empty string. */
export function identityOf(props: Props | undefined): string | undefined {
  const value = props?.[identityInput];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The value recorded on the cloud for `identity`: itself, or its hash when it is too long for a tag. */
export function recordedIdentity(identity: string): string {
  return identity.length <= maxTagValueLength
    ? identity
    : `sha256:${createHash("sha256").update(identity).digest("hex")}`;
}

/** True when OCI freeform tags carry `identity`. */
export function taggedWith(freeformTags: unknown, identity: string): boolean {
  return (
    typeof freeformTags === "object" &&
    freeformTags !== null &&
    (freeformTags as Record<string, unknown>)[identityTagKey] === recordedIdentity(identity)
  );
}

const markerPattern = / ?\[fnstack:[^\]]*\]$/;

/** The text FunctionGraph descriptions end with to carry `identity`. */
export function descriptionMarker(identity: string): string {
  return `[fnstack:${recordedIdentity(identity)}]`;
}

/** True when a FunctionGraph description carries `identity`. */
export function describedWith(description: unknown, identity: string): boolean {
  return typeof description === "string" && description.endsWith(descriptionMarker(identity));
}

/** A description with the identity marker removed. */
export function withoutMarker(description: string): string {
  return description.replace(markerPattern, "");
}

/** Longest FunctionGraph description (functiongraph-api.md: 512 characters). */
const maxDescriptionLength = 512;

/** How a kind records the identity on its cloud resource. */
type Recording = "freeformTag" | "description" | "none";

/**
 * Where each kind records its identity: OCI Functions applications and functions and container
 * instances take a freeform tag; FunctionGraph functions and dependency versions a marker at the end
 * of their description (no tag can be set atomically with the create). Versions and aliases are unique
 * by name within a function the stack owns, and triggers are matched by type and event data, so they
 * need none; invocations make nothing to record it on.
 */
export const identityRecording: Readonly<Record<string, Recording>> = Object.freeze({
  "oci:Application": "freeformTag",
  "oci:Function": "freeformTag",
  "oci:ContainerInstance": "freeformTag",
  "functiongraph:Function": "description",
  "functiongraph:DependencyVersion": "description",
});

/** `props` with the identity recorded as `kind` records it (inputs of a create or an update). */
export function recordIdentity(kind: string, props: Props, identity: string): Props {
  switch (identityRecording[kind] ?? "none") {
    case "freeformTag": {
      const tags =
        typeof props.freeformTags === "object" && props.freeformTags !== null ? props.freeformTags : {};
      return { ...props, freeformTags: { ...tags, [identityTagKey]: recordedIdentity(identity) } };
    }
    case "description": {
      const text = typeof props.description === "string" ? props.description : "";
      const marked = text === "" ? descriptionMarker(identity) : `${text} ${descriptionMarker(identity)}`;
      // A description too long for the marker is sent as written; the name still finds the resource.
      return marked.length <= maxDescriptionLength ? { ...props, description: marked } : props;
    }
    default:
      return props;
  }
}

/** `props` (outputs, or inputs read back) without the recorded identity. */
export function hideRecordedIdentity(kind: string, props: Props): Props {
  switch (identityRecording[kind] ?? "none") {
    case "freeformTag": {
      const tags = props.freeformTags;
      if (typeof tags !== "object" || tags === null || !(identityTagKey in tags)) return props;
      const { [identityTagKey]: _recorded, ...rest } = tags as Record<string, unknown>;
      return { ...props, freeformTags: rest };
    }
    case "description": {
      const text = props.description;
      if (typeof text !== "string" || !markerPattern.test(text)) return props;
      const bare = withoutMarker(text);
      if (bare !== "") return { ...props, description: bare };
      // The description was the marker alone: the user wrote none, and none is what they see.
      const { description: _marker, ...rest } = props;
      return rest;
    }
    default:
      return props;
  }
}

/**
 * The OCI `opc-retry-token` of a create: derived from the identity, the request body and the ids of
 * every earlier resource of the identity (any state, DELETED included) that the lookup before the
 * create saw. A repeat of the same create (a lost answer, a killed run) sends the same token; a stack
 * destroyed and created again has seen the old resource, so its token differs and it gets a new one.
 * At most 64 characters, as OCI allows.
 */
export function retryTokenFor(identity: string, body: unknown, earlierIds: readonly string[]): string {
  const hash = createHash("sha256");
  hash.update(identity).update("\n").update(stableJson(body)).update("\n");
  for (const id of [...earlierIds].sort()) hash.update(id).update("\n");
  return `fnstack-${hash.digest("hex").slice(0, 48)}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** `props` without the {@link identityInput}. */
function withoutIdentity(props: Props): Props;
function withoutIdentity(props: Props | undefined): Props | undefined;
function withoutIdentity(props: Props | undefined): Props | undefined {
  if (props === undefined || props === null || !(identityInput in props)) return props;
  const { [identityInput]: _identity, ...rest } = props;
  return rest;
}

/** `props` as the handler returned them, without the recorded identity and with the input put back. */
function shown(kind: string, props: Props | undefined, identity: string | undefined): Props | undefined {
  if (props === undefined || props === null) return props;
  const hidden = hideRecordedIdentity(kind, props);
  return identity === undefined ? hidden : { ...hidden, [identityInput]: identity };
}

/**
 * Wraps the handler of `kind` so it never sees the {@link identityInput}: the runtime applies it to
 * every handler (see the module comment).
 */
export function identityAwareHandler(kind: string, handler: ResourceHandler): ResourceHandler {
  // The call's connection (set by the wrapper outside this one), with the resource's identity.
  const scope = (call: CallScope | undefined, identity: string | undefined): CallScope => ({
    connection: call?.connection,
    identity,
  });
  return {
    async check(olds, news, call) {
      const identity = identityOf(news);
      const result = await handler.check(withoutIdentity(olds), withoutIdentity(news), scope(call, identity));
      if (identity === undefined || result.inputs === undefined) return result;
      return { ...result, inputs: { ...result.inputs, [identityInput]: identity } };
    },
    diff(id, olds, news, call) {
      return handler.diff(id, withoutIdentity(olds), withoutIdentity(news), scope(call, identityOf(news)));
    },
    create(inputs, call) {
      const identity = identityOf(inputs);
      const bare = withoutIdentity(inputs);
      const recorded = identity === undefined ? bare : recordIdentity(kind, bare, identity);
      // `then`, not `await`: no frame held while the create waits (provider/runtime.ts, plainResults).
      return handler
        .create(recorded, scope(call, identity))
        .then((result) => ({ ...result, outs: shown(kind, result.outs, identity) }));
    },
    async read(id, props, inputs, call) {
      const identity = identityOf(props) ?? identityOf(inputs);
      const result = await handler.read(
        id,
        withoutIdentity(props),
        withoutIdentity(inputs),
        scope(call, identity),
      );
      if (result.id === "" || result.id === undefined) return result;
      return {
        ...result,
        props: shown(kind, result.props, identity),
        ...(result.inputs === undefined ? {} : { inputs: shown(kind, result.inputs, identity) }),
      };
    },
    update(id, olds, news, call) {
      const identity = identityOf(news) ?? identityOf(olds);
      const mark = (props: Props): Props =>
        identity === undefined
          ? withoutIdentity(props)
          : recordIdentity(kind, withoutIdentity(props), identity);
      return handler
        .update(id, mark(olds), mark(news), scope(call, identity))
        .then((result) => ({ ...result, outs: shown(kind, result.outs, identity) }));
    },
    delete(id, props, call) {
      return handler.delete(id, withoutIdentity(props), scope(call, identityOf(props)));
    },
  };
}
