import type { ICredentialsDecrypted } from 'n8n-workflow';

import { BatchSender } from '../../../nodes/PassportOcr/execution/batchSender';
import type { SharedCredential } from '../../../nodes/PassportOcr/credential/runCredential';
import type { FailureContext } from '../../../nodes/PassportOcr/policy/attemptVerdicts';
import { readAnswer } from '../../../nodes/PassportOcr/transport/answer';
import type { Exchange } from '../../../nodes/PassportOcr/transport/exchange';
import { VirtualClock } from './virtualClock';

const serviceError = (
	status: number,
	code: string,
	headers: Record<string, unknown> = {},
): Exchange =>
	readAnswer(status, headers, JSON.stringify({ error_code: code, error_msg: `${code} said` }));
const unavailable = serviceError(503, 'ModelArts.4403');
const limited = (retryAfterSeconds?: number) =>
	serviceError(
		429,
		'APIG.0308',
		retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) },
	);
const notAPassport = serviceError(400, 'AIS.0104');
const reset: Exchange = { kind: 'network', code: 'ECONNRESET' };
const passport: Exchange = readAnswer(200, {}, '{"result":{"surname":"ERIKSSON"}}');
const answer = { ok: true, value: { result: { surname: 'ERIKSSON' } } };
const context: FailureContext = {
	where: 'the test',
	ocrBaseUrl: 'http://ocr.test',
	timeoutMs: 1000,
};

/** A service that answers each call from a script, after `latencyMs`, and records when calls arrive. */
function scriptedService(clock: VirtualClock, script: Exchange[], latencyMs = 100) {
	const arrivals: number[] = [];
	const credentials = new Set<ICredentialsDecrypted>();
	const attempt = async (credential: ICredentialsDecrypted) => {
		credentials.add(credential);
		arrivals.push(clock.time);
		const next = script.shift() ?? passport;
		await clock.sleep(latencyMs);
		return next;
	};
	return { attempt, arrivals, credentials };
}

function sender(
	clock: VirtualClock,
	maxRetrySeconds: number,
	signal = new AbortController().signal,
) {
	const credential: SharedCredential = {
		id: 'c1',
		name: 'OCR',
		type: 'huaweiCloudOcrApi',
		data: { iamToken: 'stored-token' },
	};
	const batch = new BatchSender(
		credential,
		{ maxRetryMs: maxRetrySeconds * 1000 },
		{ clock, random: () => 0, signal },
	);
	return { batch, credential };
}

const failureOf = (outcome: { ok: boolean; failure?: { code: string; description: string } }) =>
	outcome.ok ? undefined : outcome.failure;

