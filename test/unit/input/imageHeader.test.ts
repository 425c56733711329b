/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import fc from 'fast-check';

import {
	jpegHeaderBytes,
	readImageHeader,
	type HeaderReading,
	type ImageFormat,
} from '../../../nodes/PassportOcr/input/imageHeader';
import {
	crc32,
	fromHex,
	jpegSegment,
	makeBmp,
	makeJpeg,
	makePng,
	makeTiff,
} from '../../support/imageBytes';

const VALID_IMAGES: Array<
	[name: string, bytes: Buffer, format: ImageFormat, w: number, h: number]
> = [
	['PNG', makePng(37, 23), 'png', 37, 23],
	['PNG 1 × 1', makePng(1, 1), 'png', 1, 1],
	['BMP, BITMAPINFOHEADER', makeBmp(37, 23), 'bmp', 37, 23],
	['BMP, BITMAPINFOHEADER top-down', makeBmp(37, 23, { topDown: true }), 'bmp', 37, 23],
	['BMP, BITMAPCOREHEADER', makeBmp(37, 23, { header: 'core' }), 'bmp', 37, 23],
	['BMP, BITMAPV5HEADER', makeBmp(37, 23, { header: 'v5' }), 'bmp', 37, 23],
	['BMP, BITMAPV5HEADER top-down', makeBmp(23, 37, { header: 'v5', topDown: true }), 'bmp', 23, 37],
	['TIFF II SHORT', makeTiff(37, 23), 'tiff', 37, 23],
	['TIFF II LONG', makeTiff(37, 23, { dimensionType: 'long' }), 'tiff', 37, 23],
	['TIFF MM SHORT', makeTiff(37, 23, { byteOrder: 'MM' }), 'tiff', 37, 23],
	['TIFF MM LONG', makeTiff(37, 23, { byteOrder: 'MM', dimensionType: 'long' }), 'tiff', 37, 23],
	[
		'TIFF MM LONG beyond 16 bits',
		makeTiff(70000, 2, { byteOrder: 'MM', dimensionType: 'long' }),
		'tiff',
		70000,
		2,
	],
	['JPEG', makeJpeg(37, 23), 'jpeg', 37, 23],
	['JPEG 9000 × 6000', makeJpeg(9000, 6000), 'jpeg', 9000, 6000],
];

/** Bytes with some positions overwritten. */
function patched(bytes: Uint8Array, changes: Record<number, number>): Buffer {
	const copy = Buffer.from(bytes);
	for (const [at, value] of Object.entries(changes)) copy[Number(at)] = value;
	return copy;
}

/** A JPEG with extra bytes placed right after SOI. */
const afterSoi = (jpeg: Buffer, ...parts: Buffer[]) =>
	Buffer.concat([jpeg.subarray(0, 2), ...parts, jpeg.subarray(2)]);

/** Offset of the first segment with this marker in a JPEG made by `makeJpeg`. */
const markerAt = (jpeg: Buffer, marker: number) => jpeg.indexOf(Buffer.from([0xff, marker]));

function expectWellFormed(reading: HeaderReading) {
	if (reading.ok) {
		expect(['jpeg', 'png', 'bmp', 'tiff']).toContain(reading.format);
		expect(Number.isInteger(reading.width) && reading.width > 0).toBe(true);
		expect(Number.isInteger(reading.height) && reading.height > 0).toBe(true);
	} else {
		expect(['unknown-format', 'truncated', 'malformed']).toContain(reading.reason);
		expect(reading.detail.length).toBeGreaterThan(0);
	}
}

describe('readImageHeader on valid images', () => {
	it.each(VALID_IMAGES)('reads the size of a %s', (_name, bytes, format, width, height) => {
		expect(readImageHeader(bytes)).toEqual({ ok: true, format, width, height });
	});

	it.each(['utopia-eriksson.jpg', 'china-qian.jpg', 'netherlands-van-den-broek.png'])(
		'reads %s, written by Pillow, as 1250 × 880',
		(file) => {
			const bytes = readFileSync(join(__dirname, '../../emulator/fixtures', file));
			expect(readImageHeader(bytes)).toMatchObject({ ok: true, width: 1250, height: 880 });
		},
	);

	it('reads a Uint8Array that is a view into a larger buffer', () => {
		const png = makePng(40, 30);
		const framed = new Uint8Array(png.length + 10);
		framed.set(png, 5);
		expect(readImageHeader(framed.subarray(5, 5 + png.length))).toMatchObject({
			width: 40,
			height: 30,
		});
	});
});

