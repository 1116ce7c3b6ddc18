import { createHash } from "node:crypto";
import type { EmulatorResponse } from "../service";
import type { Json } from "./body";
import { OciErrors } from "./errors";
import { pagedResponse, requiredQuery, sortItems } from "./paging";
import { type OciCall, ociResponse } from "./store";

// Catalogue entries carry a creation sequence for sorting that the API does not return.
function withoutSeq<T extends { seq: number }>({ seq: _seq, ...rest }: T): Omit<T, "seq"> {
  return rest;
}

/** A fixed OCID for a catalogue entry, stable across runs so tests and examples can name it. */
function catalogueOcid(type: string, region: string, name: string): string {
  return `ocid1.${type}.oc1.${region}.aaaaaaaa${createHash("sha256").update(name).digest("hex").slice(0, 40)}`;
}

const created = "2024-01-15T00:00:00.000Z";
const triggers = [{ name: "HTTP" }, { name: "Object Storage" }, { name: "Events" }];

interface Listing {
  readonly name: string;
  readonly description: string;
  readonly triggers: readonly { name: string }[];
  readonly versions: readonly { name: string; config: Json[]; minMemory: number }[];
}

const catalogue: readonly Listing[] = [
  {
    name: "Document Generator",
    description: "Renders documents from templates and JSON data (emulated: echoes its input).",
    triggers: [{ name: "HTTP" }, { name: "Object Storage" }],
    versions: [
      {
        name: "1.0.0",
        config: [{ key: "BUCKET", description: "Output bucket", isOptional: false }],
        minMemory: 512,
      },
      {
        name: "1.1.0",
        config: [{ key: "BUCKET", description: "Output bucket", isOptional: false }],
        minMemory: 512,
      },
    ],
  },
  {
    name: "Image Resizer",
    description: "Resizes images written to a bucket (emulated: echoes its input).",
    triggers: [{ name: "Events" }],
    versions: [
      {
        name: "2.0.0",
        config: [{ key: "SIZES", description: "Comma-separated sizes", isOptional: true }],
        minMemory: 256,
      },
    ],
  },
];

const bounds = { defaultLimit: 10, maxLimit: 50 };

/**
 * The pre-built function (PBF) catalogue: a small fixed set of listings and versions, read-only, the same
 * in every tenancy. Their OCIDs are derived from their names, so they are the same in every run.
 */
export class PbfCatalogue {
  readonly listings: readonly (Json & { seq: number; id: string })[];
  readonly versions: readonly (Json & { seq: number; id: string; pbfListingId: string })[];

  constructor(region: string) {
    let seq = 0;
    const common = {
      lifecycleState: "ACTIVE",
      timeCreated: created,
      timeUpdated: created,
      freeformTags: {},
      definedTags: {},
      systemTags: {},
    };
    this.listings = catalogue.map((l) => ({
      seq: seq++,
      id: catalogueOcid("fnpbf", region, l.name),
      name: l.name,
      description: l.description,
      publisherDetails: { name: "fnstack emulator" },
      triggers: l.triggers,
      ...common,
    }));
    this.versions = catalogue.flatMap((l) =>
      l.versions.map((v) => ({
        seq: seq++,
        id: catalogueOcid("fnpbfversion", region, `${l.name}@${v.name}`),
        pbfListingId: catalogueOcid("fnpbf", region, l.name),
        name: v.name,
        config: v.config,
        requirements: { minMemoryRequiredInMBs: v.minMemory, policies: [] },
        changeSummary: `Version ${v.name}`,
        triggers: l.triggers,
        ...common,
      })),
    );
  }

  /** True if `id` is a listing of the catalogue. */
  hasListing(id: string): boolean {
    return this.listings.some((l) => l.id === id);
  }

  /** The operations by SDK name. */
  readonly operations: Readonly<Record<string, (call: OciCall) => EmulatorResponse>> = {
    ListPbfListings: (call) => {
      const q = call.request.query;
      const filters: ((l: Json) => boolean)[] = [];
      const id = q.get("pbfListingId");
      if (id !== null) filters.push((l) => l.id === id);
      const name = q.get("name");
      if (name !== null) filters.push((l) => l.name === name);
      const contains = q.get("nameContains");
      if (contains !== null)
        filters.push((l) => String(l.name).toLowerCase().includes(contains.toLowerCase()));
      const starts = q.get("nameStartsWith");
      if (starts !== null) filters.push((l) => String(l.name).startsWith(starts));
      const wanted = q.getAll("trigger");
      if (wanted.length > 0)
        filters.push((l) => (l.triggers as { name: string }[]).some((t) => wanted.includes(t.name)));
      const state = q.get("lifecycleState");
      if (state !== null) filters.push((l) => l.lifecycleState === state);
      const items = this.listings.filter((l) => filters.every((f) => f(l)));
      const sorted = sortItems(
        [...items],
        q,
        { timeCreated: (l) => String(l.timeCreated), name: (l) => String(l.name) },
        "timeCreated",
      );
      return pagedResponse(call, sorted, bounds, withoutSeq, "items");
    },
    GetPbfListing: (call) => {
      const listing = this.listings.find((l) => l.id === call.params.pbfListingId);
      if (listing === undefined) throw OciErrors.notFound(`pbf listing ${call.params.pbfListingId ?? ""}`);
      const { seq: _s, ...wire } = listing;
      return ociResponse(call, 200, wire, {
        etag: createHash("sha256").update(listing.id).digest("hex").slice(0, 32),
      });
    },
    ListPbfListingVersions: (call) => {
      const q = call.request.query;
      const listingId = requiredQuery(q, "pbfListingId");
      const versionId = q.get("pbfListingVersionId");
      const name = q.get("name");
      const current = q.get("isCurrentVersion");
      const state = q.get("lifecycleState");
      const ofListing = this.versions.filter((v) => v.pbfListingId === listingId);
      const latest = ofListing.at(-1)?.id;
      const items = ofListing.filter(
        (v) =>
          (versionId === null || v.id === versionId) &&
          (name === null || v.name === name) &&
          (current !== "true" || v.id === latest) &&
          (state === null || v.lifecycleState === state),
      );
      const sorted = sortItems(
        [...items],
        q,
        { timeCreated: (v) => String(v.timeCreated), name: (v) => String(v.name) },
        "timeCreated",
      );
      return pagedResponse(call, sorted, bounds, withoutSeq, "items");
    },
    GetPbfListingVersion: (call) => {
      const version = this.versions.find((v) => v.id === call.params.pbfListingVersionId);
      if (version === undefined)
        throw OciErrors.notFound(`pbf listing version ${call.params.pbfListingVersionId ?? ""}`);
      const { seq: _s, ...wire } = version;
      return ociResponse(call, 200, wire, {
        etag: createHash("sha256").update(version.id).digest("hex").slice(0, 32),
      });
    },
    ListTriggers: (call) => {
      const q = call.request.query;
      const name = q.get("name");
      const items = triggers.filter((t) => name === null || t.name === name).map((t, seq) => ({ ...t, seq }));
      return pagedResponse(call, items, bounds, withoutSeq, "items");
    },
  };
}
