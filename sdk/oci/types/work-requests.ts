/**
 * Wire types of work requests, shared by the Container Instances API (`/20210415/workRequests`) and
 * the Work Requests API (`/20160918/workRequests`) (reference oci-api.md §2.4).
 */

/** Status of a work request; SUCCEEDED, FAILED and CANCELED are terminal. */
export type WorkRequestStatus =
  "ACCEPTED" | "IN_PROGRESS" | "FAILED" | "SUCCEEDED" | "CANCELING" | "CANCELED";

/** What a work request did to one resource. */
export interface WorkRequestResource {
  readonly entityType: string;
  /** `CREATED`, `UPDATED`, `DELETED`, `IN_PROGRESS`, `RELATED` (Container Instances also `FAILED`). */
  readonly actionType: string;
  readonly identifier: string;
  readonly entityUri?: string;
}

/** A work request. `operationType` is an enum on Container Instances, free text on the Work Requests API. */
export interface WorkRequest {
  readonly id: string;
  readonly operationType: string;
  readonly status: WorkRequestStatus;
  readonly compartmentId?: string;
  readonly percentComplete?: number;
  readonly resources?: readonly WorkRequestResource[];
  readonly timeAccepted?: string;
  readonly timeStarted?: string;
  readonly timeFinished?: string;
}

/** One error of a work request. */
export interface WorkRequestError {
  readonly code: string;
  readonly message: string;
  readonly timestamp?: string;
}

/** One log line of a work request. */
export interface WorkRequestLogEntry {
  readonly message: string;
  readonly timestamp?: string;
}
