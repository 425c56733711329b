/**
 * The letter/digit pairs OCR confuses in OCR-B, the MRZ typeface: O/0, I/1, Z/2, S/5, G/6 and B/8. One table,
 * read both ways, for every repair the check digits can prove.
 */

const LETTER_TO_DIGIT: Readonly<Record<string, string>> = {
	O: '0',
	I: '1',
	Z: '2',
	S: '5',
	G: '6',
	B: '8',
};

const DIGIT_TO_LETTER: Readonly<Record<string, string>> = Object.fromEntries(
	Object.entries(LETTER_TO_DIGIT).map(([letter, digit]) => [digit, letter]),
);

/** The digit a confusable letter stands for, or undefined for any other character. */
export function digitFor(char: string): string | undefined {
	return LETTER_TO_DIGIT[char];
}

/** The character OCR may have read in place of `char` (its letter or digit twin), or undefined. */
export function confusableTwin(char: string): string | undefined {
	return LETTER_TO_DIGIT[char] ?? DIGIT_TO_LETTER[char];
}

/** True when `a` and `b` differ, but only where one holds a character and the other its confusable twin. */
export function differsOnlyByConfusables(a: string, b: string): boolean {
	if (a === b || a.length !== b.length) return false;
	for (let index = 0; index < a.length; index++) {
		if (a[index] !== b[index] && confusableTwin(a[index]) !== b[index]) return false;
	}
	return true;
}

/** How a repair names its substitutions: `O as 0, G as 6`. */
export function describeSubstitutions(read: string, became: string): string {
	const pairs: string[] = [];
	for (let index = 0; index < read.length; index++) {
		const pair = `${read[index]} as ${became[index]}`;
		if (read[index] !== became[index] && !pairs.includes(pair)) pairs.push(pair);
	}
	return pairs.join(', ');
}

/** One repair, as the output item reports it. */
export interface Repair {
	/** The field (or check digit) repaired, e.g. `date_of_birth`, `composite_check_digit`. */
	field: string;
	/** 2 for the MRZ's second line; null for the printed field the service returned. */
	line: 2 | null;
	read: string;
	became: string;
	/** Which ICAO 9303 rule proves the new reading. */
	rule: string;
}
