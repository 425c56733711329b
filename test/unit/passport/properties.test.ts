import fc from 'fast-check';

import { characterValue } from '../../../nodes/PassportOcr/passport/checkDigit';
import {
	addYears,
	compareDates,
	formatIsoDate,
	readMrzDate,
} from '../../../nodes/PassportOcr/passport/dates';
import { normaliseMrzLine } from '../../../nodes/PassportOcr/passport/mrzNormalise';
import { parseTd3 } from '../../../nodes/PassportOcr/passport/parseTd3';
import { readCheckDigits } from '../../../nodes/PassportOcr/passport/td3CheckDigits';
import { checkPassport } from '../../../nodes/PassportOcr/passport/passportChecks';
import {
	TD3_CHECK_DIGITS,
	type Td3CheckDigitName,
} from '../../../nodes/PassportOcr/passport/td3Fields';
import { mrzNameForms, nameMatchesMrz } from '../../../nodes/PassportOcr/passport/transliteration';
import { ISO_3166_CODES } from '../../../nodes/PassportOcr/passport/countryCodes';
import { DIGITS, LETTERS, MRZ_CHARACTERS, TODAY, td3Parts } from './td3Arbitraries';
import { buildTd3, replaceAt } from './td3Specimens';

const RUNS = { numRuns: 2000, seed: 9303 };

/** Any text at all, astral characters, controls and lone surrogates included. */
const anyText = fc.string({ unit: 'binary', maxLength: 120 });
/** Text close to an MRZ line: its alphabet plus noise, around 44 characters. */
const nearMrz = fc.string({
	unit: fc.constantFrom(...MRZ_CHARACTERS, ' ', 'a', 'z', '«', '-', '\n'),
	minLength: 40,
	maxLength: 48,
});
const optionalText = fc.option(fc.oneof(anyText, nearMrz), { nil: undefined });

/** The field a line-2 position belongs to, for the fields a check digit covers. */
const COVERED: Array<[Td3CheckDigitName, number, number]> = [
	['passport_number', 1, 9],
	['date_of_birth', 14, 19],
	['date_of_expiry', 22, 27],
	['optional_data', 29, 42],
];
const coveredPosition = fc.constantFrom(...COVERED.flatMap(([, from, to]) => range(from, to)));

