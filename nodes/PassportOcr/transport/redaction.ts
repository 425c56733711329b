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
	/SDK-HMAC-SHA256[^"\r\n|]*/gi,
	/Signature=[0-9a-fA-F]{16,}/g,
	/(\bauthorization\b["']?\s*[:=]\s*["']?)[^"'\r\n|,}]+/gi,
	/(\bx-(?:auth|subject|security)-token\b["']?\s*[:=]\s*["']?)[^"'\r\n|,}]+/gi,
];

/** The spellings a value takes when an upstream repeats it: as sent, escaped in JSON, escaped twice, in a URL. */
function spellings(secret: string): string[] {
	const json = JSON.stringify(secret).slice(1, -1);
	const jsonTwice = JSON.stringify(json).slice(1, -1);
	const url = encodeURIComponent(secret);
	return [...new Set([secret, json, jsonTwice, url])];
}

/** Replaces every secret in a text. Build one per credential; add tokens as they are issued. */
export class Redactor {
	private readonly secrets = new Set<string>();

	constructor(values: Iterable<unknown> = []) {
		for (const value of values) this.add(value);
	}

	/** Adds a value to hide; values that are not text, or too short to be a secret, are ignored. */
	add(value: unknown): void {
		if (typeof value !== 'string' || value.length < SHORTEST_SECRET) return;
		for (const spelling of spellings(value)) this.secrets.add(spelling);
	}

	redact(text: string): string {
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
