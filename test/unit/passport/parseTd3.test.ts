import { parseTd3 } from '../../../nodes/PassportOcr/passport/parseTd3';
import {
	G42_EXAMPLE,
	GERMANY_2007,
	GERMANY_2017,
	NETHERLANDS_2014,
	type Td3Parts,
	UTOPIA,
	UTOPIA_PARTS,
	buildTd3,
	replaceAt,
} from './td3Specimens';

const TODAY = { year: 2025, month: 6, day: 1 };
const ok = (value: string) => ({ value, valid: true });
const parse = (line1?: string | null, line2?: string | null) => parseTd3({ line1, line2 }, TODAY);
const variant = (change: Partial<Td3Parts>) => {
	const [line1, line2] = buildTd3({ ...UTOPIA_PARTS, ...change });
	return parse(line1, line2);
};

describe('parseTd3 on published specimens', () => {
	it('reads the ICAO Doc 9303 Utopia specimen in full', () => {
		expect(parse(UTOPIA.line1, UTOPIA.line2)).toEqual({
			fields: {
				document_code: ok('P'),
				issuing_state: ok('UTO'),
				surname: ok('ERIKSSON'),
				given_names: ok('ANNA MARIA'),
				name_may_be_truncated: false,
				passport_number: ok('L898902C3'),
				nationality: ok('UTO'),
				date_of_birth: ok('1974-08-12'),
				sex: ok('F'),
				date_of_expiry: ok('2012-04-15'),
				optional_data: ok('ZE184226B'),
			},
			check_digits: {
				passport_number: { expected: '6', found: '6', valid: true },
				date_of_birth: { expected: '2', found: '2', valid: true },
				date_of_expiry: { expected: '9', found: '9', valid: true },
				optional_data: { expected: '1', found: '1', valid: true },
				composite: { expected: '0', found: '0', valid: true },
			},
			fields_valid: true,
			check_digits_valid: true,
			normalised_lines: [UTOPIA.line1, UTOPIA.line2],
			repairs: [],
			corrections: [],
			lines_read: [true, true],
			problems: [],
			check_digit_problems: [],
		});
	});

	it.each([
		[GERMANY_2007, 'D', 'MUSTERMANN', 'ERIKA', 'C01X0006H', '1964-08-12', '2017-10-31', ''],
		[GERMANY_2017, 'D', 'MUSTERMANN', 'ERIKA', 'C01X00T47', '1964-08-12', '2027-02-28', ''],
		[
			NETHERLANDS_2014,
			'NLD',
			'DE BRUIJN',
			'WILLEKE LISELOTTE',
			'SPECI2014',
			'1965-03-10',
			'2024-03-09',
			'999999990',
		],
	])(
		'reads published specimen %#: issuing state %s, %s %s',
		({ line1, line2 }, state, surname, given, number, birth, expiry, optional) => {
			const result = parse(line1, line2);
			expect(result.fields).toMatchObject({
				issuing_state: ok(state),
				nationality: ok(state),
				surname: ok(surname),
				given_names: ok(given),
				passport_number: ok(number),
				date_of_birth: ok(birth),
				sex: ok('F'),
				date_of_expiry: ok(expiry),
				optional_data: ok(optional),
			});
			expect(result.fields_valid && result.check_digits_valid).toBe(true);
			expect([...result.problems, ...result.check_digit_problems]).toEqual([]);
		},
	);
});

describe('parseTd3 on the G42 example (§2.1b)', () => {
	const result = parse(G42_EXAMPLE.line1, G42_EXAMPLE.line2);

	it('cleans the stray spaces and reads the name', () => {
		expect(result.normalised_lines[0]).toBe('P<ETFHUZHAO<<ZHAOMIN<DESALEGN<<<<<<<<<<<<<<<');
		expect(result.corrections).toEqual([{ line: 1, change: 'removed 2 spaces' }]);
		expect(result.fields.surname).toEqual(ok('HUZHAO'));
		expect(result.fields.given_names).toEqual(ok('ZHAOMIN DESALEGN'));
	});

	it('reports ETF, which is not an ICAO code, for both issuing state and nationality', () => {
		expect(result.problems).toEqual([
			'MRZ issuing state ETF is not an ICAO 9303 country code',
			'MRZ nationality ETF is not an ICAO 9303 country code',
		]);
	});

	it('reports the masked digits through the passport number and composite check digits', () => {
		expect(result.check_digits.passport_number).toEqual({
			expected: '9',
			found: '7',
			valid: false,
		});
		expect(result.check_digits.composite).toEqual({ expected: '0', found: '8', valid: false });
		expect(result.check_digit_problems).toEqual([
			'MRZ passport number check digit is 7, but passport number EP435XXXX gives 9',
			'MRZ composite check digit is 8, but the rest of line 2 gives 0',
		]);
	});

	it('still reads the fields the masking does not touch', () => {
		expect(result.fields).toMatchObject({
			passport_number: ok('EP435XXXX'),
			date_of_birth: ok('1985-09-18'),
			sex: ok('M'),
			date_of_expiry: ok('2022-01-15'),
		});
		expect(
			result.check_digits.date_of_birth.valid && result.check_digits.date_of_expiry.valid,
		).toBe(true);
	});
});

