import type { Fault } from '../emulator';
import { makeBmp, makePng } from '../support/imageBytes';
import { NODE_NAME, startTestbed, type Testbed } from './passportOcrTestbed';
import { BINARY_SOURCE, fileItem, notAPassportItem, passportItem } from './specimens';

const binary = BINARY_SOURCE;
// Retrying would turn most service faults into successes; these tests are about the message of each.
const noRetries = { ...BINARY_SOURCE, options: { maxRetrySeconds: 0 } };
const EIGHT_MB_PNG = Buffer.concat([makePng(20, 20), Buffer.alloc(8 * 1024 * 1024)]);

describe('local checks: a file the service would refuse fails before any call', () => {
	let testbed: Testbed;
	beforeAll(async () => {
		testbed = await startTestbed();
	});
	afterAll(async () => await testbed.close());

	it.each([
		[
			'a GIF',
			fileItem(Buffer.from('GIF89a\x10\x00\x10\x00', 'latin1'), 'photo.gif', 'image/gif'),
			'INPUT.FORMAT',
			/^photo\.gif is a GIF image; the service accepts only JPEG, PNG, BMP/,
		],
		[
			'a tiny image',
			fileItem(makePng(10, 40), 'thumb.png'),
			'INPUT.TOO_SMALL',
			/^thumb\.png is 10 × 40 px; the shortest side must be at least 15 px$/,
		],
		[
			'a huge image',
			fileItem(makeBmp(9000, 20), 'wide.bmp', 'image/bmp'),
			'INPUT.TOO_LARGE',
			/^wide\.bmp is 9000 × 20 px; the longest side may be at most 8192 px$/,
		],
		[
			'a file over the size limit',
			fileItem(EIGHT_MB_PNG, 'big.png'),
			'INPUT.FILE_SIZE',
			/^big\.png is 8(\.0)? MB; the service accepts files of at most 7\.5 MB$/,
		],
		[
			'a truncated file',
			fileItem(makePng(100, 100).subarray(0, 20), 'cut.png'),
			'INPUT.UNREADABLE',
			/^cut\.png is not a complete, readable image/,
		],
		[
			'an item without the binary field',
			{ json: { name: 'x' } },
			'INPUT.NO_BINARY',
			/^Item 1 has no binary file \(Input Binary Field is "data"\)$/,
		],
	])('%s', async (_, item, code, message) => {
		const calls = testbed.emulator.ocrCalls();
		const run = await testbed.run(binary, { input: [item], continueOnFail: true });
		const [output] = run.outputItems(NODE_NAME);
		expect(output.json.error_code).toBe(code);
		expect(output.json.error).toMatch(message);
		expect(output.json.error_description).toEqual(expect.stringMatching(/\w+/));
		expect(output.pairedItem).toEqual({ item: 0 });
		expect(testbed.emulator.ocrCalls()).toBe(calls);
	});

	it.each([
		[
			{ inputSource: 'base64', base64Image: 'this is not base64!' },
			'INPUT.BAD_BASE64',
			'The Base64 Image is not valid Base64 text',
		],
		// Required fields can still come out empty from an expression over a missing value.
		[
			{ inputSource: 'base64', base64Image: '={{ $json.missing }}' },
			'INPUT.BAD_BASE64',
			'The Base64 Image is empty',
		],
		[
			{ inputSource: 'url', imageUrl: 'ftp://example.com/p.jpg' },
			'INPUT.BAD_URL',
			'"ftp://example.com/p.jpg" is not an http(s) URL',
		],
		[
			{ inputSource: 'url', imageUrl: '={{ $json.missing }}' },
			'INPUT.BAD_URL',
			'The Image URL is empty',
		],
	])('rejects parameters %j', async (parameters, code, message) => {
		const calls = testbed.emulator.ocrCalls();
		const run = await testbed.run(parameters, { continueOnFail: true });
		expect(run.outputItems(NODE_NAME)[0].json).toMatchObject({ error_code: code, error: message });
		expect(testbed.emulator.ocrCalls()).toBe(calls);
	});

	it('applies the G42 limit of 4096 px', async () => {
		const g42 = await startTestbed({ edition: 'g42' });
		try {
			const run = await g42.run(binary, {
				input: [fileItem(makePng(5000, 16), 'scan.png')],
				continueOnFail: true,
			});
			expect(run.outputItems(NODE_NAME)[0].json.error).toBe(
				'scan.png is 5000 × 16 px; the longest side may be at most 4096 px',
			);
		} finally {
			await g42.close();
		}
	});
});

