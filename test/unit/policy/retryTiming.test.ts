import fc from 'fast-check';

import type { ItemFailure } from '../../../nodes/PassportOcr/contract/itemFailure';
import { type Remedy } from '../../../nodes/PassportOcr/policy/attemptVerdicts';
import {
	backoffMs,
	nextStep,
	throttlePauseMs,
	type ItemHistory,
	type Timing,
} from '../../../nodes/PassportOcr/policy/retryTiming';
import type { Failed } from './policyFixtures';

const failure = (extra: Partial<ItemFailure> = {}): ItemFailure => ({
	kind: 'service',
	code: 'X',
	message: 'm',
	description: 'Something failed.',
	scope: 'item',
	...extra,
});

describe('backoffMs', () => {
	it('doubles from 1 s with equal jitter, up to 30 s', () => {
		expect(backoffMs(failure(), 0, () => 0)).toBe(500);
		expect(backoffMs(failure(), 0, () => 0.999999)).toBeCloseTo(1000, 0);
		expect(backoffMs(failure(), 1, () => 0)).toBe(1000);
		expect(backoffMs(failure(), 1, () => 0.5)).toBe(1500);
		expect(backoffMs(failure(), 2, () => 0)).toBe(2000);
		expect(backoffMs(failure(), 4, () => 0)).toBe(8000);
		expect(backoffMs(failure(), 5, () => 0)).toBe(15_000);
		expect(backoffMs(failure(), 5, () => 1)).toBe(30_000);
		expect(backoffMs(failure(), 40, () => 1)).toBe(30_000);
	});

	it('is never shorter than Retry-After', () => {
		expect(backoffMs(failure({ retryAfterSeconds: 40 }), 0, () => 0)).toBe(40_000);
		expect(backoffMs(failure({ retryAfterSeconds: 0 }), 0, () => 0)).toBe(500);
		expect(backoffMs(failure({ retryAfterSeconds: 0.2 }), 1, () => 0.2)).toBe(1200);
	});

	it('stays between half the ceiling and the ceiling, and at least Retry-After (property)', () => {
		fc.assert(
			fc.property(
				fc.nat({ max: 60 }),
				fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
				fc.option(fc.nat({ max: 120 }), { nil: undefined }),
				(retry, random, retryAfterSeconds) => {
					const wait = backoffMs(failure({ retryAfterSeconds }), retry, () => random);
					const ceiling = Math.min(30_000, 1000 * 2 ** retry);
					expect(wait).toBeGreaterThanOrEqual(ceiling / 2);
					expect(wait).toBeGreaterThanOrEqual((retryAfterSeconds ?? 0) * 1000);
					expect(wait).toBeLessThanOrEqual(Math.max(ceiling, (retryAfterSeconds ?? 0) * 1000));
				},
			),
		);
	});
});

describe('throttlePauseMs', () => {
	it("follows the service's Retry-After, at least 1 s", () => {
		expect(throttlePauseMs(failure({ retryAfterSeconds: 5 }), 0, () => 1)).toBe(5000);
		expect(throttlePauseMs(failure({ retryAfterSeconds: 120 }), 3, () => 0)).toBe(120_000);
		expect(throttlePauseMs(failure({ retryAfterSeconds: 0 }), 0, () => 0)).toBe(1000);
	});

	it('without Retry-After pauses 2 to 5 s, doubling with each throttling in a row, at most 60 s', () => {
		expect(throttlePauseMs(failure(), 0, () => 0)).toBe(2000);
		expect(throttlePauseMs(failure(), 0, () => 1)).toBe(5000);
		expect(throttlePauseMs(failure(), 1, () => 0)).toBe(4000);
		expect(throttlePauseMs(failure(), 2, () => 0)).toBe(8000);
		expect(throttlePauseMs(failure(), 4, () => 1)).toBe(60_000);
		expect(throttlePauseMs(failure(), 30, () => 0)).toBe(60_000);
	});
});

