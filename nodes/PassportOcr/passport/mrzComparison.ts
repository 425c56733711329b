/**
 * Checks that need the MRZ: its own form and check digits, then the printed fields against the MRZ fields one
 * by one. A comparison is left out when either side is missing or could not be decoded; that side's own
 * check already reports it.
 */

import { type CheckOutcome, type MrzCheckName, outcome } from './checkOutcome';
import { sameCountry } from './countryCodes';
import { formatIsoDate, formatPartialDate } from './dates';
import type { Td3Fields, Td3Result } from './parseTd3';
import {
	type PrintedDate,
	type PrintedFields,
	nationalityCode,
	realDate,
	validSex,
} from './printedFields';
import { nameMatchesMrz } from './transliteration';

interface Comparison {
	check: MrzCheckName;
	label: string;
	printed: (printed: PrintedFields) => string | null;
	fromMrz: (fields: Td3Fields) => string | null;
	/** Null when it cannot tell (a name in another script); the comparison is then left out. */
	same: (printed: string, fromMrz: string, fields: Td3Fields) => boolean | null;
}

const exact = (a: string, b: string) => a === b;
const sameName = (printed: string, fromMrz: string, fields: Td3Fields) =>
	nameMatchesMrz(printed, fromMrz, fields.name_may_be_truncated === true);
/** The MRZ holds YYMMDD only, so a century it cannot express never causes a mismatch. */
const sameSixDigits = (a: string, b: string) => a.slice(2) === b.slice(2);

function realIso(printed: PrintedDate | null): string | null {
	if (printed?.partial) return formatPartialDate(printed.partial);
	const date = realDate(printed);
	return date === null ? null : formatIsoDate(date);
}

const COMPARISONS: readonly Comparison[] = [
	{
		check: 'passport_number_matches_mrz',
		label: 'Passport number',
		printed: (p) => p.passportNumber,
		fromMrz: (f) => f.passport_number.value,
		same: exact,
	},
	{
		check: 'surname_matches_mrz',
		label: 'Surname',
		printed: (p) => p.surname,
		fromMrz: (f) => f.surname.value,
		same: sameName,
	},
	{
		check: 'given_name_matches_mrz',
		label: 'Given name',
		printed: (p) => p.givenName,
		fromMrz: (f) => f.given_names.value,
		same: sameName,
	},
	{
		check: 'date_of_birth_matches_mrz',
		label: 'Date of birth',
		printed: (p) => realIso(p.dateOfBirth),
		fromMrz: (f) => f.date_of_birth.value,
		same: sameSixDigits,
	},
	{
		check: 'date_of_expiry_matches_mrz',
		label: 'Date of expiry',
		printed: (p) => realIso(p.dateOfExpiry),
		fromMrz: (f) => f.date_of_expiry.value,
		same: sameSixDigits,
	},
	{
		check: 'sex_matches_mrz',
		label: 'Sex',
		printed: (p) => validSex(p.sex),
		fromMrz: (f) => (f.sex.valid ? f.sex.value : null),
		same: exact,
	},
	{
		check: 'nationality_matches_mrz',
		label: 'Nationality',
		printed: (p) => nationalityCode(p.nationality),
		fromMrz: (f) => f.nationality.value,
		same: sameCountry,
	},
	{
		check: 'country_code_matches_mrz',
		label: 'Issuing country code',
		printed: (p) => p.countryCode,
		fromMrz: (f) => f.issuing_state.value,
		same: sameCountry,
	},
];

export function mrzChecks(mrz: Td3Result, printed: PrintedFields): CheckOutcome[] {
	const own: CheckOutcome[] = [
		{ check: 'mrz_fields_valid', passed: mrz.fields_valid, problems: mrz.problems },
	];
	if (mrz.lines_read[1]) {
		const { check_digits_valid: passed, check_digit_problems: problems } = mrz;
		own.push({ check: 'mrz_check_digits_valid', passed, problems });
	}
	const matches = COMPARISONS.map((comparison) => compare(comparison, mrz.fields, printed)).filter(
		(check): check is CheckOutcome => check !== null,
	);
	if (matches.length === 0) return own;
	const passed = matches.every((match) => match.passed);
	return [...own, ...matches, { check: 'mrz_matches_printed', passed, problems: [] }];
}

function compare(
	{ check, label, printed, fromMrz, same }: Comparison,
	fields: Td3Fields,
	printedFields: PrintedFields,
): CheckOutcome | null {
	const printedValue = printed(printedFields);
	const mrzValue = fromMrz(fields);
	if (printedValue === null || mrzValue === null) return null;
	const verdict = same(printedValue, mrzValue, fields);
	if (verdict === null) return null;
	const problem = `${label} ${printedValue} does not match the MRZ, which has ${mrzValue || 'nothing'}`;
	return outcome(check, verdict ? null : problem);
}
