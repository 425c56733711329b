/**
 * Just enough of a PDF reader (ISO 32000-1 §7) to walk the page tree and reach image streams: the object syntax,
 * classic cross-reference tables, cross-reference streams, object streams, incremental updates, and a rebuild
 * by scanning for `N G obj` when the cross-reference data is missing or wrong.
 *
 * The file may be hostile. Every loop is bounded by the file's length or by a cap in `PdfLimits`; sizes the file
 * claims (a stream /Length, an /N, an /Index count) only ever shrink what is read, never grow an allocation; and
 * cycles (/Prev loops, objects that refer to themselves) are cut by visited sets. Problems are thrown as
 * `PdfProblem` for the caller to turn into a message; nothing else is thrown on purpose.
 */
import { inflate } from './inflate';
import { unfilterPngRows } from './pngFromPixels';

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

const ascii = (text: string) => Buffer.from(text, 'latin1');

const isWhite = (byte: number) =>
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

const isRegular = (byte: number) => !isWhite(byte) && !isDelimiter(byte);
const isDigit = (byte: number) => byte >= 0x30 && byte <= 0x39;

const damaged = (detail: string) => new PdfProblem('damaged', detail);

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

type XrefEntry = { type: 'offset'; offset: number } | { type: 'compressed'; stream: number };

interface ObjectStream {
	data: Buffer;
	offsets: Map<number, number>;
}

const MAX_STRUCTURE_BYTES = 16 * 1024 * 1024;

/** Deepest chain of objects being read at once; real files need two or three (a stream and its /Length). */
const MAX_READ_CHAIN = 32;

const ENDSTREAM = ascii('endstream');
const STARTXREF = ascii('startxref');
const TRAILER = ascii('trailer');
const OBJ = ascii('obj');

export const asNumber = (value: PdfValue): number | undefined =>
	typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export const asName = (value: PdfValue): string | undefined =>
	value instanceof PdfName ? value.name : undefined;

/**
 * A PDF file opened for reading objects on demand. Objects are parsed once and cached; stream data stays a view
 * into the file until something decodes it.
 */
export class PdfDocument {
	private readonly xref = new Map<number, XrefEntry>();
	private readonly cache = new Map<number, PdfValue>();
	private readonly inProgress = new Set<number>();
	private readonly objectStreams = new Map<number, ObjectStream | null>();
	private scanned: Map<number, number> | undefined;
	private parses = 0;
	private inflated = 0;
	private decryptor: ((data: Buffer, num: number, gen: number) => Buffer) | undefined;
	private readonly decrypted = new WeakMap<PdfStream, Buffer>();
	trailer = new PdfDict();
	/** Set when the cross-reference data was unusable and objects were found by scanning the file. */
	rebuilt = false;

	constructor(
		readonly bytes: Buffer,
		readonly limits: PdfLimits,
	) {}

	/** Reads the cross-reference data, or rebuilds it by scanning; throws PdfProblem when neither works. */
	/**
	 * `unlock` runs once the trailer is known and before any stream is read through it: an encrypted file's
	 * decryption is set up there (object streams, and so the catalog, may be encrypted).
	 */
	open(unlock: () => void = () => undefined): void {
		if (unlessDamaged(() => this.readXrefChain()) === undefined) {
			this.rebuild(unlock);
			return;
		}
		unlock();
		if (!(this.resolve(this.trailer.get('Root')) instanceof PdfDict)) this.rebuild(unlock);
	}

	get encrypted(): boolean {
		return this.trailer.get('Encrypt') !== null;
	}

	lexer(at: number): Lexer {
		return new Lexer(this.bytes, at, this.limits.maxNesting);
	}

