import type { ICredentialsDecrypted } from 'n8n-workflow';

import {
	fail,
	succeed,
	type ItemFailure,
	type Outcome,
} from '../../../nodes/PassportOcr/contract/itemFailure';
import type { PassportResponse } from '../../../nodes/PassportOcr/contract/passportApi';
import {
	BatchSender,
	type SharedCredential,
} from '../../../nodes/PassportOcr/execution/batchSender';
import { VirtualClock } from './virtualClock';

const failure = (code: string, httpStatus?: number, more: Partial<ItemFailure> = {}) => ({
	kind: 'service' as const,
	code,
	message: `${code} message`,
	description: `${code} description.`,
	retryable: true,
	httpStatus,
	...more,
});
const unavailable = failure('ModelArts.4403', 503);
const limited = (retryAfterSeconds?: number) => failure('APIG.0308', 429, { retryAfterSeconds });
const notAPassport = failure('AIS.0104', 400, { retryable: false });
const answer: Outcome<PassportResponse> = succeed({ result: { surname: 'ERIKSSON' } });

/** A service that answers each call from a script, after `latencyMs`, and records when calls arrive. */
function scriptedService(clock: VirtualClock, script: Array<ItemFailure | 'ok'>, latencyMs = 100) {
	const arrivals: number[] = [];
	const credentials = new Set<ICredentialsDecrypted>();
	const exchange = async (credential: ICredentialsDecrypted) => {
		credentials.add(credential);
		arrivals.push(clock.time);
		const next = script.shift() ?? 'ok';
		await clock.sleep(latencyMs);
		return next === 'ok' ? answer : fail(next);
	};
	return { exchange, arrivals, credentials };
}

function sender(clock: VirtualClock, maxRetrySeconds: number, random = 0) {
	let loads = 0;
	const credential: SharedCredential = {
		id: 'c1',
		name: 'OCR',
		type: 'huaweiCloudOcrApi',
		data: { iamToken: 'stored-token' },
	};
	const load = async () => {
		loads++;
		return credential;
	};
	const batch = new BatchSender(
		load,
		{ maxRetryMs: maxRetrySeconds * 1000 },
		{ clock, random: () => random },
	);
	return { batch, credential, loads: () => loads };
}

describe('BatchSender', () => {
	it('retries failures that pass, with growing waits, until one goes through', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(clock, [unavailable, failure('NETWORK.ECONNRESET'), 'ok']);
		const { batch } = sender(clock, 120);
		expect(await clock.run(batch.send(service.exchange))).toEqual(answer);
		// 100 ms answer, 0.5 s wait, 100 ms answer, 1 s wait (random 0: the low end of equal jitter).
		expect(service.arrivals).toEqual([0, 600, 1700]);
	});

	it('fails at once, with one call, on an error a retry cannot fix', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(clock, [notAPassport]);
		const { batch } = sender(clock, 120);
		expect(await clock.run(batch.send(service.exchange))).toEqual(fail(notAPassport));
		expect(service.arrivals).toHaveLength(1);
	});

	it('gives up when the next try would start past Max Retry Time, and says so', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(
			clock,
			Array.from({ length: 20 }, () => unavailable),
		);
		const { batch } = sender(clock, 5);
		const outcome = await clock.run(batch.send(service.exchange));
		// Failures at 0.1 s, then tries after 0.5, 1, 2 s waits; the next wait (4 s) would end past 5.1 s.
		expect(service.arrivals).toEqual([0, 600, 1700, 3800]);
		expect(outcome).toEqual(
			fail({
				...unavailable,
				description:
					'ModelArts.4403 description. Tried 4 times; Max Retry Time (5 s) allows no more.',
			}),
		);
	});

	it('does not retry at all with Max Retry Time 0, and leaves the message as it was', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(clock, [unavailable]);
		const { batch } = sender(clock, 0);
		expect(await clock.run(batch.send(service.exchange))).toEqual(fail(unavailable));
		expect(service.arrivals).toHaveLength(1);
	});

	it('does not wait for a Retry-After longer than Max Retry Time', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(clock, [limited(58)]);
		const { batch } = sender(clock, 30);
		const outcome = await clock.run(batch.send(service.exchange));
		expect(outcome.ok ? '' : outcome.failure.description).toBe(
			'APIG.0308 description. Not retried: the next try would start in 58 s, beyond Max Retry Time (30 s).',
		);
		expect(service.arrivals).toHaveLength(1);
	});

	it('on throttling holds back every request of the run, not only the throttled one', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(clock, [limited(3)]);
		const { batch } = sender(clock, 120);
		const first = batch.send(service.exchange);
		// A second item starts while the first is throttled; it must not call before the pause ends.
		const second = (async () => {
			await clock.sleep(500);
			return await batch.send(service.exchange);
		})();
		const outcomes = await clock.run(Promise.all([first, second]));
		expect(outcomes).toEqual([answer, answer]);
		expect(service.arrivals).toEqual([0, 3100, 3100]);
	});

	it('reads the credential once and hands every request the same object, so they share one token', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(clock, []);
		const { batch, credential, loads } = sender(clock, 120);
		await clock.run(Promise.all([1, 2, 3].map(async () => await batch.send(service.exchange))));
		expect(loads()).toBe(1);
		expect([...service.credentials]).toEqual([credential]);
	});

	it('stops retrying once the execution is cancelled', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(
			clock,
			Array.from({ length: 20 }, () => unavailable),
		);
		const cancel = new AbortController();
		const batch = new BatchSender(
			async () => ({ id: '', name: '', type: 't', data: {} }),
			{ maxRetryMs: 600_000 },
			{ clock, random: () => 0, signal: cancel.signal },
		);
		const cancelling = (async () => {
			await clock.sleep(2000);
			cancel.abort();
		})();
		const [outcome] = await clock.run(Promise.all([batch.send(service.exchange), cancelling]));
		expect(outcome.ok).toBe(false);
		expect(clock.time).toBeLessThan(5000);
	});
});
