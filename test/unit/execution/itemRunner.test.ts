import { sleep } from 'n8n-workflow';

import { fail, succeed, type Outcome } from '../../../nodes/PassportOcr/contract/itemFailure';
import {
	PREPARED_AHEAD,
	runItems,
	type ItemSteps,
} from '../../../nodes/PassportOcr/execution/itemRunner';

const failure = (code: string, scope: 'item' | 'run' = 'item') =>
	fail({ kind: 'service', code, message: code, description: '', scope });

type Options = { concurrency: number; stopOnFailure: boolean; stop?: AbortController };

/** Runs the items with a stop controller of their own unless the test passes one. */
const run = async <P, T>(count: number, steps: ItemSteps<P, T>, options: Options) =>
	await runItems(count, steps, { stop: new AbortController(), ...options });

/** The outcomes alone, for runs that are expected not to stop. */
const outcomesOf = async <P, T>(count: number, steps: ItemSteps<P, T>, options: Options) =>
	(await run(count, steps, options)).outcomes;

/** Steps whose `prepare` is immediate: the item's whole work is in `complete`. */
const oneStep = <T>(work: (itemIndex: number) => Promise<Outcome<T>>): ItemSteps<number, T> => ({
	prepare: async (itemIndex) => await Promise.resolve(succeed(itemIndex)),
	complete: async (itemIndex) => await work(itemIndex),
});

/** Work whose items take the given times; it records when each starts and how many run at once. */
function timedWork(
	durationsMs: number[],
	results: Array<Outcome<number> | Error | undefined> = [],
) {
	const started: number[] = [];
	let inProgress = 0;
	let peak = 0;
	const work = async (itemIndex: number): Promise<Outcome<number>> => {
		started.push(itemIndex);
		peak = Math.max(peak, ++inProgress);
		await sleep(durationsMs[itemIndex]);
		inProgress--;
		const result = results[itemIndex] ?? succeed(itemIndex);
		if (result instanceof Error) throw result;
		return result;
	};
	return { work: oneStep(work), started, peak: () => peak };
}

describe('runItems', () => {
	it('keeps at most `concurrency` items in progress and returns outcomes in input order', async () => {
		const durations = [40, 5, 25, 1, 30, 2, 10, 3];
		const { work, started, peak } = timedWork(durations);
		const outcomes = await outcomesOf(durations.length, work, {
			concurrency: 3,
			stopOnFailure: true,
		});
		expect(outcomes).toEqual(durations.map((_, index) => succeed(index)));
		expect(peak()).toBe(3);
		expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
	});

	it('runs the items in parallel: the batch takes about the longest lane, not the sum', async () => {
		const { work } = timedWork(Array.from({ length: 8 }, () => 50));
		const began = Date.now();
		await run(8, work, { concurrency: 8, stopOnFailure: false });
		expect(Date.now() - began).toBeLessThan(8 * 50);
	});

	it('runs one at a time with concurrency 1, and treats a width that is not a whole number of at least 1 as 1', async () => {
		for (const concurrency of [1, 0, -3, Number.NaN]) {
			const { work, peak } = timedWork([3, 1, 2]);
			const outcomes = await outcomesOf(3, work, { concurrency, stopOnFailure: false });
			expect(outcomes).toHaveLength(3);
			expect(peak()).toBe(1);
		}
	});

	it('opens no more lanes than there are items, and returns nothing for no items', async () => {
		const { work, peak } = timedWork([5, 5]);
		await run(2, work, { concurrency: 16, stopOnFailure: false });
		expect(peak()).toBe(2);
		expect(await run(0, work, { concurrency: 4, stopOnFailure: true })).toEqual({
			outcomes: [],
			stopped: undefined,
		});
	});

	it('with Continue On Fail (no stop), runs every item and keeps failures in place', async () => {
		const { work } = timedWork([5, 1, 5, 1], [undefined, failure('A')]);
		const outcomes = await outcomesOf(4, work, { concurrency: 2, stopOnFailure: false });
		expect(outcomes.map((outcome) => outcome?.ok)).toEqual([true, false, true, true]);
	});

	it('stopping on failure: the first item to fail for good stops the run, starts nothing more, and aborts the stop signal', async () => {
		// Item 2 fails first (after 1 ms); item 0 is still in progress and fails later; items 4+ never start.
		const durations = [30, 10, 1, 20, 1, 1, 1];
		const results = [failure('LATE'), undefined, failure('EARLY')];
		const { work, started } = timedWork(durations, results);
		const stop = new AbortController();
		const result = await run(7, work, { concurrency: 4, stopOnFailure: true, stop });
		expect(started).toEqual([0, 1, 2, 3]);
		expect(stop.signal.aborted).toBe(true);
		expect(result.stopped).toMatchObject({
			itemIndex: 2,
			failure: { code: 'EARLY', scope: 'item' },
		});
		// Item 0's own failure came after the stop: the stop's cause speaks for it.
		expect(result.outcomes[0]).toBeUndefined();
		expect(result.outcomes[1]).toEqual(succeed(1));
	});

	it('ends items in progress at once when they honour the stop signal', async () => {
		const stop = new AbortController();
		// Items other than 1 would wait for ever, unless the stop ends them.
		const slow = async (itemIndex: number): Promise<Outcome<number>> => {
			if (itemIndex === 1) return failure('NOW');
			await new Promise<void>((resolve) =>
				stop.signal.addEventListener('abort', () => resolve(), { once: true }),
			);
			return failure('RUN.STOPPED', 'run');
		};
		const began = Date.now();
		const result = await run(3, oneStep(slow), { concurrency: 3, stopOnFailure: true, stop });
		expect(Date.now() - began).toBeLessThan(1000);
		expect(result.stopped).toMatchObject({ itemIndex: 1, failure: { code: 'NOW' } });
	});

	it('with Continue On Fail, a failure of the whole run still stops it', async () => {
		const { work, started } = timedWork([1, 5, 5, 5], [failure('SIGN_IN', 'run')]);
		const result = await run(4, work, { concurrency: 1, stopOnFailure: false });
		expect(started).toEqual([0]);
		expect(result.stopped).toMatchObject({ itemIndex: 0, failure: { code: 'SIGN_IN' } });
	});

	it('stopping on failure: the outcomes before the failure are all there', async () => {
		const { work } = timedWork([1, 1, 5, 1, 1], [undefined, undefined, failure('X')]);
		const { outcomes } = await run(5, work, { concurrency: 2, stopOnFailure: true });
		expect(outcomes.slice(0, 3)).toEqual([succeed(0), succeed(1), failure('X')]);
	});

	it('reports an error the work threw as the stop, once the items in progress have ended, and starts no more', async () => {
		const boom = new Error('expression failed');
		const { work, started } = timedWork([1, 20, 1, 1, 1], [undefined, undefined, boom]);
		let finished = 0;
		const counted: ItemSteps<number, number> = {
			prepare: work.prepare,
			complete: async (index, prepared) => {
				const outcome = await work.complete(index, prepared);
				finished++;
				return outcome;
			},
		};
		const result = await run(5, counted, { concurrency: 3, stopOnFailure: false });
		expect(result.stopped).toEqual({ itemIndex: 2, error: boom });
		expect(started).toEqual([0, 1, 2, 3]);
		expect(finished).toBe(3);
	});
});

