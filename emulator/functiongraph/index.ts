import type { EmulatedService, ServiceContext } from "../service";

/**
 * The emulated FunctionGraph v2 API and its IAM (`/v3/auth/tokens`, `/v3/projects`).
 * Placeholder until the FunctionGraph emulator lands: it owns no route yet.
 */
export function createFunctionGraphService(_context: ServiceContext): EmulatedService {
  return {
    name: "functiongraph",
    throttleCode: "FSS.0429",
    route: () => undefined,
    authenticate: () => {
      throw new Error("no FunctionGraph route is emulated yet");
    },
    handle: () => Promise.reject(new Error("no FunctionGraph route is emulated yet")),
    errorResponse: (status, code, message, requestId) => ({
      status,
      headers: { "x-request-id": requestId },
      body: { error_code: code, error_msg: message },
    }),
    drift: () => false,
    registerCredentials: () => undefined,
    writeDevelopmentAccount: () => Promise.resolve(),
    reset: () => undefined,
    exportState: () => ({}),
    importState: () => undefined,
  };
}
