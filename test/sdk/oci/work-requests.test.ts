import { strict as assert } from "node:assert";
import { NotFoundError, WaitTimeoutError, WorkRequestFailedError } from "../../../sdk/core/errors";
import { waitForDeletion, waitForLifecycleState } from "../../../sdk/oci/lifecycle";
import type { WorkRequest, WorkRequestStatus } from "../../../sdk/oci/types/work-requests";
import {
  computeWorkRequests,
  waitForWorkRequest,
  workRequestResourceId,
  type WorkRequestSource,
} from "../../../sdk/oci/work-requests";
import { startStubServer } from "./clients/stub-server";

/** A work request that walks through `statuses`, one per poll, and records when it was polled. */
function scripted(
  statuses: WorkRequestStatus[],
  extra: { retryAfterMs?: number; errors?: { code: string; message: string }[]; logs?: string[] } = {},
) {
  const polls: number[] = [];
  const source: WorkRequestSource = {
    name: "Test",
    async get(id) {
      polls.push(Date.now());
      const status = statuses[Math.min(polls.length - 1, statuses.length - 1)] as WorkRequestStatus;
      const workRequest: WorkRequest = {
        id,
        operationType: "CREATE_CONTAINER_INSTANCE",
        status,
        percentComplete: 50,
      };
      return { workRequest, retryAfterMs: extra.retryAfterMs };
    },
    errors: async () => extra.errors ?? [],
    logs: async () => (extra.logs ?? []).map((message) => ({ message })),
  };
  return { source, polls };
}

const fast = { minIntervalMs: 5, maxIntervalMs: 20 };

