/**
 * Checks that run on every result, with or without MRZ lines. A field every passport carries (number, dates
 * of birth and expiry, sex, issuing country, nationality) fails its own check when missing; the date of issue
 * is checked only when present (the service returns it for Chinese passports only). Checks that relate two
 * fields are left out when either is missing or invalid: that field's own check already says so.
 */

import { type CheckName, type CheckOutcome, outcome } from './checkOutcome';
import { isIcaoCountryCode } from './countryCodes';
import { type CalendarDate, addMonths, compareDates, formatIsoDate } from './dates';
import {
	SEXES,
	type PrintedDate,
	type PrintedFields,
	earliestDate,
	nationalityCode,
	realDate,
} from './printedFields';

/** Doc 9303 Part 4: a TD3 MRZ holds nine characters for the number, and no overflow. */
const PASSPORT_NUMBER = /^[A-Z0-9]{1,9}$/;

export function printedFieldChecks(
	printed: PrintedFields,
	today: CalendarDate,
	minValidityMonths: number,
): CheckOutcome[] {
	// A partly unknown date of birth is judged by its earliest day, so only what its known part decides fails.
	const birth = earliestDate(printed.dateOfBirth);
	// Problems name the date as given (`1985-03`), never the day chosen to judge it.
	const birthText = printed.dateOfBirth?.text ?? '';
	const expiry = realDate(printed.dateOfExpiry);
	const checks: Array<CheckOutcome | null> = [
		passportNumberCheck(printed.passportNumber),
		dateCheck('date_of_birth_valid', 'Date of birth', printed.dateOfBirth),
		dateCheck('date_of_expiry_valid', 'Date of expiry', printed.dateOfExpiry),
		printed.dateOfIssue && dateCheck('date_of_issue_valid', 'Date of issue', printed.dateOfIssue),
		birth && birthInPast(birth, birthText, today),
		birth && expiry && expiryAfterBirth(birth, birthText, expiry),
		issueBetween(realDate(printed.dateOfIssue), birth && { date: birth, text: birthText }, expiry),
		sexCheck(printed.sex),
		countryCheck('country_code_valid', 'Issuing country code', printed.countryCode),
		nationalityCheck(printed.nationality),
		expiry && validForMonths(expiry, today, minValidityMonths),
	];
	return checks.filter((check): check is CheckOutcome => check !== null);
}

function passportNumberCheck(number: string | null): CheckOutcome {
	if (number === null) return outcome('passport_number_valid', 'Passport number is missing');
	if (PASSPORT_NUMBER.test(number)) return outcome('passport_number_valid', null);
	return outcome(
		'passport_number_valid',
		`Passport number ${number} is not 1 to 9 letters and digits`,
	);
}

function dateCheck(check: CheckName, label: string, printed: PrintedDate | null): CheckOutcome {
	if (printed === null) return outcome(check, `${label} is missing`);
	if (printed.reading.ok || printed.partial) return outcome(check, null);
	const reason =
		printed.reading.reason === 'format' ? 'is not in YYYY-MM-DD form' : 'is not a real date';
	return outcome(check, `${label} ${printed.text} ${reason}`);
}

function birthInPast(birth: CalendarDate, text: string, today: CalendarDate): CheckOutcome {
	if (compareDates(birth, today) <= 0) return outcome('birth_in_past', null);
	const problem = `Date of birth ${text} is in the future (today is ${formatIsoDate(today)})`;
	return outcome('birth_in_past', problem);
}

function expiryAfterBirth(birth: CalendarDate, text: string, expiry: CalendarDate): CheckOutcome {
	if (compareDates(expiry, birth) > 0) return outcome('expiry_after_birth', null);
	const problem = `Date of expiry ${formatIsoDate(expiry)} is not after date of birth ${text}`;
	return outcome('expiry_after_birth', problem);
}

/** Needs the issue date and at least one of the other two; a missing bound is not compared. */
function issueBetween(
	issue: CalendarDate | null,
	birth: { date: CalendarDate; text: string } | null,
	expiry: CalendarDate | null,
): CheckOutcome | null {
	if (issue === null || (birth === null && expiry === null)) return null;
	const issued = `Date of issue ${formatIsoDate(issue)}`;
	let problem: string | null = null;
	if (birth !== null && compareDates(issue, birth.date) < 0) {
		problem = `${issued} is before date of birth ${birth.text}`;
	} else if (expiry !== null && compareDates(issue, expiry) > 0) {
		problem = `${issued} is after date of expiry ${formatIsoDate(expiry)}`;
	}
	return outcome('issue_between_birth_and_expiry', problem);
}

function sexCheck(sex: string | null): CheckOutcome {
	if (sex === null) return outcome('sex_valid', 'Sex is missing');
	if (SEXES.includes(sex)) return outcome('sex_valid', null);
	return outcome('sex_valid', `Sex ${sex} is not M, F or X`);
}

function countryCheck(check: CheckName, label: string, code: string | null): CheckOutcome {
	if (code === null) return outcome(check, `${label} is missing`);
	if (isIcaoCountryCode(code)) return outcome(check, null);
	return outcome(check, `${label} ${code} is not an ICAO 9303 country code`);
}

/** A nationality written in words cannot be checked against the code list, so the check is left out. */
function nationalityCheck(nationality: string | null): CheckOutcome | null {
	if (nationality !== null && nationalityCode(nationality) === null) return null;
	return countryCheck('nationality_valid', 'Nationality', nationality);
}

/** The passport must still be valid on the day `months` months from today. */
function validForMonths(expiry: CalendarDate, today: CalendarDate, months: number): CheckOutcome {
	const needed = addMonths(today, months);
	if (compareDates(expiry, needed) >= 0) return outcome('valid_for_min_months', null);
	const rule = `it must be valid until at least ${formatIsoDate(needed)} (${months} months from today)`;
	const problem =
		compareDates(expiry, today) < 0
			? `The passport expired on ${formatIsoDate(expiry)}; ${rule}`
			: `Date of expiry ${formatIsoDate(expiry)} is too soon: ${rule}`;
	return outcome('valid_for_min_months', problem);
}