function range(from: number, to: number): number[] {
	return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function fieldAt(position: number): Td3CheckDigitName {
	return (COVERED.find(([, from, to]) => position >= from && position <= to) ?? COVERED[0])[0];
}

/** The check digits themselves, before any repair they would prove (mrzRepairs.ts) is made. */
const failingDigits = (_line1: string, line2: string) =>
	readCheckDigits(line2)
		.filter(({ result }) => !result.valid)
		.map(({ check }) => check);

describe('the parser never throws', () => {
	it('on any pair of strings, and reports instead', () => {
		fc.assert(
			fc.property(optionalText, optionalText, (line1, line2) => {
				const result = parseTd3({ line1, line2 }, TODAY);
				for (const problem of [...result.problems, ...result.check_digit_problems]) {
					expect(typeof problem).toBe('string');
				}
				if (result.fields_valid) {
					for (const line of result.normalised_lines) expect(line).toMatch(/^[A-Z0-9<]{44}$/);
				} else {
					expect(result.problems.length).toBeGreaterThan(0);
				}
			}),
			RUNS,
		);
	});

	it('nor does checkPassport, on any field values', () => {
		const fields = fc.dictionary(
			fc.constantFrom(
				'passport_number',
				'surname',
				'given_name',
				'sex',
				'country_code',
				'nationality',
				'date_of_birth',
				'date_of_expiry',
				'date_of_issue',
			),
			fc.oneof(anyText, fc.constant(null)),
		);
		const confidence = fc.dictionary(fc.string(), fc.double());
		fc.assert(
			fc.property(
				fields,
				optionalText,
				optionalText,
				confidence,
				(values, line1, line2, scores) => {
					const report = checkPassport(values, { line1, line2 }, scores, {
						today: new Date(Date.UTC(2025, 5, 1)),
						minValidityMonths: 6,
					});
					expect(report.checks.valid).toBe(report.checks.problems.length === 0);
					expect(JSON.parse(JSON.stringify(report))).toEqual(report);
				},
			),
			RUNS,
		);
	});
});

describe('check digits catch single substitutions', () => {
	it('every digit changed to another digit inside a covered field, by its digit and the composite', () => {
		fc.assert(
			fc.property(
				td3Parts(ISO_3166_CODES),
				coveredPosition,
				fc.constantFrom(...DIGITS),
				(parts, position, digit) => {
					const [line1, line2] = buildTd3(parts);
					fc.pre(/[0-9]/.test(line2[position - 1]) && line2[position - 1] !== digit);
					expect(failingDigits(line1, replaceAt(line2, position, digit))).toEqual([
						fieldAt(position),
						'composite',
					]);
				},
			),
			RUNS,
		);
	});

	it('any character changed inside a covered field, exactly when the two values differ modulo 10', () => {
		// The 7-3-1 weights are all prime to 10, so only a change by a multiple of 10 slips through:
		// 0, <, A, K and U all count 0 modulo 10. That blind spot is why a < inside a number is reported.
		fc.assert(
			fc.property(
				td3Parts(ISO_3166_CODES),
				coveredPosition,
				fc.constantFrom(...MRZ_CHARACTERS),
				(parts, position, char) => {
					const [line1, line2] = buildTd3(parts);
					const before = characterValue(line2[position - 1]) ?? 0;
					const after = characterValue(char) ?? 0;
					const caught = (before - after) % 10 !== 0;
					const failing = failingDigits(line1, replaceAt(line2, position, char));
					expect(failing).toEqual(caught ? [fieldAt(position), 'composite'] : []);
				},
			),
			RUNS,
		);
	});

	it('a check digit changed to another digit', () => {
		fc.assert(
			fc.property(
				td3Parts(ISO_3166_CODES),
				fc.constantFrom(...TD3_CHECK_DIGITS),
				fc.constantFrom(...DIGITS),
				(parts, { check, at }, digit) => {
					const [line1, line2] = buildTd3(parts);
					fc.pre(line2[at - 1] !== digit);
					const expected = check === 'composite' ? ['composite'] : [check, 'composite'];
					expect(failingDigits(line1, replaceAt(line2, at, digit))).toEqual(expected);
				},
			),
			RUNS,
		);
	});
});

describe('repairs', () => {
	it('a line with one character changed is repaired only into a line whose check digits hold', () => {
		fc.assert(
			fc.property(
				td3Parts(ISO_3166_CODES),
				coveredPosition,
				fc.constantFrom(...MRZ_CHARACTERS),
				(parts, position, char) => {
					const [line1, line2] = buildTd3(parts);
					const result = parseTd3({ line1, line2: replaceAt(line2, position, char) }, TODAY);
					if (result.repairs.length === 0) return;
					expect(result.check_digits_valid).toBe(true);
					for (const { read, became } of result.repairs) expect(read).not.toBe(became);
				},
			),
			RUNS,
		);
	});
});

describe('round trips', () => {
	const realDate = (min: Date, max: Date) =>
		fc.date({ min, max, noInvalidDate: true }).map((date) => ({
			year: date.getUTCFullYear(),
			month: date.getUTCMonth() + 1,
			day: date.getUTCDate(),
		}));
	const asDate = ({ year, month, day }: typeof TODAY) => new Date(Date.UTC(year, month - 1, day));
	const sixDigits = (date: typeof TODAY) => formatIsoDate(date).slice(2).replace(/-/g, '');

	it('an MRZ birth date in the 100 years up to today reads back as itself', () => {
		const earliest = asDate(addYears(TODAY, -100));
		fc.assert(
			fc.property(realDate(new Date(earliest.getTime() + 86_400_000), asDate(TODAY)), (date) => {
				expect(readMrzDate(sixDigits(date), 'birth', TODAY)).toEqual({ ok: true, date });
			}),
			RUNS,
		);
	});

	it('an MRZ expiry date in the 100 years up to ten years ahead reads back as itself', () => {
		const latest = addYears(TODAY, 10);
		const earliest = asDate(addYears(latest, -100));
		fc.assert(
			fc.property(realDate(new Date(earliest.getTime() + 86_400_000), asDate(latest)), (date) => {
				const reading = readMrzDate(sixDigits(date), 'expiry', TODAY);
				expect(reading).toEqual({ ok: true, date });
				expect(compareDates(date, latest)).toBeLessThanOrEqual(0);
			}),
			RUNS,
		);
	});

	it('normalising a clean line changes nothing', () => {
		fc.assert(
			fc.property(td3Parts(ISO_3166_CODES), (parts) => {
				for (const [index, line] of buildTd3(parts).entries()) {
					expect(normaliseMrzLine(line, index === 0 ? 1 : 2)).toEqual({
						text: line,
						corrections: [],
					});
				}
			}),
			RUNS,
		);
	});

	it('a Latin name matches each of its own MRZ spellings', () => {
		const latin = fc.string({
			unit: fc.constantFrom(...LETTERS, ...'äöüåæøéèñçßłšž'.split(''), ' ', '-', "'"),
			minLength: 1,
			maxLength: 30,
		});
		fc.assert(
			fc.property(latin, (printed) => {
				for (const form of mrzNameForms(printed) ?? []) {
					expect(nameMatchesMrz(printed, form.replace(/</g, ' '), false)).toBe(true);
				}
			}),
			RUNS,
		);
	});
});
