/**
 * The PDF object syntax (ISO 32000-1 §7.2–7.3): the values a file holds (names, strings, numbers, arrays,
 * dictionaries, streams, references) and the lexer that reads them from bytes. pdfDocument.ts finds objects
 * through the cross-reference data; pdfFilters.ts decodes stream data.
 *
 * The file may be hostile. Every loop is bounded by the file's length or by a cap in `PdfLimits`; sizes the file
 * claims (a stream /Length, an /N, an /Index count) only ever shrink what is read, never grow an allocation; and
 * cycles (/Prev loops, objects that refer to themselves) are cut by visited sets. Problems are thrown as
 * `PdfProblem` for the caller to turn into a message; nothing else is thrown on purpose.
 */

export interface PdfLimits {
	/** Most bytes one stream may inflate to; larger output stops decoding early (see pdfScan.ts for the figure). */
	maxStreamBytes: number;
	/** Most bytes all inflated streams together may produce, so many medium streams cannot add up to hours. */
	maxTotalInflatedBytes: number;
	/** Most objects read from the cross-reference data or a rebuild; real scanned PDFs have a few hundred. */
	maxObjects: number;
	/** Most pages looked at when every page is wanted. */
	maxPages: number;
	/** Deepest nesting of arrays and dictionaries inside one object. */
	maxNesting: number;
	/** Most cross-reference sections followed through /Prev and /XRefStm (one per incremental update). */
	maxXrefSections: number;
}

export class PdfProblem {
	constructor(
		readonly kind: 'damaged' | 'too-large' | 'encrypted',
		readonly detail: string,
	) {}
}

export class PdfName {
	constructor(readonly name: string) {}
}

export class PdfRef {
	constructor(
		readonly num: number,
		readonly gen: number,
	) {}
}

/** The raw bytes between the delimiters (`hex` for `<…>`); `stringBytes` gives the bytes it stands for. */
export class PdfString {
	constructor(
		readonly raw: Buffer,
		readonly hex = false,
	) {}
}

const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12 };

/** The bytes a string stands for (§7.3.4): hex digits decoded, or a literal string's escapes undone. */
export function stringBytes(value: PdfString): Buffer {
	const raw = value.raw;
	if (value.hex) {
		const digits = raw.toString('latin1').replace(/[^0-9a-fA-F]/g, '');
		return Buffer.from(digits.length % 2 ? `${digits}0` : digits, 'hex');
	}
	const out: number[] = [];
	for (let i = 0; i < raw.length; i++) {
		const byte = raw[i];
		if (byte !== 0x5c) {
			out.push(byte);
			continue;
		}
		const next = raw[++i];
		if (next === undefined) break;
		const char = String.fromCharCode(next);
		if (char in ESCAPES) out.push(ESCAPES[char]);
		else if (next >= 0x30 && next <= 0x37) {
			let octal = next - 0x30;
			for (let k = 0; k < 2 && raw[i + 1] >= 0x30 && raw[i + 1] <= 0x37; k++)
				octal = octal * 8 + raw[++i] - 0x30;
			out.push(octal & 0xff);
		} else if (next === 0x0d) {
			// A backslash at the end of a line continues the string on the next.
			if (raw[i + 1] === 0x0a) i++;
		} else if (next !== 0x0a) out.push(next);
	}
	return Buffer.from(out);
}

export class PdfDict {
	readonly map = new Map<string, PdfValue>();
	get(key: string): PdfValue {
		return this.map.get(key) ?? null;
	}
}

export class PdfStream {
	constructor(
		readonly dict: PdfDict,
		/** The stored (still encoded) data: a view into the file, not a copy. */
		readonly raw: Buffer,
		/** False when the file ends before `endstream`: the data is cut off. */
		readonly complete: boolean,
		/** The object it is (an encrypted file's key for the stream depends on it). */
		readonly ref?: PdfRef,
	) {}
}

export type PdfValue =
	| null
	| boolean
	| number
	| PdfName
	| PdfString
	| PdfRef
	| PdfValue[]
	| PdfDict
	| PdfStream;

/** An operator or keyword: `obj`, `R`, or in a content stream `cm`, `Do`, `BI`… */
export class Keyword {
	constructor(readonly word: string) {}
}

type Token = PdfValue | Keyword | { end: ']' | '>>' };

