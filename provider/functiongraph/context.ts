import type { ClientContext } from "../../sdk/core/client";
import type * as sessionModule from "../../sdk/functiongraph/session";
import type { CallScope } from "../handler";
import { stackConfig } from "../runtime";
import { retryTuning } from "../tuning";
import { callConnection } from "./connection";

/**
 * The FunctionGraph client context for one provider call. Credentials are resolved inside every call
 * (stack config, then `OS_*` environment, then clouds.yaml; AK/SK or an IAM token), so nothing is
 * captured by the serialized provider. The auth module is loaded on first use: `check` and `diff` never
 * need it.
 */
export async function functionGraphContext(call: CallScope | undefined): Promise<ClientContext> {
  return (await functionGraphSession(call)).context;
}

/** The whole session (region and project id too), resolved the same way. */
export async function functionGraphSession(
  call: CallScope | undefined,
): Promise<sessionModule.FunctionGraphSession> {
  const { resolveFunctionGraphSession } = require("../../sdk/functiongraph/session") as typeof sessionModule;
  // The resource's own connection (region, project, cloud entry) overrides the stack config for this
  // call; the same FNSTACK_RETRY_* settings as OCI (provider/tuning.ts).
  const connection = callConnection(call);
  const retry = retryTuning();
  return resolveFunctionGraphSession(
    { config: stackConfig(), ...(connection === undefined ? {} : { connection }) },
    retry === undefined ? {} : { retry },
  );
}
