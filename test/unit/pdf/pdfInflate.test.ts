/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
import { deflateRawSync, deflateSync, inflateSync } from 'node:zlib';

import fc from 'fast-check';

import { inflate, InflateStream } from '../../../nodes/PassportOcr/pdf/inflate';
import { adler32 } from '../../../nodes/PassportOcr/pdf/zlibFormat';
import { crc32, PngRowFilter, unfilterPngRows } from '../../../nodes/PassportOcr/pdf/pngFromPixels';
import { ZlibWriter } from '../../../nodes/PassportOcr/pdf/zlibWriter';

/** Every row of `pixels` filtered for a PNG (see `PngRowFilter`). */
function filterRowsForPng(pixels: Uint8Array, rowBytes: number, pixelBytes: number): Buffer {
	const rows = Math.floor(pixels.length / rowBytes);
	const out = Buffer.alloc(rows * (rowBytes + 1));
	const filter = new PngRowFilter(rowBytes, pixelBytes);
	for (let r = 0; r < rows; r++) {
		out.set(filter.filter(pixels.subarray(r * rowBytes, (r + 1) * rowBytes)), r * (rowBytes + 1));
	}
	return out;
}

/** A zlib stream of `data` in one go. */
function zlibCompress(data: Uint8Array): Buffer {
	const writer = new ZlibWriter();
	writer.write(data);
	return writer.finish();
}

/** Data that deflate codes in every way: runs (matches), text, and noise (literals, stored blocks). */
const mixedBytes = fc
	.array(
		fc.oneof(
			fc.uint8Array({ maxLength: 3000 }),
			fc
				.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 5000 }))
				.map(([byte, n]) => new Uint8Array(n).fill(byte)),
			fc.string({ maxLength: 400 }).map((text) => new Uint8Array(Buffer.from(text.repeat(3)))),
		),
		{ maxLength: 12 },
	)
	.map((parts) => new Uint8Array(Buffer.concat(parts)));

describe('inflate', () => {
	it('gives back what node:zlib deflated, at every level and strategy', () => {
		fc.assert(
			fc.property(
				mixedBytes,
				fc.integer({ min: 0, max: 9 }),
				fc.integer({ min: 0, max: 4 }),
				(data, level, strategy) => {
					const result = inflate(deflateSync(data, { level, strategy }), data.length + 1);
					expect(result.ok).toBe(true);
					if (!result.ok) return;
					expect(Buffer.compare(result.bytes, Buffer.from(data))).toBe(0);
					expect(result.checksum).toBe('valid');
				},
			),
			{ numRuns: 150 },
		);
	});

	it('reads raw deflate data without the zlib wrapper (checksum absent)', () => {
		const data = Buffer.from('raw deflate, as some PDF writers store it '.repeat(50));
		const result = inflate(deflateRawSync(data), 1 << 20);
		expect(result).toMatchObject({ ok: true, checksum: 'absent' });
		if (result.ok) expect(result.bytes.equals(data)).toBe(true);
	});

	it('reports a wrong Adler-32 without failing the data', () => {
		const stream = deflateSync(Buffer.from('checksum'));
		stream[stream.length - 1] ^= 1;
		expect(inflate(stream, 100)).toMatchObject({ ok: true, checksum: 'invalid' });
	});

	it('stops a deflate bomb at the cap, quickly and without allocating the claimed size', () => {
		const bomb = deflateSync(Buffer.alloc(200 * 1024 * 1024), { level: 9 });
		expect(bomb.length).toBeLessThan(300 * 1024);
		const before = process.memoryUsage().arrayBuffers;
		const started = Date.now();
		const result = inflate(bomb, 8 * 1024 * 1024);
		expect(Date.now() - started).toBeLessThan(1500);
		expect(result).toMatchObject({ ok: false, reason: 'too-large' });
		if (!result.ok) expect(result.partial.length).toBeLessThanOrEqual(8 * 1024 * 1024);
		expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(40 * 1024 * 1024);
	});

	it('says where a cut-off stream ends and keeps what it decoded', () => {
		const data = Buffer.from(Array.from({ length: 20000 }, (_, i) => (i * 7919) % 251));
		const stream = deflateSync(data);
		const result = inflate(stream.subarray(0, stream.length >> 1), 1 << 20);
		expect(result).toMatchObject({ ok: false, reason: 'truncated' });
		if (!result.ok) {
			expect(result.partial.length).toBeGreaterThan(0);
			expect(result.partial.equals(data.subarray(0, result.partial.length))).toBe(true);
		}
	});

	it('never throws on random bytes', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
				const result = inflate(bytes, 1 << 16);
				expect(typeof result.ok).toBe('boolean');
			}),
			{ numRuns: 500 },
		);
	});

	it('never throws on damaged real streams', () => {
		const stream = deflateSync(
			Buffer.from('a sentence that repeats, a sentence that repeats. '.repeat(40)),
		);
		fc.assert(
			fc.property(fc.nat(stream.length - 1), fc.integer({ min: 0, max: 255 }), (at, byte) => {
				const copy = Buffer.from(stream);
				copy[at] = byte;
				expect(typeof inflate(copy, 1 << 16).ok).toBe('boolean');
			}),
			{ numRuns: 500 },
		);
	});

	it('computes Adler-32 like the zlib trailer', () => {
		const data = Buffer.alloc(100000, 0xff);
		const stream = deflateSync(data);
		expect(adler32(data)).toBe(stream.readUInt32BE(stream.length - 4));
	});
});

