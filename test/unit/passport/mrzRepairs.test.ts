import { computeCheckDigit } from '../../../nodes/PassportOcr/passport/checkDigit';
import { repairLine2 } from '../../../nodes/PassportOcr/passport/mrzRepairs';
import { parseTd3 } from '../../../nodes/PassportOcr/passport/parseTd3';
import { TODAY } from './td3Arbitraries';
import { type Td3Parts, UTOPIA_PARTS, buildTd3, replaceAt } from './td3Specimens';

/** The Utopia example under a real state, so nothing but the change under test is wrong. */
const PARTS: Td3Parts = { ...UTOPIA_PARTS, issuingState: 'NLD', nationality: 'NLD' };
const [, LINE2] = buildTd3(PARTS);

const CONFUSABLES: ReadonlyArray<[string, string]> = [
	['O', '0'],
	['I', '1'],
	['Z', '2'],
	['S', '5'],
	['G', '6'],
	['B', '8'],
];

/** Every place of line 2 that may hold only digits: the dates and the five check digits. */
const DIGIT_PLACES: ReadonlyArray<{ field: string; positions: number[] }> = [
	{ field: 'passport_number_check_digit', positions: [10] },
	{ field: 'date_of_birth', positions: [14, 15, 16, 17, 18, 19] },
	{ field: 'date_of_birth_check_digit', positions: [20] },
	{ field: 'date_of_expiry', positions: [22, 23, 24, 25, 26, 27] },
	{ field: 'date_of_expiry_check_digit', positions: [28] },
	{ field: 'optional_data_check_digit', positions: [43] },
	{ field: 'composite_check_digit', positions: [44] },
];

/** A line 2 with valid check digits whose character at `position` is `digit`. */
function lineWithDigitAt(position: number, digit: string): string {
	for (let seed = 0; seed < 10_000; seed++) {
		const number = `L${String(seed).padStart(4, '0')}02C3`;
		const day = String((seed % 28) + 1).padStart(2, '0');
		const month = String((Math.floor(seed / 28) % 12) + 1).padStart(2, '0');
		const inBirth = position >= 14 && position <= 19;
		const inExpiry = position >= 22 && position <= 27;
		const birth = inBirth ? replaceAt('740812', position - 13, digit) : `74${month}${day}`;
		const expiry = inExpiry ? replaceAt('120415', position - 21, digit) : `12${month}${day}`;
		const optional = `ZE${String(seed % 97).padStart(2, '0')}4226B`;
		const [, line2] = buildTd3({ ...PARTS, number, birth, expiry, optional });
		if (line2[position - 1] === digit) return line2;
	}
	throw new Error(`no line with ${digit} at ${position}`);
}

describe('repairLine2: a confusable letter where only digits may stand', () => {
	// Every covered group carries its own check digit and all weights are odd, so the composite digit of a
	// valid line is always even: I (1) and S (5) can never stand for it.
	const possible = (position: number, digit: string) => position !== 44 || Number(digit) % 2 === 0;
	const cases = DIGIT_PLACES.flatMap(({ field, positions }) =>
		positions.flatMap((position) =>
			CONFUSABLES.filter(([, digit]) => possible(position, digit)).map(
				([letter, digit]) => [field, position, letter, digit] as const,
			),
		),
	);

	it.each(cases)('%s at position %i: %s is read as %s', (field, position, letter, digit) => {
		const line2 = lineWithDigitAt(position, digit);
		const misread = replaceAt(line2, position, letter);
		const { text, repairs, ambiguity } = repairLine2(misread);
		expect(text).toBe(line2);
		expect(ambiguity).toBeUndefined();
		expect(repairs).toHaveLength(1);
		expect(repairs[0]).toMatchObject({ field, line: 2 });
		expect(repairs[0].read).toContain(letter);
		expect(repairs[0].became).not.toContain(letter);
		expect(repairs[0].rule).toMatch(
			new RegExp(`reading ${letter} as ${digit} makes the .* check digits? hold`),
		);
	});

	it('repairs two misread places at once, each reported', () => {
		const { text, repairs } = repairLine2(replaceAt(replaceAt(LINE2, 16, 'O'), 43, 'I'));
		expect(text).toBe(LINE2);
		expect(repairs.map(({ field, read, became }) => [field, read, became])).toEqual([
			['date_of_birth', '74O812', '740812'],
			['optional_data_check_digit', 'I', '1'],
		]);
	});

	it('keeps a letter whose digit the check digits refute', () => {
		// 74O812 with check digits computed over the letter: reading 0 breaks them, so the letter stays.
		const [, line2] = buildTd3({ ...PARTS, birth: '74O812' });
		expect(repairLine2(line2)).toEqual({ text: line2, repairs: [] });
	});

	it('keeps a date letter when the composite check digit refutes the line', () => {
		const [, clean] = buildTd3(PARTS);
		// The date would repair, but a wrong optional-data character leaves the composite failing.
		const misread = replaceAt(replaceAt(clean, 16, 'O'), 30, 'F');
		expect(repairLine2(misread)).toEqual({ text: misread, repairs: [] });
	});
});