describe('nextStep', () => {
	const history = (extra: Partial<ItemHistory> = {}): ItemHistory => ({
		startedAt: 1000,
		attempts: 1,
		renewed: false,
		...extra,
	});
	const timing = (extra: Partial<Timing> = {}): Timing => ({
		now: 1000,
		maxRetryMs: 10_000,
		random: () => 0,
		pacedUntil: 0,
		...extra,
	});
	const verdict = (remedy: Remedy, extra: Partial<ItemFailure> = {}): Failed => ({
		ok: false,
		remedy,
		failure: failure({ scope: remedy === 'stop' ? 'run' : 'item', ...extra }),
	});

	it('retries after the backoff while the retry starts within Max Retry Time', () => {
		expect(nextStep(verdict('retry'), history(), timing())).toEqual({ step: 'retry', at: 1500 });
		expect(nextStep(verdict('retry'), history({ attempts: 3 }), timing({ now: 5000 }))).toEqual({
			step: 'retry',
			at: 7000,
		});
	});

	it('measures Max Retry Time from the first attempt: a retry starting exactly at the limit still goes', () => {
		// startedAt 1000 + 10 s = 11 000; third retry waits 2 s from 9000.
		expect(nextStep(verdict('retry'), history({ attempts: 3 }), timing({ now: 9000 }))).toEqual({
			step: 'retry',
			at: 11_000,
		});
	});

	it('gives up when the retry would start beyond Max Retry Time, saying how often it tried', () => {
		const step = nextStep(verdict('retry'), history({ attempts: 3 }), timing({ now: 9001 }));
		expect(step.step).toBe('give-up');
		if (step.step !== 'give-up') return;
		expect(step.failure.description).toBe(
			'Something failed. Tried 3 times; Max Retry Time (10 s) allows no more.',
		);
		expect(step.failure.code).toBe('X');
		expect(step.failure.scope).toBe('item');
	});

	it('says "Not retried" when even the first retry would start too late', () => {
		const step = nextStep(
			verdict('retry', { retryAfterSeconds: 30 }),
			history(),
			timing({ maxRetryMs: 5000 }),
		);
		expect(step).toEqual({
			step: 'give-up',
			failure: expect.objectContaining({
				description:
					'Something failed. Not retried: the next try would start in 30 s, beyond Max Retry Time (5 s).',
			}) as unknown,
		});
	});

	it('gives up without a note when Max Retry Time is 0', () => {
		const v = verdict('retry');
		expect(nextStep(v, history(), timing({ maxRetryMs: 0 }))).toEqual({
			step: 'give-up',
			failure: v.failure,
		});
		const t = verdict('throttle');
		expect(nextStep(t, history(), timing({ maxRetryMs: 0, pacedUntil: 3000 }))).toEqual({
			step: 'give-up',
			failure: t.failure,
		});
	});

	it("waits out the run's pace after throttling, within Max Retry Time", () => {
		expect(
			nextStep(verdict('throttle'), history(), timing({ now: 2000, pacedUntil: 9000 })),
		).toEqual({ step: 'retry', at: 9000 });
		const late = nextStep(
			verdict('throttle'),
			history({ attempts: 2 }),
			timing({ now: 2000, pacedUntil: 11_001 }),
		);
		expect(late.step).toBe('give-up');
		if (late.step === 'give-up') expect(late.failure.description).toContain('Tried 2 times');
	});

	it('renews the token once, then stops the run', () => {
		expect(nextStep(verdict('renew'), history(), timing())).toEqual({ step: 'renew' });
		const again = nextStep(verdict('renew'), history({ renewed: true, attempts: 2 }), timing());
		expect(again.step).toBe('give-up');
		if (again.step === 'give-up') expect(again.failure.scope).toBe('run');
	});

	it('gives up at once on fail and stop, with the failure unchanged', () => {
		for (const remedy of ['fail', 'stop'] as const) {
			const v = verdict(remedy);
			const step = nextStep(v, history(), timing({ maxRetryMs: 3_600_000 }));
			expect(step).toEqual({ step: 'give-up', failure: v.failure });
		}
	});

	it('never schedules a retry beyond startedAt + Max Retry Time (property)', () => {
		fc.assert(
			fc.property(
				fc.constantFrom<Remedy>('retry', 'throttle', 'renew', 'fail', 'stop'),
				fc.option(fc.nat({ max: 100 }), { nil: undefined }),
				fc.nat({ max: 1_000_000 }),
				fc.nat({ max: 200_000 }),
				fc.integer({ min: 1, max: 40 }),
				fc.boolean(),
				fc.nat({ max: 300_000 }),
				fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
				fc.integer({ min: -10_000, max: 400_000 }),
				(
					remedy,
					retryAfterSeconds,
					startedAt,
					elapsed,
					attempts,
					renewed,
					maxRetryMs,
					random,
					paced,
				) => {
					const now = startedAt + elapsed;
					const step = nextStep(
						verdict(remedy, { retryAfterSeconds }),
						{ startedAt, attempts, renewed },
						{ now, maxRetryMs, random: () => random, pacedUntil: now + paced },
					);
					if (step.step === 'retry') {
						expect(step.at).toBeLessThanOrEqual(startedAt + maxRetryMs);
						expect(['retry', 'throttle']).toContain(remedy);
					}
					if (step.step === 'renew') expect(renewed).toBe(false);
					if (step.step === 'give-up') expect(step.failure.message).not.toBe('');
				},
			),
			{ numRuns: 500 },
		);
	});
});
