/**
 * The public entry point of the ICAO 9303 rules: checks one passport result (printed fields, optional MRZ
 * lines, per-field confidence) and returns a JSON-ready report for the output item.
 *
 * Which checks appear: the printed-field checks always (see printedChecks.ts for how a missing field is
 * handled); the MRZ checks only when at least one MRZ line is given. A check that cannot be evaluated is left
 * out rather than reported as failed, and `valid` is true when every check present passed.
 */

import type { PassportField } from '../contract/passportApi';
import type { CheckDigitResult } from './checkDigit';
import type { CheckName, CheckOutcome } from './checkOutcome';
import type { Repair } from './confusables';
import {
	type CalendarDate,
	ageWhenDecided,
	calendarDateOf,
	compareDates,
	daysBetween,
	fullYearsBetween,
} from './dates';
import { resolveFields } from './fieldSources';
import type { MrzCorrection } from './mrzNormalise';
import { mrzChecks } from './mrzComparison';
import { type MrzLines, type Td3Result, parseTd3 } from './parseTd3';
import { printedFieldChecks } from './printedChecks';
import {
	type PrintedFields,
	type PrintedFieldValues,
	readPrintedFields,
	realDate,
} from './printedFields';
import { specimenCheck } from './specimens';
import type { Td3CheckDigitName } from './td3Fields';

export type { CheckName } from './checkOutcome';
export type { Repair } from './confusables';
export type { PrintedFieldValues } from './printedFields';
export type { MrzLines } from './parseTd3';

/** The node's default for "Must be valid for at least N months". */
export const DEFAULT_MIN_VALIDITY_MONTHS = 6;

export interface PassportCheckOptions {
	/** The day the checks are made for; its UTC calendar date is used. */
	today: Date;
	/** "Must be valid for at least N months": a whole number, 0 or more. */
	minValidityMonths: number;
}

export type PassportChecks = { valid: boolean } & Partial<Record<CheckName, boolean>> & {
		problems: string[];
	};

export interface MrzReport {
	document_code: string | null;
	issuing_state: string | null;
	surname: string | null;
	given_names: string | null;
	name_may_be_truncated: boolean | null;
	passport_number: string | null;
	nationality: string | null;
	/** `YYYY-MM-DD`, century by the rule in dates.ts. */
	date_of_birth: string | null;
	/** `M`, `F` or `X` (the MRZ's `<`). */
	sex: string | null;
	date_of_expiry: string | null;
	optional_data: string | null;
	check_digits: Record<Td3CheckDigitName, CheckDigitResult>;
	normalised_lines: [string, string];
	corrections: MrzCorrection[];
}

export interface PassportCheckReport {
	/** Each field's value: the service's, a proven repair of it, or (when the service left it out) the MRZ's. */
	fields: PrintedFieldValues;
	/** The fields the service left out and the MRZ proved, in output order. */
	filled_from_mrz: PassportField[];
	/** Every repair the check digits proved, MRZ line 2 first, then the printed fields. */
	repairs: Repair[];
	checks: PassportChecks;
	mrz?: MrzReport;
	/**
	 * Completed years on `today`; null without a date of birth, one after today, or a partly unknown one whose
	 * known part does not decide the age.
	 */
	age: number | null;
	/** The date of birth is known only in part (`YYYY-MM` or `YYYY`), as ICAO 9303 allows. */
	date_of_birth_partly_unknown: boolean;
	/** Null without a real date of expiry; a passport is valid through its expiry date. */
	is_expired: boolean | null;
	/** Negative once expired. */
	days_to_expiry: number | null;
	lowest_confidence: number | null;
	lowest_confidence_field: string | null;
}

/**
 * @throws RangeError when `options.today` is not a valid date or `options.minValidityMonths` is not a whole
 * number of 0 or more: those come from the node's own parameters, never from the service.
 */
