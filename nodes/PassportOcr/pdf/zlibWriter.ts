/**
 * A compact zlib compressor (RFC 1950/1951): LZ77 with hash chains and per-block dynamic Huffman codes, written
 * in parts so that a PNG's size is known as it grows and the work can pause between rows. n8n's scanner allows
 * no `zlib`, so the PDF reader carries its own, beside its own inflater (inflate.ts), whose tables it shares.
 */
import {
	CODE_LENGTH_ORDER,
	DIST_BASE,
	DIST_EXTRA,
	LENGTH_BASE,
	LENGTH_EXTRA,
	adler32,
} from './zlibFormat';

/** Length 3–258 → length code index 0–28. */
const LENGTH_CODE = (() => {
	const table = new Uint8Array(259);
	for (let code = 0; code < 29; code++) {
		const top = code === 28 ? 258 : LENGTH_BASE[code] + (1 << LENGTH_EXTRA[code]) - 1;
		for (let length = LENGTH_BASE[code]; length <= top && length <= 258; length++)
			table[length] = code;
	}
	table[258] = 28;
	return table;
})();

function distanceCode(distance: number): number {
	let code = 29;
	while (DIST_BASE[code] > distance) code--;
	return code;
}

class BitWriter {
	private out = new Uint8Array(1 << 16);
	private length = 0;
	private buffer = 0;
	private count = 0;

	bits(value: number, count: number): void {
		this.buffer |= value << this.count;
		this.count += count;
		while (this.count >= 8) {
			if (this.length === this.out.length) {
				const grown = new Uint8Array(this.out.length * 2);
				grown.set(this.out);
				this.out = grown;
			}
			this.out[this.length++] = this.buffer & 0xff;
			this.buffer >>>= 8;
			this.count -= 8;
		}
	}

	get size(): number {
		return this.length;
	}

	finish(): Uint8Array {
		if (this.count > 0) this.bits(0, 8 - this.count);
		return this.out.subarray(0, this.length);
	}
}

/** Code lengths of a Huffman code for `freqs`, at most `maxBits` long (by flattening the counts until it fits). */
function huffmanLengths(freqs: ArrayLike<number>, maxBits: number): number[] {
	let counts = Array.from(freqs);
	for (;;) {
		const lengths = unlimitedLengths(counts);
		if (Math.max(...lengths) <= maxBits) return lengths;
		counts = counts.map((count) => (count === 0 ? 0 : (count >> 1) | 1));
	}
}

function unlimitedLengths(counts: number[]): number[] {
	const lengths = new Array<number>(counts.length).fill(0);
	const leaves = counts
		.map((count, symbol) => ({ count, symbol }))
		.filter((leaf) => leaf.count > 0)
		.sort((a, b) => a.count - b.count);
	if (leaves.length === 0) return lengths;
	if (leaves.length === 1) {
		lengths[leaves[0].symbol] = 1;
		return lengths;
	}
	// Two queues (sorted leaves, then merged nodes in the order made) give the Huffman tree in linear time.
	const parent: number[] = [];
	const weight: number[] = leaves.map((leaf) => leaf.count);
	let leaf = 0;
	let merged = leaves.length;
	const next = () => {
		if (leaf < leaves.length && (merged >= weight.length || weight[leaf] <= weight[merged]))
			return leaf++;
		return merged++;
	};
	while (weight.length < 2 * leaves.length - 1) {
		const a = next();
		const b = next();
		const node = weight.length;
		weight.push(weight[a] + weight[b]);
		parent[a] = node;
		parent[b] = node;
	}
	const depth = new Array<number>(weight.length).fill(0);
	for (let node = weight.length - 2; node >= 0; node--) depth[node] = depth[parent[node]] + 1;
	leaves.forEach((item, i) => (lengths[item.symbol] = depth[i]));
	return lengths;
}

/** Canonical codes for the lengths, bit-reversed because deflate writes Huffman codes most significant bit first. */
function canonicalCodes(lengths: number[]): number[] {
	const count = new Array<number>(16).fill(0);
	for (const length of lengths) count[length]++;
	count[0] = 0;
	const next = new Array<number>(16).fill(0);
	for (let bits = 1, code = 0; bits <= 15; bits++) {
		code = (code + count[bits - 1]) << 1;
		next[bits] = code;
	}
	return lengths.map((length) => {
		if (length === 0) return 0;
		let code = next[length]++;
		let reversed = 0;
		for (let i = 0; i < length; i++) {
			reversed = (reversed << 1) | (code & 1);
			code >>= 1;
		}
		return reversed;
	});
}

