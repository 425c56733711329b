/**
 * Which files of an item Input Binary Field means, found from the item's metadata alone (no file is read here):
 * binary fields by name, comma-separated names, `*` patterns, file objects from an expression, and with
 * Execution Logic v2 (the `combined` binary mode) files anywhere in the item's JSON, `_files` included.
 */
import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';

import { inputFailure, succeed, type Outcome } from '../contract/itemFailure';
import { isFileObject, type WantedFile } from '../description/binaryFieldValue';

/** A file of the item, and where it was found. */
export interface ItemFile {
	/** Where the file sits, as output items say it (`binary_field`): a binary field, or a path into the JSON. */
	field: string;
	/** The binary field the file goes under on the output item (Keep Input Binary). */
	outputKey: string;
	binary: IBinaryData;
	/** Set when the file is a binary field of the item, which n8n's helpers read by name. */
	binaryKey?: string;
}

/** The files to read, in order. */
export interface FoundFiles {
	files: ItemFile[];
}

/** Files deeper than this in the JSON are not looked for; n8n puts them at the top or under `_files`. */
const MAX_JSON_DEPTH = 4;
/** Entries looked at in one item's JSON: a large JSON is not searched through for files. */
const MAX_JSON_ENTRIES = 10_000;

const SIMPLE_KEY = /^[A-Za-z_$][\w$]*$/;

const pathOf = (parent: string, key: string | number): string => {
	if (typeof key === 'number') return `${parent}[${key}]`;
	if (!SIMPLE_KEY.test(key)) return `${parent}[${JSON.stringify(key)}]`;
	return parent === '' ? key : `${parent}.${key}`;
};

/** `_files.attachment_0` → `attachment_0`, `Passport_Scan[1]` → `Passport_Scan_1`: a name a binary field can have. */
function outputKeyOf(path: string): string {
	const withoutFiles = path.replace(/^_files\./, '');
	const key = withoutFiles
		.replace(/\[(\d+)\]/g, '_$1')
		.replace(/[^\w$]+/g, '_')
		.replace(/^_+|_+$/g, '');
	return key === '' ? 'data' : key;
}

/** The files in the item's JSON, depth first in key order, with their paths. */
function jsonFiles(json: unknown): ItemFile[] {
	const found: ItemFile[] = [];
	let budget = MAX_JSON_ENTRIES;
	const visit = (value: unknown, path: string, depth: number) => {
		if (budget-- <= 0 || depth > MAX_JSON_DEPTH) return;
		if (isFileObject(value)) {
			found.push({ field: path, outputKey: outputKeyOf(path), binary: value });
			return;
		}
		if (Array.isArray(value)) {
			value.forEach((entry, index) => visit(entry, pathOf(path, index), depth + 1));
		} else if (typeof value === 'object' && value !== null) {
			for (const [key, entry] of Object.entries(value)) visit(entry, pathOf(path, key), depth + 1);
		}
	};
	visit(json, '', 0);
	return found;
}

/** Every file the item holds: its binary fields, and in the combined binary mode the files in its JSON. */
function candidates(item: INodeExecutionData | undefined, combined: boolean): ItemFile[] {
	const files: ItemFile[] = Object.entries(item?.binary ?? {})
		.filter(([, binary]) => isFileObject(binary))
		.map(([key, binary]) => ({
			field: key,
			outputKey: key,
			binary,
			// In the combined mode n8n's helpers take a name as a path into the JSON, so it is not passed to them.
			...(combined ? {} : { binaryKey: key }),
		}));
	return combined ? [...files, ...jsonFiles(item?.json)] : files;
}

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

const byName = (a: ItemFile, b: ItemFile) => naturalOrder(a.field, b.field);

/** The field name a pattern is matched on: the binary field, or the path's last name (`attachment_0`). */
const nameOf = (file: ItemFile) => file.field.replace(/^.*\./, '').replace(/\[\d+\]$/, '');

function patternMatcher(pattern: string): (file: ItemFile) => boolean {
	const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
	const expression = new RegExp(`^${escaped.join('.*')}$`);
	return (file) => expression.test(nameOf(file)) || expression.test(file.field);
}

/** The value at a path such as `Passport_Scan`, `_files.data` or `files[1]` in the item's JSON. */
function atPath(json: unknown, path: string): unknown {
	let value = json;
	for (const key of path.match(/[^.[\]]+/g) ?? []) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** The files a name means: a binary field, or (combined mode) a file or list of files at a JSON path. */
function named(name: string, all: ItemFile[], item: INodeExecutionData | undefined): ItemFile[] {
	if (name.includes('*')) return all.filter(patternMatcher(name)).sort(byName);
	const exact = all.filter((file) => file.field === name);
	if (exact.length > 0) return exact;
	const inJson = [name, `_files.${name}`].find((path) => atPath(item?.json, path) !== undefined);
	if (inJson === undefined) return [];
	const prefix = `${inJson}[`;
	return all.filter((file) => file.field === inJson || file.field.startsWith(prefix));
}

/** Whether `candidate` is the file an expression handed over: same id, same content, or same metadata. */
function sameFile(candidate: IBinaryData, file: IBinaryData): boolean {
	if (file.id !== undefined) return candidate.id === file.id;
	if (file.data) return candidate.id === undefined && candidate.data === file.data;
	return (
		candidate.fileName === file.fileName &&
		candidate.mimeType === file.mimeType &&
		candidate.fileSize === file.fileSize
	);
}

/**
 * The item's file that is `file` (an expression hands over a copy), or the file itself as the expression's;
 * undefined for a file that is neither in the item nor carries its content.
 */
function located(
	file: IBinaryData,
	all: ItemFile[],
	index: number,
	count: number,
): ItemFile | undefined {
	const same = all.find((candidate) => sameFile(candidate.binary, file));
	if (same) return same;
	if (!isFileObject(file)) return undefined;
	const field = count === 1 ? 'expression' : `expression[${index}]`;
	return { field, outputKey: outputKeyOf(field), binary: file };
}

const describeWanted = (wanted: WantedFile[]) =>
	wanted.map((entry) => ('name' in entry ? entry.name : 'a file')).join(', ');

/**
 * The files of item `itemIndex` that Input Binary Field means, in order. When names find nothing but the
 * item holds files, those are read (a Form Trigger or an email names its fields after the form field or the
 * attachment, which the default `data` never matches). Fails only when the item has no file at all, or a
 * file the expression names is not a file.
 */
export function findItemFiles(
	item: INodeExecutionData | undefined,
	itemIndex: number,
	wanted: WantedFile[],
	combined: boolean,
): Outcome<FoundFiles> {
	const all = candidates(item, combined);
	const chosen: ItemFile[] = [];
	wanted.forEach((entry, index) => {
		const files =
			'name' in entry
				? named(entry.name, all, item)
				: [located(entry.file, all, index, wanted.length)].filter((file) => file !== undefined);
		for (const file of files) if (!chosen.includes(file)) chosen.push(file);
	});
	if (chosen.length > 0) return succeed({ files: chosen });
	if (all.length > 0) return succeed({ files: [...all].sort(byName) });
	const asked = describeWanted(wanted) || 'data';
	return inputFailure(
		'INPUT.NO_BINARY',
		`Item ${itemIndex + 1} has no binary file (Input Binary Field is "${asked}")`,
		combined
			? 'Make sure the previous node outputs a file. With Execution Logic v2, files sit in the item (for example {{ $json.Passport_Scan }} or under _files): put their path in Input Binary Field, or leave it at data to read every file.'
			: 'Make sure the previous node outputs a file (its output shows it under Binary), or switch Input Source to Image URL or Base64.',
	);
}
