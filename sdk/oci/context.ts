import { type ClientContext } from "../core/client";
import { type OciCredentials } from "./auth/credentials";
import { createOciSigner } from "./auth/signer";
import { ociEndpoint, type OciService } from "./endpoints";
import { parseOciErrorBody } from "./error-body";

/**
 * Default ceiling of fnstack's adaptive rate limiter for one OCI service endpoint and tenancy, in
 * requests per second, when neither `fnstack:maxRequestsPerSecond` nor
 * `FNSTACK_MAX_REQUESTS_PER_SECOND` is set. OCI publishes no per-tenancy request rate for the Functions
 * and Container Instances APIs, only that it answers 429 `TooManyRequests` past one: this is a ceiling,
 * not a target; the limiter finds the real limit from the 429s.
 */
export const ociDefaultMaxRequestsPerSecond = 50;

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
    // The allowance is the tenancy's: every user and key of it shares one limiter per endpoint.
    rateLimit: { scope: credentials.tenancyOcid, defaultRequestsPerSecond: ociDefaultMaxRequestsPerSecond },
    ...extra,
  };
}