const BLOCK_SYMBOLS = 1 << 15;
const WINDOW = 1 << 15;
const HASH_BITS = 15;
const MAX_CHAIN = 12;

/** One dynamic-Huffman block: symbols are literal bytes, or length codes followed by a distance. */
function writeBlock(
	writer: BitWriter,
	literals: Uint16Array,
	distances: Uint16Array,
	count: number,
	final: boolean,
): void {
	const litFreq = new Array<number>(286).fill(0);
	const distFreq = new Array<number>(30).fill(0);
	for (let i = 0; i < count; i++) {
		const symbol = literals[i];
		if (symbol < 256) litFreq[symbol]++;
		else {
			litFreq[257 + LENGTH_CODE[symbol - 256]]++;
			distFreq[distanceCode(distances[i])]++;
		}
	}
	litFreq[256] = 1;
	if (!distFreq.some((f) => f > 0)) distFreq[0] = 1;
	const litLengths = huffmanLengths(litFreq, 15);
	const distLengths = huffmanLengths(distFreq, 15);
	let hlit = 286;
	while (hlit > 257 && litLengths[hlit - 1] === 0) hlit--;
	let hdist = 30;
	while (hdist > 1 && distLengths[hdist - 1] === 0) hdist--;
	const all = [...litLengths.slice(0, hlit), ...distLengths.slice(0, hdist)];
	// Run-length coding of the code lengths (RFC 1951 §3.2.7): 16 repeats the previous, 17 and 18 repeat zero.
	const runs: Array<[symbol: number, extra: number, extraBits: number]> = [];
	for (let i = 0; i < all.length; ) {
		const value = all[i];
		let run = 1;
		while (i + run < all.length && all[i + run] === value) run++;
		let left = run;
		if (value === 0) {
			while (left >= 11) {
				const n = Math.min(left, 138);
				runs.push([18, n - 11, 7]);
				left -= n;
			}
			if (left >= 3) {
				runs.push([17, left - 3, 3]);
				left = 0;
			}
		} else {
			runs.push([value, 0, 0]);
			left--;
			while (left >= 3) {
				const n = Math.min(left, 6);
				runs.push([16, n - 3, 2]);
				left -= n;
			}
		}
		while (left-- > 0) runs.push([value, 0, 0]);
		i += run;
	}
	const clFreq = new Array<number>(19).fill(0);
	for (const [symbol] of runs) clFreq[symbol]++;
	const clLengths = huffmanLengths(clFreq, 7);
	const clCodes = canonicalCodes(clLengths);
	let hclen = 19;
	while (hclen > 4 && clLengths[CODE_LENGTH_ORDER[hclen - 1]] === 0) hclen--;

	writer.bits(final ? 1 : 0, 1);
	writer.bits(2, 2);
	writer.bits(hlit - 257, 5);
	writer.bits(hdist - 1, 5);
	writer.bits(hclen - 4, 4);
	for (let i = 0; i < hclen; i++) writer.bits(clLengths[CODE_LENGTH_ORDER[i]], 3);
	for (const [symbol, extra, extraBits] of runs) {
		writer.bits(clCodes[symbol], clLengths[symbol]);
		if (extraBits) writer.bits(extra, extraBits);
	}
	const litCodes = canonicalCodes(litLengths);
	const distCodes = canonicalCodes(distLengths);
	for (let i = 0; i < count; i++) {
		const symbol = literals[i];
		if (symbol < 256) {
			writer.bits(litCodes[symbol], litLengths[symbol]);
			continue;
		}
		const length = symbol - 256;
		const lengthCode = LENGTH_CODE[length];
		writer.bits(litCodes[257 + lengthCode], litLengths[257 + lengthCode]);
		if (LENGTH_EXTRA[lengthCode])
			writer.bits(length - LENGTH_BASE[lengthCode], LENGTH_EXTRA[lengthCode]);
		const distance = distances[i];
		const distCode = distanceCode(distance);
		writer.bits(distCodes[distCode], distLengths[distCode]);
		if (DIST_EXTRA[distCode]) writer.bits(distance - DIST_BASE[distCode], DIST_EXTRA[distCode]);
	}
	writer.bits(litCodes[256], litLengths[256]);
}

/** Bytes a match may run past the position being coded; streaming codes only up to this far from the end. */
const MAX_MATCH = 258;

