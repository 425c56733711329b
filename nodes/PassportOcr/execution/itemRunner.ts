import type { Outcome } from '../contract/itemFailure';

export interface RunOptions {
	/**
	 * Most items in progress at once. An item reads its input only when it is prepared, at most
	 * `PREPARED_AHEAD` items before it starts, so memory follows this, not the number of items.
	 */
	concurrency: number;
	/** Without Continue On Fail: no item starts once one has failed. */
	stopOnFailure: boolean;
}

/**
 * An item's work in two steps. `prepare` needs only the item's input (reading and encoding it); `complete` does
 * the rest (the service call). Preparing the next items while others wait for the service keeps that work off
 * the path between one answer and the next request.
 */
export interface ItemSteps<P, T> {
	prepare(itemIndex: number): Promise<Outcome<P>>;
	complete(itemIndex: number, prepared: P): Promise<Outcome<T>>;
}

/**
 * Items prepared before a place in the window is free for them. Two cover the reading and encoding between one
 * answer and the next request even when answers come close together; more would only hold memory.
 */
export const PREPARED_AHEAD = 2;

type Settled<T> = { outcome: Outcome<T> } | { error: unknown };

const windowWidth = (concurrency: number, count: number): number =>
	Math.min(count, Number.isFinite(concurrency) ? Math.max(1, Math.floor(concurrency)) : 1);

async function settle<T>(work: () => Promise<Outcome<T>>): Promise<Settled<T>> {
	try {
		return { outcome: await work() };
	} catch (error) {
		return { error };
	}
}

/**
 * The outcomes in input order. With `stopOnFailure` they end at the first failure; an error `work` threw is
 * rethrown when no failure comes before it, as a one-at-a-time loop would have met them.
 */
function inInputOrder<T>(settled: Array<Settled<T>>, stopOnFailure: boolean): Array<Outcome<T>> {
	const outcomes: Array<Outcome<T>> = [];
	for (const entry of settled) {
		if ('error' in entry) throw entry.error;
		outcomes.push(entry.outcome);
		if (!entry.outcome.ok && stopOnFailure) break;
	}
	return outcomes;
}

/**
 * Runs the items with at most `concurrency` of them in `complete` at once, starting them in input order, and
 * returns the outcomes in input order. Items are prepared up to `PREPARED_AHEAD` beyond the one that starts
 * next. Once an item has failed (with `stopOnFailure`) or thrown, no further item starts and nothing more is
 * prepared; items in progress finish first, and so do preparations, so nothing is left running when this
 * returns. Items prepared but never started are dropped: preparing reads input and sends nothing.
 */
export async function runItems<P, T>(
	count: number,
	steps: ItemSteps<P, T>,
	options: RunOptions,
): Promise<Array<Outcome<T>>> {
	const width = windowWidth(options.concurrency, count);
	const prepared: Array<Promise<Settled<P>>> = [];
	const settled: Array<Settled<T>> = [];
	let next = 0;
	let stopped = false;
	const prepareAhead = () => {
		const until = Math.min(count, next + PREPARED_AHEAD);
		for (let index = prepared.length; !stopped && index < until; index++) {
			prepared.push(settle(async () => await steps.prepare(index)));
		}
	};
	const run = async (itemIndex: number): Promise<Settled<T>> => {
		const ready = await prepared[itemIndex];
		delete prepared[itemIndex];
		if ('error' in ready) return ready;
		if (!ready.outcome.ok) return { outcome: ready.outcome };
		const { value } = ready.outcome;
		return await settle(async () => await steps.complete(itemIndex, value));
	};
	const lane = async () => {
		while (!stopped && next < count) {
			const itemIndex = next++;
			prepareAhead();
			const done = await run(itemIndex);
			settled[itemIndex] = done;
			stopped ||= 'error' in done || (!done.outcome.ok && options.stopOnFailure);
		}
	};
	await Promise.all(Array.from({ length: width }, lane));
	// Preparations of items that never started: nothing may still be reading input once the run has returned.
	await Promise.all(prepared);
	return inInputOrder(settled, options.stopOnFailure);
}
