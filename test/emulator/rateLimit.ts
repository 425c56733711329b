/**
 * Per-user throttling as APIG.0308 describes it ("policy user over ratelimit,limit:XX,time:1 minute"),
 * as a sliding 60 s window: a call is admitted while fewer than `limit` calls of that user are in the window.
 */

export const RATE_WINDOW_MS = 60_000;

export type WindowAdmission = { ok: true } | { ok: false; retryAfterSeconds: number };

export class SlidingWindowLimiter {
	private readonly calls = new Map<string, number[]>();

	admit(key: string, limit: number, now: number): WindowAdmission {
		const recent = (this.calls.get(key) ?? []).filter((time) => time > now - RATE_WINDOW_MS);
		this.calls.set(key, recent);
		if (recent.length >= limit) {
			// The call that must leave the window before one more fits; a limit of 0 never frees up.
			const freeing = recent[recent.length - limit] ?? now;
			const waitMs = freeing + RATE_WINDOW_MS - now;
			return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
		}
		recent.push(now);
		return { ok: true };
	}
}
