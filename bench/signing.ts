/**
 * Prints the CPU cost of signing one request, in µs per signature, for a GET and for a POST with a 1 KB
 * JSON body:
 *
 * - OCI (rsa-sha256, 2048-bit key): fnstack's `createOciSigner`, `oci-common`'s `DefaultRequestSigner`,
 *   and a floor of one bare `node:crypto` `sign("sha256", …)` over a signing string of the same shape
 *   (what any OCI signer must at least pay);
 * - FunctionGraph (SDK-HMAC-SHA256): fnstack's `createAkSkSigner` and
 *   `@huaweicloud/huaweicloud-sdk-core`'s `AKSKSigner.sign`.
 *
 * Run: `npx ts-node --transpile-only bench/signing.ts`
 *
 * Each variant signs a fresh request object per iteration (as `send()` does per attempt), sequentially.
 * After a warm-up, the variants of one request take turns in 20 rounds of `iterations / 20` signatures
 * each; a figure is the median of the 20 per-round means (robust to other load on the machine).
 * "ours / official" is fnstack's µs divided by the official SDK's: below 1 means fnstack is cheaper. The
 * figures are from one run on this machine; compare ratios, not absolute values, between machines.
 */
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { DefaultRequestSigner, SimpleAuthenticationDetailsProvider } from "oci-common";
import type { HttpMethod, OutgoingRequest } from "../sdk/core/request";
import { createOciSigner } from "../sdk/oci/auth/signer";
import { createAkSkSigner, formatSdkDate } from "../sdk/functiongraph/auth/aksk-signer";
import { printTable } from "./table";

const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner") as {
  AKSKSigner: {
    sign(
      request: {
        method: string;
        endpoint: string;
        headers: Record<string, string>;
        queryParams: Record<string, string>;
        data?: unknown;
      },
      credential: { getAk(): string; getSk(): string },
    ): Record<string, string>;
  };
};

const rsaIterations = 400;
const rsaWarmup = 50;
const hmacIterations = 5_000;
const hmacWarmup = 500;

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
const tenancy = "ocid1.tenancy.oc1..aaaabenchtenancy";
const user = "ocid1.user.oc1..aaaabenchuser";
const fingerprint = "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34";
const keyId = `${tenancy}/${user}/${fingerprint}`;

// A JSON body of exactly 1024 bytes, shaped like a CreateFunction body.
const filler = "x".repeat(1024 - JSON.stringify({ displayName: "bench", padding: "" }).length);
const body1k = JSON.stringify({ displayName: "bench", padding: filler });
const body1kObject = JSON.parse(body1k) as Record<string, string>;

const ociBase = "https://functions.eu-frankfurt-1.oci.oraclecloud.com/20181201";
const ociCases: readonly { label: string; method: HttpMethod; url: string; body?: string }[] = [
  { label: "GET", method: "GET", url: `${ociBase}/applications?compartmentId=${tenancy}&limit=50` },
  { label: "POST 1 KB", method: "POST", url: `${ociBase}/applications`, body: body1k },
];

const ak = "QTWAOYTTINDUT2QVKYUC";
const sk = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
const projectId = "0123456789abcdef0123456789abcdef";
const fgBase = `https://functiongraph.eu-de.otc.t-systems.com/v2/${projectId}`;
const fgCases: readonly { label: string; method: HttpMethod; path: string; body?: string }[] = [
  { label: "GET", method: "GET", path: "/fgs/functions/urn:fss:eu-de:0123:function:default:bench/config" },
  { label: "POST 1 KB", method: "POST", path: "/fgs/functions", body: body1k },
];

const rounds = 20;

/**
 * µs per call of each variant: after `warmup` untimed calls each, `rounds` rounds in which every variant
 * makes `iterations / rounds` timed calls in turn; the median of a variant's per-round means is taken,
 * so a burst of load from other processes skews one round, not one variant.
 */
async function measure(
  warmup: number,
  iterations: number,
  variants: readonly (() => unknown)[],
): Promise<number[]> {
  for (const fn of variants) for (let i = 0; i < warmup; i++) await fn();
  const perRound = Math.ceil(iterations / rounds);
  const samples: number[][] = variants.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, fn] of variants.entries()) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < perRound; i++) await fn();
      samples[index]?.push(Number(process.hrtime.bigint() - start) / 1_000 / perRound);
    }
  }
  return samples.map((values) => {
    const sorted = [...values].sort((x, y) => x - y);
    return (
      ((sorted[Math.floor((sorted.length - 1) / 2)] ?? 0) +
        (sorted[Math.ceil((sorted.length - 1) / 2)] ?? 0)) /
      2
    );
  });
}

