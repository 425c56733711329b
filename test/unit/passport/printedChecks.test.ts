import type { CheckOutcome } from '../../../nodes/PassportOcr/passport/checkOutcome';
import { printedFieldChecks } from '../../../nodes/PassportOcr/passport/printedChecks';
import {
	type PrintedFieldValues,
	readPrintedFields,
} from '../../../nodes/PassportOcr/passport/printedFields';

const TODAY = { year: 2025, month: 6, day: 1 };

const GOOD: PrintedFieldValues = {
	passport_number: 'E47281935',
	sex: 'F',
	country_code: 'CHN',
	nationality: 'CHN',
	date_of_birth: '1990-03-14',
	date_of_expiry: '2029-06-19',
	date_of_issue: '2019-06-20',
};

function run(change: PrintedFieldValues, months = 6): Record<string, CheckOutcome> {
	const outcomes = printedFieldChecks(readPrintedFields({ ...GOOD, ...change }), TODAY, months);
	return Object.fromEntries(outcomes.map((outcome) => [outcome.check, outcome]));
}

const failed = (problem: string) => expect.objectContaining({ passed: false, problems: [problem] });

describe('printedFieldChecks', () => {
	it('passes every check on a good result', () => {
		const outcomes = run({});
		expect(Object.keys(outcomes)).toEqual([
			'passport_number_valid',
			'date_of_birth_valid',
			'date_of_expiry_valid',
			'date_of_issue_valid',
			'birth_in_past',
			'expiry_after_birth',
			'issue_between_birth_and_expiry',
			'sex_valid',
			'country_code_valid',
			'nationality_valid',
			'valid_for_min_months',
		]);
		for (const outcome of Object.values(outcomes))
			expect(outcome).toMatchObject({ passed: true, problems: [] });
	});

	it.each([
		['passport_number_valid', { passport_number: null }, 'Passport number is missing'],
		[
			'passport_number_valid',
			{ passport_number: 'E4728-1935' },
			'Passport number E4728-1935 is not 1 to 9 letters and digits',
		],
		[
			'passport_number_valid',
			{ passport_number: 'E472819351' },
			'Passport number E472819351 is not 1 to 9 letters and digits',
		],
		['date_of_birth_valid', { date_of_birth: '' }, 'Date of birth is missing'],
		[
			'date_of_birth_valid',
			{ date_of_birth: '14/03/1990' },
			'Date of birth 14/03/1990 is not in YYYY-MM-DD form',
		],
		[
			'date_of_expiry_valid',
			{ date_of_expiry: '2019-02-31' },
			'Date of expiry 2019-02-31 is not a real date',
		],
		[
			'date_of_expiry_valid',
			{ date_of_expiry: '2029-13-01' },
			'Date of expiry 2029-13-01 is not a real date',
		],
		[
			'date_of_issue_valid',
			{ date_of_issue: '2019-02-29' },
			'Date of issue 2019-02-29 is not a real date',
		],
		[
			'birth_in_past',
			{ date_of_birth: '2025-06-02' },
			'Date of birth 2025-06-02 is in the future (today is 2025-06-01)',
		],
		[
			'expiry_after_birth',
			{ date_of_expiry: '1990-03-14' },
			'Date of expiry 1990-03-14 is not after date of birth 1990-03-14',
		],
		[
			'issue_between_birth_and_expiry',
			{ date_of_issue: '1989-01-01' },
			'Date of issue 1989-01-01 is before date of birth 1990-03-14',
		],
		[
			'issue_between_birth_and_expiry',
			{ date_of_issue: '2029-06-20' },
			'Date of issue 2029-06-20 is after date of expiry 2029-06-19',
		],
		['sex_valid', { sex: null }, 'Sex is missing'],
		['sex_valid', { sex: 'female' }, 'Sex FEMALE is not M, F or X'],
		['sex_valid', { sex: '<' }, 'Sex < is not M, F or X'],
		[
			'country_code_valid',
			{ country_code: 'ETF' },
			'Issuing country code ETF is not an ICAO 9303 country code',
		],
		['country_code_valid', { country_code: undefined }, 'Issuing country code is missing'],
		[
			'nationality_valid',
			{ nationality: 'XXK' },
			'Nationality XXK is not an ICAO 9303 country code',
		],
		['nationality_valid', { nationality: null }, 'Nationality is missing'],
		[
			'valid_for_min_months',
			{ date_of_expiry: '2025-11-30' },
			'Date of expiry 2025-11-30 is too soon: it must be valid until at least 2025-12-01 (6 months from today)',
		],
		[
			'valid_for_min_months',
			{ date_of_expiry: '2022-01-15' },
			'The passport expired on 2022-01-15; it must be valid until at least 2025-12-01 (6 months from today)',
		],
	])('%s fails for %j', (check, change, problem) => {
		expect(run(change)[check]).toEqual(failed(problem));
	});

	it('accepts sex X and the non-ISO codes', () => {
		const outcomes = run({ sex: 'x', country_code: 'D', nationality: 'XXA' });
		expect(outcomes.sex_valid.passed && outcomes.country_code_valid.passed).toBe(true);
		expect(outcomes.nationality_valid.passed).toBe(true);
	});

	it('counts the minimum validity in calendar months, the last day included', () => {
		expect(run({ date_of_expiry: '2025-12-01' }).valid_for_min_months.passed).toBe(true);
		expect(run({ date_of_expiry: '2025-06-01' }, 0).valid_for_min_months.passed).toBe(true);
		expect(run({ date_of_expiry: '2025-05-31' }, 0).valid_for_min_months.passed).toBe(false);
		expect(run({ date_of_expiry: '2027-05-31' }, 24).valid_for_min_months.passed).toBe(false);
	});

	describe('checks that cannot be evaluated are left out, not failed', () => {
		it('without a date of issue, there is no issue check', () => {
			const outcomes = run({ date_of_issue: null });
			expect(outcomes.date_of_issue_valid).toBeUndefined();
			expect(outcomes.issue_between_birth_and_expiry).toBeUndefined();
		});

		it('a missing or broken date leaves out the checks that relate it to others', () => {
			const outcomes = run({ date_of_birth: null, date_of_expiry: '2029-02-30' });
			expect(outcomes.birth_in_past).toBeUndefined();
			expect(outcomes.expiry_after_birth).toBeUndefined();
			expect(outcomes.valid_for_min_months).toBeUndefined();
			expect(outcomes.issue_between_birth_and_expiry).toBeUndefined();
			expect(outcomes.date_of_birth_valid).toEqual(failed('Date of birth is missing'));
		});

		it('the issue date is compared with whichever bound is known', () => {
			const outcomes = run({ date_of_birth: null, date_of_issue: '2030-01-01' });
			expect(outcomes.issue_between_birth_and_expiry).toEqual(
				failed('Date of issue 2030-01-01 is after date of expiry 2029-06-19'),
			);
		});

		it('a nationality written in words is not checked against the codes', () => {
			expect(run({ nationality: 'Chinese' }).nationality_valid).toBeUndefined();
		});
	});
});
