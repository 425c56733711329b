/**
 * Every output item the node emits is built here, from typed values: a passport that was read (clean or with
 * review reasons), an image the service could not read (Needs Review), and an error item (Continue On Fail).
 * Keys come from fixed lists in this file and in contract/passportApi.ts, never from the service's answer, so
 * an answer cannot add, rename or shadow a key (`__proto__`, `constructor`) of the items later nodes map.
 */
import type { IBinaryKeyData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { ItemFailure } from '../contract/itemFailure';
import {
	isRecord,
	MRZ_LINE_FIELDS,
	PASSPORT_FIELDS,
	type PassportField,
	type PassportResponse,
	type PassportResult,
} from '../contract/passportApi';
import type { MrzLines, MrzReport, PassportCheckReport } from '../passport/passportChecks';

/**
 * Where an output item's image came from: the binary field read, the PDF page of the scan, and what was done to
 * the scan to send it (`pdf_note`, only when something was).
 */
export interface EntrySource {
	binaryField: string | null;
	pdfPage: number | null;
	pdfNote?: string;
}

/** What one image came to; `unreadable` goes to Needs Review, `error` is a Continue On Fail error item. */
export type OutputEntry =
	| {
			kind: 'read';
			response: PassportResponse;
			report: PassportCheckReport;
			reviewReasons: string[];
	  }
	| { kind: 'unreadable'; failure: ItemFailure }
	| { kind: 'error'; failure: ItemFailure };

export interface OutputSettings {
	simplify: boolean;
	/** With the Needs Review output on, read items say why they need review (an empty list when clean). */
	reviewEnabled: boolean;
	/** The input item's files, when Keep Input Binary is on. */
	binary?: IBinaryKeyData;
}

/** Keys the service may use in `confidence`: the fields it reads. */
const CONFIDENCE_KEYS: readonly string[] = [...PASSPORT_FIELDS, ...MRZ_LINE_FIELDS];

/** Keys of `extra_info` (local-language fields) are the service's: only plain lower-case words pass. */
const EXTRA_INFO_KEY = /^[a-z][a-z0-9_]{0,63}$/;
const EXTRA_INFO_MAX_KEYS = 64;

function cleanText(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	return trimmed === '' ? null : trimmed;
}

/** The service's confidence per field, for the fields it reads, as finite numbers. */
function knownConfidence(result: PassportResult): Record<string, number> {
	const source = isRecord(result.confidence) ? result.confidence : {};
	const confidence: Record<string, number> = {};
	for (const key of CONFIDENCE_KEYS) {
		const value: unknown = Object.prototype.hasOwnProperty.call(source, key)
			? source[key]
			: undefined;
		if (typeof value === 'number' && Number.isFinite(value)) confidence[key] = value;
	}
	return confidence;
}

/**
 * `extra_info` with text, number and true/false values under plain keys, and one level of objects of those
 * (Chinese passports carry their local-language fields in `local_language`); anything else is left out.
 */
function extraInfo(source: unknown, nested = true): IDataObject {
	const info: IDataObject = {};
	if (!isRecord(source)) return info;
	for (const [key, value] of Object.entries(source).slice(0, EXTRA_INFO_MAX_KEYS)) {
		if (!EXTRA_INFO_KEY.test(key)) continue;
		if (typeof value === 'string' || typeof value === 'boolean') info[key] = value;
		else if (typeof value === 'number' && Number.isFinite(value)) info[key] = value;
		else if (nested && isRecord(value)) info[key] = extraInfo(value, false);
	}
	return info;
}

/** The printed fields, MRZ lines and confidence of a result, in the shapes the passport rules take. */
export function checkInputs(result: PassportResult): {
	fields: Record<PassportField, string | null>;
	mrzLines: MrzLines | undefined;
	confidence: Record<string, number>;
} {
	const fields = {} as Record<PassportField, string | null>;
	for (const field of PASSPORT_FIELDS) fields[field] = cleanText(result[field]);
	const [line1, line2] = MRZ_LINE_FIELDS.map((field) =>
		typeof result[field] === 'string' ? result[field] : undefined,
	);
	const mrzLines = line1 === undefined && line2 === undefined ? undefined : { line1, line2 };
	return { fields, mrzLines, confidence: knownConfidence(result) };
}

/**
 * The 13 fields (the service's, repaired or taken from the MRZ as the report says; null when nothing gave
 * one), the MRZ lines as the service sent them, confidence, extra_info, request ID.
 */
function answerJson(response: PassportResponse, report: PassportCheckReport): IDataObject {
	const { result } = response;
	const json: IDataObject = {};
	for (const field of PASSPORT_FIELDS) json[field] = report.fields[field] ?? null;
	for (const line of MRZ_LINE_FIELDS) {
		const value = result[line];
		if (typeof value === 'string') json[line] = value.trim();
	}
	json.confidence = knownConfidence(result);
	json.extra_info = extraInfo(result.extra_info);
	json.request_id = response.requestId ?? null;
	return json;
}

function mrzJson(mrz: MrzReport): IDataObject {
	const checkDigits: IDataObject = {};
	for (const [name, digit] of Object.entries(mrz.check_digits)) {
		checkDigits[name] = { expected: digit.expected, found: digit.found, valid: digit.valid };
	}
	return {
		document_code: mrz.document_code,
		issuing_state: mrz.issuing_state,
		surname: mrz.surname,
		given_names: mrz.given_names,
		name_may_be_truncated: mrz.name_may_be_truncated,
		passport_number: mrz.passport_number,
		nationality: mrz.nationality,
		date_of_birth: mrz.date_of_birth,
		sex: mrz.sex,
		date_of_expiry: mrz.date_of_expiry,
		optional_data: mrz.optional_data,
		check_digits: checkDigits,
		normalised_lines: [...mrz.normalised_lines],
		corrections: mrz.corrections.map(({ line, change }) => ({ line, change })),
	};
}

/** The passport rules' report: checks, the parsed MRZ, computed dates, the weakest field. */
function reportJson(report: PassportCheckReport): IDataObject {
	const checks: IDataObject = {};
	for (const [name, value] of Object.entries(report.checks)) {
		checks[name] = Array.isArray(value) ? [...value] : value;
	}
	return {
		filled_from_mrz: [...report.filled_from_mrz],
		repairs: report.repairs.map(({ field, line, read, became, rule }) => ({
			field,
			line,
			read,
			became,
			rule,
		})),
		checks,
		...(report.mrz ? { mrz: mrzJson(report.mrz) } : {}),
		age: report.age,
		date_of_birth_partly_unknown: report.date_of_birth_partly_unknown,
		is_expired: report.is_expired,
		days_to_expiry: report.days_to_expiry,
		lowest_confidence: report.lowest_confidence,
		lowest_confidence_field: report.lowest_confidence_field,
	};
}

function sourceJson(source: EntrySource, always: boolean): IDataObject {
	const json: IDataObject = {};
	if (always || source.binaryField !== null) json.binary_field = source.binaryField;
	if (always || source.pdfPage !== null) json.pdf_page = source.pdfPage;
	if (source.pdfNote !== undefined) json.pdf_note = source.pdfNote;
	return json;
}

/** What support needs about a failure: the service's code, words, HTTP status and request ID. */
function failureDetails(failure: ItemFailure): IDataObject {
	return {
		error_code: failure.code,
		error_description: failure.description,
		error_msg: failure.serviceMessage ?? null,
		http_status: failure.httpStatus ?? null,
		request_id: failure.requestId ?? null,
	};
}

function readJson(
	entry: Extract<OutputEntry, { kind: 'read' }>,
	source: EntrySource,
	settings: OutputSettings,
): IDataObject {
	if (!settings.simplify) {
		return {
			result: entry.response.result as IDataObject,
			request_id: entry.response.requestId ?? null,
			...sourceJson(source, false),
		};
	}
	return {
		...answerJson(entry.response, entry.report),
		...reportJson(entry.report),
		...sourceJson(source, true),
		...(settings.reviewEnabled ? { review_reasons: [...entry.reviewReasons] } : {}),
	};
}

/**
 * An image the service (or the local checks) could not read, for the Needs Review output: the simplified
 * shape with every field null, the reason where failed checks put theirs (`checks.problems`,
 * `review_reasons`), and the failure's code and details.
 */
function unreadableJson(failure: ItemFailure, source: EntrySource): IDataObject {
	const json: IDataObject = {};
	for (const field of PASSPORT_FIELDS) json[field] = null;
	return {
		...json,
		confidence: {},
		extra_info: {},
		filled_from_mrz: [],
		repairs: [],
		checks: { valid: false, image_readable: false, problems: [failure.message] },
		age: null,
		date_of_birth_partly_unknown: false,
		is_expired: null,
		days_to_expiry: null,
		lowest_confidence: null,
		lowest_confidence_field: null,
		...sourceJson(source, true),
		review_reasons: [failure.message],
		...failureDetails(failure),
	};
}

/** The json of an error item under Continue On Fail: the message first, then what support needs. */
export function failureJson(failure: ItemFailure, source?: EntrySource): IDataObject {
	return {
		error: failure.message,
		...failureDetails(failure),
		...(source ? sourceJson(source, false) : {}),
	};
}

function entryJson(entry: OutputEntry, source: EntrySource, settings: OutputSettings): IDataObject {
	switch (entry.kind) {
		case 'read':
			return readJson(entry, source, settings);
		case 'unreadable':
			return unreadableJson(entry.failure, source);
		case 'error':
			return failureJson(entry.failure, source);
	}
}

/** Whether the entry belongs on the Needs Review output (when that output is on). */
export const needsReview = (entry: OutputEntry): boolean =>
	entry.kind !== 'read' || entry.reviewReasons.length > 0;

/** One output item, linked to its input item; read and review items carry the input's files on request. */
export function outputItem(
	entry: OutputEntry,
	source: EntrySource,
	settings: OutputSettings,
	itemIndex: number,
): INodeExecutionData {
	const item: INodeExecutionData = {
		json: entryJson(entry, source, settings),
		pairedItem: { item: itemIndex },
	};
	if (entry.kind !== 'error' && settings.binary) item.binary = settings.binary;
	return item;
}

/** The error item of an input item (or of one of its files, `binaryField`) that failed, under Continue On Fail. */
export const errorItem = (
	failure: ItemFailure,
	itemIndex: number,
	binaryField: string | null = null,
): INodeExecutionData => ({
	json: failureJson(failure, binaryField === null ? undefined : { binaryField, pdfPage: null }),
	pairedItem: { item: itemIndex },
});

/** A file of the item that was not read, as output items name it. */
export interface SkippedFileEntry {
	field: string;
	fileName: string | null;
	reason: string;
}

/** The item with the files its input item held that were skipped, and why (`skipped_files`), when there are any. */
export function withSkippedFiles(
	item: INodeExecutionData,
	skipped: SkippedFileEntry[],
): INodeExecutionData {
	if (skipped.length === 0) return item;
	const skippedFiles = skipped.map(({ field, fileName, reason }) => ({
		binary_field: field,
		file_name: fileName,
		reason,
	}));
	return { ...item, json: { ...item.json, skipped_files: skippedFiles } };
}
