/* eslint-disable @n8n/community-nodes/no-restricted-globals */
import type { Clock } from '../../../nodes/PassportOcr/execution/clock';

/**
 * Time that moves only when everything under test is waiting on a sleep: then it jumps to the earliest wake-up.
 * Tests of pacing and backoff run in microseconds and see exact times.
 */
export class VirtualClock implements Clock {
	time = 0;

	private sleepers: Array<{ at: number; wake: () => void }> = [];

	readonly now = (): number => this.time;

	readonly sleep = async (ms: number): Promise<void> =>
		await new Promise<void>((wake) => this.sleepers.push({ at: this.time + ms, wake }));

	/** Runs `task` to its end, advancing time whenever nothing else can move. */
	async run<T>(task: Promise<T>): Promise<T> {
		let settled = false;
		const watched = task.finally(() => {
			settled = true;
		});
		watched.catch(() => undefined);
		while (!settled) {
			await new Promise((resolve) => setImmediate(resolve));
			if (settled) break;
			this.sleepers.sort((a, b) => a.at - b.at);
			const next = this.sleepers.shift();
			if (next === undefined) throw new Error('Stuck: the task waits on something other than time');
			this.time = Math.max(this.time, next.at);
			next.wake();
		}
		return await task;
	}
}
