/**
 * An image's format and pixel size, read from its first bytes without decoding it, so that a file the service
 * would refuse is caught before it is sent. Every read is bounded by the buffer: no size or offset the file
 * claims decides how much is read, looped over or allocated, so damaged or hostile bytes give a reason, never an
 * exception.
 */

export type ImageFormat = 'jpeg' | 'png' | 'bmp' | 'tiff';

/**
 * `detail` is plain English for the person who chose the file. With `unknown-format` it names what the file seems
 * to be ("a GIF image"); otherwise it says what is wrong ("the PNG file ends before the image size is given").
 */
export type HeaderReading =
	| { ok: true; format: ImageFormat; width: number; height: number }
	| {
			ok: false;
			format?: ImageFormat;
			reason: 'unknown-format' | 'truncated' | 'malformed';
			detail: string;
	  };

type Failure = Extract<HeaderReading, { ok: false }>;

export const FORMAT_NAMES: Record<ImageFormat, string> = {
	jpeg: 'JPEG',
	png: 'PNG',
	bmp: 'BMP',
	tiff: 'TIFF',
};

const ascii = (text: string): number[] => Array.from(text, (char) => char.charCodeAt(0));

const startsWith = (bytes: Uint8Array, signature: number[], at = 0): boolean =>
	bytes.length >= at + signature.length && signature.every((value, i) => bytes[at + i] === value);

const u16be = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const u16le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const i32le = (b: Uint8Array, at: number) =>
	b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