describe('service errors become messages that say what to do', () => {
	let testbed: Testbed;
	beforeAll(async () => {
		testbed = await startTestbed();
	});
	afterAll(async () => await testbed.close());

	it('an image that is not a passport: AIS.0104', async () => {
		const run = await testbed.run(binary, {
			input: [notAPassportItem()],
			continueOnFail: true,
		});
		expect(run.outputItems(NODE_NAME)[0].json).toMatchObject({
			error_code: 'AIS.0104',
			http_status: 400,
			error_msg: 'The image is not supported or the image quality is poor.',
			request_id: expect.any(String),
			error: expect.stringMatching(/^No passport data page could be read: send a sharp/),
		});
	});

	it('a URL the service cannot download: ModelArts.4603', async () => {
		const run = await testbed.run(
			{ inputSource: 'url', imageUrl: `${testbed.emulator.baseUrl}/files/missing.jpg` },
			{ continueOnFail: true },
		);
		expect(run.outputItems(NODE_NAME)[0].json).toMatchObject({
			error_code: 'ModelArts.4603',
			error: expect.stringMatching(/^The service could not download an image: a URL must lead to/),
		});
	});

	it.each<[Fault, string, RegExp]>([
		['5xx', 'ModelArts.4403', /^The OCR service is unavailable: try again/],
		[
			'html',
			'HTTP.502',
			/^The OCR endpoint answered HTTP 502 with a web page\. This does not look like the Passport API: check the credential's OCR endpoint/,
		],
		[
			'malformed',
			'SERVICE.NO_RESULT',
			/^The OCR endpoint answered HTTP 200 with an answer without a passport result\. This does not look like the Passport API/,
		],
		[
			'drop',
			'NETWORK.ECONNRESET',
			/^The connection to the OCR service was closed before it answered$/,
		],
	])('fault %s becomes %s (retries off)', async (fault, code, message) => {
		testbed.emulator.injectFaults([fault]);
		const run = await testbed.run(noRetries, {
			input: [passportItem('utopia-eriksson')],
			continueOnFail: true,
		});
		expect(run.outputItems(NODE_NAME)[0].json).toMatchObject({
			error_code: code,
			error: expect.stringMatching(message),
		});
	});

	it('a service that never answers fails after the timeout', async () => {
		testbed.emulator.injectFaults(['hang']);
		const started = Date.now();
		const run = await testbed.run(
			{ ...binary, options: { timeoutSeconds: 1, maxRetrySeconds: 0 } },
			{ input: [passportItem('utopia-eriksson')], continueOnFail: true },
		);
		expect(run.outputItems(NODE_NAME)[0].json).toMatchObject({
			error_code: 'NETWORK.TIMEOUT',
			error: "The OCR service did not answer within the node's Timeout (1 s)",
		});
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	it('the rate limit: APIG.0308 with the service message kept', async () => {
		const limited = await startTestbed({ rateLimitPerMinute: 1 });
		try {
			const item = passportItem('utopia-eriksson');
			const run = await limited.run(noRetries, { input: [item, item], continueOnFail: true });
			const [first, second] = run.outputItems(NODE_NAME);
			expect(first.json.surname).toBe('ERIKSSON');
			expect(second.json).toMatchObject({
				error_code: 'APIG.0308',
				http_status: 429,
				error: expect.stringMatching(/rate limit/),
			});
			expect(second.json.error_msg).toMatch(/ratelimit/);
		} finally {
			await limited.close();
		}
	});
});

describe('sign-in and setup problems', () => {
	it.each([
		[
			{ password: 'wrong' },
			'IAM.CREDENTIALS',
			/^Sign-in failed: check the IAM user name, the password and the account name/,
		],
		[{ domainName: 'someone-else' }, 'IAM.CREDENTIALS', /^Sign-in failed/],
		[
			{ projectId: 'ffffffffffffffffffffffffffffffff' },
			'IAM.PROJECT',
			/^The account has no project with ID ffffffffffffffffffffffffffffffff: copy the project ID of region ap-southeast-1/,
		],
		[
			{ customIamEndpoint: 'http://127.0.0.1:9' },
			'IAM.UNREACHABLE',
			/^Could not reach the IAM endpoint http:\/\/127\.0\.0\.1:9/,
		],
		[{ projectId: '' }, 'CREDENTIAL.INCOMPLETE', /^The credential has no Project ID$/],
	])('credential %j', async (overrides, code, message) => {
		const testbed = await startTestbed({}, overrides);
		try {
			const run = await testbed.run(binary, {
				input: [passportItem('china-qian')],
				continueOnFail: true,
			});
			expect(run.outputItems(NODE_NAME)[0].json).toMatchObject({
				error_code: code,
				error: expect.stringMatching(message),
			});
		} finally {
			await testbed.close();
		}
	});

	it('Passport not enabled in the region: ModelArts.4204 names the region', async () => {
		const testbed = await startTestbed({
			accounts: [
				{
					domain: 'acme',
					user: 'ocr-bot',
					password: 'pw-1',
					projects: [{ id: 'p1', region: 'ap-southeast-1', passportEnabled: false }],
				},
			],
		});
		try {
			const run = await testbed.run(binary, {
				input: [passportItem('china-qian')],
				continueOnFail: true,
			});
			expect(run.outputItems(NODE_NAME)[0].json).toMatchObject({
				error_code: 'ModelArts.4204',
				error:
					'Passport OCR is not enabled in region ap-southeast-1 of Custom: enable "Passport" in the OCR console there, with the same account',
			});
		} finally {
			await testbed.close();
		}
	});
});
