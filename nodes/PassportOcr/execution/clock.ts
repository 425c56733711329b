import { sleep } from 'n8n-workflow';

/** Time as the run sees it; tests pass their own. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep };

/** Longest single sleep, so that a cancelled execution stops waiting within about this long. */
const SLICE_MS = 1000;

/** Waits until `deadline()` has passed (it may move while waiting) or `signal` aborts. */
export async function waitUntil(
	clock: Clock,
	deadline: () => number,
	signal?: AbortSignal,
): Promise<void> {
	for (let left = deadline() - clock.now(); left > 0 && signal?.aborted !== true; ) {
		await clock.sleep(Math.min(left, SLICE_MS));
		left = deadline() - clock.now();
	}
}
