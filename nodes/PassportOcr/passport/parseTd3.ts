/**
 * Reads a TD3 (passport) MRZ into per-field results and per-check-digit results. Never throws: noise is
 * normalised first, line 2 is repaired where its check digits prove a confusable misreading (mrzRepairs.ts),
 * and whatever still does not fit is reported as a problem on the field it affects.
 */

import type { CheckDigitResult } from './checkDigit';
import type { Repair } from './confusables';
import type { CalendarDate } from './dates';
import { type MrzCorrection, normaliseMrzLine } from './mrzNormalise';
import { repairLine2 } from './mrzRepairs';
import { readCheckDigits } from './td3CheckDigits';
import {
	type FieldResult,
	type NameResult,
	readCountryCode,
	readDate,
	readDocumentCode,
	readName,
	readOptionalData,
	readPassportNumber,
	readSex,
} from './td3FieldReaders';
import {
	CHARACTER_CLASS_NAMES,
	CHARACTER_PATTERNS,
	TD3_FIELDS,
	TD3_LINE_LENGTH,
	type Td3CheckDigitName,
	type Td3FieldName,
	type Td3FieldSpec,
	labelOf,
	slicePositions,
} from './td3Fields';

export interface MrzLines {
	line1?: string | null;
	line2?: string | null;
}

export type Td3ValueField = Exclude<Td3FieldName, 'name'> | 'surname' | 'given_names';

export type Td3Fields = Record<Td3ValueField, FieldResult> & {
	/** Null when line 1 was not read. */
	name_may_be_truncated: boolean | null;
};

/** MRZ order, which is also the order problems are listed in. */
const TD3_VALUE_FIELDS: readonly Td3ValueField[] = [
	'document_code',
	'issuing_state',
	'surname',
	'given_names',
	'passport_number',
	'nationality',
	'date_of_birth',
	'sex',
	'date_of_expiry',
	'optional_data',
];

export interface Td3Result {
	fields: Td3Fields;
	check_digits: Record<Td3CheckDigitName, CheckDigitResult>;
	/** Both lines read, and every field well formed (characters, real dates, known codes). */
	fields_valid: boolean;
	check_digits_valid: boolean;
	/** The lines after normalisation and repairs; an empty string for a missing line. */
	normalised_lines: [string, string];
	corrections: MrzCorrection[];
	/** Confusable characters of line 2 read otherwise, each proven by the check digits. */
	repairs: Repair[];
	/** Whether each line was there and, after clean-up, 44 characters long. */
	lines_read: [boolean, boolean];
	/** Plain-English problems with the lines and fields, lines first, then fields in MRZ order. */
	problems: string[];
	check_digit_problems: string[];
}

interface LineReading {
	text: string;
	/** False for a missing line or one whose length is still wrong after normalisation. */
	readable: boolean;
	corrections: MrzCorrection[];
	problem?: string;
}

const unread = (): FieldResult => ({ value: null, valid: false });

export function parseTd3(lines: MrzLines, today: CalendarDate): Td3Result {
	const line1 = readLine(lines.line1, 1);
	const normalised2 = readLine(lines.line2, 2);
	const repaired = normalised2.readable ? repairLine2(normalised2.text) : undefined;
	const line2 = repaired ? { ...normalised2, text: repaired.text } : normalised2;
	const fields = readFields(line1, line2, today);
	const checkDigits = readCheckDigits(line2.readable ? line2.text : null);
	const fieldResults = TD3_VALUE_FIELDS.map((name) => fields[name]);
	return {
		fields,
		check_digits: Object.fromEntries(
			checkDigits.map(({ check, result }) => [check, result]),
		) as Record<Td3CheckDigitName, CheckDigitResult>,
		fields_valid: line1.readable && line2.readable && fieldResults.every((result) => result.valid),
		check_digits_valid: checkDigits.every(({ result }) => result.valid),
		normalised_lines: [line1.text, line2.text],
		corrections: [...line1.corrections, ...line2.corrections],
		repairs: repaired?.repairs ?? [],
		lines_read: [line1.readable, line2.readable],
		problems: problemsOf([line1, line2, ...fieldResults]),
		check_digit_problems: [
			...problemsOf(checkDigits),
			...(repaired?.ambiguity ? [repaired.ambiguity] : []),
		],
	};
}

function problemsOf(results: ReadonlyArray<{ problem?: string }>): string[] {
	return results
		.map(({ problem }) => problem)
		.filter((problem): problem is string => problem !== undefined);
}

function readLine(raw: string | null | undefined, line: 1 | 2): LineReading {
	if (typeof raw !== 'string' || raw.trim() === '') {
		return { text: '', readable: false, corrections: [], problem: `MRZ line ${line} is missing` };
	}
	const { text, corrections } = normaliseMrzLine(raw, line);
	if (text.length === TD3_LINE_LENGTH) return { text, readable: true, corrections };
	const problem =
		`MRZ line ${line} has ${text.length} characters after clean-up; ` +
		`a passport MRZ line has ${TD3_LINE_LENGTH}, so its fields were not read`;
	return { text, readable: false, corrections, problem };
}

type FieldReader = (raw: string, label: string) => FieldResult;

function readFields(line1: LineReading, line2: LineReading, today: CalendarDate): Td3Fields {
	const field = (name: Td3FieldName, read: FieldReader) => readField(name, line1, line2, read);
	return {
		document_code: field('document_code', readDocumentCode),
		issuing_state: field('issuing_state', readCountryCode),
		...readNameField(line1),
		passport_number: field('passport_number', readPassportNumber),
		nationality: field('nationality', readCountryCode),
		date_of_birth: field('date_of_birth', (raw, label) => readDate(raw, 'birth', label, today)),
		sex: field('sex', readSex),
		date_of_expiry: field('date_of_expiry', (raw, label) => readDate(raw, 'expiry', label, today)),
		optional_data: field('optional_data', readOptionalData),
	};
}

function fieldSpec(name: Td3FieldName): Td3FieldSpec {
	return TD3_FIELDS.find((spec) => spec.field === name) as Td3FieldSpec;
}

/** A stray character outranks the reader's own verdict: the field is reported for the character. */
function readField(
	name: Td3FieldName,
	line1: LineReading,
	line2: LineReading,
	read: FieldReader,
): FieldResult {
	const spec = fieldSpec(name);
	const line = spec.line === 1 ? line1 : line2;
	if (!line.readable) return unread();
	const raw = slicePositions(line.text, spec);
	const result = read(raw, labelOf(name));
	const problem = characterProblem(spec, raw);
	return problem ? { value: result.value, valid: false, problem } : result;
}

function readNameField(line1: LineReading): Pick<Td3Fields, keyof NameResult> {
	if (!line1.readable)
		return { surname: unread(), given_names: unread(), name_may_be_truncated: null };
	const spec = fieldSpec('name');
	const raw = slicePositions(line1.text, spec);
	const name = readName(raw);
	const problem = characterProblem(spec, raw);
	if (!problem) return name;
	return {
		...name,
		surname: { value: name.surname.value, valid: false, problem },
		given_names: { value: name.given_names.value, valid: false },
	};
}

function characterProblem(spec: Td3FieldSpec, raw: string): string | undefined {
	if (CHARACTER_PATTERNS[spec.characters].test(raw)) return undefined;
	return `MRZ ${labelOf(spec.field)} ${raw} may hold only ${CHARACTER_CLASS_NAMES[spec.characters]}`;
}
