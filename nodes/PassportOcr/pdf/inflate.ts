/**
 * A small inflater (RFC 1950 zlib wrapper around RFC 1951 deflate: stored, fixed and dynamic Huffman blocks) for
 * the FlateDecode streams inside PDF files. Node's zlib is not allowed in a verified community node, so this is
 * written out here.
 *
 * The caller passes the most output it accepts: decoding stops as soon as the output would pass it, so a small
 * stream that claims gigabytes (a "deflate bomb") costs at most that much memory and time. The output buffer
 * grows by doubling from a size guessed from the input, never from a size the data claims.
 */
import {
	adler32,
	CODE_LENGTH_ORDER,
	DIST_BASE,
	DIST_EXTRA,
	hasZlibHeader,
	LENGTH_BASE,
	LENGTH_EXTRA,
} from './zlibFormat';

export type InflateChecksum = 'valid' | 'invalid' | 'absent';

export type InflateResult =
	| {
			ok: true;
			bytes: Buffer;
			/** `absent` for raw deflate data (no zlib wrapper) or a wrapper cut off after the last block. */
			checksum: InflateChecksum;
			/** Input bytes the stream took, its checksum included; anything after is not part of it. */
			used: number;
	  }
	| {
			ok: false;
			reason: 'too-large' | 'malformed' | 'truncated';
			/** What was decoded before the problem; damaged PDFs often still have a usable start. */
			partial: Buffer;
	  };

class Stop {
	constructor(readonly reason: 'too-large' | 'malformed' | 'truncated') {}
}

/**
 * A decoding table indexed by the next `bits` input bits (deflate sends Huffman codes most significant bit
 * first, so entries are filled at bit-reversed positions). Each entry is `symbol << 4 | codeLength`; 0 marks a
 * bit pattern no code starts with.
 */
interface Huffman {
	table: Int32Array;
	bits: number;
}

function reverseBits(code: number, length: number): number {
	let reversed = 0;
	for (let i = 0; i < length; i++) {
		reversed = (reversed << 1) | (code & 1);
		code >>>= 1;
	}
	return reversed;
}

/** Canonical Huffman codes from code lengths (RFC 1951 §3.2.2); throws Stop on an over-subscribed set. */
function buildHuffman(lengths: ArrayLike<number>, count: number): Huffman {
	const lengthCount = new Int32Array(16);
	let bits = 0;
	for (let i = 0; i < count; i++) {
		lengthCount[lengths[i]]++;
		if (lengths[i] > bits) bits = lengths[i];
	}
	lengthCount[0] = 0;
	const nextCode = new Int32Array(16);
	let code = 0;
	let left = 1;
	for (let length = 1; length <= 15; length++) {
		left = (left << 1) - lengthCount[length];
		if (left < 0) throw new Stop('malformed');
		code = (code + lengthCount[length - 1]) << 1;
		nextCode[length] = code;
	}
	// An incomplete set is allowed (one distance code is common); missing patterns stay 0 and fail if used.
	const size = 1 << Math.max(bits, 1);
	const table = new Int32Array(size);
	for (let symbol = 0; symbol < count; symbol++) {
		const length = lengths[symbol];
		if (length === 0) continue;
		const entry = (symbol << 4) | length;
		for (let i = reverseBits(nextCode[length]++, length); i < size; i += 1 << length)
			table[i] = entry;
	}
	return { table, bits: Math.max(bits, 1) };
}

const FIXED_LITERALS = buildHuffman(
	Array.from({ length: 288 }, (_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8)),
	288,
);
const FIXED_DISTANCES = buildHuffman(new Array<number>(30).fill(5), 30);

type Block =
	| { kind: 'codes'; literals: Huffman; distances: Huffman }
	| { kind: 'stored'; remaining: number };

/**
 * Decodes deflate data in steps: `step` stops between symbols once the output reaches a given length, so a
 * caller can take the output in chunks (and let other work run between them) instead of all at once.
 */
class Inflater {
	private at: number;
	private bitBuffer = 0;
	private bitCount = 0;
	/** Bits the decoder pretended to read past the end of the input; any use of them means truncation. */
	private overrun = 0;
	private block: Block | undefined;
	private final = false;
	out: Uint8Array;
	length = 0;
	/** Output bytes already dropped from the front of `out` (streaming keeps only the last window). */
	dropped = 0;

	constructor(
		private readonly input: Uint8Array,
		start: number,
		private readonly maxOutput: number,
		firstSize: number,
	) {
		this.at = start;
		this.out = new Uint8Array(Math.min(maxOutput, firstSize));
	}

	private need(count: number): void {
		while (this.bitCount < count) {
			let byte = 0;
			if (this.at < this.input.length) byte = this.input[this.at++];
			else this.overrun += 8;
			this.bitBuffer |= byte << this.bitCount;
			this.bitCount += 8;
		}
	}

	private bits(count: number): number {
		if (count === 0) return 0;
		this.need(count);
		const value = this.bitBuffer & ((1 << count) - 1);
		this.bitBuffer >>>= count;
		this.bitCount -= count;
		this.checkOverrun();
		return value;
	}

