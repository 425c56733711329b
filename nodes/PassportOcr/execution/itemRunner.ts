import type { ItemFailure, Outcome } from '../contract/itemFailure';

export interface RunOptions {
	/**
	 * Most items in progress at once. An item reads its input only when it is prepared, at most
	 * `PREPARED_AHEAD` items before it starts, so memory follows this, not the number of items.
	 */
	concurrency: number;
	/** Without Continue On Fail: the first failure stops the run. */
	stopOnFailure: boolean;
	/** Aborted here when the run stops, so that requests in flight and waits end at once. */
	stop: AbortController;
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

/** What stopped the run: the first item to fail for good (or to throw), in the order they ended. */
export type RunStop =
	| { itemIndex: number; failure: ItemFailure }
	| { itemIndex: number; error: unknown };

export interface RunResult<T> {
	/** Per input item; undefined for items that never ended because the run stopped first. */
	outcomes: Array<Outcome<T> | undefined>;
	stopped?: RunStop;
}

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
 * Runs the items with at most `concurrency` of them in `complete` at once, starting them in input order. Items
 * are prepared up to `PREPARED_AHEAD` beyond the one that starts next. The run stops at the first item that
 * throws, fails with a failure whose scope is the run, or (with `stopOnFailure`) fails at all: no further item
 * starts, and `options.stop` is aborted so that the items in progress end at once. Every item in progress and
 * every preparation has ended when this returns. Items that ended only because the run stopped have no outcome.
 */
export async function runItems<P, T>(
	count: number,
	steps: ItemSteps<P, T>,
	options: RunOptions,
): Promise<RunResult<T>> {
	const width = windowWidth(options.concurrency, count);
	const prepared: Array<Promise<Settled<P>>> = [];
	const outcomes: Array<Outcome<T> | undefined> = new Array<Outcome<T> | undefined>(count);
	const state: { stopped?: RunStop } = {};
	let next = 0;
	const stopWith = (cause: RunStop) => {
		state.stopped ??= cause;
		options.stop.abort();
	};
	const prepareAhead = () => {
		const until = Math.min(count, next + PREPARED_AHEAD);
		for (let index = prepared.length; !state.stopped && index < until; index++) {
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
		while (!state.stopped && !options.stop.signal.aborted && next < count) {
			const itemIndex = next++;
			prepareAhead();
			const done = await run(itemIndex);
			if ('error' in done) {
				stopWith({ itemIndex, error: done.error });
				continue;
			}
			const { outcome } = done;
			// An item cut short by the stop says nothing of its own; the stop's cause speaks for it.
			const stoppedBy = state.stopped as RunStop | undefined;
			if (!outcome.ok && stoppedBy !== undefined && stoppedBy.itemIndex !== itemIndex) continue;
			outcomes[itemIndex] = outcome;
			if (!outcome.ok && (outcome.failure.scope === 'run' || options.stopOnFailure)) {
				stopWith({ itemIndex, failure: outcome.failure });
			}
		}
	};
	await Promise.all(Array.from({ length: width }, lane));
	// Preparations of items that never started: nothing may still be reading input once the run has returned.
	await Promise.all(prepared);
	return { outcomes, stopped: state.stopped };
}
