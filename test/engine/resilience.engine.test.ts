import type { INodeParameters } from 'n8n-workflow';

import type { Fault } from '../emulator';
import { NODE_NAME, startTestbed } from './passportOcrTestbed';
import { BINARY_SOURCE, notAPassportItem, passportItem } from './specimens';

const utopia = () => passportItem('utopia-eriksson');
const batchOf = (count: number) => Array.from({ length: count }, utopia);
const withOptions = (options: INodeParameters): INodeParameters => ({ ...BINARY_SOURCE, options });
const ALL_FAULTS: Fault[] = ['5xx', 'html', 'malformed', 'drop', 'hang'];

async function timed<T>(work: Promise<T>): Promise<[T, number]> {
	const started = Date.now();
	const result = await work;
	return [result, Date.now() - started];
}

describe('retries', () => {
	it('rides out 5xx, proxy pages, broken JSON, dropped connections and a hung call: every item succeeds', async () => {
		const testbed = await startTestbed({ latencyMs: 20 });
		try {
			testbed.emulator.injectFaults(ALL_FAULTS);
			const input = batchOf(10);
			const [run, ms] = await timed(
				testbed.run(withOptions({ timeoutSeconds: 1 }), { input, continueOnFail: true }),
			);
			const items = run.outputItems(NODE_NAME);
			expect(items.map((item) => item.json.surname)).toEqual(input.map(() => 'ERIKSSON'));
			expect(testbed.emulator.ocrCalls()).toBe(10 + ALL_FAULTS.length);
			expect(testbed.emulator.logins()).toBe(1);
			expect(ms).toBeLessThan(10_000);
		} finally {
			await testbed.close();
		}
	});

	it('on 429 with Retry-After, pauses the whole node, not only the throttled item', async () => {
		const testbed = await startTestbed({ retryAfter: true });
		try {
			testbed.emulator.injectFaults(['throttle']);
			const run = await testbed.run(withOptions({ concurrency: 4 }), { input: batchOf(8) });
			expect(run.outputItems(NODE_NAME).every((item) => item.json.surname === 'ERIKSSON')).toBe(
				true,
			);
			const ocr = testbed.emulator.log.filter((entry) => entry.kind === 'ocr');
			const throttled = ocr.find((entry) => entry.status === 429);
			expect(throttled).toMatchObject({ errorCode: 'APIGW.0308' });
			const after = ocr.filter((entry) => entry.time > (throttled?.time ?? 0));
			// Retry-After: 1. Calls already on their way may land at once; nothing new starts for a second.
			const early = after.filter((entry) => entry.time < (throttled?.time ?? 0) + 950);
			expect(early.filter((entry) => entry.time > (throttled?.time ?? 0) + 150)).toEqual([]);
			expect(after.length - early.length).toBeGreaterThanOrEqual(5);
			expect(testbed.emulator.ocrCalls()).toBe(9);
		} finally {
			await testbed.close();
		}
	});

	it('on 429 without Retry-After, as Huawei answers, holds back 2 to 5 s and then reads the passport', async () => {
		const testbed = await startTestbed();
		try {
			testbed.emulator.injectFaults(['throttle']);
			const [run, ms] = await timed(testbed.run(BINARY_SOURCE, { input: [utopia()] }));
			expect(run.outputItems(NODE_NAME)[0].json.surname).toBe('ERIKSSON');
			const [refused, read] = testbed.emulator.log.filter((entry) => entry.kind === 'ocr');
			expect(refused).toMatchObject({ status: 429, errorCode: 'APIGW.0308' });
			expect(read.status).toBe(200);
			expect(read.time - refused.time).toBeGreaterThanOrEqual(1900);
			expect(ms).toBeLessThan(8000);
		} finally {
			await testbed.close();
		}
	});

	it('fails at once, with one call, on an error a retry cannot fix', async () => {
		const testbed = await startTestbed();
		try {
			const [run, ms] = await timed(
				testbed.run(BINARY_SOURCE, { input: [notAPassportItem()], continueOnFail: true }),
			);
			expect(run.outputItems(NODE_NAME)[0].json.error_code).toBe('AIS.0104');
			expect(testbed.emulator.ocrCalls()).toBe(1);
			expect(ms).toBeLessThan(2000);
		} finally {
			await testbed.close();
		}
	});

	it('stops at Max Retry Time and says how often it tried', async () => {
		const testbed = await startTestbed();
		try {
			testbed.emulator.injectFaults(Array.from<Fault>({ length: 50 }).fill('5xx'));
			const [run, ms] = await timed(
				testbed.run(withOptions({ maxRetrySeconds: 2 }), {
					input: [utopia()],
					continueOnFail: true,
				}),
			);
			expect(run.outputItems(NODE_NAME)[0].json).toMatchObject({
				error_code: 'ModelArts.4403',
				error: expect.stringMatching(/^The OCR service is unavailable/),
				error_description: expect.stringMatching(
					/Tried \d+ times; Max Retry Time \(2 s\) allows no more\.$/,
				),
			});
			expect(testbed.emulator.ocrCalls()).toBeGreaterThanOrEqual(2);
			expect(ms).toBeLessThan(6000);
		} finally {
			await testbed.close();
		}
	});

	it('does not wait for a Retry-After beyond Max Retry Time: the rate limit fails that item at once', async () => {
		const testbed = await startTestbed({ rateLimitPerMinute: 1, retryAfter: true });
		try {
			const [run, ms] = await timed(
				testbed.run(withOptions({ maxRetrySeconds: 10 }), {
					input: batchOf(2),
					continueOnFail: true,
				}),
			);
			const [first, second] = run.outputItems(NODE_NAME).map((item) => item.json);
			expect(first.surname).toBe('ERIKSSON');
			expect(second).toMatchObject({
				error_code: 'APIG.0308',
				http_status: 429,
				error_description: expect.stringMatching(
					/Not retried: the next try would start in \d+ s, beyond Max Retry Time \(10 s\)\.$/,
				),
			});
			expect(ms).toBeLessThan(3000);
		} finally {
			await testbed.close();
		}
	});
});