describe('readImageHeader on JPEG segment structure', () => {
	const jpeg = makeJpeg(640, 480);
	const sof = markerAt(jpeg, 0xc0);

	it.each(Array.from({ length: 16 }, (_, i) => 0xc0 + i))('marker %s', (marker) => {
		const reading = readImageHeader(patched(jpeg, { [sof + 1]: marker }));
		if ([0xc4, 0xc8, 0xcc].includes(marker)) {
			expect(reading).toMatchObject({ ok: false, reason: 'malformed' });
		} else {
			expect(reading).toEqual({ ok: true, format: 'jpeg', width: 640, height: 480 });
		}
	});

	it('skips an EXIF segment whose embedded thumbnail has its own frame header', () => {
		const exif = jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0'), makeJpeg(160, 120)]));
		expect(readImageHeader(afterSoi(jpeg, exif))).toMatchObject({ width: 640, height: 480 });
	});

	it('skips fill bytes, standalone markers and stray bytes before a marker', () => {
		const noise = Buffer.concat([
			fromHex('ffffff'),
			fromHex('ffd0 ff01 ffd7'),
			fromHex('0012ff00'),
		]);
		expect(readImageHeader(afterSoi(jpeg, noise))).toMatchObject({
			ok: true,
			width: 640,
			height: 480,
		});
	});

	it.each([
		['picture data (SOS)', 0xda],
		['an end marker (EOI)', 0xd9],
		['a second start marker (SOI)', 0xd8],
	])('reports %s before the frame header as malformed', (_name, marker) => {
		const early =
			marker === 0xda
				? jpegSegment(0xda, fromHex('010100003f00'))
				: fromHex(`ff${marker.toString(16)}`);
		expect(readImageHeader(afterSoi(jpeg, early))).toMatchObject({
			ok: false,
			format: 'jpeg',
			reason: 'malformed',
		});
	});

	it('reports a segment length of 0xFFFF that runs past the end as truncated', () => {
		// A 16-bit length is the most a JPEG segment can claim; FF FF FF FF would be 4 GB as a 32-bit field.
		const reading = readImageHeader(fromHex('ffd8 ffe1 ffff ffff 4578 6966 0000'));
		expect(reading).toMatchObject({ ok: false, format: 'jpeg', reason: 'truncated' });
	});

	it.each([0, 1])('reports a segment length of %i as malformed', (length) => {
		expect(readImageHeader(afterSoi(jpeg, fromHex(`ffe0 000${length}`)))).toMatchObject({
			reason: 'malformed',
		});
	});

	it('reports a frame header too short to hold the size as malformed', () => {
		expect(readImageHeader(fromHex('ffd8 ffc0 0006 0800 1000 ffd9'))).toMatchObject({
			reason: 'malformed',
		});
	});

	it.each([
		['width', 5],
		['height', 3],
	])('reports a zero %s as malformed', (_side, offset) => {
		const zeroed = patched(jpeg, { [sof + 2 + offset]: 0, [sof + 3 + offset]: 0 });
		expect(readImageHeader(zeroed)).toMatchObject({ ok: false, reason: 'malformed' });
	});
});

