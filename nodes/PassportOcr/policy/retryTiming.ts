import type { ItemFailure } from '../contract/itemFailure';
import { seconds, type Verdict } from './attemptVerdicts';

/**
 * When a failed item tries again: backoff and throttling pauses, and the step an item takes after a verdict
 * (retry at a time, renew the credential once, or give up) within Max Retry Time. The verdicts themselves are
 * attemptVerdicts.ts's; this file only times them.
 */
/** The service's advice for APIG.0308 is to retry after 2 to 5 s. */
const THROTTLE_PAUSE_MS = 2000;
const THROTTLE_SPREAD = 1.5;
/** Never sooner than this after a throttling answer, even when it says `Retry-After: 0`. */
const MIN_THROTTLE_PAUSE_MS = 1000;
const MAX_THROTTLE_PAUSE_MS = 60_000;
const BACKOFF_FIRST_MS = 1000;
const BACKOFF_CAP_MS = 30_000;

const retryAfterMs = (failure: ItemFailure): number | undefined =>
	failure.retryAfterSeconds === undefined ? undefined : failure.retryAfterSeconds * 1000;

/**
 * The wait before retry number `retry` (0 for the first) of a failure that is not throttling: doubling from 1 s
 * up to 30 s, with equal jitter so that items failing together do not retry together, and never shorter than
 * the service's `Retry-After`.
 */
export function backoffMs(failure: ItemFailure, retry: number, random: () => number): number {
	const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_FIRST_MS * 2 ** retry);
	return Math.max(ceiling / 2 + (random() * ceiling) / 2, retryAfterMs(failure) ?? 0);
}

/**
 * How long every request of the run holds back after throttling: the service's `Retry-After` when it sends
 * one, otherwise 2 to 5 s, doubling with each throttling in a row, at most 60 s.
 */
export function throttlePauseMs(
	failure: ItemFailure,
	throttlesInRow: number,
	random: () => number,
): number {
	const asked = retryAfterMs(failure);
	if (asked !== undefined) return Math.max(MIN_THROTTLE_PAUSE_MS, asked);
	const base = THROTTLE_PAUSE_MS * 2 ** throttlesInRow;
	return Math.min(MAX_THROTTLE_PAUSE_MS, base * (1 + THROTTLE_SPREAD * random()));
}

/** Where an item stands: when its first attempt started and how many attempts it made. */
export interface ItemHistory {
	startedAt: number;
	attempts: number;
	renewed: boolean;
}

export interface Timing {
	now: number;
	maxRetryMs: number;
	random: () => number;
	/** When the run's shared pace lets requests go again (after throttling). */
	pacedUntil: number;
}

export type NextStep =
	| { step: 'retry'; at: number }
	| { step: 'renew' }
	| { step: 'give-up'; failure: ItemFailure };

/** Says in the failure why the item stopped retrying, so a user knows whether to raise Max Retry Time. */
function gaveUp(failure: ItemFailure, history: ItemHistory, waitMs: number, maxRetryMs: number) {
	const limit = `Max Retry Time (${seconds(maxRetryMs)} s)`;
	const note =
		history.attempts > 1
			? `Tried ${history.attempts} times; ${limit} allows no more.`
			: `Not retried: the next try would start in ${seconds(waitMs)} s, beyond ${limit}.`;
	return { ...failure, description: `${failure.description} ${note}` };
}

/**
 * What the item does after a failed attempt. A retry must start within Max Retry Time of the item's first
 * attempt, so that an item never takes longer than Max Retry Time plus one Timeout. A token is renewed once
 * per item; a second rejection means the credential itself is refused, and stops the run.
 */
export function nextStep(
	verdict: Extract<Verdict, { ok: false }>,
	history: ItemHistory,
	timing: Timing,
): NextStep {
	const { remedy, failure } = verdict;
	if (remedy === 'fail' || remedy === 'stop') return { step: 'give-up', failure };
	if (remedy === 'renew') {
		return history.renewed
			? { step: 'give-up', failure: { ...failure, scope: 'run' } }
			: { step: 'renew' };
	}
	const at =
		remedy === 'throttle'
			? timing.pacedUntil
			: timing.now + backoffMs(failure, history.attempts - 1, timing.random);
	const { maxRetryMs } = timing;
	if (at - history.startedAt <= maxRetryMs) return { step: 'retry', at };
	return {
		step: 'give-up',
		failure: maxRetryMs > 0 ? gaveUp(failure, history, at - timing.now, maxRetryMs) : failure,
	};
}
