// kafkajs 2.2.4 keeps every idle broker connection busy: once its request queue is empty,
// RequestQueue.scheduleCheckPendingRequests re-arms a setTimeout with a negative delay, so each
// connection wakes about every millisecond (~4% of a core per idle client here; kafkajs issue
// #1556, fix proposed in PR #1667 and not released). This replaces that one method with a version
// that schedules nothing while nothing is queued, which is safe because push() schedules a check
// whenever it queues a request, and every response or timeout runs checkPendingRequests.

interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

const PATCHED_VERSION = '2.2.4';
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;
let patched = false;

function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
  if (this.pending.length === 0 || this.throttleCheckTimeoutId) return;
  const throttledForMs = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    throttledForMs > 0 ? throttledForMs : CHECK_PENDING_REQUESTS_INTERVAL_MS,
  );
}

/**
 * Patches kafkajs's request queue once per process; returns whether the patch is in place. Any
 * other kafkajs version is left alone (the idle CPU test shows whether it still needs this).
 */
export function patchKafkajsIdleCpu(): boolean {
  if (patched) return true;
  /* eslint-disable @typescript-eslint/no-require-imports -- internal module, no typings */
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== PATCHED_VERSION) return false;
  const RequestQueue = require('kafkajs/src/network/requestQueue') as {
    prototype: RequestQueueInternals;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  if (typeof RequestQueue.prototype.scheduleCheckPendingRequests !== 'function') return false;
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  patched = true;

  return true;
}
