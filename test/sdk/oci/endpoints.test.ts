import { strict as assert } from "node:assert";
import { ConfigurationError } from "../../../sdk/core/errors";
import {
  knownOciRegions,
  lookupOciRegion,
  normalizeOciRegion,
  ociEndpoint,
  parseOciEndpointOverride,
} from "../../../sdk/oci/endpoints";

describe("OCI endpoints", () => {
  it("builds each service's host and version path for an oc1 region", () => {
    assert.equal(
      ociEndpoint("functions", "us-ashburn-1").href,
      "https://functions.us-ashburn-1.oci.oraclecloud.com/20181201",
    );
    assert.equal(
      ociEndpoint("containerInstances", "us-ashburn-1").href,
      "https://compute-containers.us-ashburn-1.oci.oraclecloud.com/20210415",
    );
    // The compute work-request host has no ".oci." label.
    assert.equal(
      ociEndpoint("workRequests", "us-ashburn-1").href,
      "https://iaas.us-ashburn-1.oraclecloud.com/20160918",
    );
  });

  it("uses each realm's second-level domain", () => {
    const cases: [string, string][] = [
      ["us-langley-1", "oraclegovcloud.com"],
      ["us-gov-phoenix-1", "oraclegovcloud.com"],
      ["uk-gov-london-1", "oraclegovcloud.uk"],
      ["ap-chiyoda-1", "oraclecloud8.com"],
      ["eu-frankfurt-2", "oraclecloud.eu"],
      ["eu-madrid-2", "oraclecloud.eu"],
      ["us-ashburn-2", "oraclecloud42.com"],
      ["sa-riodejaneiro-1", "oraclecloud52.com"],
    ];
    for (const [region, domain] of cases) {
      assert.equal(ociEndpoint("functions", region).host, `functions.${region}.oci.${domain}`, region);
      assert.equal(ociEndpoint("workRequests", region).host, `iaas.${region}.${domain}`, region);
    }
  });

  it("accepts three-letter short codes in any case", () => {
    assert.equal(ociEndpoint("functions", "iad").host, "functions.us-ashburn-1.oci.oraclecloud.com");
    assert.equal(ociEndpoint("functions", "PHX").host, "functions.us-phoenix-1.oci.oraclecloud.com");
    assert.equal(
      ociEndpoint("containerInstances", "fra").host,
      "compute-containers.eu-frankfurt-1.oci.oraclecloud.com",
    );
    assert.equal(lookupOciRegion("lhr")?.regionId, "uk-london-1");
    assert.equal(lookupOciRegion("ltn")?.realm, "oc4");
  });

  it("builds https://<service>.<region id> for dotted region ids", () => {
    assert.equal(
      ociEndpoint("functions", "us-example-1.oraclecloud.example").href,
      "https://functions.us-example-1.oraclecloud.example/20181201",
    );
    assert.equal(
      ociEndpoint("workRequests", "us-example-1.oraclecloud.example").href,
      "https://iaas.us-example-1.oraclecloud.example/20160918",
    );
  });

  it("replaces the origin with an override for every service and keeps the version path", () => {
    const override = new URL("http://127.0.0.1:43210");
    assert.equal(ociEndpoint("functions", "us-ashburn-1", override).href, "http://127.0.0.1:43210/20181201");
    assert.equal(ociEndpoint("containerInstances", "iad", override).href, "http://127.0.0.1:43210/20210415");
    assert.equal(ociEndpoint("workRequests", "iad", override).href, "http://127.0.0.1:43210/20160918");
    // With an override the region is not looked up, so a made-up one is fine.
    assert.equal(ociEndpoint("functions", "emu-local-1", override).href, "http://127.0.0.1:43210/20181201");
  });

  it("keeps an override's path as a prefix, without doubling slashes", () => {
    const override = new URL("https://gateway.example.com/oci/");
    assert.equal(ociEndpoint("functions", "iad", override).href, "https://gateway.example.com/oci/20181201");
  });

  it("rejects unknown regions with a ConfigurationError that names the rule and the override", () => {
    assert.throws(
      () => ociEndpoint("functions", "mars-north-1"),
      (err: unknown) =>
        err instanceof ConfigurationError &&
        /"mars-north-1" is not a known OCI region/.test(err.message) &&
        /fnstack:ociEndpoint or FNSTACK_OCI_ENDPOINT/.test(err.message),
    );
    assert.throws(() => normalizeOciRegion("  ", "oci:region"), /oci:region is empty/);
    assert.throws(() => normalizeOciRegion("bad..dotted", "oci:region"), /not a valid dotted region id/);
  });

  it("knows every region of the realm table, each with a unique short code", () => {
    const regions = knownOciRegions();
    assert.ok(regions.length >= 80, String(regions.length));
    const codes = regions.map((r) => lookupOciRegion(r)?.shortCode);
    assert.equal(new Set(codes).size, regions.length);
    for (const code of codes) assert.equal(lookupOciRegion(code as string)?.shortCode, code);
  });

  it("matches oci-common's region → realm → domain table for every region it knows", () => {
    const { Region } = require("oci-common") as {
      Region: {
        fromRegionId(id: string): { regionId: string; realm: { realmId: string; secondLevelDomain: string } };
      };
    };
    for (const regionId of knownOciRegions()) {
      const theirs = Region.fromRegionId(regionId);
      const ours = lookupOciRegion(regionId);
      assert.equal(ours?.realm, theirs.realm.realmId, regionId);
      assert.equal(ours?.secondLevelDomain, theirs.realm.secondLevelDomain, regionId);
    }
  });

  describe("parseOciEndpointOverride", () => {
    it("accepts http and https URLs", () => {
      assert.equal(parseOciEndpointOverride(" http://localhost:9000 ", "x").href, "http://localhost:9000/");
      assert.equal(parseOciEndpointOverride("https://[::1]:9000/p", "x").host, "[::1]:9000");
    });
    it("rejects other schemes, relative URLs, credentials, queries and fragments", () => {
      assert.throws(
        () => parseOciEndpointOverride("ftp://h", "fnstack:ociEndpoint"),
        /fnstack:ociEndpoint must use http or https/,
      );
      assert.throws(
        () => parseOciEndpointOverride("/relative", "S"),
        /S "\/relative" is not an absolute URL/,
      );
      assert.throws(
        () => parseOciEndpointOverride("http://u:p@h", "S"),
        /must not contain a user name or password/,
      );
      assert.throws(
        () => parseOciEndpointOverride("http://h/#x", "S"),
        /must not have a query string or fragment/,
      );
    });
  });
});
