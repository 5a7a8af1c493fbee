import { tracker } from 'cassandra-driver';

/**
 * The driver checks `requestTracker instanceof RequestTracker` at runtime, but its typings declare
 * RequestTracker as an interface only, so the runtime base class is reached through a cast.
 */
const RequestTrackerBase = (tracker as unknown as { RequestTracker: new () => object }).RequestTracker;

/**
 * Counts the requests a client really sends (every execute, batch and page fetch, successful or
 * not) by observing the driver, so round trips are measured rather than assumed. PREPARE requests
 * are not reported to trackers by the driver; the workloads warm statements up before measuring.
 */
export class RoundTripCounter extends RequestTrackerBase implements tracker.RequestTracker {
  private sent = 0;
  private failed = 0;

  /** Requests completed so far (successes and errors). */
  get count(): number {
    return this.sent;
  }

  /** Requests that ended in an error so far. */
  get errors(): number {
    return this.failed;
  }

  onSuccess(): void {
    this.sent += 1;
  }

  onError(): void {
    this.sent += 1;
    this.failed += 1;
  }

  shutdown(): void {
    // Shared by several clients (LangChain.js opens one per history): nothing to release.
  }
}