describe('readImageHeader on damaged PNG, BMP and TIFF headers', () => {
	it('reports a PNG whose header checksum does not match as malformed', () => {
		const png = makePng(40, 30);
		expect(readImageHeader(patched(png, { 19: 41 }))).toMatchObject({ reason: 'malformed' });
	});

	it('reports a PNG whose first chunk is not IHDR as malformed', () => {
		const png = makePng(40, 30);
		expect(readImageHeader(patched(png, { 12: 0x69 }))).toMatchObject({ reason: 'malformed' });
	});

	it.each([
		['PNG', makePng(0, 30)],
		['BMP', makeBmp(40, 0)],
		['BMP core', makeBmp(0, 30, { header: 'core' })],
		['TIFF', makeTiff(40, 0)],
		['JPEG', makeJpeg(0, 30)],
	])('reports a %s with a zero side as malformed, naming the size', (_name, bytes) => {
		const reading = readImageHeader(bytes);
		expect(reading).toMatchObject({ ok: false, reason: 'malformed' });
		expect(!reading.ok && reading.detail).toMatch(/\d+ × \d+ px/);
	});

	it('reports a BMP with a negative width as malformed', () => {
		const bmp = makeBmp(40, 30);
		bmp.writeInt32LE(-40, 18);
		expect(readImageHeader(bmp)).toMatchObject({ reason: 'malformed' });
	});

	it('reads the most negative BMP height as its absolute value', () => {
		const bmp = makeBmp(40, 30);
		bmp.writeInt32LE(-0x80000000, 22);
		expect(readImageHeader(bmp)).toMatchObject({ ok: true, height: 0x80000000 });
	});

	it.each([0, 8, 15])('reports a BMP header size of %i as malformed', (size) => {
		const bmp = makeBmp(40, 30);
		bmp.writeUInt32LE(size, 14);
		expect(readImageHeader(bmp)).toMatchObject({ reason: 'malformed' });
	});

	it.each(['II', 'MM'] as const)(
		'reports a %s TIFF whose directory lies past the end as truncated',
		(order) => {
			const tiff = makeTiff(40, 30, { byteOrder: order });
			if (order === 'MM') tiff.writeUInt32BE(0xfffffff0, 4);
			else tiff.writeUInt32LE(0xfffffff0, 4);
			expect(readImageHeader(tiff)).toMatchObject({
				ok: false,
				format: 'tiff',
				reason: 'truncated',
			});
		},
	);

	it('reports a TIFF directory pointing into the file header as malformed', () => {
		const tiff = makeTiff(40, 30);
		tiff.writeUInt32LE(4, 4);
		expect(readImageHeader(tiff)).toMatchObject({ reason: 'malformed' });
	});

	it('reports a TIFF directory claiming 65535 entries in a short file as truncated', () => {
		const tiff = makeTiff(40, 30).subarray(0, 60);
		tiff.writeUInt16LE(0xffff, 8);
		tiff.writeUInt16LE(254, 10); // the first entry is no longer ImageWidth
		expect(readImageHeader(tiff)).toMatchObject({ reason: 'truncated' });
	});

	it.each([
		['of type ASCII', { 12: 2 }],
		['with a count of 2', { 14: 2 }],
	])('reports a TIFF width %s as malformed', (_name, changes) => {
		expect(readImageHeader(patched(makeTiff(40, 30), changes))).toMatchObject({
			reason: 'malformed',
		});
	});

	it('reports a TIFF without ImageLength as malformed', () => {
		// Entry 1 (offset 22) is ImageLength; retag it as NewSubfileType.
		expect(readImageHeader(patched(makeTiff(40, 30), { 22: 254, 23: 0 }))).toMatchObject({
			ok: false,
			format: 'tiff',
			reason: 'malformed',
		});
	});
});

describe('readImageHeader on files that are not an accepted image', () => {
	it.each([
		['a GIF image', Buffer.from('GIF89a\x01\0\x01\0\0\0\0', 'latin1')],
		['a WebP image', Buffer.from('RIFF\x24\0\0\0WEBPVP8 ', 'latin1')],
		['a HEIC image', Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1')],
		['an AVIF image', Buffer.from('\0\0\0\x1cftypavif\0\0\0\0avifmif1', 'latin1')],
		['a PDF document', Buffer.from('%PDF-1.7\n%\xe2\xe3\n', 'latin1')],
		['a web page or other text', Buffer.from('\n  <!DOCTYPE html><html>', 'latin1')],
		['a file of unknown type', Buffer.from('passport data', 'latin1')],
		['a file of unknown type', fromHex('ffd8')],
	])('says the file is %s', (detail, bytes) => {
		expect(readImageHeader(bytes)).toEqual({ ok: false, reason: 'unknown-format', detail });
	});

	it('says an empty file is empty', () => {
		expect(readImageHeader(new Uint8Array(0))).toEqual({
			ok: false,
			reason: 'truncated',
			detail: 'the file is empty',
		});
	});
});

describe('readImageHeader on every prefix of a valid image', () => {
	it.each(VALID_IMAGES.filter(([, bytes]) => bytes.length < 100_000))(
		'%s: each prefix gives the right size or "truncated", and stays right once right',
		(_name, bytes, format, width, height) => {
			let sizeKnown = false;
			for (let length = 0; length <= bytes.length; length++) {
				const reading = readImageHeader(bytes.subarray(0, length));
				if (reading.ok) {
					expect(reading).toEqual({ ok: true, format, width, height });
					sizeKnown = true;
				} else {
					expect(sizeKnown).toBe(false);
					expect(
						reading.reason === 'truncated' || (reading.reason === 'unknown-format' && length < 8),
					).toBe(true);
				}
			}
			expect(sizeKnown).toBe(true);
		},
	);
});

describe('readImageHeader on random and mutated bytes', () => {
	const signatures = ['ffd8ff', '89504e470d0a1a0a', '424d', '49492a00', '4d4d002a'].map(fromHex);
	const samples = VALID_IMAGES.filter(([, bytes]) => bytes.length < 100_000).map(
		([, bytes]) => bytes,
	);

	it('never throws on random bytes', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) =>
				expectWellFormed(readImageHeader(bytes)),
			),
			{ numRuns: 3000, seed: 9303 },
		);
	});

	it('never throws on random bytes after an accepted signature', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...signatures),
				fc.uint8Array({ maxLength: 300 }),
				(signature, rest) => expectWellFormed(readImageHeader(Buffer.concat([signature, rest]))),
			),
			{ numRuns: 3000, seed: 9303 },
		);
	});

	it('never throws on valid images with bytes overwritten and the end cut off', () => {
		const change = fc.record({ at: fc.nat({ max: 400 }), value: fc.integer({ min: 0, max: 255 }) });
		fc.assert(
			fc.property(
				fc.constantFrom(...samples),
				fc.array(change, { minLength: 1, maxLength: 8 }),
				fc.nat(),
				(image, changes, cut) => {
					const bytes = Buffer.from(image);
					for (const { at, value } of changes) bytes[at % bytes.length] = value;
					expectWellFormed(readImageHeader(bytes.subarray(0, bytes.length - (cut % 64))));
				},
			),
			{ numRuns: 3000, seed: 9303 },
		);
	});
});

