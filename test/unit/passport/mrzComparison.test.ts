import type { CheckOutcome } from '../../../nodes/PassportOcr/passport/checkOutcome';
import { mrzChecks } from '../../../nodes/PassportOcr/passport/mrzComparison';
import { parseTd3 } from '../../../nodes/PassportOcr/passport/parseTd3';
import {
	type PrintedFieldValues,
	readPrintedFields,
} from '../../../nodes/PassportOcr/passport/printedFields';
import { GERMANY_2017, UTOPIA, UTOPIA_PARTS, buildTd3 } from './td3Specimens';

const TODAY = { year: 2025, month: 6, day: 1 };

const UTOPIA_PRINTED: PrintedFieldValues = {
	passport_number: 'L898902C3',
	surname: 'ERIKSSON',
	given_name: 'ANNA MARIA',
	sex: 'F',
	country_code: 'UTO',
	nationality: 'UTO',
	date_of_birth: '1974-08-12',
	date_of_expiry: '2012-04-15',
};

function run(
	change: PrintedFieldValues,
	lines: { line1?: string; line2?: string } = UTOPIA,
): Record<string, CheckOutcome> {
	const mrz = parseTd3(lines, TODAY);
	const outcomes = mrzChecks(mrz, readPrintedFields({ ...UTOPIA_PRINTED, ...change }));
	return Object.fromEntries(outcomes.map((outcome) => [outcome.check, outcome]));
}

