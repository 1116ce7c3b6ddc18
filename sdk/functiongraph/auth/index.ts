/** FunctionGraph authentication: AK/SK signing, IAM tokens, credentials from config, env and clouds.yaml. */
export {
  akSkAlgorithm,
  canonicalQueryString,
  canonicalUri,
  computeAkSkSignature,
  createAkSkSigner,
  emptyPayloadSha256,
  formatSdkDate,
  signingEncode,
  type AkSkKeys,
  type AkSkSignature,
  type AkSkSignerOptions,
} from "./aksk-signer";
export { cloudsYamlCandidates, loadCloud, type CloudValues, type LoadedCloud } from "./clouds-yaml";
export {
  functionGraphConfigKeys,
  functionGraphEnvVars,
  resolveFunctionGraphCredentials,
  type FunctionGraphAuthSources,
  type FunctionGraphAuthType,
  type FunctionGraphCredentials,
} from "./credentials";
export {
  IamTokenSource,
  createTokenSigner,
  defaultTokenRefreshBeforeExpiryMs,
  lookupProjectId,
  withTokenRefresh,
  type IamPasswordLogin,
  type IamToken,
  type IamTokenSourceOptions,
  type IamTransport,
  type TokenSigner,
} from "./iam-token";
