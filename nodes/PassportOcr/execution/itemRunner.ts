import type { Outcome } from '../contract/itemFailure';

/**
 * Runs the per-item work for every input item and returns the outcomes in input order. When `stopOnFailure`
 * is set (no Continue On Fail), no item starts after one has failed; outcomes of items never started are absent.
 */
export async function runItems<T>(
	count: number,
	work: (itemIndex: number) => Promise<Outcome<T>>,
	stopOnFailure: boolean,
): Promise<Array<Outcome<T>>> {
	const outcomes: Array<Outcome<T>> = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		const outcome = await work(itemIndex);
		outcomes.push(outcome);
		if (!outcome.ok && stopOnFailure) break;
	}
	return outcomes;
}
