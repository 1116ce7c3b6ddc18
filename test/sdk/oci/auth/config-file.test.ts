import { strict as assert } from "node:assert";
import { ConfigurationError } from "../../../../sdk/core/errors";
import { lookupOciConfigValue, parseOciConfigFile } from "../../../../sdk/oci/auth/config-file";

describe("OCI config file parser", () => {
  const text = [
    "# a comment",
    "; another comment",
    "",
    "[DEFAULT]",
    "  user = ocid1.user.oc1..u  ",
    "Region=us-ashburn-1",
    "pass_phrase=has#hash=and=equals",
    "",
    "[DEV]",
    "region=eu-frankfurt-1",
    "tenancy=",
    "\r",
  ].join("\n");
  const file = parseOciConfigFile(text, "/cfg");

  it("reads profiles, trims keys and values and lowercases keys", () => {
    assert.deepEqual([...file.profiles.keys()], ["DEFAULT", "DEV"]);
    assert.equal(file.profiles.get("DEFAULT")?.values.get("user"), "ocid1.user.oc1..u");
    assert.equal(file.profiles.get("DEFAULT")?.values.get("region"), "us-ashburn-1");
    assert.equal(file.profiles.get("DEV")?.line, 9);
  });

  it("keeps '#' and '=' inside values (pass phrases may contain them)", () => {
    assert.equal(file.profiles.get("DEFAULT")?.values.get("pass_phrase"), "has#hash=and=equals");
  });

  it("falls back to [DEFAULT] for keys a profile lacks or leaves empty", () => {
    assert.deepEqual(lookupOciConfigValue(file, "DEV", "region"), {
      value: "eu-frankfurt-1",
      profile: "DEV",
    });
    assert.deepEqual(lookupOciConfigValue(file, "DEV", "user"), {
      value: "ocid1.user.oc1..u",
      profile: "DEFAULT",
    });
    assert.equal(lookupOciConfigValue(file, "DEV", "tenancy"), undefined);
    assert.equal(lookupOciConfigValue(file, "DEFAULT", "fingerprint"), undefined);
  });

  it("accepts CRLF line endings and a byte-order mark", () => {
    const crlf = parseOciConfigFile("\uFEFF[DEFAULT]\r\nregion=iad\r\n", "/c");
    assert.equal(crlf.profiles.get("DEFAULT")?.values.get("region"), "iad");
  });

  const bad: [string, string, RegExp][] = [
    [
      "a key before any profile",
      "region=iad\n[DEFAULT]\n",
      /line 1: key "region" appears before any \[PROFILE\] header/,
    ],
    ["a line without '='", "[DEFAULT]\nregion=iad\njust-text\n", /line 3: expected key=value/],
    ["an empty key", "[DEFAULT]\n=value\n", /line 2: the key before '=' is empty/],
    ["an unclosed header", "[DEFAULT\n", /line 1: a profile header must look like \[NAME\]/],
    ["an empty profile name", "[ ]\n", /line 1: the profile name is empty/],
    ["a repeated profile", "[A]\nx=1\n[A]\n", /line 3: profile \[A\] is already defined at line 1/],
    ["a repeated key", "[A]\nx=1\nX=2\n", /line 3: key "x" is repeated in profile \[A\] \(first at line 2\)/],
    ["a key with spaces", "[A]\nkey file=x\n", /line 2: a key may only contain/],
  ];
  for (const [what, input, message] of bad) {
    it(`rejects ${what} with the file and line number`, () => {
      assert.throws(
        () => parseOciConfigFile(input, "/home/u/.oci/config"),
        (err: unknown) =>
          err instanceof ConfigurationError &&
          err.message.startsWith("OCI config file /home/u/.oci/config, line ") &&
          message.test(err.message),
      );
    });
  }

  it("never quotes a malformed line, which may hold a secret", () => {
    assert.throws(
      () => parseOciConfigFile("[DEFAULT]\nsup3r-secret-passphrase\n", "/c"),
      (err: unknown) => err instanceof ConfigurationError && !err.message.includes("sup3r"),
    );
  });
});