	/** Returns true; undefined from `unlessDamaged` then means it failed. */
	private readXrefChain(): true {
		const tail = Math.max(0, this.bytes.length - 4096);
		const found = this.bytes.lastIndexOf(STARTXREF);
		if (found < tail || found < 0) throw damaged('the file has no startxref at its end');
		const start = asNumber(this.lexer(found + STARTXREF.length).value());
		if (start === undefined) throw damaged('startxref is not followed by a number');
		const seen = new Set<number>();
		const pending: number[] = [start];
		let sections = 0;
		for (let offset = pending.shift(); offset !== undefined; offset = pending.shift()) {
			if (seen.has(offset)) continue;
			seen.add(offset);
			if (++sections > this.limits.maxXrefSections) break;
			const trailer = this.readXrefSection(offset);
			for (const [key, value] of trailer.map) {
				if (!this.trailer.map.has(key)) this.trailer.map.set(key, value);
			}
			// Hybrid files (§7.5.8.4): the stream's entries come before the older sections'.
			const hybrid = asNumber(trailer.get('XRefStm'));
			if (hybrid !== undefined) pending.unshift(hybrid);
			const prev = asNumber(trailer.get('Prev'));
			if (prev !== undefined) pending.push(prev);
		}
		if (this.xref.size === 0) throw damaged('the cross-reference table is empty');
		return true;
	}

	private addEntry(num: number, entry: XrefEntry): void {
		if (this.xref.has(num)) return;
		if (this.xref.size >= this.limits.maxObjects) {
			throw new PdfProblem('too-large', `it lists more than ${this.limits.maxObjects} objects`);
		}
		this.xref.set(num, entry);
	}

	private readXrefSection(offset: number): PdfDict {
		if (!Number.isInteger(offset) || offset < 0 || offset >= this.bytes.length) {
			throw damaged('a cross-reference offset points outside the file');
		}
		const lexer = this.lexer(offset);
		const first = lexer.token();
		if (first instanceof Keyword && first.word === 'xref') return this.readXrefTable(lexer);
		return this.readXrefStream(offset);
	}

	/** §7.5.4: subsections of `start count`, then 20-byte entries `offset gen n|f`, then `trailer <<…>>`. */
	private readXrefTable(lexer: Lexer): PdfDict {
		for (;;) {
			const start = lexer.token();
			if (start instanceof Keyword && start.word === 'trailer') break;
			const count = lexer.token();
			if (typeof start !== 'number' || typeof count !== 'number' || count < 0) {
				throw damaged('the cross-reference table is malformed');
			}
			for (let i = 0; i < count; i++) {
				const offset = lexer.token();
				lexer.token();
				const kind = lexer.token();
				if (typeof offset !== 'number' || !(kind instanceof Keyword)) {
					throw damaged('a cross-reference entry is malformed');
				}
				// Free entries are not recorded: an older section's offset for a deleted object does no harm.
				if (kind.word === 'n' && offset > 0) this.addEntry(start + i, { type: 'offset', offset });
			}
		}
		const trailer = lexer.value();
		if (!(trailer instanceof PdfDict)) throw damaged('the trailer is not a dictionary');
		return trailer;
	}

