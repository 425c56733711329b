import {
	characterValue,
	computeCheckDigit,
	verifyCheckDigit,
} from '../../../nodes/PassportOcr/passport/checkDigit';
import { GERMANY_2007, GERMANY_2017, NETHERLANDS_2014, UTOPIA } from './td3Specimens';

describe('characterValue (Doc 9303 Part 3 §4.9)', () => {
	it.each([
		['0', 0],
		['7', 7],
		['9', 9],
		['A', 10],
		['K', 20],
		['Z', 35],
		['<', 0],
	])('%s counts %i', (char, value) => {
		expect(characterValue(char)).toBe(value);
	});

	it.each(['a', ' ', '*', 'É', '', 'AB'])('%j has no value', (char) => {
		expect(characterValue(char)).toBeNull();
	});
});

describe('computeCheckDigit', () => {
	it("gives 3 for Part 3's worked example, the date 520727", () => {
		// 5×7 + 2×3 + 0×1 + 7×7 + 2×3 + 7×1 = 103
		expect(computeCheckDigit('520727')).toBe(3);
	});

	it('gives 0 for an empty text and for fillers only', () => {
		expect(computeCheckDigit('')).toBe(0);
		expect(computeCheckDigit('<<<<<<<<<<<<<<')).toBe(0);
	});

	it('gives null when a character is outside the MRZ set', () => {
		expect(computeCheckDigit('L8989*2C3')).toBeNull();
		expect(computeCheckDigit('l898902c3')).toBeNull();
	});

	it.each([UTOPIA, GERMANY_2007, GERMANY_2017, NETHERLANDS_2014])(
		'reproduces all five digits of the $source',
		({ line2 }) => {
			const at = (position: number) => Number(line2[position - 1]);
			const optional = line2.slice(28, 42);
			expect(computeCheckDigit(line2.slice(0, 9))).toBe(at(10));
			expect(computeCheckDigit(line2.slice(13, 19))).toBe(at(20));
			expect(computeCheckDigit(line2.slice(21, 27))).toBe(at(28));
			if (line2[42] !== '<') expect(computeCheckDigit(optional)).toBe(at(43));
			const composite = line2.slice(0, 10) + line2.slice(13, 20) + line2.slice(21, 43);
			expect(computeCheckDigit(composite)).toBe(at(44));
		},
	);
});

describe('verifyCheckDigit', () => {
	it('accepts the right digit', () => {
		expect(verifyCheckDigit('L898902C3', '6')).toEqual({ expected: '6', found: '6', valid: true });
	});

	it('rejects a wrong digit and says which was expected', () => {
		expect(verifyCheckDigit('L898902C3', '5')).toEqual({ expected: '6', found: '5', valid: false });
	});

	it('rejects a letter or filler in the digit position, even where it would count the same', () => {
		expect(verifyCheckDigit('<<<<<<<<<<<<<<', '<')).toEqual({
			expected: '0',
			found: '<',
			valid: false,
		});
		expect(verifyCheckDigit('740812', 'O')).toEqual({ expected: '2', found: 'O', valid: false });
	});

	it('cannot compute over characters outside the set', () => {
		expect(verifyCheckDigit('74O8*2', '2')).toEqual({ expected: null, found: '2', valid: false });
	});
});
