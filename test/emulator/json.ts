/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import { isAscii } from 'node:buffer';

/** Narrowing helpers for request bodies, which arrive as `unknown` JSON. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The JSON object in `bytes`, or `undefined` when they are not JSON or not an object. ASCII bytes, as every
 * Base64 body is, read the same as Latin-1 and as UTF-8, and Latin-1 is the cheaper decoding of megabytes.
 *
 * `isPlainImage`, when given, may vouch that the body's `image` string holds only characters JSON takes raw (no
 * quote, backslash or control character), so that JSON.parse need not run over it (see `withImageCutOut`).
 */
export function parseJsonObject(
	bytes: Buffer,
	isPlainImage?: (image: string) => boolean,
): JsonObject | undefined {
	const text = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
	const cut = isPlainImage === undefined ? undefined : withImageCutOut(text, isPlainImage);
	const value = cut ?? parsed(text);
	return isObject(value) ? value : undefined;
}

/** JSON.parse's value, or undefined when it throws. */
function parsed(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** The `image` key and the opening quote of its string. */
const IMAGE_KEY = /"image"[ \t\n\r]*:[ \t\n\r]*"/;

/**
 * The object in `text`, parsed without running JSON.parse over its `image` string, which is megabytes of Base64:
 * JSON.parse takes about 11 ms for 2 MB, and at that cost the emulator, not the node, set the benchmark's pace at
 * concurrency 16 and above. The rest of the text still goes through JSON.parse, with the string cut out. The
 * answer is `undefined`, and the caller parses the whole text, unless the cut text parses with `image` an empty
 * string at the top level, no `image` follows (a later duplicate would win), and `isPlain` vouches for the string.
 * The text before the string is the same in both, and a plain string changes no token around it, so the result
 * is always JSON.parse's.
 */
function withImageCutOut(text: string, isPlain: (image: string) => boolean): unknown {
	const key = IMAGE_KEY.exec(text);
	if (key === null) return undefined;
	const start = key.index + key[0].length;
	const end = text.indexOf('"', start);
	if (end < 0 || text.includes('"image"', end)) return undefined;
	const rest = parsed(`${text.slice(0, start)}${text.slice(end)}`);
	if (!isObject(rest) || rest.image !== '') return undefined;
	const image = text.slice(start, end);
	return isPlain(image) ? { ...rest, image } : undefined;
}

/** Follows `path` through nested objects; `undefined` when a step is missing or not an object. */
export function dig(value: unknown, ...path: string[]): unknown {
	let current = value;
	for (const key of path) {
		if (!isObject(current)) return undefined;
		current = current[key];
	}
	return current;
}

export function nonEmptyString(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}
