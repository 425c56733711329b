import type { INodeParameters } from 'n8n-workflow';

import { CREDENTIAL_ID, NODE_NAME, startTestbed } from './passportOcrTestbed';
import { BINARY_SOURCE, notAPassportItem, passportItem } from './specimens';

const SPECIMENS = [
	['utopia-eriksson', 'ERIKSSON'],
	['china-qian', 'QIAN'],
	['netherlands-van-den-broek', 'VAN DEN BROEK'],
] as const;

/** `count` passports, cycling through the specimens, and the surname each one should come back with. */
function batch(count: number) {
	const picks = Array.from({ length: count }, (_, index) => SPECIMENS[index % SPECIMENS.length]);
	return { input: picks.map(([name]) => passportItem(name)), surnames: picks.map(([, s]) => s) };
}

const withOptions = (options: INodeParameters): INodeParameters => ({ ...BINARY_SOURCE, options });

describe('items run in a bounded window', () => {
	it.each([
		[3, { concurrency: 3 }],
		[4, {}],
		[1, { concurrency: 1 }],
	])(
		'keeps %i requests in flight (options %j) and returns results in input order',
		async (width, options) => {
			const testbed = await startTestbed({ latencyMs: 150 });
			try {
				const { input, surnames } = batch(12);
				const run = await testbed.run(withOptions(options), { input });
				const items = run.outputItems(NODE_NAME);
				expect(items.map((item) => item.json.surname)).toEqual(surnames);
				expect(items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
				expect(testbed.emulator.ocrConcurrencyPeak()).toBe(width);
				expect(testbed.emulator.ocrCalls()).toBe(12);
			} finally {
				await testbed.close();
			}
		},
	);

	it('reads binaries stored on disk (filesystem mode) inside the window', async () => {
		const testbed = await startTestbed({ latencyMs: 20 });
		try {
			const { input, surnames } = batch(9);
			const run = await testbed.run(withOptions({ concurrency: 4 }), {
				input,
				binaryDataMode: 'filesystem',
			});
			expect(run.outputItems(NODE_NAME).map((item) => item.json.surname)).toEqual(surnames);
		} finally {
			await testbed.close();
		}
	});

	it('without Continue On Fail: starts nothing after a failure and reports the first failed item', async () => {
		const testbed = await startTestbed({ latencyMs: 50 });
		try {
			const { input } = batch(20);
			input[1] = notAPassportItem();
			const run = await testbed.run(withOptions({ concurrency: 4 }), { input });
			expect(run.nodeError(NODE_NAME)).toMatchObject({
				message: expect.stringMatching(/^No passport data page could be read/),
				context: expect.objectContaining({ itemIndex: 1 }),
			});
			// The first item (it proves the token), the four then in flight, and at most one more from each of
			// the three lanes whose answers arrived with the failure: never the whole batch.
			expect(testbed.emulator.ocrCalls()).toBeLessThanOrEqual(8);
		} finally {
			await testbed.close();
		}
	});
});

describe('one sign-in per execution', () => {
	it('signs in once for a wide window that starts without a token', async () => {
		const testbed = await startTestbed({ latencyMs: 30 });
		try {
			const { input } = batch(32);
			const run = await testbed.run(withOptions({ concurrency: 16 }), { input });
			expect(run.outputItems(NODE_NAME).every((item) => item.json.error === undefined)).toBe(true);
			expect(testbed.emulator.logins()).toBe(1);
			expect(testbed.credentials.preAuthenticationCalls).toBe(1);
			expect(testbed.emulator.ocrConcurrencyPeak()).toBeGreaterThan(1);
		} finally {
			await testbed.close();
		}
	});

	it('renews a token that expires mid-batch once, for every request that met it, and saves it for the next run', async () => {
		const testbed = await startTestbed({ latencyMs: 40 });
		try {
			const { input, surnames } = batch(40);
			testbed.emulator.atOcrCall(12, 'expire-tokens');
			const run = await testbed.run(withOptions({ concurrency: 8 }), { input });
			expect(run.outputItems(NODE_NAME).map((item) => item.json.surname)).toEqual(surnames);
			const rejected = testbed.emulator.log.filter(
				(entry) => entry.kind === 'ocr' && entry.status === 401,
			);
			expect(rejected.length).toBeGreaterThan(1);
			expect(rejected.every((entry) => entry.errorCode === 'APIG.0307')).toBe(true);
			expect(testbed.emulator.logins()).toBe(2);
			expect(testbed.emulator.ocrCalls()).toBe(input.length + rejected.length);

			const saved = testbed.credentials.read(CREDENTIAL_ID).data.iamToken;
			await testbed.run(withOptions({ concurrency: 8 }), { input: batch(8).input });
			expect(testbed.emulator.logins()).toBe(2);
			expect(testbed.credentials.read(CREDENTIAL_ID).data.iamToken).toBe(saved);
		} finally {
			await testbed.close();
		}
	});

	it('signs in once, and fails every item at once, when the password is wrong', async () => {
		const testbed = await startTestbed({}, { password: 'wrong' });
		try {
			const { input } = batch(6);
			const run = await testbed.run(withOptions({ concurrency: 4 }), {
				input,
				continueOnFail: true,
			});
			const codes = run.outputItems(NODE_NAME).map((item) => item.json.error_code);
			expect(codes).toEqual(input.map(() => 'IAM.CREDENTIALS'));
			expect(testbed.emulator.logins()).toBe(1);
			expect(testbed.emulator.ocrCalls()).toBe(0);
		} finally {
			await testbed.close();
		}
	});
});