async function main(): Promise<void> {
  const rows: string[][] = [
    ["cloud", "request", "signer", "iterations", "µs / signature", "ours / official"],
  ];

  const oursOci = createOciSigner({ keyId, privateKey });
  const official = new DefaultRequestSigner(
    new SimpleAuthenticationDetailsProvider(tenancy, user, fingerprint, pem, null),
  );
  for (const c of ociCases) {
    const bodyBuffer = c.body === undefined ? undefined : Buffer.from(c.body, "utf8");
    const url = new URL(c.url);
    const [ours = Number.NaN, theirs = Number.NaN, floor = Number.NaN] = await measure(
      rsaWarmup,
      rsaIterations,
      [
        () =>
          oursOci.sign({ method: c.method, url, headers: {}, body: bodyBuffer } satisfies OutgoingRequest),
        () =>
          official.signHttpRequest({
            method: c.method,
            uri: c.url,
            headers: new Headers(),
            body: c.body,
          } as Parameters<typeof official.signHttpRequest>[0]),
        // The floor: the signing string OCI needs, hashed and RSA-signed once, nothing else.
        () => {
          const date = new Date().toUTCString();
          let text = `x-date: ${date}\n(request-target): ${c.method.toLowerCase()} ${url.pathname}${url.search}\nhost: ${url.host}`;
          if (bodyBuffer !== undefined) {
            const digest = createHash("sha256").update(bodyBuffer).digest("base64");
            text += `\ncontent-type: application/json\ncontent-length: ${bodyBuffer.length}\nx-content-sha256: ${digest}`;
          }
          return sign("sha256", Buffer.from(text), privateKey).toString("base64");
        },
      ],
    );
    const ratio = (ours / theirs).toFixed(2);
    rows.push(["OCI", c.label, "fnstack createOciSigner", String(rsaIterations), ours.toFixed(1), ratio]);
    rows.push([
      "OCI",
      c.label,
      "oci-common DefaultRequestSigner",
      String(rsaIterations),
      theirs.toFixed(1),
      "",
    ]);
    rows.push(["OCI", c.label, "node:crypto sign (floor)", String(rsaIterations), floor.toFixed(1), ""]);
  }

  const oursFg = createAkSkSigner({ accessKey: ak, secretKey: sk, projectId });
  const credential = { getAk: () => ak, getSk: () => sk };
  for (const c of fgCases) {
    const bodyBuffer = c.body === undefined ? undefined : Buffer.from(c.body, "utf8");
    const url = new URL(fgBase + c.path);
    const [ours = Number.NaN, theirs = Number.NaN] = await measure(hmacWarmup, hmacIterations, [
      () =>
        oursFg.sign({
          method: c.method,
          url,
          headers: { "content-type": "application/json" },
          body: bodyBuffer,
        } satisfies OutgoingRequest),
      () =>
        AKSKSigner.sign(
          {
            method: c.method,
            endpoint: fgBase + c.path,
            headers: {
              "content-type": "application/json",
              "X-Sdk-Date": formatSdkDate(new Date()),
              "X-Project-Id": projectId,
            },
            queryParams: {},
            data: c.body === undefined ? undefined : body1kObject,
          },
          credential,
        ),
    ]);
    const ratio = (ours / theirs).toFixed(2);
    rows.push([
      "FunctionGraph",
      c.label,
      "fnstack createAkSkSigner",
      String(hmacIterations),
      ours.toFixed(1),
      ratio,
    ]);
    rows.push([
      "FunctionGraph",
      c.label,
      "huaweicloud AKSKSigner.sign",
      String(hmacIterations),
      theirs.toFixed(1),
      "",
    ]);
  }

  console.log(
    `node ${process.version}, ${rsaWarmup}/${hmacWarmup} warm-up signatures per RSA/HMAC variant, ` +
      `median of ${rounds} interleaved rounds\n`,
  );
  printTable(rows);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