export const ascii = (text: string) => Buffer.from(text, 'latin1');

export const isWhite = (byte: number) =>
	byte === 0x20 ||
	byte === 0x0a ||
	byte === 0x0d ||
	byte === 0x09 ||
	byte === 0x0c ||
	byte === 0x00;

/** ( ) < > [ ] { } / % */
const isDelimiter = (byte: number) =>
	byte === 0x28 ||
	byte === 0x29 ||
	byte === 0x3c ||
	byte === 0x3e ||
	byte === 0x5b ||
	byte === 0x5d ||
	byte === 0x7b ||
	byte === 0x7d ||
	byte === 0x2f ||
	byte === 0x25;

export const isRegular = (byte: number) => !isWhite(byte) && !isDelimiter(byte);
export const isDigit = (byte: number) => byte >= 0x30 && byte <= 0x39;

export const damaged = (detail: string) => new PdfProblem('damaged', detail);

/**
 * Runs `read`; a problem of one of `kinds` (by default 'damaged') gives undefined so the caller can try another
 * way, while other problems (limits reached) and any bug still end the whole reading.
 */
export function unlessDamaged<T>(
	read: () => T,
	kinds: Array<PdfProblem['kind']> = ['damaged'],
): T | undefined {
	let caught: unknown;
	try {
		return read();
	} catch (error) {
		caught = error;
	}
	if (caught instanceof PdfProblem && kinds.includes(caught.kind)) return undefined;
	throw caught;
}

/** Reads tokens and values from `bytes` starting at `at`. */
export class Lexer {
	constructor(
		readonly bytes: Buffer,
		public at: number,
		private readonly maxNesting: number,
	) {}

	skipSpace(): void {
		const b = this.bytes;
		while (this.at < b.length) {
			const byte = b[this.at];
			if (isWhite(byte)) this.at++;
			else if (byte === 0x25) {
				while (this.at < b.length && b[this.at] !== 0x0a && b[this.at] !== 0x0d) this.at++;
			} else break;
		}
	}

	private regularRun(): string {
		const start = this.at;
		while (this.at < this.bytes.length && isRegular(this.bytes[this.at])) this.at++;
		return this.bytes.toString('latin1', start, this.at);
	}

