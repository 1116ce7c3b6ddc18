/** Issue 9 rules of the pure OCI models: map keys, defined tags, imageDigest, clearable settings. */
import { strict as assert } from "node:assert";
import { diffApplication, updateApplicationDetails } from "../../../provider/oci/application-model";
import { removedDefinedTags, tagUpdates } from "../../../provider/oci/common";
import { diffContainerInstance, fieldsMatch } from "../../../provider/oci/container-instance-model";
import {
  createFunctionDetails,
  diffFunction,
  updateFunctionDetails,
} from "../../../provider/oci/function-model";

describe("OCI models: issue 9", () => {
  describe("maps: a removed key is a change, the API's own defaults are not", () => {
    const olds = {
      dnsConfig: { nameservers: ["10.0.0.2"], searches: ["corp"], options: ["ndots:2"] },
      securityContext: { securityContextType: "LINUX", fsGroup: 1000 },
      containers: [
        {
          containerId: "c",
          imageUrl: "docker.io/library/nginx:latest",
          environmentVariables: { A: "1" },
          securityContext: { securityContextType: "LINUX", runAsUser: 1000, isRootFileSystemReadonly: false },
          freeformTags: {},
        },
      ],
    };
    const news = {
      dnsConfig: { nameservers: ["10.0.0.2"], searches: ["corp"], options: ["ndots:2"] },
      securityContext: { securityContextType: "LINUX", fsGroup: 1000 },
      containers: [
        {
          imageUrl: "nginx",
          environmentVariables: { A: "1" },
          securityContext: { securityContextType: "LINUX", runAsUser: 1000 },
        },
      ],
    };

    it("shows no change for the same maps (a held false default is no change)", () => {
      assert.deepEqual(diffContainerInstance(olds, news), { changes: false, replaces: [] });
    });

    it("replaces when a dnsConfig option, an instance or container securityContext key, or an env variable is removed", () => {
      const { options: _o, ...dns } = news.dnsConfig;
      assert.deepEqual(diffContainerInstance(olds, { ...news, dnsConfig: dns }).replaces, ["dnsConfig"]);
      assert.deepEqual(
        diffContainerInstance(olds, { ...news, securityContext: { securityContextType: "LINUX" } }).replaces,
        ["securityContext"],
      );
      const c = news.containers[0] as Record<string, unknown>;
      assert.deepEqual(
        diffContainerInstance(olds, {
          ...news,
          containers: [{ ...c, securityContext: { securityContextType: "LINUX" } }],
        }).replaces,
        ["containers"],
      );
      assert.deepEqual(
        diffContainerInstance(olds, { ...news, containers: [{ ...c, environmentVariables: undefined }] })
          .replaces,
        ["containers"],
      );
    });

    it("fieldsMatch: every written field equal, every other held field empty", () => {
      assert.equal(fieldsMatch({ a: 1 }, { a: 1, b: false, c: [], d: {} }), true);
      assert.equal(fieldsMatch({ a: 1 }, { a: 1, b: 2 }), false);
    });
  });

  describe("defined tags", () => {
    const olds = {
      definedTags: { Ops: { owner: "me", cost: "1", CreatedBy: "cloud" }, "Oracle-Tags": { CreatedOn: "x" } },
      managedDefinedTags: { Ops: { owner: "me", cost: "1" } },
    };

    it("finds the applied keys the inputs dropped", () => {
      assert.deepEqual(removedDefinedTags(olds, { definedTags: { Ops: { owner: "me" } } }), [
        ["Ops", "cost"],
      ]);
      assert.deepEqual(removedDefinedTags(olds, { definedTags: olds.managedDefinedTags }), []);
    });

    it("updates key by key: a removed key dropped, a changed one set, the cloud's kept", () => {
      assert.deepEqual(tagUpdates(olds, { definedTags: { Ops: { owner: "you" } } }), {
        definedTags: { Ops: { owner: "you", CreatedBy: "cloud" }, "Oracle-Tags": { CreatedOn: "x" } },
      });
      assert.deepEqual(tagUpdates(olds, { definedTags: olds.managedDefinedTags }), {});
    });
  });

  describe("oci:Function", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    const olds = {
      applicationId: "a",
      displayName: "f",
      image: "r/i:1",
      imageDigest: digest,
      imageDigestPinned: false,
    };

    it("imageDigest absent follows the tag: no change, and never sent", () => {
      assert.equal(
        diffFunction(olds, { applicationId: "a", displayName: "f", image: "r/i:1" }).changes,
        false,
      );
    });

    it('imageDigest "" re-resolves: a change, sent as the image without a digest', () => {
      const news = { applicationId: "a", displayName: "f", image: "r/i:1", imageDigest: "" };
      assert.deepEqual(diffFunction(olds, news), { changes: true, replaces: [] });
      assert.deepEqual(updateFunctionDetails(olds, news), { image: "r/i:1" });
      assert.equal("imageDigest" in createFunctionDetails({ ...news, memoryInMBs: 128 }), false);
    });

    it("removing a pin re-resolves", () => {
      const pinned = { ...olds, imageDigestPinned: true };
      const news = { applicationId: "a", displayName: "f", image: "r/i:1" };
      assert.equal(diffFunction(pinned, news).changes, true);
      assert.deepEqual(updateFunctionDetails(pinned, news), { image: "r/i:1" });
    });

    it("a pre-built function switched to an image replaces (the API cannot change the source)", () => {
      const pbf = {
        applicationId: "a",
        displayName: "f",
        sourceDetails: { sourceType: "PRE_BUILT_FUNCTIONS", pbfListingId: "p" },
      };
      assert.deepEqual(diffFunction(pbf, { applicationId: "a", displayName: "f", image: "r/i:1" }).replaces, [
        "sourceDetails",
      ]);
    });
  });

  describe("oci:Application", () => {
    const olds = {
      compartmentId: "c",
      displayName: "a",
      subnetIds: ["s"],
      syslogUrl: "tcp://h:1",
      traceConfig: { isEnabled: true },
    };

    it('clears syslogUrl and traceConfig when removed; "" is off', () => {
      const news = { compartmentId: "c", displayName: "a", subnetIds: ["s"] };
      assert.equal(diffApplication(olds, news).changes, true);
      assert.deepEqual(updateApplicationDetails(olds, news), {
        syslogUrl: "",
        traceConfig: { isEnabled: false },
      });
      const off = { ...news, syslogUrl: "", traceConfig: { isEnabled: false } };
      assert.equal(diffApplication({ ...news, traceConfig: { isEnabled: false } }, off).changes, false);
    });
  });
});
