import { patchKafkajsIdleCpu } from './kafkajs-idle-cpu.fix';

interface RequestQueue {
  pending: unknown[];
  inflight: Map<number, unknown>;
  throttledUntil: number;
  throttleCheckTimeoutId: unknown;
  checkPendingRequests(): void;
  destroy(): void;
}

function newRequestQueue(): RequestQueue {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RequestQueueClass = require('kafkajs/src/network/requestQueue') as new (
    options: Record<string, unknown>,
  ) => RequestQueue;
  const quiet = { debug: () => undefined, warn: () => undefined, error: () => undefined };

  return new RequestQueueClass({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: '127.0.0.1:9092',
    logger: quiet,
  });
}

describe(patchKafkajsIdleCpu.name, () => {
  beforeAll(() => {
    // Fails on a kafkajs upgrade: check whether the new version still needs the fix.
    expect(patchKafkajsIdleCpu()).toBe(true);
  });

  it('leaves an idle connection without a timer after a response', () => {
    const sut = newRequestQueue();

    sut.checkPendingRequests();

    expect(sut.throttleCheckTimeoutId).toBeNull();
  });

  it('still schedules a check when a request waits for a throttle to end', () => {
    const sut = newRequestQueue();
    sut.throttledUntil = Date.now() + 60_000;
    sut.pending.push({});

    sut.checkPendingRequests();

    expect(sut.throttleCheckTimeoutId).not.toBeNull();
    sut.destroy();
  });
});