const u32le = (b: Uint8Array, at: number) => i32le(b, at) >>> 0;
const u32be = (b: Uint8Array, at: number) =>
	((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

const endsEarly = (format: ImageFormat): Failure => ({
	ok: false,
	format,
	reason: 'truncated',
	detail: `the ${FORMAT_NAMES[format]} file ends before the image size is given`,
});

const malformed = (format: ImageFormat, detail: string): Failure => ({
	ok: false,
	format,
	reason: 'malformed',
	detail,
});

function sized(format: ImageFormat, width: number, height: number): HeaderReading {
	if (width > 0 && height > 0) return { ok: true, format, width, height };
	return malformed(format, `the file says the image is ${width} × ${height} px`);
}

/** PNG (ISO 15948 §5): the signature is followed by the IHDR chunk, which holds the size. */
function readPng(bytes: Uint8Array): HeaderReading {
	// Signature 8, IHDR length 4, type 4, data 13, CRC 4.
	if (bytes.length < 33) return endsEarly('png');
	if (u32be(bytes, 8) !== 13 || !startsWith(bytes, ascii('IHDR'), 12)) {
		return malformed('png', 'the PNG file does not begin with its image size');
	}
	if (crc32(bytes, 12, 29) !== u32be(bytes, 29)) {
		return malformed('png', 'the start of the PNG file is damaged (its checksum does not match)');
	}
	return sized('png', u32be(bytes, 16), u32be(bytes, 20));
}

function crc32(bytes: Uint8Array, start: number, end: number): number {
	let crc = 0xffffffff;
	for (let i = start; i < end; i++) {
		crc ^= bytes[i];
		for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return (crc ^ 0xffffffff) >>> 0;
}

const JPEG_SOI = 0xd8;
const JPEG_EOI = 0xd9;
const JPEG_SOS = 0xda;

/** ITU T.81 B.1.1.3: markers without a length field. */
const isStandalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);

/** SOF0–SOF15; C4 (DHT), C8 (reserved) and CC (DAC) share the range but are not frames. */
const isStartOfFrame = (marker: number) =>
	marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/**
 * The next marker at or after `from`. Like libjpeg's `next_marker`, it skips fill bytes (0xFF) and stray bytes
 * before a marker rather than rejecting the file, so what the service's decoder accepts passes here too.
 */
function nextMarker(bytes: Uint8Array, from: number): { code: number; end: number } | undefined {
	let at = from;
	while (at < bytes.length) {
		if (bytes[at] !== 0xff) {
			at++;
			continue;
		}
		while (at < bytes.length && bytes[at] === 0xff) at++;
		if (at >= bytes.length) return undefined;
		const code = bytes[at++];
		// FF 00 is an escaped data byte, not a marker.
		if (code !== 0x00) return { code, end: at };
	}
	return undefined;
}

/** Reads `length` bytes at `offset` of a file that is not at hand as a whole. */
export type ByteReader = (offset: number, length: number) => Uint8Array;

/**
 * The bytes `readImageHeader` needs from a JPEG read piecewise: SOI and the first frame header, found by walking
 * the segment headers without reading their payloads (metadata may fill megabytes before the frame header).
 * Undefined where the walk meets anything but plain segments; the caller then reads the whole file.
 */
export function jpegHeaderBytes(read: ByteReader, size: number): Uint8Array | undefined {
	const start = read(0, 2);
	if (start[0] !== 0xff || start[1] !== JPEG_SOI) return undefined;
	let at = 2;
	for (let segments = 0; segments < 10_000 && at + 4 <= size; segments++) {
		const head = read(at, 4);
		if (head[0] !== 0xff) return undefined;
		const code = head[1];
		if (code === 0xff) {
			at++;
		} else if (isStandalone(code)) {
			at += 2;
		} else {
			const length = (head[2] << 8) | head[3];
			if (
				code === 0x00 ||
				code === JPEG_SOS ||
				code === JPEG_EOI ||
				code === JPEG_SOI ||
				length < 2
			)
				return undefined;
			if (at + 2 + length > size) return undefined;
			if (isStartOfFrame(code)) return Buffer.concat([start, read(at, 2 + length)]);
			at += 2 + length;
		}
	}
	return undefined;
}

/** JPEG (ITU T.81 B.2): walks the segments after SOI to the first frame header, which holds the size. */
function readJpeg(bytes: Uint8Array): HeaderReading {
	let at = 2;
	for (;;) {
		const marker = nextMarker(bytes, at);
		if (!marker) return endsEarly('jpeg');
		at = marker.end;
		if (isStandalone(marker.code)) continue;
		if (marker.code === JPEG_SOS || marker.code === JPEG_EOI || marker.code === JPEG_SOI) {
			return malformed('jpeg', 'the JPEG file has no image size before its picture data');
		}
		if (at + 2 > bytes.length) return endsEarly('jpeg');
		const length = u16be(bytes, at);
		if (length < 2) return malformed('jpeg', 'a section of the JPEG file has an impossible length');
		if (at + length > bytes.length) return endsEarly('jpeg');
		if (isStartOfFrame(marker.code)) {
			// Length 2, precision 1, height 2, width 2, component count 1.
			if (length < 8) return malformed('jpeg', 'the JPEG size section is too short');
			return sized('jpeg', u16be(bytes, at + 5), u16be(bytes, at + 3));
		}
		at += length;
	}
}

/**
 * BMP: a 14-byte file header, then a DIB header whose own size tells its kind. BITMAPCOREHEADER (12 bytes) has
 * unsigned 16-bit sides; the later headers (OS/2 2.x from 16 bytes, BITMAPINFOHEADER and its V4/V5 successors)
 * have signed 32-bit sides, where a negative height marks rows stored top-down.
 */
function readBmp(bytes: Uint8Array): HeaderReading {
	if (bytes.length < 18) return endsEarly('bmp');
	const headerSize = u32le(bytes, 14);
	if (headerSize === 12) {
		return bytes.length < 22 ? endsEarly('bmp') : sized('bmp', u16le(bytes, 18), u16le(bytes, 20));
	}
	if (headerSize < 16) return malformed('bmp', 'the BMP file is of an unknown kind');
	if (bytes.length < 26) return endsEarly('bmp');
	return sized('bmp', i32le(bytes, 18), Math.abs(i32le(bytes, 22)));
}

const TIFF_IMAGE_WIDTH = 256;
const TIFF_IMAGE_LENGTH = 257;
const TIFF_SHORT = 3;
const TIFF_LONG = 4;
const TIFF_ENTRY_SIZE = 12;

/**
 * TIFF 6.0 §2: an 8-byte header points to the first image file directory (IFD), whose entries include
 * ImageWidth (256) and ImageLength (257), each one SHORT or LONG stored in the entry itself.
 */
function readTiff(bytes: Uint8Array): HeaderReading {
	if (bytes.length < 8) return endsEarly('tiff');
	const [u16, u32] = bytes[0] === 0x4d ? [u16be, u32be] : [u16le, u32le];
	const directory = u32(bytes, 4);
	if (directory < 8) return malformed('tiff', 'the start of the TIFF file is damaged');
	if (directory + 2 > bytes.length) return endsEarly('tiff');
	const entryCount = u16(bytes, directory);
	const size: { width?: number; height?: number } = {};
	for (let i = 0; i < entryCount && (size.width === undefined || size.height === undefined); i++) {
		const entry = directory + 2 + i * TIFF_ENTRY_SIZE;
		if (entry + TIFF_ENTRY_SIZE > bytes.length) return endsEarly('tiff');
		const tag = u16(bytes, entry);
		if (tag !== TIFF_IMAGE_WIDTH && tag !== TIFF_IMAGE_LENGTH) continue;
		const type = u16(bytes, entry + 2);
		if (u32(bytes, entry + 4) !== 1 || (type !== TIFF_SHORT && type !== TIFF_LONG)) {
			return malformed('tiff', 'the TIFF image size is not stored as a single whole number');
		}
		const value = type === TIFF_SHORT ? u16(bytes, entry + 8) : u32(bytes, entry + 8);
		size[tag === TIFF_IMAGE_WIDTH ? 'width' : 'height'] = value;
	}
	if (size.width === undefined || size.height === undefined) {
		return malformed('tiff', 'the TIFF file does not give its image size');
	}
	return sized('tiff', size.width, size.height);
}

const SIGNATURES: Array<{ format: ImageFormat; signature: number[] }> = [
	{ format: 'jpeg', signature: [0xff, 0xd8, 0xff] },
	{ format: 'png', signature: [0x89, ...ascii('PNG\r\n'), 0x1a, 0x0a] },
	{ format: 'bmp', signature: ascii('BM') },
	{ format: 'tiff', signature: ascii('II*\0') },
	{ format: 'tiff', signature: ascii('MM\0*') },
];

const READERS: Record<ImageFormat, (bytes: Uint8Array) => HeaderReading> = {
	jpeg: readJpeg,
	png: readPng,
	bmp: readBmp,
	tiff: readTiff,
};

/** ISO base media files (HEIF, AVIF) carry their brand at byte 8, after the `ftyp` box header. */
const hasBrand = (bytes: Uint8Array, brands: string[]) =>
	startsWith(bytes, ascii('ftyp'), 4) && brands.some((brand) => startsWith(bytes, ascii(brand), 8));

/** Files people often pick by mistake, named so the message can say what the file is. */
const OTHER_KINDS: Array<{ kind: string; matches: (bytes: Uint8Array) => boolean }> = [
	{ kind: 'a GIF image', matches: (b) => startsWith(b, ascii('GIF8')) },
	{
		kind: 'a WebP image',
		matches: (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8),
	},
	{
		kind: 'a HEIC image',
		matches: (b) => hasBrand(b, ['heic', 'heix', 'hevc', 'hevx', 'mif1', 'msf1']),
	},
	{ kind: 'an AVIF image', matches: (b) => hasBrand(b, ['avif', 'avis']) },
	{ kind: 'a PDF document', matches: (b) => startsWith(b, ascii('%PDF')) },
	{
		kind: 'a web page or other text',
		matches: (b) => /^\s*</.test(String.fromCharCode(...b.subarray(0, 64))),
	},
];

function unknownFormat(bytes: Uint8Array): Failure {
	const other = OTHER_KINDS.find(({ matches }) => matches(bytes));
	return { ok: false, reason: 'unknown-format', detail: other?.kind ?? 'a file of unknown type' };
}

/** Reads the format and pixel size from the header; never throws. */
export function readImageHeader(bytes: Uint8Array): HeaderReading {
	if (bytes.length === 0) return { ok: false, reason: 'truncated', detail: 'the file is empty' };
	const known = SIGNATURES.find(({ signature }) => startsWith(bytes, signature));
	return known ? READERS[known.format](bytes) : unknownFormat(bytes);
}