describe('BatchSender', () => {
	it('retries failures that pass, with growing waits, until one goes through', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(clock, [unavailable, reset]);
		const { batch } = sender(clock, 120);
		expect(await clock.run(batch.send(service.attempt, context))).toEqual(answer);
		// 100 ms answer, 0.5 s wait, 100 ms answer, 1 s wait (random 0: the low end of equal jitter).
		expect(service.arrivals).toEqual([0, 600, 1700]);
	});

	it('fails at once, with one call, on an error a retry cannot fix', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(clock, [notAPassport]);
		const { batch } = sender(clock, 120);
		const outcome = await clock.run(batch.send(service.attempt, context));
		expect(failureOf(outcome)).toMatchObject({ code: 'AIS.0104', scope: 'item' });
		expect(service.arrivals).toHaveLength(1);
	});

	it('gives up when the next try would start past Max Retry Time from the first try, and says so', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(
			clock,
			Array.from({ length: 20 }, () => unavailable),
		);
		const { batch } = sender(clock, 5);
		const outcome = await clock.run(batch.send(service.attempt, context));
		// Failures at 0.1 s, then tries after 0.5, 1, 2 s waits; the next (after 4 s) would start past 5 s.
		expect(service.arrivals).toEqual([0, 600, 1700, 3800]);
		expect(failureOf(outcome)?.description).toBe(
			'The service answered ModelArts.4403: ModelArts.4403 said Tried 4 times; Max Retry Time (5 s) allows no more.',
		);
		expect(clock.time).toBeLessThanOrEqual(5000 + context.timeoutMs);
	});

	it('does not retry at all with Max Retry Time 0, and leaves the message as it was', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(clock, [unavailable]);
		const { batch } = sender(clock, 0);
		const outcome = await clock.run(batch.send(service.attempt, context));
		expect(failureOf(outcome)?.description).toBe(
			'The service answered ModelArts.4403: ModelArts.4403 said',
		);
		expect(service.arrivals).toHaveLength(1);
	});

	it('does not wait for a Retry-After longer than Max Retry Time', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(clock, [limited(58)]);
		const { batch } = sender(clock, 30);
		const outcome = await clock.run(batch.send(service.attempt, context));
		expect(failureOf(outcome)?.description).toBe(
			'The service answered APIG.0308: APIG.0308 said Not retried: the next try would start in 58 s, beyond Max Retry Time (30 s).',
		);
		expect(service.arrivals).toHaveLength(1);
	});

	it('fails items that would wait out a pause longer than Max Retry Time at once, without a call', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(clock, [limited(3600)]);
		const { batch } = sender(clock, 30);
		const first = batch.send(service.attempt, context);
		const second = (async () => {
			await clock.sleep(500);
			return await batch.send(service.attempt, context);
		})();
		const outcomes = await clock.run(Promise.all([first, second]));
		expect(outcomes.map((outcome) => failureOf(outcome)?.code)).toEqual(['APIG.0308', 'APIG.0308']);
		expect(service.arrivals).toEqual([0]);
		expect(clock.time).toBeLessThan(1000);
	});

	it('on throttling holds back every request of the run, not only the throttled one', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(clock, [limited(3)]);
		const { batch } = sender(clock, 120);
		const first = batch.send(service.attempt, context);
		// A second item starts while the first is throttled; it must not call before the pause ends.
		const second = (async () => {
			await clock.sleep(500);
			return await batch.send(service.attempt, context);
		})();
		const outcomes = await clock.run(Promise.all([first, second]));
		expect(outcomes).toEqual([answer, answer]);
		expect(service.arrivals).toEqual([0, 3100, 3100]);
	});

	it('hands every request the same credential object, so they share one token', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(clock, []);
		const { batch, credential } = sender(clock, 120);
		await clock.run(
			Promise.all([1, 2, 3].map(async () => await batch.send(service.attempt, context))),
		);
		expect([...service.credentials]).toEqual([credential]);
	});

	it('renews a rejected token once, then stops the run when the new one is rejected too', async () => {
		const clock = new VirtualClock();
		const rejected = serviceError(401, 'APIG.0307');
		const service = scriptedService(clock, [rejected, rejected, rejected]);
		const { batch, credential } = sender(clock, 120);
		const outcome = await clock.run(batch.send(service.attempt, context));
		expect(failureOf(outcome)).toMatchObject({ code: 'APIG.0307', scope: 'run' });
		expect(service.arrivals).toHaveLength(2);
		// The renewal emptied the token, so that n8n signs in before the second attempt.
		expect(credential.data.iamToken).toBe('');
	});

	it('stops retrying once the run stops', async () => {
		const clock = new VirtualClock();
		const service = scriptedService(
			clock,
			Array.from({ length: 20 }, () => unavailable),
		);
		const stop = new AbortController();
		const { batch } = sender(clock, 600, stop.signal);
		const stopping = (async () => {
			await clock.sleep(2000);
			stop.abort();
		})();
		const [outcome] = await clock.run(
			Promise.all([batch.send(service.attempt, context), stopping]),
		);
		expect(failureOf(outcome)?.code).toBe('RUN.STOPPED');
		expect(clock.time).toBeLessThan(5000);
	});
});
