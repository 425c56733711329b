/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * Real image files of a chosen pixel size, built in memory for tests. Each builder writes a complete file that
 * image decoders open (checked with Pillow and ImageMagick when this was written), not just a header.
 */
import { deflateSync } from 'node:zlib';

/** Bytes from hex text; spaces and line breaks are ignored. */
export const fromHex = (hex: string): Buffer => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

/** CRC-32 as PNG chunks use it (ISO 15948 Annex D). */
export function crc32(bytes: Uint8Array): number {
	let crc = 0xffffffff;
	for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

const PNG_SIGNATURE = fromHex('89504e470d0a1a0a');

function pngChunk(type: string, data: Buffer): Buffer {
	const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const framing = Buffer.alloc(8);
	framing.writeUInt32BE(data.length, 0);
	framing.writeUInt32BE(crc32(typed), 4);
	return Buffer.concat([framing.subarray(0, 4), typed, framing.subarray(4)]);
}

/** An 8-bit RGB PNG with a colour gradient, its pixels deflated into one IDAT chunk. */
export function makePng(width: number, height: number): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bits per channel
	header[9] = 2; // colour type RGB; compression, filter and interlace methods stay 0
	const rowLength = 1 + width * 3; // each row starts with filter type 0 (none)
	const pixels = Buffer.alloc(rowLength * height);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++)
			pixels.set([x & 0xff, y & 0xff, 0x80], y * rowLength + 1 + x * 3);
	}
	return Buffer.concat([
		PNG_SIGNATURE,
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(pixels)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

export interface BmpOptions {
	/** `core`: BITMAPCOREHEADER (12 bytes, 16-bit sides); `info`: BITMAPINFOHEADER (40); `v5`: BITMAPV5HEADER (124). */
	header?: 'core' | 'info' | 'v5';
	/** Rows stored top first, written as a negative height; only the 32-bit headers can say so. */
	topDown?: boolean;
}

const DIB_HEADER_SIZE = { core: 12, info: 40, v5: 124 };

/** A 24-bit uncompressed BMP filled with a gradient. */
export function makeBmp(width: number, height: number, options: BmpOptions = {}): Buffer {
	const kind = options.header ?? 'info';
	if (kind === 'core' && options.topDown) throw new Error('BITMAPCOREHEADER cannot be top-down');
	const rowSize = Math.ceil((width * 3) / 4) * 4;
	const pixelStart = 14 + DIB_HEADER_SIZE[kind];
	const file = Buffer.alloc(pixelStart + rowSize * height);
	file.write('BM', 0, 'latin1');
	file.writeUInt32LE(file.length, 2);
	file.writeUInt32LE(pixelStart, 10);
	file.writeUInt32LE(DIB_HEADER_SIZE[kind], 14);
	if (kind === 'core') {
		file.writeUInt16LE(width, 18);
		file.writeUInt16LE(height, 20);
		file.writeUInt16LE(1, 22); // planes
		file.writeUInt16LE(24, 24); // bits per pixel
	} else {
		file.writeInt32LE(width, 18);
		file.writeInt32LE(options.topDown ? -height : height, 22);
		file.writeUInt16LE(1, 26);
		file.writeUInt16LE(24, 28); // compression 0 (BI_RGB) at 30
		file.writeUInt32LE(rowSize * height, 34);
		file.writeInt32LE(2835, 38); // 72 dpi, in pixels per metre
		file.writeInt32LE(2835, 42);
	}
	if (kind === 'v5') {
		file.write('BGRs', 14 + 56, 'latin1'); // colour space LCS_sRGB ('sRGB' as a little-endian number)
		file.writeUInt32LE(4, 14 + 108); // rendering intent LCS_GM_IMAGES
	}
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++)
			file.set([0x80, y & 0xff, x & 0xff], pixelStart + y * rowSize + x * 3);
	}
	return file;
}

export interface TiffOptions {
	byteOrder?: 'II' | 'MM';
	/** The field type of ImageWidth and ImageLength: SHORT (16-bit) or LONG (32-bit). */
	dimensionType?: 'short' | 'long';
}

const TIFF_SHORT = 3;
const TIFF_LONG = 4;
const TIFF_RATIONAL = 5;

