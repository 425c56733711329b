/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { PassportResult } from '../../../nodes/PassportOcr/contract/passportApi';
import {
	type PassportCheckOptions,
	checkPassport,
} from '../../../nodes/PassportOcr/passport/passportChecks';
import { G42_EXAMPLE, UTOPIA } from './td3Specimens';

const at = (iso: string, minValidityMonths = 6): PassportCheckOptions => ({
	today: new Date(`${iso}T12:00:00Z`),
	minValidityMonths,
});

/** A recorded answer of the emulator, the same one the engine tests replay. */
function emulatorResult(name: string): PassportResult {
	const file = join(__dirname, '../../emulator/fixtures', `${name}.json`);
	return (JSON.parse(readFileSync(file, 'utf8')) as { response: { result: PassportResult } })
		.response.result;
}

const UTOPIA_FIELDS = {
	passport_type: 'P',
	country_code: 'UTO',
	passport_number: 'L898902C3',
	nationality: 'UTO',
	surname: 'ERIKSSON',
	given_name: 'ANNA MARIA',
	sex: 'F',
	date_of_birth: '1974-08-12',
	date_of_expiry: '2012-04-15',
};

describe('checkPassport on the G42 example answer (§2.1b)', () => {
	const report = checkPassport(
		G42_EXAMPLE.fields,
		{ line1: G42_EXAMPLE.line1, line2: G42_EXAMPLE.line2 },
		G42_EXAMPLE.confidence,
		at('2025-06-01'),
	);

	it('reports ETF, the masked digits and the expiry, and nothing that is fine', () => {
		expect(report.checks).toEqual({
			valid: false,
			passport_number_valid: true,
			date_of_birth_valid: true,
			date_of_expiry_valid: true,
			birth_in_past: true,
			expiry_after_birth: true,
			sex_valid: true,
			country_code_valid: false,
			nationality_valid: false,
			valid_for_min_months: false,
			not_specimen: true,
			mrz_fields_valid: false,
			mrz_check_digits_valid: false,
			passport_number_matches_mrz: true,
			surname_matches_mrz: true,
			given_name_matches_mrz: true,
			date_of_birth_matches_mrz: true,
			date_of_expiry_matches_mrz: true,
			sex_matches_mrz: true,
			country_code_matches_mrz: true,
			mrz_matches_printed: true,
			problems: [
				'Issuing country code ETF is not an ICAO 9303 country code',
				'Nationality is missing',
				'The passport expired on 2022-01-15; it must be valid until at least 2025-12-01 (6 months from today)',
				'MRZ issuing state ETF is not an ICAO 9303 country code',
				'MRZ nationality ETF is not an ICAO 9303 country code',
				'MRZ passport number check digit is 7, but passport number EP435XXXX gives 9',
				'MRZ composite check digit is 8, but the rest of line 2 gives 0',
			],
		});
	});

	it('gives the parsed MRZ with its check digits and the clean-up it made', () => {
		expect(report.mrz).toEqual({
			document_code: 'P',
			issuing_state: 'ETF',
			surname: 'HUZHAO',
			given_names: 'ZHAOMIN DESALEGN',
			name_may_be_truncated: false,
			passport_number: 'EP435XXXX',
			nationality: 'ETF',
			date_of_birth: '1985-09-18',
			sex: 'M',
			date_of_expiry: '2022-01-15',
			optional_data: '',
			check_digits: {
				passport_number: { expected: '9', found: '7', valid: false },
				date_of_birth: { expected: '5', found: '5', valid: true },
				date_of_expiry: { expected: '5', found: '5', valid: true },
				optional_data: { expected: '0', found: '0', valid: true },
				composite: { expected: '0', found: '8', valid: false },
			},
			normalised_lines: [
				'P<ETFHUZHAO<<ZHAOMIN<DESALEGN<<<<<<<<<<<<<<<',
				'EP435XXXX7ETF8509185M2201155<<<<<<<<<<<<<<08',
			],
			corrections: [{ line: 1, change: 'removed 2 spaces' }],
		});
	});

	it('computes age, expiry and the lowest confidence', () => {
		expect(report).toMatchObject({
			age: 39,
			is_expired: true,
			days_to_expiry: -1233,
			lowest_confidence: 0.9558,
			lowest_confidence_field: 'passport_number',
		});
	});

	it('is plain JSON', () => {
		expect(JSON.parse(JSON.stringify(report))).toEqual(report);
	});
});

const SPECIMEN_PROBLEM =
	"This is a specimen document, not a real person's passport: its country is UTO (Utopia), ICAO 9303's example state, and its number L898902C3 is ICAO 9303's example passport";