describe('zlibCompress', () => {
	it('writes streams node:zlib inflates back to the same bytes', () => {
		fc.assert(
			fc.property(mixedBytes, (data) => {
				expect(Buffer.compare(inflateSync(zlibCompress(data)), Buffer.from(data))).toBe(0);
			}),
			{ numRuns: 150 },
		);
	});

	it('compresses long runs and large inputs (several blocks)', () => {
		const data = Buffer.alloc(300000);
		for (let i = 0; i < data.length; i++)
			data[i] = (i % 1000 < 500 ? i & 0x0f : 0) + ((i * 31) % 7);
		const compressed = zlibCompress(data);
		expect(inflateSync(compressed).equals(data)).toBe(true);
		expect(compressed.length).toBeLessThan(data.length / 4);
	});
});

describe('PNG rows', () => {
	it('filters and unfilters rows losslessly, with a valid filter byte per row', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 40 }),
				fc.integer({ min: 1, max: 20 }),
				fc.constantFrom(1, 3),
				fc.integer(),
				(width, height, channels, seed) => {
					const pixels = Buffer.alloc(width * height * channels);
					for (let i = 0; i < pixels.length; i++) pixels[i] = (seed + i * (i % 13)) & 0xff;
					const filtered = filterRowsForPng(pixels, width * channels, channels);
					for (let r = 0; r < height; r++)
						expect(filtered[r * (width * channels + 1)]).toBeLessThanOrEqual(4);
					expect(unfilterPngRows(filtered, width * channels, channels)?.equals(pixels)).toBe(true);
				},
			),
		);
	});

	it('computes CRC-32 of the PNG IEND chunk', () => {
		expect(crc32(Buffer.from('IEND'))).toBe(0xae426082);
	});
});

describe('streaming: InflateStream and ZlibWriter', () => {
	it('InflateStream gives the same bytes in chunks, holding only a window, and checks the Adler-32', () => {
		fc.assert(
			fc.property(mixedBytes, fc.integer({ min: 1, max: 5000 }), (data, chunkBytes) => {
				const stream = new InflateStream(deflateSync(data), data.length + 1, chunkBytes);
				const parts: Buffer[] = [];
				for (let chunk = stream.next(); ; chunk = stream.next()) {
					if (chunk.kind === 'data') parts.push(Buffer.from(chunk.bytes));
					else {
						expect(chunk).toMatchObject({ kind: 'end', checksum: 'valid' });
						break;
					}
				}
				expect(Buffer.concat(parts).equals(Buffer.from(data))).toBe(true);
				expect(stream.produced).toBe(data.length);
			}),
			{ numRuns: 100 },
		);
	});

	it('InflateStream stops at the cap and reports a cut-off stream', () => {
		const bomb = new InflateStream(deflateSync(Buffer.alloc(1 << 22)), 1 << 20);
		let chunk = bomb.next();
		while (chunk.kind === 'data') chunk = bomb.next();
		expect(chunk).toEqual({ kind: 'stop', reason: 'too-large' });
		const whole = deflateSync(Buffer.from('cut off '.repeat(5000)));
		const cut = new InflateStream(whole.subarray(0, whole.length >> 1), 1 << 20);
		chunk = cut.next();
		while (chunk.kind === 'data') chunk = cut.next();
		expect(chunk).toEqual({ kind: 'stop', reason: 'truncated' });
	});

	it('ZlibWriter fed in parts writes a stream node:zlib reads back, and tells its size as it grows', () => {
		fc.assert(
			fc.property(mixedBytes, fc.integer({ min: 1, max: 70000 }), (data, part) => {
				const writer = new ZlibWriter();
				for (let at = 0; at < data.length; at += part) writer.write(data.subarray(at, at + part));
				const sizeBefore = writer.size;
				const out = writer.finish();
				expect(sizeBefore).toBeLessThanOrEqual(out.length);
				expect(inflateSync(out).equals(Buffer.from(data))).toBe(true);
			}),
			{ numRuns: 100 },
		);
	});
});