	/** §7.5.8: a stream of fixed-width binary entries described by /W and /Index. */
	private readXrefStream(offset: number): PdfDict {
		const object = this.parseIndirect(offset, undefined);
		const stream = object?.value;
		if (!(stream instanceof PdfStream) || asName(stream.dict.get('Type')) !== 'XRef') {
			throw damaged('startxref does not point to cross-reference data');
		}
		const widths = this.resolve(stream.dict.get('W'));
		if (!Array.isArray(widths) || widths.length < 3)
			throw damaged('a cross-reference stream has no /W');
		const w = widths.slice(0, 3).map((value) => asNumber(value) ?? -1);
		if (w.some((width) => width < 0 || width > 8))
			throw damaged('a cross-reference stream has a bad /W');
		const entrySize = w[0] + w[1] + w[2];
		if (entrySize === 0) throw damaged('a cross-reference stream has a bad /W');
		const data = this.decode(stream, this.structureCap).bytes;
		const size = asNumber(stream.dict.get('Size')) ?? 0;
		const index = this.resolve(stream.dict.get('Index'));
		const ranges = Array.isArray(index) ? index.map((value) => asNumber(value) ?? -1) : [0, size];
		const field = (at: number, width: number, fallback: number) => {
			if (width === 0) return fallback;
			let value = 0;
			for (let i = 0; i < width; i++) value = value * 256 + data[at + i];
			return value;
		};
		let at = 0;
		for (let r = 0; r + 1 < ranges.length; r += 2) {
			const [start, count] = [ranges[r], ranges[r + 1]];
			if (start < 0 || count < 0) throw damaged('a cross-reference stream has a bad /Index');
			// The data's length bounds the loop, whatever /Index claims.
			for (let i = 0; i < count && at + entrySize <= data.length; i++, at += entrySize) {
				const type = field(at, w[0], 1);
				const second = field(at + w[0], w[1], 0);
				if (type === 1 && second > 0) this.addEntry(start + i, { type: 'offset', offset: second });
				else if (type === 2) this.addEntry(start + i, { type: 'compressed', stream: second });
			}
		}
		return stream.dict;
	}

	/**
	 * §7.5 says offsets are exact, but damaged files and files with bytes before `%PDF` break that. Each `N G obj`
	 * in the file is found by a scan (later ones win, as incremental updates append) and used when the
	 * cross-reference data is missing or wrong.
	 */
	private scanObjects(): Map<number, number> {
		if (this.scanned) return this.scanned;
		const found = new Map<number, number>();
		const b = this.bytes;
		for (let at = b.indexOf(OBJ); at >= 0; at = b.indexOf(OBJ, at + 3)) {
			if (at + 3 < b.length && isRegular(b[at + 3])) continue;
			let i = at - 1;
			if (i < 0 || !isWhite(b[i])) continue;
			while (i >= 0 && isWhite(b[i])) i--;
			const genEnd = i + 1;
			while (i >= 0 && isDigit(b[i])) i--;
			if (i + 1 === genEnd || i < 0 || !isWhite(b[i])) continue;
			while (i >= 0 && isWhite(b[i])) i--;
			const numEnd = i + 1;
			while (i >= 0 && isDigit(b[i])) i--;
			if (i + 1 === numEnd || numEnd - i > 11) continue;
			if (i >= 0 && isRegular(b[i])) continue;
			const num = Number(b.toString('latin1', i + 1, numEnd));
			if (!found.has(num) && found.size >= this.limits.maxObjects) {
				throw new PdfProblem('too-large', `it holds more than ${this.limits.maxObjects} objects`);
			}
			found.set(num, i + 1);
		}
		this.scanned = found;
		return found;
	}

	/** Rebuilds the object table and trailer from a scan of the whole file. */
	private rebuild(unlock: () => void): void {
		this.rebuilt = true;
		this.xref.clear();
		this.cache.clear();
		for (const [num, offset] of this.scanObjects()) this.xref.set(num, { type: 'offset', offset });
		const trailer = new PdfDict();
		const merge = (dict: PdfDict) => {
			for (const [key, value] of dict.map) trailer.map.set(key, value);
		};
		// Classic trailers, oldest first so that the newest wins.
		const b = this.bytes;
		for (let at = b.indexOf(TRAILER); at >= 0; at = b.indexOf(TRAILER, at + TRAILER.length)) {
			const dict = unlessDamaged(() => this.lexer(at + TRAILER.length).value());
			if (dict instanceof PdfDict) merge(dict);
		}
		// Cross-reference streams hold the trailer keys too; object streams hold objects the scan cannot see.
		const nums = [...this.xref.keys()];
		let catalog: number | undefined;
		const objectStreams: number[] = [];
		for (const num of nums) {
			const value = this.getObject(num);
			const dict = value instanceof PdfStream ? value.dict : value;
			if (!(dict instanceof PdfDict)) continue;
			const type = asName(dict.get('Type'));
			if (type === 'XRef') merge(dict);
			else if (type === 'Catalog') catalog = num;
			else if (type === 'ObjStm' && value instanceof PdfStream) objectStreams.push(num);
		}
		this.trailer = trailer;
		unlock();
		for (const num of objectStreams) {
			for (const inner of this.objectStream(num)?.offsets.keys() ?? []) {
				if (!this.xref.has(inner)) this.xref.set(inner, { type: 'compressed', stream: num });
			}
		}
		if (!(this.resolve(trailer.get('Root')) instanceof PdfDict)) {
			if (catalog === undefined) {
				for (const num of this.xref.keys()) {
					const value = this.getObject(num);
					if (value instanceof PdfDict && asName(value.get('Type')) === 'Catalog') catalog = num;
				}
			}
			if (catalog === undefined) throw damaged('the document catalog cannot be found');
			trailer.map.set('Root', new PdfRef(catalog, 0));
		}
		this.trailer = trailer;
	}

