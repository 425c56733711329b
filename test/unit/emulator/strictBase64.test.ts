import fc from 'fast-check';

import { strictBase64 } from '../../emulator/passportService';

/** The definition the emulator enforces, written the slow, obvious way. */
function isStrictBase64(text: string): boolean {
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return false;
	return text.includes('=') ? text.length % 4 === 0 : text.length % 4 !== 1;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Characters Node's lenient decoder skips, stops at, or reads as URL-safe Base64. */
const TRAPS = ['=', '-', '_', ' ', '\n', '*', '.', 'é', '€', '\u0000'];

const nearlyBase64 = fc
	.tuple(
		fc.uint8Array({ maxLength: 64 }),
		fc.array(fc.tuple(fc.nat(), fc.constantFrom(...TRAPS, ...ALPHABET)), { maxLength: 3 }),
		fc.nat({ max: 3 }),
	)
	.map(([bytes, edits, cut]) => {
		let text = Buffer.from(bytes).toString('base64');
		for (const [at, char] of edits) {
			const where = text.length === 0 ? 0 : at % (text.length + 1);
			text = text.slice(0, where) + char + text.slice(where);
		}
		return text.slice(0, Math.max(0, text.length - cut));
	});

describe('strictBase64', () => {
	it('accepts exactly the strict standard Base64 texts, and decodes them as Node does', () => {
		fc.assert(
			fc.property(nearlyBase64, (text) => {
				const bytes = strictBase64(text);
				expect(bytes !== undefined).toBe(isStrictBase64(text));
				if (bytes) expect(bytes.equals(Buffer.from(text, 'base64'))).toBe(true);
			}),
			{ numRuns: 5000 },
		);
	});

	it.each([
		['AAAA', true],
		['AAA=', true],
		['AA==', true],
		['AA', true],
		['A===', false],
		['AAAAA', false],
		['AA=A', false],
		['AAAA=AAA', false],
		['AA A', false],
		['AA-A', false],
		['AA_A', false],
		['AAé=', false],
	])('%j is strict Base64: %s', (text, valid) => {
		expect(strictBase64(text) !== undefined).toBe(valid);
		expect(isStrictBase64(text)).toBe(valid);
	});
});