export function checkPassport(
	fields: PrintedFieldValues,
	mrzLines: MrzLines | undefined,
	confidence: Record<string, number> | undefined,
	options: PassportCheckOptions,
): PassportCheckReport {
	const today = checkedToday(options);
	const mrz = hasMrz(mrzLines) ? parseTd3(mrzLines, today) : undefined;
	const resolved = resolveFields(fields, mrz);
	const printed = readPrintedFields(resolved.values);
	const outcomes = [
		...printedFieldChecks(printed, today, options.minValidityMonths),
		specimenCheck({
			countryCodes: [printed.countryCode, printed.nationality, ...mrzCountries(mrz)],
			passportNumbers: [printed.passportNumber, mrz?.fields.passport_number.value ?? null],
		}),
		...(mrz ? mrzChecks(mrz, readPrintedFields(resolved.printed)) : []),
	];
	const expiry = realDate(printed.dateOfExpiry);
	return {
		fields: resolved.values,
		filled_from_mrz: resolved.filled_from_mrz,
		repairs: resolved.repairs,
		checks: summarise(outcomes),
		...(mrz ? { mrz: mrzReport(mrz) } : {}),
		age: ageOf(printed, today),
		date_of_birth_partly_unknown: printed.dateOfBirth?.partial != null,
		is_expired: expiry ? compareDates(expiry, today) < 0 : null,
		days_to_expiry: expiry ? daysBetween(today, expiry) : null,
		...lowestConfidence(confidence),
	};
}

const mrzCountries = (mrz: Td3Result | undefined) =>
	mrz ? [mrz.fields.issuing_state.value, mrz.fields.nationality.value] : [];

function ageOf({ dateOfBirth }: PrintedFields, today: CalendarDate): number | null {
	if (dateOfBirth?.partial) return ageWhenDecided(dateOfBirth.partial, today);
	const birth = realDate(dateOfBirth);
	return birth && compareDates(birth, today) <= 0 ? fullYearsBetween(birth, today) : null;
}

function checkedToday({ today, minValidityMonths }: PassportCheckOptions): CalendarDate {
	if (!(today instanceof Date) || Number.isNaN(today.getTime())) {
		throw new RangeError('options.today must be a valid Date');
	}
	if (!Number.isInteger(minValidityMonths) || minValidityMonths < 0) {
		throw new RangeError(
			`options.minValidityMonths must be a whole number of 0 or more, not ${minValidityMonths}`,
		);
	}
	return calendarDateOf(today);
}

function hasMrz(lines: MrzLines | undefined): lines is MrzLines {
	const given = (line: unknown) => typeof line === 'string' && line.trim() !== '';
	return lines !== undefined && (given(lines.line1) || given(lines.line2));
}

function summarise(outcomes: CheckOutcome[]): PassportChecks {
	const booleans: Partial<Record<CheckName, boolean>> = {};
	for (const { check, passed } of outcomes) booleans[check] = passed;
	return {
		valid: outcomes.every(({ passed }) => passed),
		...booleans,
		problems: outcomes.flatMap(({ problems }) => problems),
	};
}

function mrzReport({ fields, check_digits, normalised_lines, corrections }: Td3Result): MrzReport {
	return {
		document_code: fields.document_code.value,
		issuing_state: fields.issuing_state.value,
		surname: fields.surname.value,
		given_names: fields.given_names.value,
		name_may_be_truncated: fields.name_may_be_truncated,
		passport_number: fields.passport_number.value,
		nationality: fields.nationality.value,
		date_of_birth: fields.date_of_birth.value,
		sex: fields.sex.value,
		date_of_expiry: fields.date_of_expiry.value,
		optional_data: fields.optional_data.value,
		check_digits,
		normalised_lines,
		corrections,
	};
}

/** Only finite numbers count; the service's keys are its field names. */
function lowestConfidence(
	confidence: Record<string, number> | undefined,
): Pick<PassportCheckReport, 'lowest_confidence' | 'lowest_confidence_field'> {
	let lowest: Pick<PassportCheckReport, 'lowest_confidence' | 'lowest_confidence_field'> = {
		lowest_confidence: null,
		lowest_confidence_field: null,
	};
	for (const [field, value] of Object.entries(confidence ?? {})) {
		if (typeof value !== 'number' || !Number.isFinite(value)) continue;
		if (lowest.lowest_confidence === null || value < lowest.lowest_confidence) {
			lowest = { lowest_confidence: value, lowest_confidence_field: field };
		}
	}
	return lowest;
}