describe("waitForWorkRequest", function () {
  this.timeout(20_000);

  it("answers the work request once it SUCCEEDED", async () => {
    const { source, polls } = scripted(["ACCEPTED", "IN_PROGRESS", "SUCCEEDED"]);
    const wr = await waitForWorkRequest(source, "wr1", { timeoutMs: 5000, ...fast });
    assert.equal(wr.status, "SUCCEEDED");
    assert.equal(polls.length, 3);
  });

  it("fails at once on FAILED with the errors, the last log lines and every message in the text", async () => {
    const logs = Array.from({ length: 15 }, (_, i) => `step ${i}`);
    const { source, polls } = scripted(["IN_PROGRESS", "FAILED"], {
      errors: [
        { code: "InternalError", message: "Out of host capacity" },
        { code: "LimitExceeded", message: "too many instances" },
      ],
      logs,
    });
    const err = await waitForWorkRequest(source, "wr2", {
      timeoutMs: 5000,
      description: "creating ci",
      ...fast,
    }).catch((e: unknown) => e);
    assert.ok(err instanceof WorkRequestFailedError);
    assert.equal(err.status, "FAILED");
    assert.equal(err.workRequestId, "wr2");
    assert.equal(err.code, "InternalError");
    assert.deepEqual(
      err.errors.map((e) => e.code),
      ["InternalError", "LimitExceeded"],
    );
    assert.deepEqual(err.logs, logs.slice(-10));
    assert.match(
      err.message,
      /creating ci: Test work request wr2 \(CREATE_CONTAINER_INSTANCE\) ended FAILED: InternalError: Out of host capacity; LimitExceeded: too many instances\. Last log lines: step 5 \| .* \| step 14/,
    );
    assert.equal(polls.length, 2, "no poll after the failure");
  });

  it("treats CANCELED as a failure, and still fails clearly when the errors cannot be listed", async () => {
    const { source } = scripted(["CANCELED"]);
    source.errors = async () => {
      throw new Error("errors API down");
    };
    const err = await waitForWorkRequest(source, "wr3", { timeoutMs: 5000, ...fast }).catch(
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkRequestFailedError);
    assert.equal(err.status, "CANCELED");
    assert.match(err.message, /could not list the work request's errors: errors API down/);
  });

  it("waits at least the service's retry-after between polls", async () => {
    const { source, polls } = scripted(["IN_PROGRESS", "IN_PROGRESS", "SUCCEEDED"], { retryAfterMs: 150 });
    await waitForWorkRequest(source, "wr4", { timeoutMs: 5000, ...fast });
    assert.equal(polls.length, 3);
    for (let i = 1; i < polls.length; i++) {
      assert.ok(
        (polls[i] as number) - (polls[i - 1] as number) >= 140,
        `poll ${i} came after ${(polls[i] as number) - (polls[i - 1] as number)} ms`,
      );
    }
  });

  it("times out at its deadline naming the last status seen", async () => {
    const { source } = scripted(["IN_PROGRESS"]);
    const err = await waitForWorkRequest(source, "wr5", {
      timeoutMs: 200,
      description: "deleting ci",
      ...fast,
    }).catch((e: unknown) => e);
    assert.ok(err instanceof WaitTimeoutError);
    assert.match(err.message, /deleting ci \(work request wr5\) to finish: last state seen IN_PROGRESS 50%/);
  });

  it("rejects bad options eagerly", async () => {
    const { source } = scripted(["SUCCEEDED"]);
    await assert.rejects(waitForWorkRequest(source, "", { timeoutMs: 10 }), TypeError);
    await assert.rejects(waitForWorkRequest(source, "x", { timeoutMs: 0 }), TypeError);
  });

  it("works over the Work Requests API (bare-array errors) as well", async () => {
    const server = await startStubServer();
    try {
      server.reply(
        {
          body: { id: "wr6", operationType: "LaunchInstance", status: "IN_PROGRESS" },
          headers: { "retry-after": "0" },
        },
        { body: { id: "wr6", operationType: "LaunchInstance", status: "FAILED" } },
      );
      server.fallback = (req) =>
        req.url.includes("/errors") ? { body: [{ code: "Quota", message: "no quota" }] } : { body: [] };
      const err = await waitForWorkRequest(computeWorkRequests(server.context("/20160918")), "wr6", {
        timeoutMs: 5000,
        ...fast,
      }).catch((e: unknown) => e);
      assert.ok(err instanceof WorkRequestFailedError);
      assert.match(
        err.message,
        /Work Requests work request wr6 \(LaunchInstance\) ended FAILED: Quota: no quota/,
      );
    } finally {
      await server.close();
    }
  });

  it("finds the id of the resource a work request acted on", () => {
    const wr: WorkRequest = {
      id: "w",
      operationType: "CREATE_CONTAINER_INSTANCE",
      status: "SUCCEEDED",
      resources: [
        { entityType: "vnic", actionType: "RELATED", identifier: "v" },
        { entityType: "ContainerInstance", actionType: "CREATED", identifier: "ci" },
      ],
    };
    assert.equal(workRequestResourceId(wr, "containerinstance", "CREATED"), "ci");
    assert.equal(workRequestResourceId(wr, "containerinstance", "DELETED"), undefined);
  });
});

describe("lifecycle waits", function () {
  this.timeout(10_000);

  it("waits for ACTIVE and fails fast on FAILED with the lifecycle details", async () => {
    const states = ["CREATING", "CREATING", "ACTIVE"];
    let n = 0;
    const active = await waitForLifecycleState(
      async () => ({ id: "a", lifecycleState: states[n++] ?? "ACTIVE" }),
      ["ACTIVE"],
      { description: "app a to become ACTIVE", timeoutMs: 2000, ...fast },
    );
    assert.equal(active.lifecycleState, "ACTIVE");
    let polls = 0;
    const err = await waitForLifecycleState(
      async () => {
        polls++;
        return { id: "b", lifecycleState: "FAILED", lifecycleDetails: "no capacity" };
      },
      ["ACTIVE"],
      { description: "app b to become ACTIVE", timeoutMs: 2000, ...fast },
    ).catch((e: unknown) => e);
    assert.ok(err instanceof WorkRequestFailedError);
    assert.match(err.message, /app b to become ACTIVE: the resource is FAILED: no capacity/);
    assert.equal(polls, 1);
  });

  it("counts DELETED and 404 as deleted", async () => {
    await waitForDeletion(async () => ({ lifecycleState: "DELETED" }), {
      description: "x",
      timeoutMs: 1000,
      ...fast,
    });
    let n = 0;
    await waitForDeletion(
      async () => {
        if (n++ < 2) return { lifecycleState: "DELETING" };
        throw new NotFoundError("gone", { statusCode: 404, code: "NotAuthorizedOrNotFound" });
      },
      { description: "y", timeoutMs: 1000, ...fast },
    );
    assert.equal(n, 3);
  });

  it("times out when the resource never settles", async () => {
    const err = await waitForDeletion(async () => ({ lifecycleState: "DELETING" }), {
      description: "fn f to be deleted",
      timeoutMs: 150,
      ...fast,
    }).catch((e: unknown) => e);
    assert.ok(err instanceof WaitTimeoutError);
    assert.match(err.message, /fn f to be deleted: last state seen DELETING/);
  });
});
