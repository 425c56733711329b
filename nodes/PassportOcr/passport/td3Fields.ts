/**
 * The TD3 (passport) machine readable zone as ICAO Doc 9303 Part 4 §4.2.2 lays it out: two lines of 44
 * characters. Positions are the spec's own: 1-based, both ends included, so each row can be ticked off against
 * the Part 4 table.
 */

export const TD3_LINE_LENGTH = 44;

/**
 * Doc 9303 Part 3 §4.3: A = letters, N = digits, `<` = filler. A date of birth is digits, or fillers where its
 * day or month is not known (Part 4 §4.2.2, note j).
 */
export type CharacterClass = 'alphabetic' | 'numeric' | 'numericOrFiller' | 'alphanumeric';

export const CHARACTER_PATTERNS: Readonly<Record<CharacterClass, RegExp>> = {
	alphabetic: /^[A-Z<]+$/,
	numeric: /^[0-9]+$/,
	numericOrFiller: /^[0-9<]+$/,
	alphanumeric: /^[A-Z0-9<]+$/,
};

export const CHARACTER_CLASS_NAMES: Readonly<Record<CharacterClass, string>> = {
	alphabetic: 'letters and <',
	numeric: 'digits',
	numericOrFiller: 'digits and <',
	alphanumeric: 'letters, digits and <',
};

export type Td3FieldName =
	| 'document_code'
	| 'issuing_state'
	| 'name'
	| 'passport_number'
	| 'nationality'
	| 'date_of_birth'
	| 'sex'
	| 'date_of_expiry'
	| 'optional_data';

export interface Td3FieldSpec {
	field: Td3FieldName;
	line: 1 | 2;
	from: number;
	to: number;
	characters: CharacterClass;
}

export const TD3_FIELDS: readonly Td3FieldSpec[] = [
	{ field: 'document_code', line: 1, from: 1, to: 2, characters: 'alphabetic' },
	{ field: 'issuing_state', line: 1, from: 3, to: 5, characters: 'alphabetic' },
	{ field: 'name', line: 1, from: 6, to: 44, characters: 'alphabetic' },
	{ field: 'passport_number', line: 2, from: 1, to: 9, characters: 'alphanumeric' },
	{ field: 'nationality', line: 2, from: 11, to: 13, characters: 'alphabetic' },
	{ field: 'date_of_birth', line: 2, from: 14, to: 19, characters: 'numericOrFiller' },
	{ field: 'sex', line: 2, from: 21, to: 21, characters: 'alphabetic' },
	{ field: 'date_of_expiry', line: 2, from: 22, to: 27, characters: 'numeric' },
	{ field: 'optional_data', line: 2, from: 29, to: 42, characters: 'alphanumeric' },
];

export type Td3CheckDigitName =
	| 'passport_number'
	| 'date_of_birth'
	| 'date_of_expiry'
	| 'optional_data'
	| 'composite';

export interface Span {
	from: number;
	to: number;
}

export interface Td3CheckDigitSpec {
	check: Td3CheckDigitName;
	/** Every check digit sits in line 2. */
	at: number;
	/** The line-2 spans the digit is computed over, in order. */
	covers: readonly Span[];
	/** Part 4: when the covered field is all fillers, its check digit may be `<` as well as `0`. */
	fillerWhenEmpty?: true;
}

export const span = (from: number, to: number): Span => ({ from, to });

export const TD3_CHECK_DIGITS: readonly Td3CheckDigitSpec[] = [
	{ check: 'passport_number', at: 10, covers: [span(1, 9)] },
	{ check: 'date_of_birth', at: 20, covers: [span(14, 19)] },
	{ check: 'date_of_expiry', at: 28, covers: [span(22, 27)] },
	{ check: 'optional_data', at: 43, covers: [span(29, 42)], fillerWhenEmpty: true },
	{ check: 'composite', at: 44, covers: [span(1, 10), span(14, 20), span(22, 43)] },
];

/** How problems name a field or check digit: its name in words (`date_of_birth` → `date of birth`). */
export function labelOf(name: Td3FieldName | Td3CheckDigitName): string {
	return name.replace(/_/g, ' ');
}

/** The characters at 1-based positions `from` to `to`, both included. */
export function slicePositions(line: string, { from, to }: Span): string {
	return line.slice(from - 1, to);
}
