import type { IDataObject } from 'n8n-workflow';

import type { ItemFailure } from '../contract/itemFailure';
import {
	MRZ_LINE_FIELDS,
	PASSPORT_FIELDS,
	type PassportField,
	type PassportResponse,
	type PassportResult,
} from '../contract/passportApi';

function cleanText(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	return trimmed === '' ? null : trimmed;
}

function objectOrEmpty(value: unknown): IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as IDataObject)
		: {};
}

/**
 * The 13 fields under the service's names, always present (null when not read) so that mappings in later nodes
 * never break; MRZ lines only when the service sent them; confidence and extra_info kept, never dropped.
 */
export function simplifiedJson(response: PassportResponse): IDataObject {
	const { result } = response;
	const json: IDataObject = {};
	for (const field of PASSPORT_FIELDS) json[field] = cleanText(result[field]);
	for (const line of MRZ_LINE_FIELDS) {
		if (typeof result[line] === 'string') json[line] = (result[line] as string).trim();
	}
	json.confidence = objectOrEmpty(result.confidence);
	json.extra_info = objectOrEmpty(result.extra_info);
	json.request_id = response.requestId ?? null;
	return json;
}

/** The printed fields and MRZ lines of a result, in the shapes the passport rules take. */
export function checkInputs(result: PassportResult) {
	const fields: Partial<Record<PassportField, string | null>> = {};
	for (const field of PASSPORT_FIELDS) fields[field] = cleanText(result[field]);
	const [line1, line2] = MRZ_LINE_FIELDS.map((field) =>
		typeof result[field] === 'string' ? (result[field] as string) : undefined,
	);
	const mrzLines = line1 === undefined && line2 === undefined ? undefined : { line1, line2 };
	const confidence = objectOrEmpty(result.confidence) as Record<string, number>;
	return { fields, mrzLines, confidence };
}

/** The service's answer as it came, plus the request ID from the response header. */
export function rawJson(response: PassportResponse): IDataObject {
	return { result: response.result as IDataObject, request_id: response.requestId ?? null };
}

/** The json of an error item under Continue On Fail: the message first, then what support needs. */
export function failureJson(failure: ItemFailure): IDataObject {
	return {
		error: failure.message,
		error_code: failure.code,
		error_description: failure.description,
		error_msg: failure.serviceMessage ?? null,
		http_status: failure.httpStatus ?? null,
		request_id: failure.requestId ?? null,
	};
}
