import {
	CHARACTER_PATTERNS,
	TD3_CHECK_DIGITS,
	TD3_FIELDS,
	TD3_LINE_LENGTH,
	labelOf,
	slicePositions,
	span,
} from '../../../nodes/PassportOcr/passport/td3Fields';
import { UTOPIA } from './td3Specimens';

/** Every position of a line, in the order the given spans cover them. */
function positions(spans: ReadonlyArray<{ from: number; to: number }>): number[] {
	return spans.flatMap(({ from, to }) => Array.from({ length: to - from + 1 }, (_, i) => from + i));
}

const all = (length: number) => Array.from({ length }, (_, i) => i + 1);

describe('the TD3 field table (Doc 9303 Part 4 §4.2.2)', () => {
	it('covers line 1 exactly once, left to right', () => {
		expect(positions(TD3_FIELDS.filter((field) => field.line === 1))).toEqual(all(TD3_LINE_LENGTH));
	});

	it('covers line 2 exactly once with its fields and check digits', () => {
		const fields = TD3_FIELDS.filter((field) => field.line === 2);
		const digits = TD3_CHECK_DIGITS.map(({ at }) => span(at, at));
		expect(positions([...fields, ...digits]).sort((a, b) => a - b)).toEqual(all(TD3_LINE_LENGTH));
	});

	it('reads the Utopia specimen into the values Part 4 prints', () => {
		const read = Object.fromEntries(
			TD3_FIELDS.map((field) => [
				field.field,
				slicePositions(field.line === 1 ? UTOPIA.line1 : UTOPIA.line2, field),
			]),
		);
		expect(read).toEqual({
			document_code: 'P<',
			issuing_state: 'UTO',
			name: 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
			passport_number: 'L898902C3',
			nationality: 'UTO',
			date_of_birth: '740812',
			sex: 'F',
			date_of_expiry: '120415',
			optional_data: 'ZE184226B<<<<<',
		});
	});

	it('lets each field check digit cover exactly its field', () => {
		for (const digit of TD3_CHECK_DIGITS.filter(({ check }) => check !== 'composite')) {
			const field = TD3_FIELDS.find(({ field: name }) => name === digit.check);
			expect(digit.covers).toEqual([span(field?.from ?? 0, field?.to ?? 0)]);
			expect(digit.at).toBe((field?.to ?? 0) + 1);
		}
	});

	it('has the composite digit cover positions 1-10, 14-20 and 22-43 of line 2', () => {
		const composite = TD3_CHECK_DIGITS.find(({ check }) => check === 'composite');
		expect(composite).toEqual({
			check: 'composite',
			at: 44,
			covers: [span(1, 10), span(14, 20), span(22, 43)],
		});
	});

	it('allows a filler check digit for the optional data only', () => {
		const withFiller = TD3_CHECK_DIGITS.filter(({ fillerWhenEmpty }) => fillerWhenEmpty);
		expect(withFiller.map(({ check }) => check)).toEqual(['optional_data']);
	});
});

describe('character classes', () => {
	it.each([
		['alphabetic', 'ERIKSSON<<', true],
		['alphabetic', 'ERIK5SON', false],
		['alphabetic', 'eriksson', false],
		['numeric', '740812', true],
		['numeric', '7408<2', false],
		['alphanumeric', 'L898902C3<', true],
		['alphanumeric', 'L89 902C3', false],
		['alphanumeric', '', false],
	] as const)('%s %j: %s', (characters, text, matches) => {
		expect(CHARACTER_PATTERNS[characters].test(text)).toBe(matches);
	});

	it('anchors every pattern, so one good character does not pass a bad field', () => {
		for (const pattern of Object.values(CHARACTER_PATTERNS))
			expect(pattern.test('*A1<*')).toBe(false);
	});
});

describe('labelOf', () => {
	it('writes a field name in words', () => {
		expect(labelOf('date_of_birth')).toBe('date of birth');
		expect(labelOf('composite')).toBe('composite');
	});
});
