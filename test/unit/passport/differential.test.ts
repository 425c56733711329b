/**
 * Differential tests against the `mrz` package (cheminfo/mrz 5.0.2, a devDependency only): thousands of
 * generated valid lines, then the same lines with one character changed. Where the two disagree on purpose,
 * `documentedDeviation` names the reason, and the "deviations" block shows each one on a concrete line.
 */

import fc from 'fast-check';
import { type FieldName, type ParseResult, parse, states } from 'mrz';

import {
	ICAO_CODES_OUTSIDE_ISO,
	ISO_3166_CODES,
	isIcaoCountryCode,
} from '../../../nodes/PassportOcr/passport/countryCodes';
import { type Td3Result, parseTd3 } from '../../../nodes/PassportOcr/passport/parseTd3';
import { TODAY, substitution, td3Parts } from './td3Arbitraries';
import { UTOPIA, UTOPIA_PARTS, buildTd3, replaceAt } from './td3Specimens';

const OUR_CODES = [...ISO_3166_CODES, ...Object.keys(ICAO_CODES_OUTSIDE_ISO)];
const THEIR_CODES = Object.keys(states);
const SHARED_CODES = OUR_CODES.filter((code) => THEIR_CODES.includes(code));

/** Our verdict names, and the `mrz` fields that make up the same verdict. */
const VERDICTS: Record<string, FieldName[]> = {
	document_code: ['documentCode'],
	issuing_state: ['issuingState'],
	name: ['lastName', 'firstName'],
	passport_number: ['documentNumber'],
	passport_number_check: ['documentNumberCheckDigit'],
	nationality: ['nationality'],
	date_of_birth: ['birthDate'],
	date_of_birth_check: ['birthDateCheckDigit'],
	sex: ['sex'],
	date_of_expiry: ['expirationDate'],
	date_of_expiry_check: ['expirationDateCheckDigit'],
	optional_data: ['personalNumber'],
	optional_data_check: ['personalNumberCheckDigit'],
	composite_check: ['compositeCheckDigit'],
};

function ourVerdicts({ fields, check_digits: digits }: Td3Result): Record<string, boolean> {
	return {
		document_code: fields.document_code.valid,
		issuing_state: fields.issuing_state.valid,
		name: fields.surname.valid && fields.given_names.valid,
		passport_number: fields.passport_number.valid,
		passport_number_check: digits.passport_number.valid,
		nationality: fields.nationality.valid,
		date_of_birth: fields.date_of_birth.valid,
		date_of_birth_check: digits.date_of_birth.valid,
		sex: fields.sex.valid,
		date_of_expiry: fields.date_of_expiry.valid,
		date_of_expiry_check: digits.date_of_expiry.valid,
		optional_data: fields.optional_data.valid,
		optional_data_check: digits.optional_data.valid,
		composite_check: digits.composite.valid,
	};
}

function theirVerdicts(result: ParseResult): Record<string, boolean> {
	const valid = (field: FieldName) =>
		result.details.find((detail) => detail.field === field)?.valid;
	return Object.fromEntries(
		Object.entries(VERDICTS).map(([verdict, fields]) => [
			verdict,
			fields.every((f) => valid(f) === true),
		]),
	);
}

const yymmdd = (iso: string | null) => iso && iso.slice(2).replace(/-/g, '');
const SEX_WORDS: Record<string, string> = { M: 'male', F: 'female', X: 'nonspecified' };

/** Our values in `mrz`'s vocabulary: raw YYMMDD dates, sex in words. */
function ourValues({ fields }: Td3Result) {
	return {
		documentCode: fields.document_code.value,
		issuingState: fields.issuing_state.value,
		lastName: fields.surname.value,
		firstName: fields.given_names.value,
		documentNumber: fields.passport_number.value,
		nationality: fields.nationality.value,
		birthDate: yymmdd(fields.date_of_birth.value),
		sex: SEX_WORDS[fields.sex.value ?? ''],
		expirationDate: yymmdd(fields.date_of_expiry.value),
		personalNumber: fields.optional_data.value,
	};
}