	/** Parses `num gen obj value [stream…]` at `offset`; undefined when no object header is there. */
	private parseIndirect(
		offset: number,
		expected: number | undefined,
	): { num: number; value: PdfValue } | undefined {
		if (++this.parses > this.limits.maxObjects * 2) {
			throw new PdfProblem(
				'too-large',
				`it needs more than ${this.limits.maxObjects * 2} objects read`,
			);
		}
		if (offset < 0 || offset >= this.bytes.length) return undefined;
		const lexer = this.lexer(offset);
		const num = lexer.token();
		const gen = lexer.token();
		const obj = lexer.token();
		if (typeof num !== 'number' || typeof gen !== 'number') return undefined;
		if (!(obj instanceof Keyword) || obj.word !== 'obj') return undefined;
		if (expected !== undefined && num !== expected) return undefined;
		const value = lexer.value();
		if (value instanceof PdfDict && lexer.streamStart()) {
			return { num, value: this.streamAt(value, lexer.at, new PdfRef(num, gen)) };
		}
		return { num, value };
	}

	/**
	 * The stream data from `start`. /Length is trusted only when `endstream` follows it; otherwise (a wrong,
	 * huge or missing length) the data runs to the next `endstream`, or to the end of a cut-off file.
	 */
	private streamAt(dict: PdfDict, start: number, ref: PdfRef): PdfStream {
		const num = ref.num;
		const b = this.bytes;
		const lengthValue = dict.get('Length');
		let length: number | undefined;
		// An indirect /Length that is this very object (or is being read) would loop; such a length is ignored.
		if (!(lengthValue instanceof PdfRef && lengthValue.num === num)) {
			length = asNumber(this.resolve(lengthValue));
		}
		if (
			length !== undefined &&
			Number.isInteger(length) &&
			length >= 0 &&
			start + length <= b.length
		) {
			const lexer = this.lexer(start + length);
			lexer.skipSpace();
			if (b.toString('latin1', lexer.at, lexer.at + 9) === 'endstream') {
				return new PdfStream(dict, b.subarray(start, start + length), true, ref);
			}
		}
		const end = b.indexOf(ENDSTREAM, start);
		if (end < 0) return new PdfStream(dict, b.subarray(start), false, ref);
		let stop = end;
		// The end-of-line before `endstream` belongs to the syntax, not the data (§7.3.8.1).
		if (stop > start && b[stop - 1] === 0x0a) stop--;
		if (stop > start && b[stop - 1] === 0x0d) stop--;
		return new PdfStream(dict, b.subarray(start, stop), true, ref);
	}

	/** Every object number known, in increasing order (for finding pages when the page tree is broken). */
	objectNumbers(): number[] {
		return [...this.xref.keys()].sort((a, b) => a - b);
	}

