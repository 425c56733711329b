/**
 * ICAO Doc 9303 Part 3 §4.9 check digits: each character's value times the weights 7, 3, 1 (repeating from
 * the first character), summed, modulo 10.
 */

const WEIGHTS = [7, 3, 1] as const;

/** Part 3 §4.9: digits keep their value, A to Z count 10 to 35, the filler `<` counts 0. */
export function characterValue(char: string): number | null {
	if (char === '<') return 0;
	if (/^[0-9]$/.test(char)) return Number(char);
	if (/^[A-Z]$/.test(char)) return char.charCodeAt(0) - 55;
	return null;
}

/** The check digit of `text`, or null when a character has no value in the MRZ character set. */
export function computeCheckDigit(text: string): number | null {
	let sum = 0;
	for (let index = 0; index < text.length; index++) {
		const value = characterValue(text[index]);
		if (value === null) return null;
		sum += value * WEIGHTS[index % 3];
	}
	return sum % 10;
}

export interface CheckDigitResult {
	/** The digit the covered characters give; null when they hold a character outside the MRZ set. */
	expected: string | null;
	/** The character printed in the check-digit position; null when the line was not read. */
	found: string | null;
	valid: boolean;
}

/** Compares the digit printed in the MRZ with the one computed from the characters it covers. */
export function verifyCheckDigit(covered: string, found: string): CheckDigitResult {
	const computed = computeCheckDigit(covered);
	const expected = computed === null ? null : String(computed);
	return { expected, found, valid: expected !== null && expected === found };
}
