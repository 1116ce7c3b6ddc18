/**
 * Test helpers for the FunctionGraph clients: an emulator and a client context authenticated with an
 * IAM token obtained here (so client tests do not depend on the auth module), plus the control API.
 */
import { request } from "undici";
import { parseFunctionGraphErrorBody } from "../../../../sdk/functiongraph/error-body";
import type { ClientContext } from "../../../../sdk/core/client";
import { type RunningEmulator, startEmulator } from "../../../../emulator";

/** Tiny retry delays so fault tests stay fast. */
export const fastRetry = { baseDelayMs: 1, maxDelayMs: 5, jitterMs: 0, maxTotalMs: 5_000 } as const;

/** Obtains a project-scoped IAM token from the emulator. */
export async function issueToken(emu: RunningEmulator): Promise<string> {
  const fg = emu.functiongraph;
  const res = await request(`${emu.url}/v3/auth/tokens?nocatalog=true`, {
    method: "POST",
    headers: { "content-type": "application/json;charset=utf8" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: fg.userName, password: fg.password, domain: { name: fg.domainName } } },
        },
        scope: { project: { name: fg.region } },
      },
    }),
  });
  await res.body.dump();
  const token = res.headers["x-subject-token"];
  if (res.statusCode !== 201 || typeof token !== "string")
    throw new Error(`token request failed: ${res.statusCode}`);
  return token;
}

/** A FunctionGraph client context for the emulator using an IAM token. */
export async function tokenContext(emu: RunningEmulator): Promise<ClientContext> {
  const token = await issueToken(emu);
  return {
    endpoint: new URL(`${emu.url}/v2/${emu.functiongraph.projectId}`),
    signer: {
      sign(req) {
        req.headers["x-auth-token"] = token;
        return Promise.resolve();
      },
    },
    parseErrorBody: parseFunctionGraphErrorBody,
    retry: fastRetry,
  };
}

/** Calls the emulator's control API. */
export async function control(
  emu: RunningEmulator,
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  body?: unknown,
): Promise<unknown> {
  const res = await request(`${emu.url}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`control ${method} ${path}: ${res.statusCode} ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** Total FunctionGraph requests the emulator has served so far (from `/_emulator/stats`). */
export async function functionGraphRequestCount(emu: RunningEmulator): Promise<number> {
  const stats = (await control(emu, "GET", "stats")) as { requests?: Record<string, Record<string, number>> };
  return Object.values(stats.requests?.functiongraph ?? {}).reduce((a, b) => a + b, 0);
}

/** Starts an emulator with fast trigger timing. */
export function startTestEmulator(): Promise<RunningEmulator> {
  return startEmulator({ timing: { lifecycleMs: 50, workRequestMs: 50, triggerMs: 50 } });
}

/** An empty but valid zip archive (end-of-central-directory record only). */
export const emptyZip = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);

/** A zip-looking package with distinct bytes (local file header + payload). */
export function zipWith(payload: string): Buffer {
  return Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(payload)]);
}