/**
 * Why the two may disagree on a verdict, or null where they must agree:
 * - country codes: Doc 9303 Part 3 has UTO (specimens) and XMP, which `mrz` lacks; `mrz` has XXK, which
 *   Doc 9303 does not (Kosovo is RKS);
 * - dates: `mrz` checks only month 1-12 and day 1-31 (31 February passes) and takes `<` as an unknown part;
 *   we accept real calendar dates only;
 * - passport number: `mrz` does not check it; we reject a `<` inside it (the check digit cannot tell `<`
 *   from `0`) and an empty one;
 * - name: `mrz` wants at least one character after the first `<<`, so it rejects a surname-only name whose
 *   `<<` is the last pair of fillers; Part 4 allows a name without given names;
 * - repairs: we read a confusable character otherwise where the check digits prove it (mrzRepairs.ts); `mrz`
 *   repairs nothing unless asked to autocorrect.
 */
function documentedDeviation(verdict: string, ours: Td3Result): string | null {
	const { fields } = ours;
	if (ours.repairs.length > 0) return 'we repair what the check digits prove';
	if (verdict === 'name') {
		const name = ours.normalised_lines[0].slice(5);
		return name.indexOf('<<') === name.length - 2 ? 'mrz wants given names' : null;
	}
	if (verdict === 'issuing_state' || verdict === 'nationality') {
		const code = fields[verdict].value ?? '';
		return isIcaoCountryCode(code) !== code in states ? `code lists differ on ${code}` : null;
	}
	if (verdict === 'date_of_birth' || verdict === 'date_of_expiry') {
		const problem = fields[verdict].problem ?? '';
		if (problem.endsWith('is not a real date')) return 'mrz accepts dates that do not exist';
		return problem.includes('<') ? 'mrz accepts < for unknown date parts' : null;
	}
	if (verdict === 'passport_number') {
		const number = fields.passport_number.value ?? '';
		return number === '' || number.includes('<') ? 'mrz does not check the number itself' : null;
	}
	return null;
}

describe('differential tests against the mrz package', () => {
	it('shares every country code with mrz except the documented ones', () => {
		expect(OUR_CODES.filter((code) => !THEIR_CODES.includes(code)).sort()).toEqual(['UTO', 'XMP']);
		expect(THEIR_CODES.filter((code) => !OUR_CODES.includes(code))).toEqual(['XXK']);
	});

	it('agrees on 3000 generated valid lines: all valid, same values', () => {
		fc.assert(
			fc.property(td3Parts(SHARED_CODES), fc.boolean(), (parts, fillerDigit) => {
				const [line1, built] = buildTd3(parts);
				// Part 4 lets an empty optional data field carry < as its check digit instead of 0.
				const line2 = parts.optional === '' && fillerDigit ? replaceAt(built, 43, '<') : built;
				const ours = parseTd3({ line1, line2 }, TODAY);
				const theirs = parse([line1, line2]);
				expect(ours.fields_valid && ours.check_digits_valid).toBe(true);
				expect(theirs.valid).toBe(true);
				expect(ourValues(ours)).toEqual(
					Object.fromEntries(
						Object.keys(ourValues(ours)).map((key) => [key, theirs.fields[key as FieldName]]),
					),
				);
			}),
			{ numRuns: 3000, seed: 9303 },
		);
	});

	it('agrees field by field on 5000 lines with one character changed, except where documented', () => {
		const reasons = new Map<string, number>();
		let disagreements = 0;
		fc.assert(
			fc.property(td3Parts(SHARED_CODES), substitution, (parts, { line, position, char }) => {
				const lines = buildTd3(parts);
				lines[line - 1] = replaceAt(lines[line - 1], position, char);
				const ours = parseTd3({ line1: lines[0], line2: lines[1] }, TODAY);
				const theirs = parse(lines);
				const mine = ourVerdicts(ours);
				const other = theirVerdicts(theirs);
				for (const verdict of Object.keys(VERDICTS)) {
					if (mine[verdict] === other[verdict]) continue;
					const reason = documentedDeviation(verdict, ours);
					expect({ verdict, lines, reason }).toEqual({
						verdict,
						lines,
						reason: expect.any(String),
					});
					reasons.set(reason ?? '', (reasons.get(reason ?? '') ?? 0) + 1);
					disagreements++;
				}
				if (Object.keys(VERDICTS).every((verdict) => mine[verdict] === other[verdict])) {
					expect(ours.fields_valid && ours.check_digits_valid).toBe(theirs.valid);
				}
			}),
			{ numRuns: 5000, seed: 9303 },
		);
		// The corruptions do reach the deviations, so the agreement above is not agreement by omission.
		expect(reasons.get('mrz does not check the number itself')).toBeGreaterThan(0);
		expect(reasons.get('mrz accepts < for unknown date parts')).toBeGreaterThan(0);
		expect(disagreements).toBeLessThan(500);
	});
});

