/**
 * The zlib and deflate formats' shared facts (RFC 1950/1951): the length and distance tables, the order of code
 * length codes, the Adler-32 checksum and the zlib header. The inflater (inflate.ts) and the compressor
 * (zlibWriter.ts) both use them.
 */

/** RFC 1951 §3.2.5: base lengths and extra bits for length codes 257–285. */
export const LENGTH_BASE = [
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
	163, 195, 227, 258,
];
export const LENGTH_EXTRA = [
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
export const DIST_BASE = [
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
	3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
export const DIST_EXTRA = [
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
/** RFC 1951 §3.2.7: the order in which code length code lengths are sent. */
export const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Adler-32 (RFC 1950 §9), summed in runs short enough that the sums cannot overflow before the modulo. */
export function adler32(bytes: Uint8Array, previous = 1): number {
	let a = previous & 0xffff;
	let b = previous >>> 16;
	for (let start = 0; start < bytes.length; start += 5552) {
		const end = Math.min(start + 5552, bytes.length);
		for (let i = start; i < end; i++) {
			a += bytes[i];
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return ((b << 16) | a) >>> 0;
}

/** RFC 1950 §2.2: deflate method, window at most 32 KB, header divisible by 31, no preset dictionary. */
export function hasZlibHeader(data: Uint8Array): boolean {
	return (
		data.length >= 2 &&
		(data[0] & 0x0f) === 8 &&
		data[0] >> 4 <= 7 &&
		((data[0] << 8) | data[1]) % 31 === 0 &&
		(data[1] & 0x20) === 0
	);
}