	/** The object `num`, or null when it does not exist or cannot be read. */
	getObject(num: number): PdfValue {
		if (this.cache.has(num)) return this.cache.get(num) ?? null;
		// A chain of objects each needing the next to be read (a /Length in a stream whose /Length…) is cut
		// short rather than allowed to exhaust the call stack.
		if (this.inProgress.has(num) || this.inProgress.size >= MAX_READ_CHAIN) return null;
		this.inProgress.add(num);
		let value: PdfValue;
		try {
			// One unreadable object should not sink the file: callers decide whether they needed it.
			value = unlessDamaged(() => this.readObject(num)) ?? null;
		} finally {
			this.inProgress.delete(num);
		}
		this.cache.set(num, value);
		return value;
	}

	private readObject(num: number): PdfValue {
		const entry = this.xref.get(num);
		if (entry?.type === 'compressed') {
			const contents = this.objectStream(entry.stream);
			const at = contents?.offsets.get(num);
			if (contents && at !== undefined) {
				return new Lexer(contents.data, at, this.limits.maxNesting).value();
			}
		} else if (entry) {
			const found = this.parseIndirect(entry.offset, num);
			if (found) return found.value;
		}
		const scannedAt = this.scanObjects().get(num);
		if (scannedAt === undefined) return null;
		return this.parseIndirect(scannedAt, num)?.value ?? null;
	}

	/** §7.5.7: N pairs of `objnum offset`, then the objects from /First. */
	private objectStream(num: number): ObjectStream | null {
		if (this.objectStreams.has(num)) return this.objectStreams.get(num) ?? null;
		this.objectStreams.set(num, null);
		const stream = this.getObject(num);
		if (!(stream instanceof PdfStream)) return null;
		const count = asNumber(this.resolve(stream.dict.get('N'))) ?? 0;
		const first = asNumber(this.resolve(stream.dict.get('First'))) ?? 0;
		const data = unlessDamaged(() => this.decode(stream, this.structureCap, true).bytes);
		if (!data) return null;
		const header = new Lexer(data, 0, this.limits.maxNesting);
		const offsets = new Map<number, number>();
		for (let i = 0; i < count && header.at < first; i++) {
			const inner = header.token();
			const offset = header.token();
			if (typeof inner !== 'number' || typeof offset !== 'number') break;
			if (offsets.size >= this.limits.maxObjects) break;
			if (!offsets.has(inner) && first + offset < data.length) offsets.set(inner, first + offset);
		}
		const contents = { data, offsets };
		this.objectStreams.set(num, contents);
		return contents;
	}

	/** Follows references (a chain of them too) to a direct value; null for anything missing or circular. */
	resolve(value: PdfValue): PdfValue {
		let current = value;
		for (let hops = 0; current instanceof PdfRef; hops++) {
			if (hops >= 16) return null;
			current = this.getObject(current.num);
		}
		return current;
	}

	resolveDict(value: PdfValue): PdfDict | undefined {
		const resolved = this.resolve(value);
		return resolved instanceof PdfDict ? resolved : undefined;
	}

	/** The stream's filters as names, with their /DecodeParms lined up (a single dict or null when absent). */
	filters(stream: PdfStream): Array<{ name: string; params: PdfDict | undefined }> {
		const filter = this.resolve(stream.dict.get('Filter'));
		const params = this.resolve(stream.dict.get('DecodeParms') ?? stream.dict.get('DP'));
		const names = Array.isArray(filter) ? filter.map((f) => this.resolve(f)) : [filter];
		const paramList = Array.isArray(params) ? params : [params];
		const list: Array<{ name: string; params: PdfDict | undefined }> = [];
		names.forEach((name, i) => {
			if (name === null) return;
			list.push({
				name: FILTER_ABBREVIATIONS[asName(name) ?? ''] ?? asName(name) ?? '?',
				params: this.resolveDict(paramList[i] ?? null),
			});
		});
		return list;
	}

