import { makePng } from '../support/imageBytes';
import { textOnlyPdf } from '../support/passportPdfs';
import { NODE_NAME, startTestbed, type Testbed } from './passportOcrTestbed';
import { BINARY_SOURCE, fileItem, notAPassportItem, passportItem as passport } from './specimens';

const notAPassport = notAPassportItem();
const binary = BINARY_SOURCE;

describe('passport checks on every item and the Needs Review output', () => {
	let testbed: Testbed;
	beforeAll(async () => {
		testbed = await startTestbed();
	});
	afterAll(async () => await testbed.close());

	it('adds checks, the parsed MRZ and computed fields to each simplified item', async () => {
		const run = await testbed.run(binary, {
			input: [passport('utopia-eriksson'), passport('china-qian')],
		});
		const [utopia, china] = run.outputItems(NODE_NAME).map((item) => item.json);
		expect(utopia).toMatchObject({
			is_expired: true,
			checks: expect.objectContaining({ valid: false, mrz_check_digits_valid: true }),
			mrz: expect.objectContaining({
				issuing_state: 'UTO',
				surname: 'ERIKSSON',
				given_names: 'ANNA MARIA',
				passport_number: 'L898902C3',
			}),
			lowest_confidence: expect.any(Number),
		});
		expect(utopia.checks).toMatchObject({
			problems: expect.arrayContaining([expect.stringMatching(/expir/i)]),
		});
		expect(china).toMatchObject({
			is_expired: false,
			age: expect.any(Number),
			days_to_expiry: expect.any(Number),
			checks: expect.objectContaining({ valid: true, problems: [] }),
		});
		expect(china).not.toHaveProperty('mrz');
		expect(china).not.toHaveProperty('review_reasons');
		expect(run.run.data.resultData.runData[NODE_NAME][0].data?.main).toHaveLength(1);
	});

	it('routes clean items to the first output and the rest, failed reads included, to Needs Review', async () => {
		const input = [
			passport('utopia-eriksson'),
			passport('china-qian'),
			notAPassport,
			passport('netherlands-van-den-broek'),
		];
		const run = await testbed.run(
			{ ...binary, needsReviewOutput: true },
			{ input, continueOnFail: true },
		);
		const passed = run.outputItems(NODE_NAME, 0);
		const review = run.outputItems(NODE_NAME, 1);
		expect(passed.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(passed[0].json.review_reasons).toEqual([]);
		expect(review.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }, { item: 3 }]);
		expect(review[0].json.review_reasons).toEqual(
			expect.arrayContaining([expect.stringMatching(/expir/i)]),
		);
		expect(review[1].json).toMatchObject({
			error_code: 'AIS.0104',
			review_reasons: [expect.stringMatching(/No passport data page could be read/)],
		});
		expect(review[2].json.review_reasons).toEqual(
			expect.arrayContaining([expect.stringMatching(/missing/i)]),
		);
	});

	it('sends an item whose lowest confidence is below the minimum to Needs Review, saying which field', async () => {
		const run = await testbed.run(
			{ ...binary, needsReviewOutput: true, confidenceThreshold: 0.99 },
			{ input: [passport('china-qian')] },
		);
		expect(run.outputItems(NODE_NAME, 0)).toEqual([]);
		const [item] = run.outputItems(NODE_NAME, 1);
		expect(item.json.review_reasons).toEqual([
			"The service's confidence in place_of_birth is 0.9316, below the minimum of 0.99",
		]);
	});

	it('applies "Must be valid for at least N months"', async () => {
		const run = await testbed.run(
			{ ...binary, options: { minValidityMonths: 60 } },
			{ input: [passport('china-qian')] },
		);
		const [item] = run.outputItems(NODE_NAME);
		expect(item.json.checks).toMatchObject({ valid: false, valid_for_min_months: false });
	});
});

describe('Needs Review takes images the service cannot read, and the run goes on', () => {
	let testbed: Testbed;
	beforeAll(async () => {
		testbed = await startTestbed();
	});
	afterAll(async () => await testbed.close());

	it('without Continue On Fail: a blurred scan, a thumbnail and a PDF without a scan go to review with their reason', async () => {
		const calls = testbed.emulator.ocrCalls();
		const input = [
			passport('utopia-eriksson'),
			notAPassport,
			fileItem(makePng(10, 40), 'thumb.png'),
			fileItem(textOnlyPdf(), 'form.pdf', 'application/pdf'),
			passport('china-qian'),
		];
		const run = await testbed.run({ ...binary, needsReviewOutput: true }, { input });
		expect(run.nodeError(NODE_NAME)).toBeUndefined();
		const passed = run.outputItems(NODE_NAME, 0);
		const review = run.outputItems(NODE_NAME, 1);
		expect(passed.map((item) => item.pairedItem)).toEqual([{ item: 4 }]);
		expect(review.map((item) => [item.pairedItem, item.json.error_code ?? null])).toEqual([
			[{ item: 0 }, null],
			[{ item: 1 }, 'AIS.0104'],
			[{ item: 2 }, 'INPUT.TOO_SMALL'],
			[{ item: 3 }, 'PDF.NO_SCAN'],
		]);
		for (const item of review.slice(1)) {
			const reasons = item.json.review_reasons as string[];
			expect(reasons).toHaveLength(1);
			expect(item.json.checks).toEqual({ valid: false, image_readable: false, problems: reasons });
			expect(item.json.surname).toBeNull();
			expect(item.binary?.data).toBeDefined();
		}
		// Utopia, the cat and China went to the service; the thumbnail and the PDF did not.
		expect(testbed.emulator.ocrCalls()).toBe(calls + 3);
	});

	it('an item without any file is no unreadable image: it still stops the node', async () => {
		const run = await testbed.run(
			{ ...binary, needsReviewOutput: true },
			{ input: [passport('china-qian'), { json: { name: 'no file' } }] },
		);
		expect(String(run.nodeError(NODE_NAME)?.message)).toMatch(/^Item 2 has no binary file/);
	});

	it('a setup problem still fails the node, and becomes error items on Needs Review with Continue On Fail', async () => {
		const wrong = await startTestbed({}, { password: 'not-the-password' });
		try {
			const input = [passport('china-qian'), notAPassport];
			const failed = await wrong.run({ ...binary, needsReviewOutput: true }, { input });
			expect(String(failed.nodeError(NODE_NAME)?.message)).toMatch(/Sign-in failed/);
			const continued = await wrong.run(
				{ ...binary, needsReviewOutput: true },
				{ input, continueOnFail: true },
			);
			expect(continued.outputItems(NODE_NAME, 0)).toEqual([]);
			expect(continued.outputItems(NODE_NAME, 1).map((item) => item.json.error_code)).toEqual([
				'IAM.CREDENTIALS',
				'IAM.CREDENTIALS',
			]);
		} finally {
			await wrong.close();
		}
	});
});
