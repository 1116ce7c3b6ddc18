import { strict as assert } from "node:assert";
import { parseOciErrorBody } from "../../../sdk/oci/error-body";

describe("parseOciErrorBody", () => {
  it("reads OCI's {code, message} JSON body", () => {
    const body =
      '{"code":"NotAuthorizedOrNotFound","message":"Authorization failed or requested resource not found."}';
    assert.deepEqual(parseOciErrorBody(404, {}, body), {
      code: "NotAuthorizedOrNotFound",
      message: "Authorization failed or requested resource not found.",
    });
  });

  it("gives a plain-text or HTML body as the message with no code", () => {
    assert.deepEqual(parseOciErrorBody(502, {}, "  Bad Gateway\n"), { message: "Bad Gateway" });
    const html = "<html><body>503 Service Unavailable</body></html>";
    assert.deepEqual(parseOciErrorBody(503, {}, html), { message: html });
  });

  it("treats JSON that is not an object, or lacks the fields, leniently", () => {
    assert.deepEqual(parseOciErrorBody(400, {}, '{"message":"only a message"}'), {
      code: undefined,
      message: "only a message",
    });
    assert.deepEqual(parseOciErrorBody(400, {}, '{"code":42}'), { code: undefined, message: undefined });
    assert.deepEqual(parseOciErrorBody(400, {}, "{not json"), { message: "{not json" });
    assert.deepEqual(parseOciErrorBody(400, {}, "[1,2]"), { message: "[1,2]" });
  });

  it("returns {} for an empty body and caps long text", () => {
    assert.deepEqual(parseOciErrorBody(500, {}, ""), {});
    const long = parseOciErrorBody(500, {}, "x".repeat(5000)).message as string;
    assert.equal(long.length, 1001);
  });
});
