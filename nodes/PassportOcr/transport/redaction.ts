/**
 * The one step between what an upstream says and what the node shows. Gateways, proxies and IAM itself may
 * repeat the request in an error (its headers, or the sign-in body with the password), so every text that comes
 * from an answer passes through `redact` before it can reach a message, an output item or a log.
 */

/** Shown in place of a secret. */
export const REDACTED = '[redacted]';

/**
 * Shorter values are not secrets a user typed (an empty field, a stray character) and replacing them would
 * garble ordinary text.
 */
const SHORTEST_SECRET = 4;

/** Signatures and Authorization values are computed per request, so they are matched by shape, not by value. */
const COMPUTED_SECRETS: RegExp[] = [
	/SDK-HMAC-SHA256[^"\\\r\n|]*/gi,
	/Signature=[0-9a-fA-F]{16,}/g,
	// A header name, then its value up to the end of the header, the string or the field; quotes may be escaped.
	// No word boundary before the name: in JSON text a header line follows the letter of an escaped \n.
	/(authorization\b(?:\\*["'])?\s*[:=]\s*(?:\\*["'])?)[^"'\\\r\n|,}]+/gi,
	/(x-(?:auth|subject|security)-token\b(?:\\*["'])?\s*[:=]\s*(?:\\*["'])?)[^"'\\\r\n|,}]+/gi,
];

const unicodeEscape = (character: string): string =>
	`\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * JSON as other writers escape it: every non-ASCII character as \uXXXX (Python, Jackson), and also `<`, `>`,
 * `&` (Go), in lower and upper case hex.
 */
function otherJsonEscapes(json: string): string[] {
	const ascii = json.replace(/[\u007f-\uffff]/g, unicodeEscape);
	const go = json.replace(/[<>&]/g, unicodeEscape);
	const html = ascii.replace(/[<>&]/g, unicodeEscape);
	const upper = (text: string) =>
		text.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => `\\u${hex.toUpperCase()}`);
	return [ascii, go, html, upper(ascii), upper(html)];
}

function urlEncoded(secret: string): string[] {
	try {
		return [encodeURIComponent(secret)];
	} catch {
		// A lone surrogate cannot be URL-encoded, so it cannot arrive that way either.
		return [];
	}
}

/** The spellings a value takes when an upstream repeats it: as sent, escaped in JSON, escaped twice, in a URL. */
function spellings(secret: string): string[] {
	const json = JSON.stringify(secret).slice(1, -1);
	const jsonTwice = JSON.stringify(json).slice(1, -1);
	return [...new Set([secret, json, jsonTwice, ...otherJsonEscapes(json), ...urlEncoded(secret)])];
}

/**
 * Replaces every secret in a text. Build one per credential. `current` is read again before every text, so
 * that a token n8n writes into the credential data during a run (its sign-in) is hidden from then on.
 */
export class Redactor {
	private readonly secrets = new Set<string>();

	private readonly known = new Set<unknown>();

	constructor(
		values: Iterable<unknown> = [],
		private readonly current: () => unknown[] = () => [],
	) {
		for (const value of values) this.add(value);
	}

	/** Adds a value to hide; values that are not text, or too short to be a secret, are ignored. */
	add(value: unknown): void {
		if (typeof value !== 'string' || value.length < SHORTEST_SECRET || this.known.has(value))
			return;
		this.known.add(value);
		for (const spelling of spellings(value)) this.secrets.add(spelling);
	}

	redact(text: string): string {
		for (const value of this.current()) this.add(value);
		let safe = text;
		// Longest first, so that a secret that contains another is hidden whole.
		const secrets = [...this.secrets].sort((a, b) => b.length - a.length);
		for (const secret of secrets) safe = safe.split(secret).join(REDACTED);
		for (const pattern of COMPUTED_SECRETS) {
			safe = safe.replace(pattern, (match: string, name?: string) =>
				typeof name === 'string' ? `${name}${REDACTED}` : REDACTED,
			);
		}
		return safe;
	}
}