	/** The next token, or undefined at the end of the data. */
	token(): Token | undefined {
		this.skipSpace();
		const b = this.bytes;
		if (this.at >= b.length) return undefined;
		const byte = b[this.at];
		switch (byte) {
			case 0x2f: {
				this.at++;
				// #xx escapes (§7.3.5) matter: `/Im#31` and `/Im1` are the same name.
				const raw = this.regularRun();
				return new PdfName(
					raw.includes('#')
						? raw.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) =>
								String.fromCharCode(parseInt(hex, 16)),
							)
						: raw,
				);
			}
			case 0x5b:
				this.at++;
				return new Keyword('[');
			case 0x5d:
				this.at++;
				return { end: ']' };
			case 0x3c:
				if (b[this.at + 1] === 0x3c) {
					this.at += 2;
					return new Keyword('<<');
				}
				return this.hexString();
			case 0x3e:
				if (b[this.at + 1] === 0x3e) {
					this.at += 2;
					return { end: '>>' };
				}
				this.at++;
				return new Keyword('>');
			case 0x28:
				return this.literalString();
			case 0x29:
			case 0x7b:
			case 0x7d:
				this.at++;
				return new Keyword(String.fromCharCode(byte));
		}
		const word = this.regularRun();
		if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return Number(word);
		if (word === 'true') return true;
		if (word === 'false') return false;
		if (word === 'null') return null;
		return new Keyword(word);
	}

	private hexString(): PdfString {
		const start = ++this.at;
		const end = this.bytes.indexOf(0x3e, start);
		this.at = end < 0 ? this.bytes.length : end + 1;
		return new PdfString(this.bytes.subarray(start, end < 0 ? this.bytes.length : end), true);
	}

	/** Balanced parentheses nest; a backslash escapes the next byte. */
	private literalString(): PdfString {
		const b = this.bytes;
		const start = ++this.at;
		let depth = 1;
		while (this.at < b.length) {
			const byte = b[this.at++];
			if (byte === 0x5c) this.at++;
			else if (byte === 0x28) depth++;
			else if (byte === 0x29 && --depth === 0) break;
		}
		return new PdfString(b.subarray(start, Math.min(this.at - 1, b.length)));
	}

	/**
	 * One value. `N G R` is a reference: after an integer the next two tokens are looked at and put back unless
	 * they complete one.
	 */
	value(depth = 0): PdfValue {
		const token = this.token();
		return this.valueFrom(token, depth);
	}

	private valueFrom(token: Token | undefined, depth: number): PdfValue {
		if (token === undefined) throw damaged('the file ends in the middle of an object');
		if (typeof token === 'number') return this.maybeRef(token);
		if (token instanceof Keyword) {
			if (token.word === '[') return this.array(depth + 1);
			if (token.word === '<<') return this.dict(depth + 1);
			// A stray keyword where a value belongs (seen in damaged files): treated as null, like other readers.
			return null;
		}
		if (token !== null && typeof token === 'object' && 'end' in token) {
			throw damaged('an object closes a bracket it did not open');
		}
		return token;
	}

	private maybeRef(num: number): PdfValue {
		if (!Number.isInteger(num) || num < 0) return num;
		const back = this.at;
		const gen = this.token();
		if (typeof gen === 'number' && Number.isInteger(gen) && gen >= 0) {
			const r = this.token();
			if (r instanceof Keyword && r.word === 'R') return new PdfRef(num, gen);
		}
		this.at = back;
		return num;
	}

	private checkDepth(depth: number): void {
		if (depth > this.maxNesting) {
			throw damaged(`arrays or dictionaries are nested more than ${this.maxNesting} deep`);
		}
	}

	private array(depth: number): PdfValue[] {
		this.checkDepth(depth);
		const items: PdfValue[] = [];
		for (;;) {
			const token = this.token();
			if (token === undefined) throw damaged('the file ends inside an array');
			if (token !== null && typeof token === 'object' && 'end' in token) {
				if (token.end === ']') return items;
				throw damaged('an array is closed by >>');
			}
			if (token instanceof Keyword && (token.word === 'endobj' || token.word === 'obj')) {
				throw damaged('an array is not closed');
			}
			items.push(this.valueFrom(token, depth));
		}
	}

	private dict(depth: number): PdfDict {
		this.checkDepth(depth);
		const dict = new PdfDict();
		for (;;) {
			const key = this.token();
			if (key === undefined) throw damaged('the file ends inside a dictionary');
			if (key !== null && typeof key === 'object' && 'end' in key) {
				if (key.end === '>>') return dict;
				throw damaged('a dictionary is closed by ]');
			}
			if (key instanceof Keyword && (key.word === 'endobj' || key.word === 'stream')) {
				throw damaged('a dictionary is not closed');
			}
			// A key that is not a name is skipped, as lenient readers do.
			if (!(key instanceof PdfName)) continue;
			const next = this.token();
			if (next !== null && typeof next === 'object' && 'end' in next && next.end === '>>') {
				return dict;
			}
			dict.map.set(key.name, this.valueFrom(next, depth));
		}
	}

	/**
	 * The next item of a content stream (§7.8.2): an operand (arrays and dictionaries whole) or an operator
	 * keyword; undefined at the end.
	 */
	contentItem(): PdfValue | Keyword | undefined {
		const token = this.token();
		if (token === undefined) return undefined;
		if (token instanceof Keyword) {
			return token.word === '[' || token.word === '<<' ? this.valueFrom(token, 0) : token;
		}
		if (token !== null && typeof token === 'object' && 'end' in token) return null;
		return token;
	}

	/** After `<<…>>` of an indirect object: true (and positioned at the data) when `stream` follows. */
	streamStart(): boolean {
		const back = this.at;
		this.skipSpace();
		if (this.bytes.toString('latin1', this.at, this.at + 6) !== 'stream') {
			this.at = back;
			return false;
		}
		this.at += 6;
		// §7.3.8.1: CRLF or LF; a lone CR is tolerated.
		if (this.bytes[this.at] === 0x0d) this.at++;
		if (this.bytes[this.at] === 0x0a) this.at++;
		return true;
	}
}

export const asNumber = (value: PdfValue): number | undefined =>
	typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export const asName = (value: PdfValue): string | undefined =>
	value instanceof PdfName ? value.name : undefined;
