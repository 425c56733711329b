import { NODE_NAME, startTestbed, type Testbed } from './passportOcrTestbed';
import { BINARY_SOURCE, notAPassportItem, passportItem as passport } from './specimens';

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
		expect(review[1].json.error_code).toBe('AIS.0104');
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
