/**
 * The webhook calls of a burst: half upload a passport file (multipart, field `passport`), half
 * post a link the service downloads (`{ imageUrl }`); each names itself in `reference`. All calls
 * of a burst are sent at once.
 */

/**
 * @param fixtures the emulator's specimen pages
 * @param fileUrl the emulator's URL for a fixture file
 * @returns `[{ reference, kind: 'upload' | 'link', fixture, imageUrl? }]`, kinds alternating,
 *   fixtures cycling
 */
export function planCalls({ count, prefix, fixtures, fileUrl }) {
	return Array.from({ length: count }, (_, index) => {
		const kind = index % 2 === 0 ? 'upload' : 'link';
		const fixture = fixtures[Math.floor(index / 2) % fixtures.length];
		const reference = `${prefix}-${String(index + 1).padStart(3, '0')}`;
		return kind === 'link'
			? { reference, kind, fixture, imageUrl: fileUrl(fixture.file) }
			: { reference, kind, fixture };
	});
}

function requestOf(call) {
	if (call.kind === 'link') {
		return {
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ reference: call.reference, imageUrl: call.imageUrl }),
		};
	}
	const form = new FormData();
	form.append('reference', call.reference);
	form.append(
		'passport',
		new Blob([call.fixture.bytes], { type: call.fixture.mimeType }),
		call.fixture.file,
	);
	return { body: form };
}

/** @returns `{ call, status, body, text, sentAt, answeredAt, error? }`, times from performance.now() */
async function send(url, call, timeoutMs) {
	const sentAt = performance.now();
	try {
		const response = await fetch(url, {
			method: 'POST',
			...requestOf(call),
			signal: AbortSignal.timeout(timeoutMs),
		});
		const text = await response.text();
		let body;
		try {
			body = JSON.parse(text);
		} catch {
			body = undefined;
		}
		return { call, status: response.status, body, text, sentAt, answeredAt: performance.now() };
	} catch (error) {
		return {
			call,
			status: 0,
			text: '',
			sentAt,
			answeredAt: performance.now(),
			error: String(error),
		};
	}
}

/** Sends every call at once and waits for every answer (each bounded by `timeoutMs`). */
export async function sendBurst(url, calls, { timeoutMs = 180_000 } = {}) {
	const started = performance.now();
	const answers = await Promise.all(calls.map((call) => send(url, call, timeoutMs)));
	return { answers, started, ended: performance.now() };
}

/** The p-th percentile (0..100) of the answer times in ms. */
export function percentile(answers, p) {
	const times = answers.map((a) => a.answeredAt - a.sentAt).sort((a, b) => a - b);
	if (times.length === 0) return 0;
	return times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)];
}