describe('repairLine2: the passport number', () => {
	it('repairs it when exactly one confusable substitution satisfies its own and the composite check digit', () => {
		const { text, repairs } = repairLine2(replaceAt(LINE2, 6, 'O'));
		expect(text).toBe(LINE2);
		expect(repairs).toEqual([
			{
				field: 'passport_number',
				line: 2,
				read: 'L8989O2C3',
				became: 'L898902C3',
				rule: 'Reading O as 0 is the only change of one confusable character that makes the passport number and composite check digits hold',
			},
		]);
	});

	it('repairs nothing when two substitutions would each satisfy the check digits, and says so', () => {
		// O is a letter of this number at position 9 and misread at 6: O as 0 at either place fits.
		const [, line2] = buildTd3({ ...PARTS, number: 'L898902CO' });
		const misread = replaceAt(line2, 6, 'O');
		expect(repairLine2(misread)).toEqual({
			text: misread,
			repairs: [],
			ambiguity:
				'MRZ passport number L8989O2CO could be read as L898902CO or L8989O2C0: each satisfies the check digits, so it was not repaired',
		});
		const parsed = parseTd3({ line1: buildTd3(PARTS)[0], line2: misread }, TODAY);
		expect(parsed.check_digits_valid).toBe(false);
		expect(parsed.check_digit_problems).toContain(
			'MRZ passport number L8989O2CO could be read as L898902CO or L8989O2C0: each satisfies the check digits, so it was not repaired',
		);
	});

	it('repairs nothing the composite check digit refutes', () => {
		// The number's check digit misread as 5: B for 8 alone would satisfy it, but not the composite.
		const misread = replaceAt(LINE2, 10, '5');
		expect(String(computeCheckDigit('LB98902C3'))).toBe('5');
		expect(repairLine2(misread)).toEqual({ text: misread, repairs: [] });
	});

	it('leaves a number whose check digit holds alone', () => {
		expect(repairLine2(LINE2)).toEqual({ text: LINE2, repairs: [] });
	});
});

describe('parseTd3 with repairs', () => {
	const [LINE1] = buildTd3(PARTS);

	it('reads the repaired line, reports the repair and keeps check digits valid', () => {
		const result = parseTd3({ line1: LINE1, line2: replaceAt(LINE2, 17, 'B') }, TODAY);
		expect(result.fields.date_of_birth).toEqual({ value: '1974-08-12', valid: true });
		expect(result.check_digits_valid).toBe(true);
		expect(result.fields_valid).toBe(true);
		expect(result.normalised_lines[1]).toBe(LINE2);
		expect(result.repairs).toEqual([
			expect.objectContaining({ field: 'date_of_birth', read: '740B12', became: '740812' }),
		]);
	});

	it('never repairs a name: no check digit covers it', () => {
		const line1 = LINE1.replace('ERIKSSON', 'ERIKSS0N');
		const result = parseTd3({ line1, line2: LINE2 }, TODAY);
		expect(result.repairs).toEqual([]);
		expect(result.fields.surname).toMatchObject({ value: 'ERIKSS0N', valid: false });
		expect(result.normalised_lines[0]).toBe(line1);
	});
});
