/**
 * One reader per kind of TD3 field. Each takes the field's raw characters and returns a result instead of
 * throwing, so one bad field never hides the others. The caller checks the field's character class; a reader
 * judges only what the characters mean.
 */

import { isIcaoCountryCode } from './countryCodes';
import {
	type CalendarDate,
	formatIsoDate,
	formatPartialDate,
	readMrzDate,
	readMrzPartialBirthDate,
} from './dates';

export interface FieldResult {
	/** The decoded value; null when it cannot be decoded (a date that is not real, a line not read). */
	value: string | null;
	valid: boolean;
	problem?: string;
}

export interface NameResult {
	surname: FieldResult;
	given_names: FieldResult;
	/** Part 4: a letter in the last position of line 1 means the name may have been cut to fit. */
	name_may_be_truncated: boolean;
}

const valid = (value: string): FieldResult => ({ value, valid: true });
const invalid = (value: string | null, problem: string): FieldResult => ({
	value,
	valid: false,
	problem,
});

export function stripTrailingFillers(text: string): string {
	return text.replace(/<+$/, '');
}

/** MRZ name parts are separated by `<`; the readable form uses single spaces. */
function readableName(text: string): string {
	return text.split('<').filter(Boolean).join(' ');
}

/** Part 4: `P`, then a letter or `<` chosen by the issuing state. */
export function readDocumentCode(raw: string): FieldResult {
	const value = stripTrailingFillers(raw);
	if (raw.startsWith('P')) return valid(value);
	return invalid(
		value,
		`MRZ document code ${raw} does not start with P, so it is not a passport MRZ`,
	);
}

export function readCountryCode(raw: string, label: string): FieldResult {
	const value = stripTrailingFillers(raw);
	if (isIcaoCountryCode(value)) return valid(value);
	return invalid(value, `MRZ ${label} ${value || raw} is not an ICAO 9303 country code`);
}

/** Part 4: primary identifier, `<<`, secondary identifier; `<` between the parts of each. */
export function readName(raw: string): NameResult {
	const separator = raw.indexOf('<<');
	const surname = separator === -1 ? raw : raw.slice(0, separator);
	const givenNames = separator === -1 ? '' : raw.slice(separator + 2);
	const nameMayBeTruncated = !raw.endsWith('<');
	if (readableName(raw) === '') {
		return {
			surname: invalid('', 'MRZ name is empty'),
			given_names: { value: '', valid: false },
			name_may_be_truncated: nameMayBeTruncated,
		};
	}
	return {
		surname: valid(readableName(surname)),
		given_names: valid(readableName(givenNames)),
		name_may_be_truncated: nameMayBeTruncated,
	};
}

/**
 * Shorter numbers are padded with trailing fillers. A filler inside the number is reported: `<` and `0` both
 * count 0 in the check digit, so the check digit alone cannot tell them apart.
 */
export function readPassportNumber(raw: string): FieldResult {
	const value = stripTrailingFillers(raw);
	if (value === '') return invalid(value, 'MRZ passport number is empty');
	if (value.includes('<')) return invalid(value, `MRZ passport number ${value} has a < inside it`);
	return valid(value);
}

/** Part 4: `M`, `F`, or `<` for unspecified, which the printed page and this module write as `X`. */
export function readSex(raw: string): FieldResult {
	if (raw === 'M' || raw === 'F') return valid(raw);
	if (raw === '<') return valid('X');
	return invalid(raw, `MRZ sex ${raw} is not M, F or < (unspecified)`);
}

export function readOptionalData(raw: string): FieldResult {
	return valid(stripTrailingFillers(raw));
}

/**
 * The MRZ date as `YYYY-MM-DD`, its century chosen by the rule in `readMrzDate`. A date of birth with fillers
 * for an unknown day (`YYMM<<`) or month and day (`YY<<<<`) is valid and reads as `YYYY-MM` or `YYYY`.
 */
export function readDate(
	raw: string,
	kind: 'birth' | 'expiry',
	label: string,
	today: CalendarDate,
): FieldResult {
	const partial = kind === 'birth' ? readMrzPartialBirthDate(raw, today) : null;
	if (partial) return valid(formatPartialDate(partial));
	const reading = readMrzDate(raw, kind, today);
	if (reading.ok) return valid(formatIsoDate(reading.date));
	const reason = reading.reason === 'format' ? 'is not a YYMMDD date' : 'is not a real date';
	return invalid(null, `MRZ ${label} ${raw} ${reason}`);
}
