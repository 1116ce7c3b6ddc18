/**
 * Answer of `POST .../invocations` with `X-CFF-Request-Version: v1`: the function's result as a string,
 * its log (with `X-Cff-Log-Type: tail`), and the execution status (0 = success).
 */
export interface SyncInvocationResult {
  request_id?: string;
  result?: string;
  log?: string;
  status?: number;
  error_code?: string;
}

/** Answer of `POST .../invocations-async` (202). */
export interface AsyncInvocationResult {
  request_id: string;
}
