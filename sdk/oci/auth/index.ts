export {
  resolveOciCredentials,
  type OciAuthSources,
  type OciCredentials,
  type OciAuthType,
} from "./credentials";
export { createOciSigner, type OciSignerOptions } from "./signer";
