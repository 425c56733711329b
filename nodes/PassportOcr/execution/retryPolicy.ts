import type { ItemFailure } from '../contract/itemFailure';
import { isSignInFailure } from '../transport/httpFailure';

/**
 * Which failures are worth another try and how long to wait first. Pure: the random source is passed in, so
 * the jitter can be pinned in tests.
 */

/** The account's rate limit (APIG.0308, HTTP 429) or its limit on requests at once (ModelArts.4401). */
const THROTTLING_CODES = new Set(['APIG.0308', 'ModelArts.4401']);

/** Service trouble that passes: a backend timeout or outage, whatever HTTP status it came with. */
const PASSING_CODES = new Set(['ModelArts.4402', 'ModelArts.4403', 'APIG.0201']);

/** The service's advice for APIG.0308 is to retry after 2 to 5 s. */
const THROTTLE_PAUSE_MS = 2000;
const THROTTLE_SPREAD = 1.5;
/** Never sooner than this after a throttling answer, even when it says `Retry-After: 0`. */
const MIN_THROTTLE_PAUSE_MS = 1000;
const MAX_THROTTLE_PAUSE_MS = 60_000;

const BACKOFF_FIRST_MS = 1000;
const BACKOFF_CAP_MS = 30_000;

export function isThrottling(failure: ItemFailure): boolean {
	return failure.httpStatus === 429 || THROTTLING_CODES.has(failure.code);
}

/**
 * Retried: throttling, 5xx answers, ModelArts.4402/4403 and APIG.0201, answers without a result, connection
 * resets and timeouts. Everything a retry cannot fix fails at once: the image or the setup is wrong (4xx), the
 * sign-in failed, the endpoint cannot be reached, or the body is over the size limit.
 */
export function isWorthRetrying(failure: ItemFailure): boolean {
	if (!failure.retryable || isSignInFailure(failure)) return false;
	if (isThrottling(failure) || PASSING_CODES.has(failure.code)) return true;
	const status = failure.httpStatus;
	return status === undefined || status < 400 || status >= 500;
}

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
