/**
 * The service's printed-page fields, read once into the forms the checks compare: trimmed, capitals where
 * the MRZ uses capitals, dates parsed from `YYYY-MM-DD`. Blank and non-string values count as missing.
 */

import type { PassportField } from '../contract/passportApi';
import {
	type CalendarDate,
	type DateReading,
	type PartialDate,
	partialDateBounds,
	readIsoDate,
	readPartialIsoDate,
} from './dates';

export type PrintedFieldValues = Partial<Record<PassportField, string | null>>;

export interface PrintedDate {
	text: string;
	reading: DateReading;
	/** A date of birth whose day or month is unknown (`YYYY-MM`, `YYYY`); always null for other dates. */
	partial: PartialDate | null;
}

export interface PrintedFields {
	/** Spaces removed: some states print the number in groups, the MRZ never does. */
	passportNumber: string | null;
	surname: string | null;
	givenName: string | null;
	sex: string | null;
	countryCode: string | null;
	nationality: string | null;
	dateOfBirth: PrintedDate | null;
	dateOfExpiry: PrintedDate | null;
	dateOfIssue: PrintedDate | null;
}

function text(fields: PrintedFieldValues, name: PassportField): string | null {
	const value: unknown = fields[name];
	if (typeof value !== 'string' || value.trim() === '') return null;
	return value.trim();
}

function upper(value: string | null): string | null {
	return value === null ? null : value.toUpperCase();
}

function date(value: string | null, mayBePartial = false): PrintedDate | null {
	if (value === null) return null;
	const partial = mayBePartial ? readPartialIsoDate(value) : null;
	return { text: value, reading: readIsoDate(value), partial };
}

export function readPrintedFields(fields: PrintedFieldValues): PrintedFields {
	return {
		passportNumber: upper(text(fields, 'passport_number'))?.replace(/\s+/g, '') ?? null,
		surname: text(fields, 'surname'),
		givenName: text(fields, 'given_name'),
		sex: upper(text(fields, 'sex')),
		countryCode: upper(text(fields, 'country_code')),
		nationality: upper(text(fields, 'nationality')),
		dateOfBirth: date(text(fields, 'date_of_birth'), true),
		dateOfExpiry: date(text(fields, 'date_of_expiry')),
		dateOfIssue: date(text(fields, 'date_of_issue')),
	};
}

/** The date when the field holds a real one, else null. */
export function realDate(printed: PrintedDate | null): CalendarDate | null {
	return printed?.reading.ok ? printed.reading.date : null;
}

/** The earliest day the date can stand for: the date itself, or the first day of a partial one. */
export function earliestDate(printed: PrintedDate | null): CalendarDate | null {
	if (printed?.partial) return partialDateBounds(printed.partial)[0];
	return realDate(printed);
}

/** Sex as the data page writes it; Doc 9303 prints unspecified as X. */
export const SEXES: readonly string[] = ['M', 'F', 'X'];

export function validSex(sex: string | null): string | null {
	return sex !== null && SEXES.includes(sex) ? sex : null;
}

/**
 * A nationality printed as a code (`ETH`, `D`) rather than in words (`ETHIOPIAN`), which Doc 9303 Part 4
 * also allows on the data page. Only a code can be checked against the ICAO list and the MRZ.
 */
export function nationalityCode(nationality: string | null): string | null {
	if (nationality === null || /^[A-Z][A-Z .'-]{3,}$/.test(nationality)) return null;
	return nationality;
}