	private checkOverrun(): void {
		if (this.overrun > 0 && this.overrun > this.bitCount) throw new Stop('truncated');
	}

	private decode(huffman: Huffman): number {
		this.need(huffman.bits);
		const entry = huffman.table[this.bitBuffer & ((1 << huffman.bits) - 1)];
		const length = entry & 15;
		if (length === 0) throw new Stop('malformed');
		this.bitBuffer >>>= length;
		this.bitCount -= length;
		this.checkOverrun();
		return entry >> 4;
	}

	private room(extra: number): void {
		const wanted = this.length + extra;
		if (wanted <= this.out.length) return;
		if (this.dropped + wanted > this.maxOutput) throw new Stop('too-large');
		let size = this.out.length * 2;
		while (size < wanted) size *= 2;
		const grown = new Uint8Array(Math.min(size, this.maxOutput - this.dropped));
		grown.set(this.out.subarray(0, this.length));
		this.out = grown;
	}

	/** Keeps only the last `keep` output bytes (the back-reference window), moved to the front of `out`. */
	dropFront(keep: number): void {
		const drop = this.length - keep;
		if (drop <= 0) return;
		this.out.copyWithin(0, drop, this.length);
		this.length = keep;
		this.dropped += drop;
	}

	/** True when the final block has been decoded. */
	get finished(): boolean {
		return this.final && this.block === undefined;
	}

	/** The input offset just after the deflate data (whole bytes read ahead into the bit buffer given back). */
	get end(): number {
		return this.at - Math.floor((this.bitCount - this.overrun) / 8);
	}

	/** Decodes until the output holds at least `pauseAt` bytes or the last block ends. */
	step(pauseAt: number): void {
		while (this.length < pauseAt) {
			if (this.block === undefined) {
				if (this.final) return;
				this.final = this.bits(1) === 1;
				const type = this.bits(2);
				if (type === 0) this.block = { kind: 'stored', remaining: this.storedHeader() };
				else if (type === 1)
					this.block = { kind: 'codes', literals: FIXED_LITERALS, distances: FIXED_DISTANCES };
				else if (type === 2) this.block = this.dynamic();
				else throw new Stop('malformed');
			}
			if (this.block.kind === 'stored') this.stored(this.block);
			else this.codes(this.block, pauseAt);
			// Streaming keeps `out` small, so the cap on all output is checked here, not only when `out` grows.
			if (this.dropped + this.length > this.maxOutput) throw new Stop('too-large');
		}
	}

	/** Decodes the whole stream. */
	run(): void {
		while (!this.finished) this.step(Infinity);
	}

	private storedHeader(): number {
		// Drop the rest of the current byte; the bit buffer then holds only whole bytes.
		this.bits(this.bitCount & 7);
		const header = new Array<number>(4);
		for (let i = 0; i < 4; i++) header[i] = this.bits(8);
		const length = header[0] | (header[1] << 8);
		if ((length ^ 0xffff) !== (header[2] | (header[3] << 8))) throw new Stop('malformed');
		return length;
	}

	private stored(block: { remaining: number }): void {
		// Bytes still in the bit buffer come first (at most 4), then a straight copy.
		let remaining = block.remaining;
		while (remaining > 0 && this.bitCount >= 8) {
			this.room(1);
			this.out[this.length++] = this.bits(8);
			remaining--;
		}
		if (remaining > this.input.length - this.at) {
			const available = this.input.length - this.at;
			this.room(available);
			this.out.set(this.input.subarray(this.at, this.input.length), this.length);
			this.length += available;
			this.at = this.input.length;
			throw new Stop('truncated');
		}
		this.room(remaining);
		this.out.set(this.input.subarray(this.at, this.at + remaining), this.length);
		this.length += remaining;
		this.at += remaining;
		this.block = undefined;
	}

	private dynamic(): Block {
		const literalCount = this.bits(5) + 257;
		const distanceCount = this.bits(5) + 1;
		const codeLengthCount = this.bits(4) + 4;
		if (literalCount > 286 || distanceCount > 30) throw new Stop('malformed');
		const codeLengthLengths = new Array<number>(19).fill(0);
		for (let i = 0; i < codeLengthCount; i++)
			codeLengthLengths[CODE_LENGTH_ORDER[i]] = this.bits(3);
		const codeLengths = buildHuffman(codeLengthLengths, 19);
		const lengths = new Array<number>(literalCount + distanceCount).fill(0);
		let i = 0;
		while (i < lengths.length) {
			const symbol = this.decode(codeLengths);
			if (symbol < 16) {
				lengths[i++] = symbol;
				continue;
			}
			let repeat: number;
			let value = 0;
			if (symbol === 16) {
				if (i === 0) throw new Stop('malformed');
				value = lengths[i - 1];
				repeat = 3 + this.bits(2);
			} else if (symbol === 17) repeat = 3 + this.bits(3);
			else repeat = 11 + this.bits(7);
			if (i + repeat > lengths.length) throw new Stop('malformed');
			while (repeat-- > 0) lengths[i++] = value;
		}
		if (lengths[256] === 0) throw new Stop('malformed');
		return {
			kind: 'codes',
			literals: buildHuffman(lengths.slice(0, literalCount), literalCount),
			distances: buildHuffman(lengths.slice(literalCount), distanceCount),
		};
	}

