import type { Outcome } from '../contract/itemFailure';

export interface RunOptions {
	/** Most items in progress at once. An item reads its input only when it starts, so memory follows this. */
	concurrency: number;
	/** Without Continue On Fail: no item starts once one has failed. */
	stopOnFailure: boolean;
}

type Settled<T> = { outcome: Outcome<T> } | { error: unknown };

const windowWidth = (concurrency: number, count: number): number =>
	Math.min(count, Number.isFinite(concurrency) ? Math.max(1, Math.floor(concurrency)) : 1);

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
 * Runs the per-item work with at most `concurrency` items in progress, starting them in input order, and
 * returns the outcomes in input order. Once an item has failed (with `stopOnFailure`) or thrown, no further
 * item starts; those in progress finish first, so nothing is left running when this returns.
 */
export async function runItems<T>(
	count: number,
	work: (itemIndex: number) => Promise<Outcome<T>>,
	options: RunOptions,
): Promise<Array<Outcome<T>>> {
	const settled: Array<Settled<T>> = [];
	let next = 0;
	let stopped = false;
	const lane = async () => {
		while (!stopped && next < count) {
			const itemIndex = next++;
			try {
				const outcome = await work(itemIndex);
				settled[itemIndex] = { outcome };
				stopped ||= !outcome.ok && options.stopOnFailure;
			} catch (error) {
				settled[itemIndex] = { error };
				stopped = true;
			}
		}
	};
	await Promise.all(Array.from({ length: windowWidth(options.concurrency, count) }, lane));
	return inInputOrder(settled, options.stopOnFailure);
}
