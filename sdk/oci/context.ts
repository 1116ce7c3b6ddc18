import { type ClientContext } from "../core/client";
import { type OciCredentials } from "./auth/credentials";
import { createOciSigner } from "./auth/signer";
import { ociEndpoint, type OciService } from "./endpoints";
import { parseOciErrorBody } from "./error-body";

/**
 * The {@link ClientContext} for one OCI service: its endpoint for the credentials' region (or the
 * endpoint override), an OCI request signer over the credentials' key, and the OCI error-body parser.
 * `extra` overrides any field (tests pass a dispatcher, tiny retry delays or another endpoint).
 */
export function ociClientContext(
  service: OciService,
  credentials: OciCredentials,
  extra: Partial<ClientContext> = {},
): ClientContext {
  return {
    endpoint: extra.endpoint ?? ociEndpoint(service, credentials.region, credentials.endpointOverride),
    signer: extra.signer ?? createOciSigner(credentials),
    parseErrorBody: parseOciErrorBody,
    ...extra,
  };
}