describe('faults become clear per-item errors, and nothing hangs', () => {
	it('with retries off and Continue On Fail: each faulty call fails its own item, every other item completes', async () => {
		const testbed = await startTestbed({ latencyMs: 20 });
		try {
			testbed.emulator.injectFaults(ALL_FAULTS);
			const input = batchOf(12);
			const [run, ms] = await timed(
				testbed.run(withOptions({ maxRetrySeconds: 0, timeoutSeconds: 1 }), {
					input,
					continueOnFail: true,
				}),
			);
			const items = run.outputItems(NODE_NAME);
			expect(items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
			const codes = items
				.map((item) => String(item.json.error_code ?? ''))
				.filter((code) => code !== '')
				.map((code) => code.replace(/^NETWORK\.(ECONNABORTED|ETIMEDOUT)$/, 'NETWORK.TIMEOUT'));
			expect(codes.sort()).toEqual([
				'HTTP.502',
				'ModelArts.4403',
				'NETWORK.ECONNRESET',
				'NETWORK.TIMEOUT',
				'SERVICE.NO_RESULT',
			]);
			expect(items.filter((item) => item.json.surname === 'ERIKSSON')).toHaveLength(7);
			expect(ms).toBeLessThan(10_000);
		} finally {
			await testbed.close();
		}
	});

	it('a service that dies mid-batch: the items before it succeed, the rest fail fast as unreachable', async () => {
		const testbed = await startTestbed({ latencyMs: 30 });
		try {
			testbed.emulator.atOcrCall(10, 'die');
			const input = batchOf(30);
			const [run, ms] = await timed(testbed.run(BINARY_SOURCE, { input, continueOnFail: true }));
			const items = run.outputItems(NODE_NAME);
			expect(items).toHaveLength(30);
			expect(items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
			const succeeded = items.filter((item) => item.json.surname === 'ERIKSSON');
			expect(succeeded.length).toBeGreaterThanOrEqual(5);
			expect(succeeded.length).toBeLessThan(10);
			const failed = items.filter((item) => item.json.error_code !== undefined);
			expect(failed).toHaveLength(30 - succeeded.length);
			for (const { json } of failed) {
				expect(json).toMatchObject({
					error_code: 'NETWORK.ECONNREFUSED',
					error: `Could not reach the OCR endpoint ${testbed.emulator.baseUrl}`,
				});
			}
			expect(ms).toBeLessThan(10_000);
		} finally {
			await testbed.close();
		}
	});

	it('a service that dies mid-batch, without Continue On Fail: the node stops with that error', async () => {
		const testbed = await startTestbed({ latencyMs: 30 });
		try {
			testbed.emulator.atOcrCall(6, 'die');
			const [run, ms] = await timed(testbed.run(BINARY_SOURCE, { input: batchOf(30) }));
			expect(run.nodeError(NODE_NAME)).toMatchObject({
				message: `Could not reach the OCR endpoint ${testbed.emulator.baseUrl}`,
			});
			expect(ms).toBeLessThan(10_000);
		} finally {
			await testbed.close();
		}
	});
});
