import { RATE_WINDOW_MS, SlidingWindowLimiter } from '../../emulator/rateLimit';

describe('SlidingWindowLimiter', () => {
	it('admits up to the limit within 60 s and says when the oldest call leaves the window', () => {
		const limiter = new SlidingWindowLimiter();
		expect(limiter.admit('user', 2, 0)).toEqual({ ok: true });
		expect(limiter.admit('user', 2, 10_000)).toEqual({ ok: true });
		expect(limiter.admit('user', 2, 20_500)).toEqual({ ok: false, retryAfterSeconds: 40 });
		expect(limiter.admit('user', 2, RATE_WINDOW_MS)).toEqual({ ok: true });
		expect(limiter.admit('user', 2, RATE_WINDOW_MS + 1)).toEqual({
			ok: false,
			retryAfterSeconds: 10,
		});
	});

	it('does not count refused calls against the window', () => {
		const limiter = new SlidingWindowLimiter();
		limiter.admit('user', 1, 0);
		for (let t = 1000; t < RATE_WINDOW_MS; t += 1000)
			expect(limiter.admit('user', 1, t).ok).toBe(false);
		expect(limiter.admit('user', 1, RATE_WINDOW_MS)).toEqual({ ok: true });
	});

	it('keeps a window per user', () => {
		const limiter = new SlidingWindowLimiter();
		expect(limiter.admit('first', 1, 0).ok).toBe(true);
		expect(limiter.admit('second', 1, 0).ok).toBe(true);
		expect(limiter.admit('first', 1, 1).ok).toBe(false);
	});

	it('takes a lower limit set mid-window into account at once', () => {
		const limiter = new SlidingWindowLimiter();
		for (let t = 0; t < 3; t++) limiter.admit('user', Infinity, t * 1000);
		expect(limiter.admit('user', 2, 5000)).toEqual({ ok: false, retryAfterSeconds: 56 });
	});
});