describe('differential tests on dates', () => {
	const DATE_POSITIONS = [14, 15, 16, 17, 18, 19, 22, 23, 24, 25, 26, 27];

	it('agrees on 3000 dates with one digit changed, except dates that do not exist', () => {
		let nonExistent = 0;
		fc.assert(
			fc.property(
				td3Parts(SHARED_CODES),
				fc.constantFrom(...DATE_POSITIONS),
				fc.constantFrom(...'0123456789'.split('')),
				(parts, position, digit) => {
					const [line1, built] = buildTd3(parts);
					const line2 = replaceAt(built, position, digit);
					const field = position < 20 ? 'date_of_birth' : 'date_of_expiry';
					const ours = parseTd3({ line1, line2 }, TODAY).fields[field];
					const theirs = theirVerdicts(parse([line1, line2]))[field];
					if (ours.valid === theirs) return;
					expect({ line2, ours, theirs }).toEqual({
						line2,
						ours: {
							value: null,
							valid: false,
							problem: expect.stringMatching(/is not a real date$/),
						},
						theirs: true,
					});
					nonExistent++;
				},
			),
			{ numRuns: 3000, seed: 9303 },
		);
		expect(nonExistent).toBeGreaterThan(0);
	});
});

describe('deviations from mrz, each on purpose', () => {
	/** The Utopia specimen's fields under a code both lists have, so only the change under test differs. */
	const PARTS = { ...UTOPIA_PARTS, issuingState: 'NLD', nationality: 'NLD' };
	const both = (line1: string, line2: string) => ({
		ours: parseTd3({ line1, line2 }, TODAY),
		theirs: parse([line1, line2]),
	});
	const theirDetail = (result: ParseResult, field: FieldName) =>
		result.details.find((detail) => detail.field === field);

	it('31 February: mrz accepts it, we report it (Doc 9303 dates are calendar dates)', () => {
		const { ours, theirs } = both(...buildTd3({ ...PARTS, birth: '740231' }));
		expect(theirs.valid).toBe(true);
		expect(theirs.fields.birthDate).toBe('740231');
		expect(ours.problems).toEqual(['MRZ date of birth 740231 is not a real date']);
	});

	it('UTO: mrz rejects the Doc 9303 specimen code, we accept it (Part 3 lists it)', () => {
		const { ours, theirs } = both(UTOPIA.line1, UTOPIA.line2);
		expect(theirDetail(theirs, 'issuingState')?.error).toBe('invalid state code: UTO');
		expect(theirs.valid).toBe(false);
		expect(ours.fields.issuing_state).toEqual({ value: 'UTO', valid: true });
		expect(ours.fields_valid).toBe(true);
	});

	it('XMP: mrz lacks this Part 3 code, we accept it', () => {
		const { ours, theirs } = both(...buildTd3({ ...PARTS, nationality: 'XMP' }));
		expect(theirDetail(theirs, 'nationality')?.valid).toBe(false);
		expect(ours.fields.nationality.valid).toBe(true);
	});

	it('XXK: mrz accepts it, we report it (Doc 9303 writes Kosovo as RKS)', () => {
		const { ours, theirs } = both(...buildTd3({ ...PARTS, nationality: 'XXK' }));
		expect(theirs.valid).toBe(true);
		expect(ours.problems).toEqual(['MRZ nationality XXK is not an ICAO 9303 country code']);
	});

	it('sex: both accept <, which mrz calls nonspecified and we print as X; both reject X', () => {
		const filler = both(...buildTd3({ ...PARTS, sex: '<' }));
		expect(filler.theirs.fields.sex).toBe('nonspecified');
		expect(filler.ours.fields.sex).toEqual({ value: 'X', valid: true });
		const x = both(...buildTd3({ ...PARTS, sex: 'X' }));
		expect(theirDetail(x.theirs, 'sex')?.error).toBe('invalid sex: X. Must be M, F or <.');
		expect(x.ours.fields.sex.valid).toBe(false);
	});

	it('unknown date parts: both accept 7408<< and 74<<<<; a < anywhere else only mrz accepts', () => {
		const dayUnknown = both(...buildTd3({ ...PARTS, birth: '7408<<' }));
		expect(theirDetail(dayUnknown.theirs, 'birthDate')?.valid).toBe(true);
		expect(dayUnknown.ours.fields.date_of_birth).toEqual({ value: '1974-08', valid: true });
		const monthUnknown = both(...buildTd3({ ...PARTS, birth: '74<<<<' }));
		expect(monthUnknown.ours.fields.date_of_birth).toEqual({ value: '1974', valid: true });
		const middle = both(...buildTd3({ ...PARTS, birth: '74<<12' }));
		expect(theirDetail(middle.theirs, 'birthDate')?.valid).toBe(true);
		expect(middle.ours.fields.date_of_birth).toEqual({
			value: null,
			valid: false,
			problem: 'MRZ date of birth 74<<12 is not a YYMMDD date',
		});
	});

	it('a < inside the passport number: mrz accepts it, we report it', () => {
		const { ours, theirs } = both(...buildTd3({ ...PARTS, number: 'L89890<C3' }));
		expect(theirs.fields.documentNumber).toBe('L89890 C3');
		expect(ours.fields.passport_number.problem).toBe(
			'MRZ passport number L89890<C3 has a < inside it',
		);
	});

	it('a < passport-number check digit: both report it (mrz keeps the TD1 long-number rule out of TD3)', () => {
		const [line1, built] = buildTd3({ ...PARTS, number: 'D23145890', optional: '7349' });
		const { ours, theirs } = both(line1, replaceAt(built, 10, '<'));
		expect(theirDetail(theirs, 'documentNumberCheckDigit')?.valid).toBe(false);
		expect(ours.check_digits.passport_number).toEqual({ expected: '7', found: '<', valid: false });
	});

	it('a surname-only name ending in <<: mrz rejects it, we read a surname alone', () => {
		const name = `${'ABCDEFGH<'.repeat(4)}A<<`;
		const { ours, theirs } = both(...buildTd3({ ...PARTS, name }));
		expect(theirDetail(theirs, 'firstName')?.valid).toBe(false);
		expect(ours.fields.surname).toEqual({
			value: 'ABCDEFGH ABCDEFGH ABCDEFGH ABCDEFGH A',
			valid: true,
		});
		expect(ours.fields.given_names).toEqual({ value: '', valid: true });
	});

	it('a name without <<: mrz repeats it as given names, we read a surname alone', () => {
		const name = 'ABCDEFGHIJ<KLMNOPQRST<UVWXYZABCD<EFGHIJK';
		const { ours, theirs } = both(...buildTd3({ ...PARTS, name }));
		expect(theirs.fields.firstName).toBe(theirs.fields.lastName);
		expect(ours.fields.given_names.value).toBe('');
		expect(ours.fields.name_may_be_truncated).toBe(true);
	});

	it('a line one character short: mrz throws, we add the filler and say so', () => {
		const short = UTOPIA.line1.slice(0, 43);
		expect(() => parse([short, UTOPIA.line2])).toThrow('it has a length of 43');
		expect(parseTd3({ line1: short, line2: UTOPIA.line2 }, TODAY).corrections).toHaveLength(1);
	});
});
