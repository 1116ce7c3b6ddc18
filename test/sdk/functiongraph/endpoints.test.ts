import { strict as assert } from "node:assert";
import { ConfigurationError } from "../../../sdk/core/errors";
import {
  functionGraphEndpoint,
  iamEndpoint,
  knownFunctionGraphRegions,
  parseAuthUrl,
  parseEndpointUrl,
} from "../../../sdk/functiongraph/endpoints";
import { parseFunctionGraphErrorBody } from "../../../sdk/functiongraph/error-body";

describe("FunctionGraph endpoints", () => {
  it("maps Open Telekom Cloud eu-de to its FunctionGraph and IAM endpoints", () => {
    assert.equal(functionGraphEndpoint("eu-de").href, "https://functiongraph.eu-de.otc.t-systems.com/");
    assert.equal(iamEndpoint("eu-de")?.href, "https://iam.eu-de.otc.t-systems.com/v3");
    assert.equal(iamEndpoint("eu-nl")?.href, "https://iam.eu-nl.otc.t-systems.com/v3");
  });

  it("maps Huawei Cloud regions to functiongraph.<region>.myhuaweicloud.com and the global IAM", () => {
    assert.equal(
      functionGraphEndpoint("ap-southeast-1").href,
      "https://functiongraph.ap-southeast-1.myhuaweicloud.com/",
    );
    assert.equal(
      functionGraphEndpoint("cn-north-4").href,
      "https://functiongraph.cn-north-4.myhuaweicloud.com/",
    );
    assert.equal(iamEndpoint("cn-north-4")?.href, "https://iam.myhuaweicloud.com/v3");
  });

  it("treats eu-nl and eu-ch2 FunctionGraph as unsupported unless overridden", () => {
    for (const region of ["eu-nl", "eu-ch2"]) {
      assert.throws(
        () => functionGraphEndpoint(region),
        (e: unknown) => e instanceof ConfigurationError && e.code === "UnsupportedRegion",
      );
      assert.equal(
        functionGraphEndpoint(region, new URL("http://127.0.0.1:8080")).href,
        "http://127.0.0.1:8080/",
      );
    }
  });

  it("rejects an unknown region listing the known ones and naming where it came from", () => {
    assert.throws(
      () => functionGraphEndpoint("xx-nowhere-1", undefined, "stack config opentelekomcloud:region"),
      (e: unknown) =>
        e instanceof ConfigurationError &&
        e.code === "UnknownRegion" &&
        e.message.includes("(from stack config opentelekomcloud:region)") &&
        knownFunctionGraphRegions.every((r) => e.message.includes(r)),
    );
    assert.equal(iamEndpoint("xx-nowhere-1"), undefined);
  });

  it("parses endpoint overrides: http(s) only, no credentials, query or fragment; trailing '/' dropped", () => {
    assert.equal(parseEndpointUrl(" https://fg.example.com/base/ ", "k").href, "https://fg.example.com/base");
    for (const bad of [
      "",
      "fg.example.com",
      "ftp://fg.example.com",
      "https://u:p@fg.example.com",
      "https://fg.example.com#x",
      "https://fg.example.com?a=b",
    ]) {
      assert.throws(
        () => parseEndpointUrl(bad, "env FNSTACK_FUNCTIONGRAPH_ENDPOINT"),
        (e: unknown) =>
          e instanceof ConfigurationError && e.message.startsWith("env FNSTACK_FUNCTIONGRAPH_ENDPOINT "),
        bad,
      );
    }
  });

  it("parses authUrl, adding /v3 when it has no path and dropping :443", () => {
    assert.equal(
      parseAuthUrl("https://iam.eu-de.otc.t-systems.com:443", "k").href,
      "https://iam.eu-de.otc.t-systems.com/v3",
    );
    assert.equal(
      parseAuthUrl("https://iam.eu-de.otc.t-systems.com/v3/", "k").href,
      "https://iam.eu-de.otc.t-systems.com/v3",
    );
  });
});

describe("parseFunctionGraphErrorBody", () => {
  const parse = (body: string) => parseFunctionGraphErrorBody(400, {}, body);

  it("reads {error_code, error_msg}", () => {
    assert.deepEqual(parse('{"error_code":"FSS.1051","error_msg":"function not found"}'), {
      code: "FSS.1051",
      message: "function not found",
    });
  });

  it("appends a nested details message", () => {
    assert.deepEqual(
      parse(
        '{"error_code":"FSS.0400","error_msg":"invalid parameter","details":{"error_msg":"memory_size must be a multiple of 64"}}',
      ),
      {
        code: "FSS.0400",
        message: "invalid parameter: memory_size must be a multiple of 64",
      },
    );
    assert.deepEqual(parse('{"details":{"error_code":"FSS.1002","error_msg":"bad name"}}'), {
      code: "FSS.1002",
      message: "bad name",
    });
  });

  it("reads API Gateway authentication failures", () => {
    assert.deepEqual(
      parse(
        '{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail","request_id":"abc"}',
      ),
      {
        code: "APIGW.0301",
        message: "Incorrect IAM authentication information: verify aksk signature fail",
      },
    );
  });

  it("reads IAM's {error: {code, message}}", () => {
    assert.deepEqual(
      parse('{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}'),
      {
        code: "401",
        message: "The username or password is wrong.",
      },
    );
  });

  it("never throws: empty, HTML, plain text, arrays and nulls", () => {
    assert.deepEqual(parse(""), {});
    assert.deepEqual(parse("<html><body>502 Bad Gateway</body></html>"), {});
    assert.deepEqual(parse("upstream timed out"), { message: "upstream timed out" });
    assert.deepEqual(parse("[1,2]"), {});
    assert.deepEqual(parse("null"), {});
    assert.deepEqual(parse('{"error_code":null,"error_msg":""}'), {});
  });
});
