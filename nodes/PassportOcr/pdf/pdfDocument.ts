/**
 * Finding a PDF's objects (ISO 32000-1 §7.5): classic cross-reference tables, cross-reference streams, object
 * streams, incremental updates, and a rebuild by scanning for `N G obj` when the cross-reference data is
 * missing or wrong. Objects are parsed on demand with pdfObjects.ts's lexer; stream data is decoded by
 * pdfFilters.ts.
 *
 * Every loop is bounded by the file's length or by a cap in `PdfLimits`, and cycles (/Prev loops, objects that
 * refer to themselves) are cut by visited sets.
 */
import { decodeStream, streamFilters } from './pdfFilters';
import {
	Keyword,
	Lexer,
	PdfDict,
	PdfProblem,
	PdfRef,
	PdfStream,
	ascii,
	asName,
	asNumber,
	damaged,
	unlessDamaged,
	type PdfLimits,
	type PdfValue,
} from './pdfObjects';
import {
	readXrefStreamEntries,
	readXrefTable,
	scanObjectOffsets,
	xrefStreamWidths,
	type XrefEntry,
} from './pdfXref';

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

	/** §7.5.4: a classic table (pdfXref.ts); its entries go into the object table. */
	private readXrefTable(lexer: Lexer): PdfDict {
		return readXrefTable(lexer, (num, entry) => this.addEntry(num, entry));
	}

	/** §7.5.8: a cross-reference stream, decoded here and read by pdfXref.ts. */
	private readXrefStream(offset: number): PdfDict {
		const object = this.parseIndirect(offset, undefined);
		const stream = object?.value;
		if (!(stream instanceof PdfStream) || asName(stream.dict.get('Type')) !== 'XRef') {
			throw damaged('startxref does not point to cross-reference data');
		}
		const widths = xrefStreamWidths(this.resolve(stream.dict.get('W')));
		const data = this.decode(stream, this.structureCap).bytes;
		readXrefStreamEntries(
			stream,
			this.resolve(stream.dict.get('Index')),
			widths,
			data,
			(num, entry) => this.addEntry(num, entry),
		);
		return stream.dict;
	}

	private scanObjects(): Map<number, number> {
		const found = this.scanned ?? scanObjectOffsets(this.bytes, this.limits.maxObjects);
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
		return streamFilters(this, stream);
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
	 * Applies the stream's general-purpose filters and stops before an image codec, which is named in
	 * `imageFilter` (pdfFilters.ts). With `partialOk`, a cut-off Flate stream gives what it decoded.
	 */
	decode(
		stream: PdfStream,
		cap: number,
		partialOk = false,
	): { bytes: Buffer; imageFilter?: string; remaining: number } {
		return decodeStream(this, stream, cap, partialOk);
	}
}