/** An uncompressed 8-bit greyscale baseline TIFF with one strip. */
export function makeTiff(width: number, height: number, options: TiffOptions = {}): Buffer {
	const bigEndian = options.byteOrder === 'MM';
	const sideType = options.dimensionType === 'long' ? TIFF_LONG : TIFF_SHORT;
	const entries: Array<[tag: number, type: number, value: number]> = [];
	const directorySize = 2 + 12 * 12 + 4;
	const resolutionAt = 8 + directorySize;
	const pixelStart = resolutionAt + 16;
	entries.push(
		[256, sideType, width], // ImageWidth
		[257, sideType, height], // ImageLength
		[258, TIFF_SHORT, 8], // BitsPerSample
		[259, TIFF_SHORT, 1], // Compression: none
		[262, TIFF_SHORT, 1], // PhotometricInterpretation: BlackIsZero
		[273, TIFF_LONG, pixelStart], // StripOffsets
		[277, TIFF_SHORT, 1], // SamplesPerPixel
		[278, TIFF_LONG, height], // RowsPerStrip
		[279, TIFF_LONG, width * height], // StripByteCounts
		[282, TIFF_RATIONAL, resolutionAt], // XResolution
		[283, TIFF_RATIONAL, resolutionAt + 8], // YResolution
		[296, TIFF_SHORT, 2], // ResolutionUnit: inch
	);
	const file = Buffer.alloc(pixelStart + width * height);
	const u16 = (value: number, at: number) =>
		bigEndian ? file.writeUInt16BE(value, at) : file.writeUInt16LE(value, at);
	const u32 = (value: number, at: number) =>
		bigEndian ? file.writeUInt32BE(value, at) : file.writeUInt32LE(value, at);
	file.write(bigEndian ? 'MM' : 'II', 0, 'latin1');
	u16(42, 2);
	u32(8, 4);
	u16(entries.length, 8);
	entries.forEach(([tag, type, value], i) => {
		const at = 10 + i * 12;
		u16(tag, at);
		u16(type, at + 2);
		u32(1, at + 4);
		// A SHORT sits in the first two bytes of the value field in either byte order.
		if (type === TIFF_SHORT) u16(value, at + 8);
		else u32(value, at + 8);
	});
	[72, 1, 72, 1].forEach((value, i) => u32(value, resolutionAt + i * 4));
	for (let i = 0; i < width * height; i++) file[pixelStart + i] = (i * 7) & 0xff;
	return file;
}

/** One JPEG marker segment: FF, the marker, a 16-bit length that counts itself, then the payload. */
export function jpegSegment(marker: number, payload: Uint8Array): Buffer {
	const head = Buffer.from([0xff, marker, 0, 0]);
	head.writeUInt16BE(payload.length + 2, 2);
	return Buffer.concat([head, payload]);
}

/**
 * A baseline greyscale JPEG (ITU T.81) of one flat grey. Each 8×8 block is coded as "DC difference 0, end of
 * block" with one-code Huffman tables, so the whole file is a valid, decodable image of any size up to 65535 px.
 */
export function makeJpeg(width: number, height: number): Buffer {
	const frame = Buffer.from([8, 0, 0, 0, 0, 1, 1, 0x11, 0]); // precision, Y, X, 1 component, 1×1, table 0
	frame.writeUInt16BE(height, 1);
	frame.writeUInt16BE(width, 3);
	const oneCodeTable = (tableClass: number) =>
		jpegSegment(0xc4, Buffer.from([tableClass << 4, 1, ...new Array<number>(15).fill(0), 0x00]));
	const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
	// Two zero bits per block; the last byte is padded with one bits, so no 0xFF byte ever needs stuffing.
	const scan = Buffer.alloc(Math.ceil((blocks * 2) / 8));
	if (blocks % 4 !== 0) scan[scan.length - 1] = (1 << (8 - ((blocks * 2) % 8))) - 1;
	return Buffer.concat([
		fromHex('ffd8'),
		jpegSegment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
		jpegSegment(0xdb, Buffer.from([0, ...new Array<number>(64).fill(1)])),
		jpegSegment(0xc0, frame),
		oneCodeTable(0),
		oneCodeTable(1),
		jpegSegment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])),
		scan,
		fromHex('ffd9'),
	]);
}

/** The name the test plan announced; the bytes are a complete JPEG, not only its header. */
export const makeJpegHeader = makeJpeg;
