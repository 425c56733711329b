/**
 * Printed names in MRZ form, after ICAO Doc 9303 Part 3 §6: capitals only, Latin letters with diacritics
 * reduced per the transliteration table, spaces, hyphens and commas written as `<`, apostrophes and other
 * punctuation left out. Where the table allows two spellings (Ä as AE or A), both are accepted.
 */

/** Part 3 §6 entries that are not just the base letter. Every other Latin letter loses its accent (É → E). */
const TRANSLITERATIONS: Readonly<Record<string, readonly string[]>> = {
	Ä: ['AE', 'A'],
	Å: ['AA', 'A'],
	Æ: ['AE'],
	Ð: ['D'],
	Đ: ['D'],
	Ħ: ['H'],
	Ĳ: ['IJ'],
	Ł: ['L'],
	Ŋ: ['N'],
	Ö: ['OE', 'O'],
	Ø: ['OE'],
	Œ: ['OE'],
	Ŧ: ['T'],
	Þ: ['TH'],
	Ü: ['UE', 'U'],
};

/** Cap on the spellings tried; beyond it, later two-way letters take their first spelling only. */
const MAX_FORMS = 64;

/** What one printed character becomes in the MRZ, or null for a letter outside the Latin script. */
function spellingsOf(char: string): readonly string[] | null {
	const listed = TRANSLITERATIONS[char];
	if (listed) return listed;
	const base = char.normalize('NFD').replace(/\p{M}/gu, '');
	if (/^[A-Z0-9]+$/.test(base)) return [base];
	if (/^[\s,-]$/.test(char)) return ['<'];
	return /\p{L}/u.test(char) ? null : [''];
}

function tidy(form: string): string {
	return form.replace(/<+/g, '<').replace(/^<|<$/g, '');
}

/**
 * Every MRZ spelling of a printed name (`Jürgen-Karl` → `JUERGEN<KARL`, `JURGEN<KARL`); null when the name
 * holds letters of another script, which needs a national transliteration this module does not know.
 */
export function mrzNameForms(printed: string): string[] | null {
	let forms = [''];
	// Composed form, so Ü is one character, not U plus a mark; upper-casing also turns ß into SS, as Part 3 asks.
	for (const char of printed.normalize('NFC').toUpperCase()) {
		const spellings = spellingsOf(char);
		if (spellings === null) return null;
		const used = forms.length * spellings.length > MAX_FORMS ? spellings.slice(0, 1) : spellings;
		forms = forms.flatMap((form) => used.map((spelling) => form + spelling));
	}
	return [...new Set(forms.map(tidy))];
}

/**
 * Whether the MRZ name (readable form, spaces between parts) is a spelling of the printed one. When the MRZ
 * name may be truncated, a shortened form also matches: each MRZ part a prefix of the printed part in the same
 * place (Part 4 truncation cuts parts down, to initials at most), or nothing left at all. Null when the printed
 * name cannot be transliterated.
 */
export function nameMatchesMrz(
	printed: string,
	mrzName: string,
	mayBeTruncated: boolean,
): boolean | null {
	const forms = mrzNameForms(printed);
	if (forms === null) return null;
	const target = tidy(mrzName.trim().replace(/\s+/g, '<'));
	return forms.some((form) => form === target || (mayBeTruncated && isTruncationOf(target, form)));
}

function isTruncationOf(short: string, full: string): boolean {
	if (short === '') return true;
	const shortParts = short.split('<');
	const fullParts = full.split('<');
	return (
		shortParts.length <= fullParts.length &&
		shortParts.every((part, index) => fullParts[index].startsWith(part))
	);
}