describe('mrzChecks', () => {
	it('passes the Utopia specimen against its own printed page, check by check', () => {
		const outcomes = run({});
		expect(Object.keys(outcomes)).toEqual([
			'mrz_fields_valid',
			'mrz_check_digits_valid',
			'passport_number_matches_mrz',
			'surname_matches_mrz',
			'given_name_matches_mrz',
			'date_of_birth_matches_mrz',
			'date_of_expiry_matches_mrz',
			'sex_matches_mrz',
			'nationality_matches_mrz',
			'country_code_matches_mrz',
			'mrz_matches_printed',
		]);
		for (const outcome of Object.values(outcomes))
			expect(outcome).toMatchObject({ passed: true, problems: [] });
	});

	it.each([
		[
			'passport_number_matches_mrz',
			{ passport_number: 'L898902C4' },
			'Passport number L898902C4 does not match the MRZ, which has L898902C3',
		],
		[
			'surname_matches_mrz',
			{ surname: 'ERIKSON' },
			'Surname ERIKSON does not match the MRZ, which has ERIKSSON',
		],
		[
			'given_name_matches_mrz',
			{ given_name: 'ANNA MARIE' },
			'Given name ANNA MARIE does not match the MRZ, which has ANNA MARIA',
		],
		[
			'date_of_birth_matches_mrz',
			{ date_of_birth: '1974-08-21' },
			'Date of birth 1974-08-21 does not match the MRZ, which has 1974-08-12',
		],
		[
			'date_of_expiry_matches_mrz',
			{ date_of_expiry: '2012-05-15' },
			'Date of expiry 2012-05-15 does not match the MRZ, which has 2012-04-15',
		],
		['sex_matches_mrz', { sex: 'M' }, 'Sex M does not match the MRZ, which has F'],
		[
			'nationality_matches_mrz',
			{ nationality: 'SWE' },
			'Nationality SWE does not match the MRZ, which has UTO',
		],
		[
			'country_code_matches_mrz',
			{ country_code: 'SWE' },
			'Issuing country code SWE does not match the MRZ, which has UTO',
		],
	])('%s fails for %j, and so does mrz_matches_printed', (check, change, problem) => {
		const outcomes = run(change);
		expect(outcomes[check]).toEqual({ check, passed: false, problems: [problem] });
		expect(outcomes.mrz_matches_printed).toEqual({
			check: 'mrz_matches_printed',
			passed: false,
			problems: [],
		});
		expect(outcomes.mrz_fields_valid.passed && outcomes.mrz_check_digits_valid.passed).toBe(true);
	});

	it('compares names after transliteration', () => {
		const [line1, line2] = buildTd3({ ...UTOPIA_PARTS, name: 'MUELLER<SMITH<<JOSE<ANNA' });
		const outcomes = run({ surname: 'Müller-Smith', given_name: 'José Anna' }, { line1, line2 });
		expect(outcomes.surname_matches_mrz.passed && outcomes.given_name_matches_mrz.passed).toBe(
			true,
		);
	});

	it('compares dates on the six digits the MRZ holds, so a centenarian still matches', () => {
		const [line1, line2] = buildTd3({ ...UTOPIA_PARTS, birth: '200101' });
		const outcomes = run({ date_of_birth: '1920-01-01' }, { line1, line2 });
		expect(parseTd3({ line1, line2 }, TODAY).fields.date_of_birth.value).toBe('2020-01-01');
		expect(outcomes.date_of_birth_matches_mrz.passed).toBe(true);
	});

	it('matches the printed DEU and X with the MRZ D<< and <', () => {
		const outcomes = run(
			{
				passport_number: 'C01X00T47',
				surname: 'MUSTERMANN',
				given_name: 'ERIKA',
				country_code: 'DEU',
				nationality: 'D',
				date_of_birth: '1964-08-12',
				date_of_expiry: '2027-02-28',
			},
			GERMANY_2017,
		);
		expect(Object.values(outcomes).every((outcome) => outcome.passed)).toBe(true);
		const [line1, line2] = buildTd3({ ...UTOPIA_PARTS, sex: '<' });
		expect(run({ sex: 'X' }, { line1, line2 }).sex_matches_mrz.passed).toBe(true);
	});

	describe('comparisons that cannot be made are left out', () => {
		it('when the printed field is missing or not usable', () => {
			const outcomes = run({
				passport_number: null,
				sex: 'FEMALE',
				nationality: 'UTOPIAN',
				date_of_birth: '12.08.1974',
				surname: 'Эрикссон',
			});
			for (const check of [
				'passport_number_matches_mrz',
				'sex_matches_mrz',
				'nationality_matches_mrz',
				'date_of_birth_matches_mrz',
				'surname_matches_mrz',
			]) {
				expect(outcomes[check]).toBeUndefined();
			}
			expect(outcomes.mrz_matches_printed.passed).toBe(true);
		});

		it('when the MRZ field could not be decoded', () => {
			const [line1, line2] = buildTd3({ ...UTOPIA_PARTS, birth: '740231', sex: 'X' });
			const outcomes = run({}, { line1, line2 });
			expect(outcomes.date_of_birth_matches_mrz).toBeUndefined();
			expect(outcomes.sex_matches_mrz).toBeUndefined();
			expect(outcomes.mrz_fields_valid).toEqual({
				check: 'mrz_fields_valid',
				passed: false,
				problems: [
					'MRZ date of birth 740231 is not a real date',
					'MRZ sex X is not M, F or < (unspecified)',
				],
			});
		});

		it('without line 2: no check-digit check, no line-2 comparisons', () => {
			const outcomes = run({}, { line1: UTOPIA.line1 });
			expect(outcomes.mrz_check_digits_valid).toBeUndefined();
			expect(outcomes.passport_number_matches_mrz).toBeUndefined();
			expect(outcomes.surname_matches_mrz.passed).toBe(true);
			expect(outcomes.mrz_fields_valid).toEqual({
				check: 'mrz_fields_valid',
				passed: false,
				problems: ['MRZ line 2 is missing'],
			});
		});

		it('with nothing to compare, there is no summary either', () => {
			const outcomes = run({
				passport_number: null,
				surname: null,
				given_name: null,
				sex: null,
				nationality: null,
				country_code: null,
				date_of_birth: null,
				date_of_expiry: null,
			});
			expect(Object.keys(outcomes)).toEqual(['mrz_fields_valid', 'mrz_check_digits_valid']);
		});
	});
});