	private codes(block: { literals: Huffman; distances: Huffman }, pauseAt: number): void {
		const { literals, distances } = block;
		while (this.length < pauseAt) {
			const symbol = this.decode(literals);
			if (symbol < 256) {
				if (this.length >= this.out.length) this.room(1);
				this.out[this.length++] = symbol;
				continue;
			}
			if (symbol === 256) {
				this.block = undefined;
				return;
			}
			const lengthCode = symbol - 257;
			if (lengthCode >= 29) throw new Stop('malformed');
			const length = LENGTH_BASE[lengthCode] + this.bits(LENGTH_EXTRA[lengthCode]);
			const distanceCode = this.decode(distances);
			if (distanceCode >= 30) throw new Stop('malformed');
			const distance = DIST_BASE[distanceCode] + this.bits(DIST_EXTRA[distanceCode]);
			if (distance > this.length) throw new Stop('malformed');
			this.room(length);
			const out = this.out;
			let to = this.length;
			const end = to + length;
			// Byte by byte: a copy may overlap the bytes it produces (distance < length repeats a pattern).
			for (let from = to - distance; to < end; ) out[to++] = out[from++];
			this.length = end;
		}
	}
}

/** Whether the stored Adler-32 after the deflate data (at `end`) matches; absent when there is none. */
function checksumAt(data: Uint8Array, end: number, wrapped: boolean, sum: number): InflateChecksum {
	if (!wrapped || end + 4 > data.length) return 'absent';
	const stored =
		((data[end] << 24) | (data[end + 1] << 16) | (data[end + 2] << 8) | data[end + 3]) >>> 0;
	return stored === sum ? 'valid' : 'invalid';
}

/**
 * Inflates a zlib stream, or raw deflate data when the first two bytes are not a zlib header (some PDF writers
 * leave the wrapper out). Never throws; returns at most `maxOutput` bytes.
 */
export function inflate(data: Uint8Array, maxOutput: number): InflateResult {
	const wrapped = hasZlibHeader(data);
	const inflater = new Inflater(
		data,
		wrapped ? 2 : 0,
		Math.max(0, Math.floor(maxOutput)),
		Math.max(1024, data.length * 4),
	);
	try {
		inflater.run();
	} catch (error) {
		const partial = Buffer.from(inflater.out.buffer, inflater.out.byteOffset, inflater.length);
		// Only Stop is thrown on purpose; anything else would be a bug here, reported as damage, not a crash.
		return { ok: false, reason: error instanceof Stop ? error.reason : 'malformed', partial };
	}
	const bytes = Buffer.from(inflater.out.buffer, inflater.out.byteOffset, inflater.length);
	const end = inflater.end;
	const checksum = checksumAt(data, end, wrapped, wrapped ? adler32(bytes) : 1);
	return { ok: true, bytes, checksum, used: checksum === 'absent' ? end : end + 4 };
}

/** The back-reference window deflate may use: streaming keeps this much of the output. */
const WINDOW = 32 * 1024;

export type InflateChunk =
	| { kind: 'data'; bytes: Uint8Array }
	| { kind: 'end'; checksum: InflateChecksum; used: number }
	| { kind: 'stop'; reason: 'too-large' | 'malformed' | 'truncated' };

/**
 * Inflates in chunks of about `chunkBytes`, holding only the last 32 KB window besides the chunk: for streams
 * too large to hold inflated (a photo's pixels), and so that a caller can pause between chunks. Each chunk's
 * bytes are valid until the next call of `next`.
 */
export class InflateStream {
	private readonly inflater: Inflater;
	private readonly wrapped: boolean;
	private sum = 1;
	private done = false;

	constructor(
		private readonly data: Uint8Array,
		maxOutput: number,
		private readonly chunkBytes = 256 * 1024,
	) {
		this.wrapped = hasZlibHeader(data);
		this.inflater = new Inflater(
			data,
			this.wrapped ? 2 : 0,
			Math.max(0, Math.floor(maxOutput)),
			WINDOW + chunkBytes + 1024,
		);
	}

	/** Output bytes produced so far. */
	get produced(): number {
		return this.inflater.dropped + this.inflater.length;
	}

	next(): InflateChunk {
		const inflater = this.inflater;
		if (this.done || inflater.finished) {
			this.done = true;
			const end = inflater.end;
			const checksum = checksumAt(this.data, end, this.wrapped, this.sum);
			return { kind: 'end', checksum, used: checksum === 'absent' ? end : end + 4 };
		}
		inflater.dropFront(Math.min(inflater.length, WINDOW));
		const from = inflater.length;
		try {
			inflater.step(from + this.chunkBytes);
		} catch (error) {
			this.done = true;
			return { kind: 'stop', reason: error instanceof Stop ? error.reason : 'malformed' };
		}
		const bytes = inflater.out.subarray(from, inflater.length);
		if (this.wrapped) this.sum = adler32(bytes, this.sum);
		return { kind: 'data', bytes };
	}
}