/**
 * A zlib stream written in parts: greedy LZ77 matching over a 32 KB window with short hash chains (fast, and
 * most of the gain on filtered image rows comes from the Huffman codes anyway). Only the window and the part
 * not yet coded are held, so a large image can be compressed row by row; `size` tells how large the output has
 * grown, so a caller can stop as soon as it passes a limit.
 */
export class ZlibWriter {
	private readonly writer = new BitWriter();
	private readonly head = new Int32Array(1 << HASH_BITS).fill(-1);
	private readonly prev = new Int32Array(WINDOW);
	private readonly literals = new Uint16Array(BLOCK_SYMBOLS);
	private readonly distances = new Uint16Array(BLOCK_SYMBOLS);
	private count = 0;
	/** Input held: `buffer[0]` is input position `base`; positions are counted from the start of all input. */
	private buffer = new Uint8Array(WINDOW * 4);
	private base = 0;
	private end = 0;
	private at = 0;
	private sum = 1;

	constructor() {
		// CMF: deflate with a 32 KB window; FLG: no dictionary, default level, check bits making it divisible by 31.
		this.writer.bits(0x78, 8);
		this.writer.bits(0x9c, 8);
	}

	/** Compressed bytes written so far (the block being gathered is not yet counted). */
	get size(): number {
		return this.writer.size;
	}

	write(data: Uint8Array): void {
		this.sum = adler32(data, this.sum);
		let held = this.end - this.base;
		if (held + data.length > this.buffer.length) {
			// Drop what lies before the window of the next position to code.
			const keepFrom = Math.max(this.base, this.at - WINDOW);
			this.buffer.copyWithin(0, keepFrom - this.base, held);
			held -= keepFrom - this.base;
			this.base = keepFrom;
			if (held + data.length > this.buffer.length) {
				const grown = new Uint8Array(Math.max(this.buffer.length * 2, held + data.length));
				grown.set(this.buffer.subarray(0, held));
				this.buffer = grown;
			}
		}
		this.buffer.set(data, held);
		this.end += data.length;
		this.code(this.end - MAX_MATCH);
	}

	/** Codes the rest and closes the stream with its Adler-32. */
	finish(): Buffer {
		this.code(this.end);
		writeBlock(this.writer, this.literals, this.distances, this.count, true);
		this.count = 0;
		const body = this.writer.finish();
		const out = Buffer.alloc(body.length + 4);
		out.set(body);
		out.writeUInt32BE(this.sum, body.length);
		return out;
	}

	/** LZ77 over positions up to `until` (exclusive); matches may read up to the end of what is held. */
	private code(until: number): void {
		const { head, prev, literals, distances, buffer: data, base } = this;
		const end = this.end;
		const hash = (at: number) =>
			(((data[at - base] << 10) ^ (data[at - base + 1] << 5) ^ data[at - base + 2]) *
				0x9e3779b1) >>>
			(32 - HASH_BITS);
		const insert = (at: number) => {
			if (at + 2 >= end) return;
			const h = hash(at);
			prev[at & (WINDOW - 1)] = head[h];
			head[h] = at;
		};
		let at = this.at;
		let count = this.count;
		while (at < until) {
			let bestLength = 0;
			let bestDistance = 0;
			if (at + 2 < end) {
				let candidate = head[hash(at)];
				const limit = Math.min(MAX_MATCH, end - at);
				for (
					let chain = 0;
					chain < MAX_CHAIN && candidate >= 0 && at - candidate <= WINDOW - 1;
					chain++
				) {
					const c = candidate - base;
					const a = at - base;
					if (data[c + bestLength] === data[a + bestLength]) {
						let length = 0;
						while (length < limit && data[c + length] === data[a + length]) length++;
						if (length > bestLength) {
							bestLength = length;
							bestDistance = at - candidate;
							if (length === limit) break;
						}
					}
					const older = prev[candidate & (WINDOW - 1)];
					if (older >= candidate) break;
					candidate = older;
				}
			}
			if (bestLength >= 3) {
				literals[count] = 256 + bestLength;
				distances[count++] = bestDistance;
				for (let i = 0; i < bestLength; i++) insert(at + i);
				at += bestLength;
			} else {
				literals[count++] = data[at - base];
				insert(at);
				at++;
			}
			if (count === BLOCK_SYMBOLS) {
				writeBlock(this.writer, literals, distances, count, false);
				count = 0;
			}
		}
		this.at = at;
		this.count = count;
	}
}
