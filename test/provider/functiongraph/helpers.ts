/**
 * Shared set-up of the FunctionGraph provider tests: an emulator, stack configs for AK/SK and for IAM
 * token authentication, and the handlers as the runtime serves them.
 */
import type { RunningEmulator } from "../../../emulator";
import type { ResourceHandler } from "../../../provider/handler";
import { configure, handlerFor } from "../../../provider/runtime";
import { control } from "../../sdk/functiongraph/clients/helpers";

/** Stack config for AK/SK signing against the emulator (the opentelekomcloud provider's key names). */
export function akskConfig(emu: RunningEmulator): Record<string, string> {
  const fg = emu.functiongraph;
  return {
    "fnstack:functiongraphEndpoint": emu.url,
    "opentelekomcloud:accessKey": fg.accessKey,
    "opentelekomcloud:secretKey": fg.secretKey,
    "opentelekomcloud:projectId": fg.projectId,
    "opentelekomcloud:region": fg.region,
  };
}

/** Stack config for IAM password-token authentication against the emulator. */
export function tokenConfig(emu: RunningEmulator): Record<string, string> {
  const fg = emu.functiongraph;
  return {
    "fnstack:functiongraphEndpoint": emu.url,
    "opentelekomcloud:authUrl": `${emu.url}/v3`,
    "opentelekomcloud:userName": fg.userName,
    "opentelekomcloud:password": fg.password,
    "opentelekomcloud:domainName": fg.domainName,
    "opentelekomcloud:region": fg.region,
    "opentelekomcloud:projectName": fg.region,
  };
}

/** Installs a stack config as the plugin's `configure` would. */
export function useConfig(values: Readonly<Record<string, string>>): void {
  configure((key) => values[key]);
}

/** The handler of a FunctionGraph kind (`Function`, `Trigger`, ...). */
export function handler(type: string): ResourceHandler {
  return handlerFor(`functiongraph:${type}`);
}

/**
 * Adds a one-shot 400 `FSS.0400` fault ("<operation> refused", or `message`) on a FunctionGraph
 * operation of the emulator; `everyNth` makes it fire on the n-th matching call instead of the first.
 */
export async function failOnce(
  emu: RunningEmulator,
  operation: string,
  options: { everyNth?: number; message?: string } = {},
): Promise<void> {
  await control(emu, "POST", "faults", {
    service: "functiongraph",
    operation,
    status: 400,
    code: "FSS.0400",
    message: options.message ?? `${operation} refused`,
    times: 1,
    ...(options.everyNth === undefined ? {} : { everyNth: options.everyNth }),
  });
}
