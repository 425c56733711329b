import type { ItemFailure } from '../contract/itemFailure';
import { waitUntil, type Clock } from './clock';
import { throttlePauseMs } from '../policy/retryTiming';

/**
 * The run's one pace: when the service throttles any request, every request of the run holds back until the
 * pause ends, rather than each item backing off on its own while the others keep the limit hit.
 */
export class SharedPacing {
	private resumeAt = 0;

	/** When the latest throttling that was news arrived. */
	private pausedAt = -Infinity;

	private throttlesInRow = 0;

	private latest?: ItemFailure;

	constructor(
		private readonly clock: Clock,
		private readonly random: () => number,
	) {}

	/** Resolves once no pause is in force, waiting out one that grows meanwhile, or when `signal` aborts. */
	async ready(signal?: AbortSignal): Promise<void> {
		await waitUntil(this.clock, () => this.resumeAt, signal);
	}

	/** The throttling answer behind the current pause. */
	latestThrottling(): ItemFailure | undefined {
		return this.latest;
	}

	/** When sending may resume; in the past while no pause is in force. */
	resumesAt(): number {
		return this.resumeAt;
	}

	/**
	 * A request sent at `sentAt` was throttled: pauses the run and returns when sending resumes. A request sent
	 * before the latest pause began brings old news, so it lengthens the pause only when the service names a
	 * longer wait (`Retry-After`), and does not count as another throttling in a row.
	 */
	throttled(failure: ItemFailure, sentAt: number): number {
		const news = sentAt >= this.pausedAt;
		this.latest = failure;
		if (news || failure.retryAfterSeconds !== undefined) {
			const pause = throttlePauseMs(failure, this.throttlesInRow, this.random);
			this.resumeAt = Math.max(this.resumeAt, this.clock.now() + pause);
		}
		if (news) {
			this.throttlesInRow++;
			this.pausedAt = this.clock.now();
		}
		return this.resumeAt;
	}

	/** A request sent at `sentAt` went through; one sent after the latest pause shows the limit is no longer hit. */
	succeeded(sentAt: number): void {
		if (sentAt >= this.pausedAt) this.throttlesInRow = 0;
	}
}
