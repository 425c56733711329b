import type { ItemFailure } from '../../../nodes/PassportOcr/contract/itemFailure';
import { SharedPacing } from '../../../nodes/PassportOcr/execution/sharedPacing';
import { VirtualClock } from './virtualClock';

const throttled = (retryAfterSeconds?: number): ItemFailure => ({
	kind: 'service',
	code: 'APIG.0308',
	message: 'rate limit',
	description: '',
	scope: 'item',
	httpStatus: 429,
	retryAfterSeconds,
});

function pacing(random = 0) {
	const clock = new VirtualClock();
	return { clock, pacing: new SharedPacing(clock, () => random) };
}

describe('SharedPacing', () => {
	it('lets requests through at once while nothing is throttled', async () => {
		const { clock, pacing: pace } = pacing();
		await clock.run(pace.ready());
		expect(clock.time).toBe(0);
	});

	it("holds back every waiting request until the pause ends: the service's Retry-After", async () => {
		const { clock, pacing: pace } = pacing();
		clock.time = 1000;
		expect(pace.throttled(throttled(57), 900)).toBe(58_000);
		const released: number[] = [];
		const waiters = [1, 2, 3].map(async () => {
			await pace.ready();
			released.push(clock.time);
		});
		await clock.run(Promise.all(waiters));
		expect(released).toEqual([58_000, 58_000, 58_000]);
	});

	it('without Retry-After, pauses 2 to 5 s and doubles with each throttling that is news', () => {
		const { clock, pacing: pace } = pacing(0);
		expect(pace.throttled(throttled(), 0)).toBe(2000);
		clock.time = 2000;
		// Sent after the pause began: news, so the next pause is twice as long.
		expect(pace.throttled(throttled(), 2000)).toBe(6000);
		clock.time = 6000;
		expect(pace.throttled(throttled(), 6000)).toBe(14_000);
	});

	it('does not lengthen the pause for requests that were sent before it began (old news)', () => {
		const { clock, pacing: pace } = pacing(0);
		clock.time = 100;
		expect(pace.throttled(throttled(), 50)).toBe(2100);
		clock.time = 120;
		// Seven more answers to requests that were already in flight: same pause, no doubling.
		for (let sent = 60; sent < 100; sent += 5) expect(pace.throttled(throttled(), sent)).toBe(2100);
		clock.time = 2100;
		expect(pace.throttled(throttled(), 2100)).toBe(6100);
	});

	it('still honours a longer Retry-After from old news', () => {
		const { clock, pacing: pace } = pacing(0);
		clock.time = 100;
		pace.throttled(throttled(2), 90);
		expect(pace.throttled(throttled(30), 80)).toBe(30_100);
	});

	it('starts over at 2 s once a request sent after the pause has gone through', () => {
		const { clock, pacing: pace } = pacing(0);
		pace.throttled(throttled(), 0);
		clock.time = 2000;
		pace.throttled(throttled(), 2000);
		clock.time = 6000;
		pace.succeeded(1000); // sent before the latest pause: proves nothing
		expect(pace.throttled(throttled(), 6000)).toBe(14_000);
		clock.time = 14_000;
		pace.succeeded(14_000);
		clock.time = 15_000;
		expect(pace.throttled(throttled(), 15_000)).toBe(17_000);
	});

	it('waits out a pause that grows while it waits, and stops waiting when the run is cancelled', async () => {
		const { clock, pacing: pace } = pacing(0);
		pace.throttled(throttled(5), 0);
		const growing = (async () => {
			await clock.sleep(3000);
			pace.throttled(throttled(10), 2500);
		})();
		await clock.run(Promise.all([pace.ready(), growing]));
		expect(clock.time).toBe(13_000);

		const cancel = new AbortController();
		pace.throttled(throttled(60), clock.time);
		const cancelling = (async () => {
			await clock.sleep(1500);
			cancel.abort();
		})();
		await clock.run(Promise.all([pace.ready(cancel.signal), cancelling]));
		expect(clock.time).toBeLessThan(13_000 + 3000);
	});
});
