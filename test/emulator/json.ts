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
 */
export function parseJsonObject(bytes: Buffer): JsonObject | undefined {
	try {
		const value: unknown = JSON.parse(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'));
		return isObject(value) ? value : undefined;
	} catch {
		return undefined;
	}
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