	/**
	 * Cross-reference and object streams hold only the file's structure (a few kB to a megabyte or two, even for
	 * 200,000 objects); they are inflated at once, so a smaller cap than for images keeps a hostile one from
	 * holding the event loop long.
	 */
	private get structureCap(): number {
		return Math.min(this.limits.maxStreamBytes, MAX_STRUCTURE_BYTES);
	}

	/** The stream's stored data, decrypted when the file is encrypted (cross-reference streams never are). */
	streamData(stream: PdfStream): Buffer {
		if (!this.decryptor || !stream.ref || asName(stream.dict.get('Type')) === 'XRef')
			return stream.raw;
		let data = this.decrypted.get(stream);
		if (!data) {
			data = this.decryptor(stream.raw, stream.ref.num, stream.ref.gen);
			this.decrypted.set(stream, data);
		}
		return data;
	}

	/**
	 * From now on stream data is decrypted with `decryptor`; objects read so far are read again (an object
	 * stream read before held encrypted data).
	 */
	decryptWith(decryptor: (data: Buffer, num: number, gen: number) => Buffer): void {
		this.decryptor = decryptor;
		this.cache.clear();
		this.objectStreams.clear();
	}

	/** Budget for one more inflate: the per-stream cap, or what is left of the whole-file budget if less. */
	inflateBudget(cap: number): number {
		return Math.min(cap, this.limits.maxTotalInflatedBytes - this.inflated);
	}

	countInflated(bytes: number): void {
		this.inflated += bytes;
	}

	/**
	 * Applies the stream's general-purpose filters (Flate with predictors, ASCIIHex, ASCII85, RunLength) and
	 * stops before an image codec (DCT, JPX, JBIG2, CCITT), which is named in `imageFilter` for the caller.
	 * With `partialOk`, a cut-off Flate stream gives what it decoded (object streams in damaged files).
	 */
	decode(
		stream: PdfStream,
		cap: number,
		partialOk = false,
	): { bytes: Buffer; imageFilter?: string; remaining: number } {
		const filters = this.filters(stream);
		let bytes = this.streamData(stream);
		for (let i = 0; i < filters.length; i++) {
			const { name, params } = filters[i];
			if (IMAGE_FILTERS.has(name))
				return { bytes, imageFilter: name, remaining: filters.length - i };
			bytes = this.applyFilter(name, params, bytes, cap, partialOk);
		}
		return { bytes, remaining: 0 };
	}

	private applyFilter(
		name: string,
		params: PdfDict | undefined,
		bytes: Buffer,
		cap: number,
		partialOk: boolean,
	): Buffer {
		switch (name) {
			case 'FlateDecode': {
				const budget = this.inflateBudget(cap);
				const result = inflate(bytes, budget);
				const out = result.ok ? result.bytes : result.partial;
				this.countInflated(out.length);
				if (!result.ok) {
					if (result.reason === 'too-large') {
						throw new PdfProblem(
							'too-large',
							budget < cap
								? 'its compressed data unpacks to too much in total'
								: 'a compressed part unpacks to too much data',
						);
					}
					if (!partialOk) throw damaged('compressed data inside the file is damaged or cut off');
				}
				return applyPredictor(out, params, (key) => this.resolve(key));
			}
			case 'ASCIIHexDecode':
				return asciiHex(bytes);
			case 'ASCII85Decode':
				return ascii85(bytes);
			case 'RunLengthDecode':
				return runLength(bytes, this.inflateBudget(cap));
			default:
				throw new PdfProblem('damaged', `data is encoded with ${name}, which is not supported`);
		}
	}
}

const FILTER_ABBREVIATIONS: Record<string, string> = {
	Fl: 'FlateDecode',
	AHx: 'ASCIIHexDecode',
	A85: 'ASCII85Decode',
	LZW: 'LZWDecode',
	RL: 'RunLengthDecode',
	DCT: 'DCTDecode',
	CCF: 'CCITTFaxDecode',
};

