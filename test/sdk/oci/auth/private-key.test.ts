import { strict as assert } from "node:assert";
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { ConfigurationError } from "../../../../sdk/core/errors";
import { isEncryptedPem, parseOciPrivateKey } from "../../../../sdk/oci/auth/private-key";

describe("OCI private key parsing", () => {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const secret = "correct horse";
  const pems = {
    pkcs1: privateKey.export({ format: "pem", type: "pkcs1" }) as string,
    pkcs8: privateKey.export({ format: "pem", type: "pkcs8" }) as string,
    encPkcs1: privateKey.export({
      format: "pem",
      type: "pkcs1",
      cipher: "aes-128-cbc",
      passphrase: secret,
    }) as string,
    encPkcs8: privateKey.export({
      format: "pem",
      type: "pkcs8",
      cipher: "aes-256-cbc",
      passphrase: secret,
    }) as string,
  };

  it("parses PKCS#1 and PKCS#8, plain and encrypted, to an RSA private KeyObject", () => {
    for (const [name, pem] of Object.entries(pems)) {
      const key = parseOciPrivateKey(pem, name.startsWith("enc") ? secret : undefined, name);
      assert.equal(key.type, "private", name);
      assert.equal(key.asymmetricKeyType, "rsa", name);
    }
  });

  it("recognises both encrypted PEM layouts", () => {
    assert.ok(isEncryptedPem(pems.encPkcs1));
    assert.ok(isEncryptedPem(pems.encPkcs8));
    assert.ok(!isEncryptedPem(pems.pkcs1));
    assert.ok(!isEncryptedPem(pems.pkcs8));
  });

  it("ignores a pass phrase given for an unencrypted key", () => {
    assert.equal(parseOciPrivateKey(pems.pkcs8, "unused", "k").asymmetricKeyType, "rsa");
  });

  const rejects = (fn: () => unknown, pattern: RegExp) =>
    assert.throws(
      fn,
      (err: unknown) =>
        err instanceof ConfigurationError && pattern.test(err.message) && !err.message.includes(secret),
    );

  it("reports a wrong pass phrase as such even when it decrypts to garbage instead of failing the padding", () => {
    // About 1 wrong phrase in 250 passes the CBC padding check; find one so this path runs every time.
    let garbage: string | undefined;
    for (let i = 0; garbage === undefined && i < 20_000; i++) {
      try {
        createPrivateKey({ key: pems.encPkcs8, format: "pem", passphrase: `wrong-${i}` });
      } catch (err) {
        if ((err as { code?: string }).code !== "ERR_OSSL_BAD_DECRYPT") garbage = `wrong-${i}`;
      }
    }
    assert.ok(garbage !== undefined, "no padding-valid wrong pass phrase found");
    rejects(
      () => parseOciPrivateKey(pems.encPkcs8, garbage, "KEYSRC", "PPSRC"),
      /^KEYSRC could not be decrypted with PPSRC: the pass phrase is wrong \(or the file is corrupted\)\.$/,
    );
  });

  it("names the source and the rule for each bad key", () => {
    rejects(
      () => parseOciPrivateKey(pems.encPkcs8, undefined, "KEYSRC"),
      /^KEYSRC is encrypted, but no pass phrase/,
    );
    rejects(
      () => parseOciPrivateKey(pems.encPkcs8, "", "KEYSRC"),
      /^KEYSRC is encrypted, but no pass phrase/,
    );
    rejects(
      () => parseOciPrivateKey(pems.encPkcs1, "nope", "KEYSRC", "PPSRC"),
      /^KEYSRC could not be decrypted with PPSRC/,
    );
    rejects(
      () => parseOciPrivateKey("ssh-rsa AAAA", undefined, "KEYSRC"),
      /^KEYSRC is not a PEM private key/,
    );
    rejects(
      () =>
        parseOciPrivateKey(
          "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
          undefined,
          "KEYSRC",
        ),
      /^KEYSRC could not be parsed as a PEM private key/,
    );
  });
});
