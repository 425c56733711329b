import { FIXTURES } from '../emulator';
import { makePng } from '../support/imageBytes';
import { CREDENTIAL_ID, NODE_NAME, startTestbed } from './passportOcrTestbed';
import { BINARY_SOURCE, fileItem, notAPassportItem, passportItem as passport } from './specimens';

const tooSmall = fileItem(makePng(8, 8), 'icon.png', 'image/png', { name: 'icon' });
const notAPassport = notAPassportItem();
const binary = BINARY_SOURCE;

describe('batches', () => {
	it('signs in once and reuses the stored token across items and executions', async () => {
		const testbed = await startTestbed();
		try {
			const items = FIXTURES.map((f) => passport(f.name));
			await testbed.run(binary, { input: items });
			await testbed.run(binary, { input: items });
			expect(testbed.emulator.logins()).toBe(1);
			expect(testbed.credentials.preAuthenticationCalls).toBe(1);
			expect(testbed.emulator.ocrCalls()).toBe(2 * items.length);
			expect(testbed.credentials.read(CREDENTIAL_ID).data.iamToken).toMatch(/^MII/);
		} finally {
			await testbed.close();
		}
	});

	it('stops using a stored token once the sign-in details are edited', async () => {
		const testbed = await startTestbed();
		try {
			await testbed.run(binary, { input: [passport('china-qian')] });
			const stored = testbed.credentials.read(CREDENTIAL_ID);
			testbed.credentials.save({ ...stored, data: { ...stored.data, password: 'typo' } });
			const run = await testbed.run(binary, { input: [passport('china-qian')] });
			expect(run.nodeError(NODE_NAME)?.message).toMatch(/^Sign-in failed/);
			expect(testbed.emulator.logins()).toBe(2);
			// The token of the old details never went out: the run signed in first, and that failed.
			expect(testbed.emulator.ocrCalls()).toBe(1);
		} finally {
			await testbed.close();
		}
	});

	it('renews a token that expires mid-batch: one new sign-in and one resend per rejection, every item succeeds', async () => {
		const testbed = await startTestbed({ tokenTtlMs: 300, latencyMs: 60 });
		try {
			const names = ['utopia-eriksson', 'china-qian', 'netherlands-van-den-broek'];
			const input = Array.from({ length: 12 }, (_, index) => passport(names[index % 3]));
			// One at a time, so every rejection is its own renewal (throughput tests cover the window).
			const run = await testbed.run({ ...binary, options: { concurrency: 1 } }, { input });
			const items = run.outputItems(NODE_NAME);
			expect(items.map((item) => item.json.error)).toEqual(input.map(() => undefined));
			expect(items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
			const rejected = testbed.emulator.log.filter(
				(entry) => entry.kind === 'ocr' && entry.status === 401,
			);
			expect(rejected.length).toBeGreaterThan(0);
			expect(rejected.every((entry) => entry.errorCode === 'APIG.0307')).toBe(true);
			expect(testbed.emulator.logins()).toBe(1 + rejected.length);
			expect(testbed.emulator.ocrCalls()).toBe(input.length + rejected.length);
		} finally {
			await testbed.close();
		}
	});

	it('with Continue On Fail: failed items become linked error items in input order, the rest succeed', async () => {
		const testbed = await startTestbed();
		try {
			const input = [
				passport('utopia-eriksson'),
				tooSmall,
				passport('china-qian'),
				notAPassport,
				passport('netherlands-van-den-broek'),
			];
			const run = await testbed.run(binary, { input, continueOnFail: true });
			const items = run.outputItems(NODE_NAME);
			expect(items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
			expect(items.map((item) => item.json.error_code ?? item.json.surname)).toEqual([
				'ERIKSSON',
				'INPUT.TOO_SMALL',
				'QIAN',
				'AIS.0104',
				'VAN DEN BROEK',
			]);
			expect(run.nodeError(NODE_NAME)).toBeUndefined();
		} finally {
			await testbed.close();
		}
	});

	it('without Continue On Fail: the first failure stops the node with its message and item index', async () => {
		const testbed = await startTestbed();
		try {
			const input = [passport('utopia-eriksson'), notAPassport, passport('china-qian')];
			const run = await testbed.run({ ...binary, options: { concurrency: 1 } }, { input });
			const error = run.nodeError(NODE_NAME);
			expect(error).toMatchObject({
				message: expect.stringMatching(/^No passport data page could be read/),
				description: expect.stringContaining('AIS.0104'),
				httpCode: '400',
				context: expect.objectContaining({ itemIndex: 1 }),
			});
			expect(testbed.emulator.ocrCalls()).toBe(2);
		} finally {
			await testbed.close();
		}
	});

	it('never puts the password or a token into output, errors or the stored run', async () => {
		const testbed = await startTestbed({ tokenTtlMs: 200, latencyMs: 50 });
		try {
			const input = [
				passport('utopia-eriksson'),
				notAPassport,
				tooSmall,
				passport('china-qian'),
				passport('utopia-eriksson'),
			];
			const runs = [
				await testbed.run(binary, { input, continueOnFail: true }),
				await testbed.run(binary, { input }),
			];
			const bad = await startTestbed({}, { password: 'Secret-Pa55' });
			const failedSignIn = await bad.run(binary, { input: [passport('china-qian')] });
			await bad.close();
			const token = String(testbed.credentials.read(CREDENTIAL_ID).data.iamToken);
			expect(token.length).toBeGreaterThan(1000);
			for (const run of runs) {
				expect(run.serialized).not.toContain(testbed.credentialData.password as string);
				expect(run.serialized).not.toContain(token.slice(0, 40));
				expect(run.serialized).not.toContain(token.slice(-40));
			}
			expect(failedSignIn.nodeError(NODE_NAME)?.message).toMatch(/^Sign-in failed/);
			expect(failedSignIn.serialized).not.toContain('Secret-Pa55');
		} finally {
			await testbed.close();
		}
	});
});