describe('parseTd3 on broken variants (check digits recomputed, so one thing is wrong)', () => {
	it.each([
		['31 February', { birth: '740231' }, 'MRZ date of birth 740231 is not a real date'],
		['29 February 2023', { expiry: '230229' }, 'MRZ date of expiry 230229 is not a real date'],
		['month 13', { birth: '741312' }, 'MRZ date of birth 741312 is not a real date'],
		['day 0', { expiry: '120400' }, 'MRZ date of expiry 120400 is not a real date'],
		[
			'an unknown issuing state',
			{ issuingState: 'ZZZ' },
			'MRZ issuing state ZZZ is not an ICAO 9303 country code',
		],
		[
			'an unknown nationality',
			{ nationality: 'XXK' },
			'MRZ nationality XXK is not an ICAO 9303 country code',
		],
		['sex X', { sex: 'X' }, 'MRZ sex X is not M, F or < (unspecified)'],
		[
			'a visa document code',
			{ documentCode: 'V<' },
			'MRZ document code V< does not start with P, so it is not a passport MRZ',
		],
		[
			'a digit in the name',
			{ name: 'ERIK5SON<<ANNA<MARIA' },
			'MRZ name ERIK5SON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<< may hold only letters and <',
		],
		[
			'a letter in a date',
			{ birth: '74O812' },
			'MRZ date of birth 74O812 may hold only digits and <',
		],
	])('reports %s and nothing else', (_, change, problem) => {
		const result = variant(change);
		expect(result.problems).toEqual([problem]);
		expect(result.fields_valid).toBe(false);
		expect(result.check_digits_valid).toBe(true);
	});

	it('reads sex < as X', () => {
		expect(variant({ sex: '<' }).fields.sex).toEqual(ok('X'));
	});

	it('flags a name that fills line 1 as possibly truncated', () => {
		const result = variant({ name: 'ERIKSSON<<ANNA<MARIA<CHRISTINA<ELISABETH' });
		expect(result.normalised_lines[0].endsWith('<ELISABET')).toBe(true);
		expect(result.fields.given_names).toEqual(ok('ANNA MARIA CHRISTINA ELISABET'));
		expect(result.fields.name_may_be_truncated).toBe(true);
		expect(result.problems).toEqual([]);
	});

	it('keeps the value of a field with a stray character, beside its problem', () => {
		expect(parse(UTOPIA.line1, replaceAt(UTOPIA.line2, 6, '-')).fields.passport_number).toEqual({
			value: 'L8989-2C3',
			valid: false,
			problem: 'MRZ passport number L8989-2C3 may hold only letters, digits and <',
		});
	});
});

describe('parseTd3 on missing and malformed lines', () => {
	it('reads line 1 alone and reports line 2 once', () => {
		const result = parse(UTOPIA.line1, undefined);
		expect(result.fields.surname).toEqual(ok('ERIKSSON'));
		expect(result.fields.passport_number).toEqual({ value: null, valid: false });
		expect(result.problems).toEqual(['MRZ line 2 is missing']);
		expect(result.lines_read).toEqual([true, false]);
		expect(result.check_digit_problems).toEqual([]);
		expect(result.check_digits.composite).toEqual({ expected: null, found: null, valid: false });
		expect(result.normalised_lines).toEqual([UTOPIA.line1, '']);
	});

	it('reads line 2 alone and reports line 1 once', () => {
		const result = parse('  ', UTOPIA.line2);
		expect(result.fields.name_may_be_truncated).toBeNull();
		expect(result.fields.date_of_birth).toEqual(ok('1974-08-12'));
		expect(result.problems).toEqual(['MRZ line 1 is missing']);
		expect(result.check_digits_valid).toBe(true);
		expect(result.fields_valid).toBe(false);
	});

	it('does not read a line whose length is still wrong after clean-up', () => {
		const result = parse(UTOPIA.line1, UTOPIA.line2.slice(0, 40));
		expect(result.problems).toEqual([
			'MRZ line 2 has 40 characters after clean-up; a passport MRZ line has 44, so its fields were not read',
		]);
		expect(result.fields.sex).toEqual({ value: null, valid: false });
	});

	it('fixes a line one filler short and says so', () => {
		const result = parse(UTOPIA.line1.slice(0, 43), UTOPIA.line2);
		expect(result.corrections).toEqual([
			{ line: 1, change: 'line had 43 characters; added a < at position 44' },
		]);
		expect(result.fields_valid && result.check_digits_valid).toBe(true);
	});

	it('reports characters outside the MRZ set in the field they land in', () => {
		const result = parse(UTOPIA.line1, replaceAt(UTOPIA.line2, 15, '#'));
		expect(result.problems).toEqual(['MRZ date of birth 7#0812 may hold only digits and <']);
		expect(result.check_digits.date_of_birth.expected).toBeNull();
	});

	it.each([
		['empty strings', '', ''],
		['text that is not an MRZ', 'Passport of Utopia', 'ERIKSSON, Anna Maria'],
		['symbols', '€'.repeat(44), '\u0000'.repeat(44)],
	])('reports, without throwing, on %s', (_, line1, line2) => {
		const result = parse(line1, line2);
		expect(result.fields_valid).toBe(false);
		expect(result.problems.length).toBeGreaterThan(0);
	});
});