export const IMAGE_FILTERS = new Set(['DCTDecode', 'JPXDecode', 'JBIG2Decode', 'CCITTFaxDecode']);

/**
 * §7.4.4.4: PNG predictors (10–15, one filter-type byte per row) and TIFF predictor 2 on 8-bit samples. Any
 * other case returns the data unchanged and the image reader decides.
 */
export function applyPredictor(
	data: Buffer,
	params: PdfDict | undefined,
	resolve: (value: PdfValue) => PdfValue,
): Buffer {
	if (!params) return data;
	const get = (key: string, fallback: number) => asNumber(resolve(params.get(key))) ?? fallback;
	const predictor = get('Predictor', 1);
	if (predictor < 2) return data;
	const colors = get('Colors', 1);
	const bits = get('BitsPerComponent', 8);
	const columns = get('Columns', 1);
	if (colors < 1 || colors > 32 || ![1, 2, 4, 8, 16].includes(bits) || columns < 1) {
		throw damaged('compressed data has impossible predictor settings');
	}
	const pixelBytes = Math.max(1, Math.ceil((colors * bits) / 8));
	const rowBytes = Math.ceil((colors * bits * columns) / 8);
	if (predictor === 2) {
		if (bits !== 8) throw damaged('a TIFF predictor on samples other than 8 bits is not supported');
		const out = Buffer.from(data);
		for (let row = 0; row + rowBytes <= out.length; row += rowBytes) {
			for (let i = row + colors; i < row + rowBytes; i++)
				out[i] = (out[i] + out[i - colors]) & 0xff;
		}
		return out;
	}
	const out = unfilterPngRows(data, rowBytes, pixelBytes);
	if (!out) throw damaged('compressed data has an unknown row filter');
	return out;
}

function asciiHex(data: Buffer): Buffer {
	const digits = data
		.toString('latin1')
		.split('>')[0]
		.replace(/[^0-9a-fA-F]/g, '');
	return Buffer.from(digits.length % 2 ? `${digits}0` : digits, 'hex');
}

/** §7.4.3: groups of five base-85 digits, `z` for four zero bytes, ending at `~>`. */
function ascii85(data: Buffer): Buffer {
	const text = data.toString('latin1').split('~>')[0].replace(/\s+/g, '');
	const out = Buffer.alloc(Math.ceil((text.length * 4) / 5) + text.length * 4);
	let length = 0;
	let group: number[] = [];
	const flush = (digits: number[]) => {
		const padded = [...digits, 84, 84, 84, 84].slice(0, 5);
		let value = 0;
		for (const digit of padded) value = value * 85 + digit;
		const bytes = [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
		for (let i = 0; i < digits.length - 1; i++) out[length++] = bytes[i];
	};
	for (const char of text) {
		if (char === 'z' && group.length === 0) {
			length += 4;
			continue;
		}
		const digit = char.charCodeAt(0) - 33;
		if (digit < 0 || digit > 84) throw damaged('ASCII85 data holds a character it may not');
		group.push(digit);
		if (group.length === 5) {
			flush(group);
			group = [];
		}
	}
	if (group.length > 1) flush(group);
	return out.subarray(0, length);
}

/** §7.4.5: a length byte n, then n+1 literal bytes (n < 128) or one byte repeated 257−n times (n > 128). */
function runLength(data: Buffer, cap: number): Buffer {
	const parts: Buffer[] = [];
	let total = 0;
	for (let at = 0; at < data.length; ) {
		const n = data[at++];
		if (n === 128) break;
		const part = n < 128 ? data.subarray(at, at + n + 1) : Buffer.alloc(257 - n, data[at] ?? 0);
		at += n < 128 ? n + 1 : 1;
		total += part.length;
		if (total > cap)
			throw new PdfProblem('too-large', 'a compressed part unpacks to too much data');
		parts.push(part);
	}
	return Buffer.concat(parts);
}
