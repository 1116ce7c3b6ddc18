import { strict as assert } from "node:assert";
import { unknownSentinel } from "../../../provider/inputs";
import {
  applicationOutputs,
  diffApplication,
  updateApplicationDetails,
} from "../../../provider/oci/application-model";
import { defaultTimeoutMs, parseDuration, timeoutFor } from "../../../provider/oci/common";
import {
  canonicalImageUrl,
  containerInstanceChanges,
  containerInstanceOutputs,
  diffContainerInstance,
} from "../../../provider/oci/container-instance-model";
import { diffFunction, updateFunctionDetails } from "../../../provider/oci/function-model";
import { diffInvokeFunction } from "../../../provider/oci/invoke-function-model";
import type { Application } from "../../../sdk/oci/types/functions";
import type { ContainerInstance } from "../../../sdk/oci/types/container-instances";

const s1 = "ocid1.subnet.oc1.iad.s1";
const s2 = "ocid1.subnet.oc1.iad.s2";

describe("OCI models (pure)", () => {
  describe("Application diff and outputs", () => {
    const olds = {
      compartmentId: "c",
      displayName: "app",
      subnetIds: [s1, s2],
      shape: "GENERIC_X86",
      config: { A: "1" },
      networkSecurityGroupIds: ["n1", "n2"],
      freeformTags: {},
      definedTags: { "Oracle-Tags": { CreatedBy: "me" } },
    };

    it("ignores the order of subnetIds and networkSecurityGroupIds, and cloud-added defined tags", () => {
      const news = {
        compartmentId: "c",
        displayName: "app",
        subnetIds: [s2, s1],
        config: { A: "1" },
        networkSecurityGroupIds: ["n2", "n1"],
      };
      assert.deepEqual(diffApplication(olds, news), { changes: false, replaces: [] });
    });

    it("treats config left out as empty (an in-place change) and sends only what differs", () => {
      const news = {
        compartmentId: "c",
        displayName: "app",
        subnetIds: [s1, s2],
        networkSecurityGroupIds: ["n1", "n2"],
      };
      assert.deepEqual(diffApplication(olds, news), { changes: true, replaces: [] });
      assert.deepEqual(updateApplicationDetails(olds, news), { config: {} });
    });

    it("replaces on an unknown displayName during preview, and deletes first only when the name stays", () => {
      assert.deepEqual(diffApplication(olds, { ...olds, displayName: unknownSentinel }).replaces, [
        "displayName",
      ]);
      assert.equal(
        diffApplication(olds, { ...olds, displayName: unknownSentinel }).deleteBeforeReplace,
        undefined,
      );
      assert.equal(diffApplication(olds, { ...olds, subnetIds: [s1] }).deleteBeforeReplace, true);
    });

    it("keeps the previous order of set-like lists when the cloud returns them reordered", () => {
      const app = {
        ...olds,
        id: "x",
        subnetIds: [s2, s1],
        lifecycleState: "ACTIVE",
      } as unknown as Application;
      assert.deepEqual(
        applicationOutputs(app, { subnetIds: [s1, s2], timeouts: { delete: "5m" } }).subnetIds,
        [s1, s2],
      );
      assert.deepEqual(applicationOutputs(app, {}).subnetIds, [s2, s1]);
      assert.deepEqual(
        applicationOutputs(app, { timeouts: { delete: "5m" } }).timeouts,
        { delete: "5m" },
        "provider-only inputs are kept",
      );
    });
  });

  describe("Function image digest", () => {
    const olds = {
      applicationId: "a",
      displayName: "f",
      image: "r/i:1",
      imageDigest: "sha256:" + "1".repeat(64),
      memoryInMBs: 128,
      config: {},
      freeformTags: {},
    };

    it("does not diff the resolved digest when the user gave none", () => {
      assert.equal(
        diffFunction(olds, { applicationId: "a", displayName: "f", image: "r/i:1", memoryInMBs: 128 })
          .changes,
        false,
      );
    });

    it("sends a new image alone so the service resolves its digest; a pinned digest goes with it", () => {
      assert.deepEqual(updateFunctionDetails(olds, { ...olds, imageDigest: undefined, image: "r/i:2" }), {
        image: "r/i:2",
      });
      const pinned = "sha256:" + "2".repeat(64);
      assert.deepEqual(updateFunctionDetails(olds, { ...olds, imageDigest: pinned }), {
        image: "r/i:1",
        imageDigest: pinned,
      });
    });
  });

  describe("ContainerInstance", () => {
    it("canonicalises image references", () => {
      assert.equal(canonicalImageUrl("nginx"), "docker.io/library/nginx:latest");
      assert.equal(canonicalImageUrl("bitnami/redis:7"), "docker.io/bitnami/redis:7");
      assert.equal(canonicalImageUrl("iad.ocir.io/ns/app"), "iad.ocir.io/ns/app:latest");
      assert.equal(canonicalImageUrl("localhost:5000/app@sha256:ab"), "localhost:5000/app@sha256:ab");
    });

    const olds = {
      compartmentId: "c",
      availabilityDomain: "Uocm:PHX-AD-1",
      shape: "CI.Standard.E4.Flex",
      shapeConfig: { ocpus: 1, memoryInGBs: 16, processorDescription: "x" },
      displayName: "ci",
      state: "ACTIVE",
      freeformTags: {},
      vnics: [{ subnetId: s1, nsgIds: ["n1", "n2"], vnicId: "v" }],
      containers: [
        {
          containerId: "c1",
          imageUrl: "docker.io/library/nginx:latest",
          displayName: "web",
          command: [],
          freeformTags: {},
        },
      ],
    };
    const news = {
      compartmentId: "c",
      availabilityDomain: "Uocm:PHX-AD-1",
      shape: "CI.Standard.E4.Flex",
      shapeConfig: { ocpus: 1 },
      displayName: "ci",
      vnics: [{ subnetId: s1, nsgIds: ["n2", "n1"] }],
      containers: [{ imageUrl: "nginx", displayName: "web" }],
    };

    it("shows no change for the same intent written differently (image spelling, nsg order, server defaults)", () => {
      assert.deepEqual(diffContainerInstance(olds, news), { changes: false, replaces: [] });
    });

    it("replaces when a container is added, or containers are unknown in preview", () => {
      assert.deepEqual(
        diffContainerInstance(olds, { ...news, containers: [...news.containers, { imageUrl: "redis" }] })
          .replaces,
        ["containers"],
      );
      assert.deepEqual(diffContainerInstance(olds, { ...news, containers: unknownSentinel }).replaces, [
        "containers",
      ]);
    });

    it("plans container renames, tag changes and stop in place", () => {
      const changes = containerInstanceChanges(olds, {
        ...news,
        state: "INACTIVE",
        freeformTags: { a: "b" },
        containers: [{ imageUrl: "nginx", displayName: "web2" }],
      });
      assert.deepEqual(changes, {
        compartmentId: undefined,
        instance: { freeformTags: { a: "b" } },
        containers: [{ containerId: "c1", details: { displayName: "web2" } }],
        vnics: [],
        state: "INACTIVE",
      });
      assert.deepEqual(diffContainerInstance(olds, { ...news, state: "INACTIVE" }).replaces, []);
    });

    it("keeps pull-secret credentials and config-file data the API does not return", () => {
      const instance = {
        id: "i",
        displayName: "ci",
        compartmentId: "c",
        availabilityDomain: "a:b",
        lifecycleState: "ACTIVE",
        shape: "s",
        shapeConfig: { ocpus: 1 },
        containers: [],
        vnics: [{ vnicId: "v" }],
        volumes: [{ volumeType: "CONFIGFILE", name: "cfg", configs: [{ fileName: "f" }] }],
        imagePullSecrets: [{ secretType: "BASIC", registryEndpoint: "docker.io" }],
      } as unknown as ContainerInstance;
      const previous = {
        vnics: [{ subnetId: s1 }],
        volumes: [{ volumeType: "CONFIGFILE", name: "cfg", configs: [{ fileName: "f", data: "ZGF0YQ==" }] }],
        imagePullSecrets: [
          { secretType: "BASIC", registryEndpoint: "docker.io", username: "dQ==", password: "cA==" },
        ],
      };
      const outs = containerInstanceOutputs(instance, [], previous);
      assert.deepEqual(outs.volumes, previous.volumes);
      assert.deepEqual(outs.imagePullSecrets, previous.imagePullSecrets);
      assert.deepEqual(outs.vnics, [{ subnetId: s1, vnicId: "v" }]);
    });
  });

  describe("InvokeFunction", () => {
    it("replaces on any change of what is invoked and ignores timeouts", () => {
      const olds = { functionId: "f", invokeFunctionBody: "a", content: "a" };
      assert.deepEqual(diffInvokeFunction(olds, { functionId: "f", invokeFunctionBody: "b" }).replaces, [
        "invokeFunctionBody",
      ]);
      assert.equal(
        diffInvokeFunction(olds, { functionId: "f", invokeFunctionBody: "a", timeouts: { create: "1m" } })
          .changes,
        false,
      );
      assert.deepEqual(diffInvokeFunction(olds, { functionId: "f" }).replaces, ["invokeFunctionBody"]);
    });
  });

  describe("timeouts", () => {
    it("parses duration strings and minutes", () => {
      assert.equal(parseDuration("20m"), 1_200_000);
      assert.equal(parseDuration("1h30m"), 5_400_000);
      assert.equal(parseDuration("90s"), 90_000);
      assert.equal(parseDuration("500ms"), 500);
      assert.equal(parseDuration(2), 120_000);
      for (const bad of ["", "soon", "10", "-1m", 0, -5, "1d"])
        assert.equal(parseDuration(bad), undefined, String(bad));
    });

    it("defaults each phase to 20 minutes", () => {
      assert.equal(defaultTimeoutMs, 1_200_000);
      assert.equal(timeoutFor({}, "create"), defaultTimeoutMs);
      assert.equal(timeoutFor({ timeouts: { delete: "45s" } }, "delete"), 45_000);
      assert.equal(timeoutFor({ timeouts: { delete: "45s" } }, "update"), defaultTimeoutMs);
    });
  });
});

describe("OCI models: FAILED resources", () => {
  it("replaces an application, function or container instance the cloud reports FAILED", () => {
    const app = { compartmentId: "c", displayName: "a", subnetIds: ["s"], lifecycleState: "FAILED" };
    assert.deepEqual(diffApplication(app, { compartmentId: "c", displayName: "a", subnetIds: ["s"] }), {
      changes: true,
      replaces: ["lifecycleState"],
      deleteBeforeReplace: true,
    });
    assert.deepEqual(
      diffFunction(
        { applicationId: "a", displayName: "f", lifecycleState: "FAILED" },
        { applicationId: "a", displayName: "f" },
      ).replaces,
      ["lifecycleState"],
    );
    assert.deepEqual(diffContainerInstance({ lifecycleState: "FAILED" }, {}).replaces, ["lifecycleState"]);
  });
});
