/**
 * The node on the answers the service documents (reference 2.1b/2.1c): a foreign passport as 7 fields plus the
 * two MRZ lines, a Chinese one as all 13 fields without MRZ lines. A valid passport of either shape is clean;
 * only real doubts reach Needs Review.
 */
import { makePng } from '../support/imageBytes';
import {
	DUTCH_FOREIGN_FIELDS,
	DUTCH_PARTS,
	G42_EXAMPLE,
	UTOPIA_PARTS,
	buildTd3,
	replaceAt,
} from '../unit/passport/td3Specimens';
import { NODE_NAME, startTestbed, type Testbed } from './passportOcrTestbed';
import { BINARY_SOURCE, fileItem, passportItem } from './specimens';

const [LINE1, LINE2] = buildTd3(DUTCH_PARTS);

/** The documented foreign answer: no passport_type, nationality or issue fields; given_name ends in a space. */
const foreignAnswer = (line2 = LINE2, fields: Record<string, string> = {}) => ({
	...DUTCH_FOREIGN_FIELDS,
	...fields,
	machine_code: `${LINE1.slice(0, 13)} ${LINE1.slice(13)}`,
	machine_code2: line2,
	extra_info: {},
	confidence: G42_EXAMPLE.confidence,
});

describe('the documented answer shapes, Needs Review off and on', () => {
	let testbed: Testbed;
	/** Each answer is recorded for its own image bytes, as the emulator answers its fixtures. */
	const answerItem = (width: number, result: Record<string, unknown>) => {
		const bytes = makePng(width, 400);
		testbed.emulator.recordResult(bytes, result);
		return fileItem(bytes, `passport-${width}.png`);
	};
	beforeAll(async () => {
		testbed = await startTestbed();
	});
	afterAll(async () => await testbed.close());

	it.each([false, true])(
		'a valid foreign passport (7 fields + MRZ) is clean, nationality and type from the MRZ (Needs Review %s)',
		async (needsReviewOutput) => {
			const input = [answerItem(600, foreignAnswer())];
			const run = await testbed.run({ ...BINARY_SOURCE, needsReviewOutput }, { input });
			const [item] = run.outputItems(NODE_NAME, 0);
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(item.json).toMatchObject({
				passport_type: 'P',
				nationality: 'NLD',
				given_name: 'SANNE MARIJE',
				date_of_issue: null,
				place_of_birth: null,
				issuing_authority: null,
				filled_from_mrz: ['passport_type', 'nationality'],
				repairs: [],
				checks: { valid: true, problems: [] },
				machine_code: foreignAnswer().machine_code,
				date_of_birth_partly_unknown: false,
			});
			if (needsReviewOutput) {
				expect(item.json.review_reasons).toEqual([]);
				expect(run.outputItems(NODE_NAME, 1)).toEqual([]);
			}
		},
	);

	it.each([false, true])(
		'a valid Chinese passport (13 fields, no MRZ) is clean, with its local-language fields (Needs Review %s)',
		async (needsReviewOutput) => {
			const run = await testbed.run(
				{ ...BINARY_SOURCE, needsReviewOutput },
				{ input: [passportItem('china-qian')] },
			);
			const [item] = run.outputItems(NODE_NAME, 0);
			expect(item.json).toMatchObject({
				nationality: 'CHINESE',
				issuing_authority: 'MPS Exit & Entry Administration',
				extra_info: { local_language: { nationality: '中国', sex: '女' } },
				filled_from_mrz: [],
				checks: { valid: true, problems: [] },
			});
			expect(item.json).not.toHaveProperty('mrz');
		},
	);

	it('a full 13-field foreign answer needs nothing from the MRZ', async () => {
		const full = {
			...foreignAnswer(),
			passport_type: 'P',
			nationality: 'NLD',
			date_of_issue: '2024-09-12',
			place_of_birth: 'UTRECHT',
			place_of_issue: 'UTRECHT',
			issuing_authority: 'BURG. VAN UTRECHT',
		};
		const run = await testbed.run(BINARY_SOURCE, { input: [answerItem(601, full)] });
		const [item] = run.outputItems(NODE_NAME, 0);
		expect(item.json).toMatchObject({
			filled_from_mrz: [],
			nationality: 'NLD',
			checks: { valid: true, nationality_matches_mrz: true },
		});
	});

	it('a misread the check digits prove is repaired and reported; the raw MRZ line stays as sent', async () => {
		// OCR read the 0 of the birth month as O; the service could not make a date of it and left it out.
		const misread = replaceAt(LINE2, 16, 'O');
		const answer = foreignAnswer(misread, {});
		delete (answer as Record<string, unknown>).date_of_birth;
		const run = await testbed.run(
			{ ...BINARY_SOURCE, needsReviewOutput: true },
			{ input: [answerItem(602, answer)] },
		);
		const [item] = run.outputItems(NODE_NAME, 0);
		expect(item.json).toMatchObject({
			date_of_birth: '1988-04-13',
			machine_code2: misread,
			filled_from_mrz: ['passport_type', 'nationality', 'date_of_birth'],
			repairs: [
				{
					field: 'date_of_birth',
					line: 2,
					read: '88O413',
					became: '880413',
					rule: expect.stringMatching(
						/reading O as 0 makes the date of birth and composite check digits hold/,
					),
				},
			],
			checks: { valid: true },
			review_reasons: [],
		});
	});

	it('a passport number two readings would fix goes to review, unrepaired', async () => {
		const [, line2] = buildTd3({
			...UTOPIA_PARTS,
			issuingState: 'NLD',
			nationality: 'NLD',
			number: 'L898902CO',
			expiry: '340911',
		});
		const misread = replaceAt(line2, 6, 'O');
		const answer = foreignAnswer(misread, {
			passport_number: 'L8989O2CO',
			date_of_birth: '1974-08-12',
		});
		const run = await testbed.run(
			{ ...BINARY_SOURCE, needsReviewOutput: true },
			{ input: [answerItem(603, answer)] },
		);
		expect(run.outputItems(NODE_NAME, 0)).toEqual([]);
		const [item] = run.outputItems(NODE_NAME, 1);
		expect(item.json.passport_number).toBe('L8989O2CO');
		expect(item.json.repairs).toEqual([]);
		expect(item.json.review_reasons).toEqual(
			expect.arrayContaining([expect.stringMatching(/could be read as L898902CO or L8989O2C0/)]),
		);
	});
});
