import { createPrivateKey, type KeyObject } from "node:crypto";
import { ConfigurationError } from "../../core/errors";

/** True when a PEM holds an encrypted key (PKCS#8 `ENCRYPTED PRIVATE KEY` or PKCS#1 `Proc-Type: 4,ENCRYPTED`). */
export function isEncryptedPem(pem: string): boolean {
  return /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem) || /^Proc-Type:\s*4,\s*ENCRYPTED\s*$/m.test(pem);
}

/**
 * Parses an OCI API signing key: a PEM RSA private key in PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8
 * (`BEGIN PRIVATE KEY`), either possibly encrypted. Text whose line breaks were escaped as the two
 * characters `\n` (a common way to paste a PEM into one config value) is unescaped first.
 *
 * Throws a {@link ConfigurationError} naming `source` (e.g. `oci:privateKey`, `key_file /path in profile
 * [DEFAULT] of /home/u/.oci/config`) and the rule broken: not a PEM private key, encrypted but no pass
 * phrase, wrong pass phrase, not RSA. The messages never contain key material or the pass phrase.
 *
 * @param passphraseSource where the pass phrase came from, named when it is wrong.
 */
export function parseOciPrivateKey(
  pemText: string,
  passphrase: string | undefined,
  source: string,
  passphraseSource = "the pass phrase",
): KeyObject {
  let pem = pemText.trim();
  if (!pem.includes("\n") && pem.includes("\\n")) pem = pem.replace(/\\n/g, "\n");
  if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(pem)) {
    throw new ConfigurationError(
      `${source} is not a PEM private key: expected a "-----BEGIN RSA PRIVATE KEY-----" or ` +
        `"-----BEGIN PRIVATE KEY-----" block (OCI API signing keys are RSA keys in PEM format).`,
    );
  }
  const encrypted = isEncryptedPem(pem);
  if (encrypted && (passphrase === undefined || passphrase === "")) {
    throw new ConfigurationError(
      `${source} is encrypted, but no pass phrase was given: set oci:privateKeyPassword ` +
        `or pass_phrase in the config file profile.`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(encrypted ? { key: pem, format: "pem", passphrase } : { key: pem, format: "pem" });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (encrypted) {
      // A wrong pass phrase usually fails the CBC padding check (BAD_DECRYPT), but about one time in 250
      // it decrypts to padding-valid garbage that then fails to decode: report both as a wrong phrase.
      const detail = code === "ERR_OSSL_BAD_DECRYPT" ? "" : " (or the file is corrupted)";
      throw new ConfigurationError(
        `${source} could not be decrypted with ${passphraseSource}: the pass phrase is wrong${detail}.`,
      );
    }
    // OpenSSL's messages name only the failing routine, never key bytes, so the code is safe to show.
    throw new ConfigurationError(
      `${source} could not be parsed as a PEM private key (${typeof code === "string" ? code : "unknown error"}); ` +
        `it may be truncated or corrupted.`,
    );
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new ConfigurationError(
      `${source} is a ${key.asymmetricKeyType ?? "non-RSA"} key; OCI API signing keys must be RSA keys.`,
    );
  }
  return key;
}
