/**
 * What Input Binary Field holds, as typed or resolved from an expression: names (comma-separated, `*` patterns,
 * paths into the item's JSON), a file object, or a list of names and files.
 */
import type { IBinaryData } from 'n8n-workflow';

import { isRecord } from '../contract/passportApi';

/** One entry of Input Binary Field: a field name or pattern, or a file object an expression handed over. */
export type WantedFile = { name: string } | { file: IBinaryData };

/**
 * A file as n8n keeps it in an item: a MIME type, and its Base64 text (memory mode) or an id (other modes).
 * The same test as n8n-workflow's `isBinaryValue`, which n8n 1.x does not have.
 */
export function isFileObject(value: unknown): value is IBinaryData {
	return (
		isRecord(value) &&
		typeof value.mimeType === 'string' &&
		(typeof value.data === 'string' || typeof value.id === 'string')
	);
}

/**
 * A file an expression hands over: in memory mode n8n's expressions leave out the Base64 text, so the object
 * may carry only its metadata, and the node finds the item's file it describes.
 */
function isFileReference(value: unknown): value is IBinaryData {
	if (isFileObject(value)) return true;
	return (
		isRecord(value) && typeof value.mimeType === 'string' && typeof value.fileName === 'string'
	);
}

const namesIn = (text: string): WantedFile[] =>
	text
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '')
		.map((name) => ({ name }));

/**
 * Input Binary Field as typed or resolved: names separated by commas, a file object, or a list of names and
 * files (n8n's own nodes take the same since its binary helpers do). Undefined when it is none of these.
 */
export function wantedFiles(value: unknown): WantedFile[] | undefined {
	if (value === undefined || value === null) return namesIn('data');
	if (typeof value === 'string' || typeof value === 'number') return namesIn(String(value));
	if (isFileReference(value)) return [{ file: value }];
	if (!Array.isArray(value)) return undefined;
	const wanted: WantedFile[] = [];
	for (const entry of value as unknown[]) {
		if (isFileReference(entry)) wanted.push({ file: entry });
		else if (typeof entry === 'string') wanted.push(...namesIn(entry));
		else return undefined;
	}
	return wanted;
}