describe('runItems, preparing ahead', () => {
	/** Records each step as it begins; `complete` takes `completeMs`, `prepare` takes `prepareMs`. */
	function tracedSteps(
		completeMs: number,
		prepareMs = 0,
		prepared: Array<Outcome<number> | Error> = [],
	) {
		const events: string[] = [];
		let preparing = 0;
		let peakPreparedAhead = 0;
		let completing = 0;
		const steps: ItemSteps<number, number> = {
			prepare: async (itemIndex) => {
				events.push(`prepare ${itemIndex}`);
				preparing++;
				peakPreparedAhead = Math.max(peakPreparedAhead, preparing);
				await sleep(prepareMs);
				events.push(`prepared ${itemIndex}`);
				const result = prepared[itemIndex] ?? succeed(itemIndex * 10);
				if (result instanceof Error) throw result;
				return result;
			},
			complete: async (itemIndex, value) => {
				preparing--;
				events.push(`complete ${itemIndex}`);
				completing++;
				await sleep(completeMs);
				completing--;
				return succeed(value + 1);
			},
		};
		return {
			steps,
			events,
			peakPreparedAhead: () => peakPreparedAhead,
			completing: () => completing,
		};
	}

	it('hands each item its prepared value and prepares at most PREPARED_AHEAD items beyond the window', async () => {
		const { steps, peakPreparedAhead } = tracedSteps(10, 1);
		const outcomes = await outcomesOf(12, steps, { concurrency: 3, stopOnFailure: false });
		expect(outcomes).toEqual(Array.from({ length: 12 }, (_, index) => succeed(index * 10 + 1)));
		expect(peakPreparedAhead()).toBe(3 + PREPARED_AHEAD);
	});

	it('prepares the next items while the window waits, so they start as soon as a place is free', async () => {
		const { steps, events } = tracedSteps(20);
		await run(4, steps, { concurrency: 2, stopOnFailure: false });
		// Items 2 and 3 were prepared before item 0 had finished, not when their places came free.
		const started = events.filter((event) => !event.startsWith('prepared '));
		expect(started.slice(0, 6)).toEqual([
			'prepare 0',
			'prepare 1',
			'prepare 2',
			'prepare 3',
			'complete 0',
			'complete 1',
		]);
	});

	it('counts a failed preparation as the item failing, and stops there without Continue On Fail', async () => {
		const notAnImage = fail({
			kind: 'input',
			code: 'INPUT.NOT_AN_IMAGE',
			message: '',
			description: '',
			scope: 'item',
		});
		const { steps, events } = tracedSteps(5, 0, [succeed(0), notAnImage]);
		const { outcomes } = await run(6, steps, { concurrency: 1, stopOnFailure: true });
		expect(outcomes.slice(0, 2)).toEqual([succeed(1), notAnImage]);
		expect(outcomes.slice(2)).toEqual([undefined, undefined, undefined, undefined]);
		expect(events.filter((event) => event.startsWith('complete'))).toEqual(['complete 0']);
	});

	it('stops on an error a preparation threw, and leaves no preparation running when it returns', async () => {
		const boom = new Error('expression failed');
		const { steps, events } = tracedSteps(1, 15, [succeed(0), boom]);
		const result = await run(8, steps, { concurrency: 1, stopOnFailure: false });
		expect(result.stopped).toEqual({ itemIndex: 1, error: boom });
		const begun = events.filter((event) => event.startsWith('prepare '));
		const ended = events.filter((event) => event.startsWith('prepared '));
		expect(ended.map((event) => event.replace('prepared', 'prepare')).sort()).toEqual(begun.sort());
		expect(begun).toEqual(['prepare 0', 'prepare 1', 'prepare 2', 'prepare 3']);
	});
});