describe('readImageHeader on tiny files claiming huge sizes', () => {
	const hugePngHeader = () => {
		const ihdr = fromHex('49484452 7fffffff 7fffffff 0802000000');
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(ihdr));
		return Buffer.concat([fromHex('89504e470d0a1a0a 0000000d'), ihdr, crc]);
	};

	it.each([
		['JPEG', fromHex('ffd8 ffc0 000b 08 ffff ffff 01 0111 00 ffd9'), 65535, 65535],
		['BMP', fromHex('424d 00000000 00000000 1a000000 0c000000 ffff ffff'), 65535, 65535],
		['PNG', hugePngHeader(), 0x7fffffff, 0x7fffffff],
		[
			'TIFF',
			fromHex('49492a00 08000000 0200 0001 0400 01000000 ffffffff 0101 0400 01000000 ffffffff'),
			0xffffffff,
			0xffffffff,
		],
	])(
		'reads the %s size from a few dozen bytes without allocating for it',
		(_name, bytes, width, height) => {
			expect(bytes.length).toBeLessThanOrEqual(34);
			expect(readImageHeader(bytes)).toMatchObject({ ok: true, width, height });
		},
	);
});

describe('jpegHeaderBytes: the frame header of a JPEG read piecewise', () => {
	const reader = (bytes: Buffer) => {
		const reads: number[] = [];
		const read = (offset: number, length: number) => {
			reads.push(length);
			return bytes.subarray(offset, offset + length);
		};
		return { read, reads };
	};
	const withMetadata = (jpeg: Buffer, segments: number) => {
		const app1 = jpegSegment(0xe1, Buffer.alloc(65_000, 0x41));
		return Buffer.concat([
			jpeg.subarray(0, 2),
			...Array.from({ length: segments }, () => app1),
			jpeg.subarray(2),
		]);
	};

	it('finds the frame header past megabytes of metadata, reading segment headers only', () => {
		const jpeg = withMetadata(makeJpeg(3000, 2000), 30);
		const { read, reads } = reader(jpeg);
		const head = jpegHeaderBytes(read, jpeg.length);
		expect(head && readImageHeader(head)).toEqual({
			ok: true,
			format: 'jpeg',
			width: 3000,
			height: 2000,
		});
		expect(reads.reduce((sum, length) => sum + length, 0)).toBeLessThan(1000);
	});

	it('skips fill bytes before a marker', () => {
		const jpeg = makeJpeg(640, 480);
		const filled = Buffer.concat([
			jpeg.subarray(0, 2),
			Buffer.from([0xff, 0xff]),
			jpeg.subarray(2),
		]);
		const head = jpegHeaderBytes(reader(filled).read, filled.length);
		expect(head && readImageHeader(head)).toMatchObject({ ok: true, width: 640, height: 480 });
	});

	it.each([
		['a PNG', makePng(20, 20)],
		[
			'a JPEG with stray bytes between segments',
			Buffer.concat([fromHex('ffd8 00 00'), makeJpeg(20, 20).subarray(2)]),
		],
		[
			'a JPEG cut off before its frame header',
			withMetadata(makeJpeg(20, 20), 2).subarray(0, 70_000),
		],
		['a JPEG whose picture data starts before any frame header', fromHex('ffd8 ffda 0004 0000')],
	])('leaves %s to the whole-file reader', (_, bytes) => {
		expect(jpegHeaderBytes(reader(bytes).read, bytes.length)).toBeUndefined();
	});
});