describe('checkPassport on the Utopia specimen', () => {
	it('passes every check but one while the specimen was valid: it is a specimen, so it is reviewed', () => {
		const report = checkPassport(UTOPIA_FIELDS, UTOPIA, undefined, at('2010-06-01'));
		expect(report.checks).toMatchObject({
			valid: false,
			not_specimen: false,
			mrz_check_digits_valid: true,
			mrz_matches_printed: true,
		});
		expect(report.checks.problems).toEqual([SPECIMEN_PROBLEM]);
		expect(report).toMatchObject({ age: 35, is_expired: false, days_to_expiry: 684 });
	});

	it('depends only on the injected day: the same answer later is expired', () => {
		const report = checkPassport(UTOPIA_FIELDS, UTOPIA, undefined, at('2012-04-16', 0));
		expect(report.checks.valid_for_min_months).toBe(false);
		expect(report).toMatchObject({ is_expired: true, days_to_expiry: -1 });
		expect(checkPassport(UTOPIA_FIELDS, UTOPIA, undefined, at('2012-04-15', 0))).toMatchObject({
			checks: { valid_for_min_months: true, problems: [SPECIMEN_PROBLEM] },
			is_expired: false,
			days_to_expiry: 0,
		});
	});
});

describe('checkPassport on recorded emulator answers', () => {
	it('passes the Chinese passport, which has no MRZ lines, without any MRZ checks', () => {
		const result = emulatorResult('china-qian');
		const report = checkPassport(result, undefined, result.confidence, at('2025-06-01'));
		expect(report.checks).toMatchObject({ valid: true, date_of_issue_valid: true, problems: [] });
		expect(Object.keys(report.checks).filter((key) => key.includes('mrz'))).toEqual([]);
		expect(report.mrz).toBeUndefined();
		expect(report).toMatchObject({
			age: 35,
			lowest_confidence: 0.9316,
			lowest_confidence_field: 'place_of_birth',
		});
	});

	it('reports what the Dutch answer lacks and still checks the one MRZ line it has', () => {
		const result = emulatorResult('netherlands-van-den-broek');
		const lines = { line1: result.machine_code, line2: result.machine_code2 };
		const report = checkPassport(result, lines, result.confidence, at('2025-06-01'));
		expect(report.checks.problems).toEqual([
			'Date of expiry is missing',
			'Sex is missing',
			// Only MRZ line 2 holds the nationality, and it was not read: nothing provides it.
			'Nationality is missing',
			'MRZ line 2 is missing',
		]);
		expect(report.checks).toMatchObject({
			surname_matches_mrz: true,
			given_name_matches_mrz: true,
			country_code_matches_mrz: true,
			mrz_matches_printed: true,
		});
		expect(report.checks.mrz_check_digits_valid).toBeUndefined();
		expect(report).toMatchObject({ is_expired: null, days_to_expiry: null });
	});
});

describe('checkPassport inputs', () => {
	it('treats blank MRZ lines as no MRZ', () => {
		const report = checkPassport(
			UTOPIA_FIELDS,
			{ line1: ' ', line2: '' },
			undefined,
			at('2010-06-01'),
		);
		expect(report.mrz).toBeUndefined();
		expect(report.checks.mrz_fields_valid).toBeUndefined();
	});

	it('gives null computed values for missing or impossible dates', () => {
		const report = checkPassport(
			{ date_of_birth: '2030-01-01' },
			undefined,
			undefined,
			at('2025-06-01'),
		);
		expect(report).toMatchObject({ age: null, is_expired: null, days_to_expiry: null });
		expect(report.checks.birth_in_past).toBe(false);
	});

	it('takes the lowest finite confidence, the first on a tie', () => {
		const confidence = { surname: 0.9, sex: Number.NaN, given_name: 0.8, country_code: 0.8 };
		const report = checkPassport({}, undefined, confidence, at('2025-06-01'));
		expect(report).toMatchObject({ lowest_confidence: 0.8, lowest_confidence_field: 'given_name' });
		expect(checkPassport({}, undefined, {}, at('2025-06-01')).lowest_confidence).toBeNull();
	});

	it('reports an empty answer field by field, without throwing', () => {
		const report = checkPassport({}, undefined, undefined, at('2025-06-01'));
		expect(report.checks.problems).toEqual([
			'Passport number is missing',
			'Date of birth is missing',
			'Date of expiry is missing',
			'Sex is missing',
			'Issuing country code is missing',
			'Nationality is missing',
		]);
	});

	it.each([
		[{ today: new Date('not a date'), minValidityMonths: 6 }, 'options.today must be a valid Date'],
		[
			{ today: new Date(), minValidityMonths: -1 },
			'options.minValidityMonths must be a whole number of 0 or more, not -1',
		],
		[
			{ today: new Date(), minValidityMonths: 1.5 },
			'options.minValidityMonths must be a whole number of 0 or more, not 1.5',
		],
	])('rejects bad options with a RangeError (%#)', (options, message) => {
		expect(() => checkPassport({}, undefined, undefined, options)).toThrow(new RangeError(message));
	});
});
