/**
 * One scan taken out of the PDF as a file the service takes. JPEG (DCTDecode) streams are returned as stored, up
 * to their EOI marker (after undoing any Flate, ASCIIHex, ASCII85 or RunLength layer around them); CMYK JPEGs
 * and JPEGs shown as a negative are refused; JPEG strips are joined (pdfJpeg.ts). 8-bit greyscale or RGB pixel
 * images become PNG files (pdfPixels.ts), reusing the PDF's own zlib data when it already is a PNG-predicted
 * stream that fits, and sent at half size (or less) when they would not fit. Other encodings and colour set-ups
 * are refused with the reason.
 */
import { InflateStream, type InflateChunk } from './inflate';
import type { PdfDocument } from './pdfDocument';
import { joinJpegStrips, readJpegLayout } from './pdfJpeg';
import {
	PdfDict,
	PdfName,
	PdfProblem,
	PdfStream,
	asName,
	asNumber,
	type PdfValue,
} from './pdfObjects';
import type { Candidate, Reading } from './pdfPages';
import { pngOfPixels, type PixelImage, type RowLayout } from './pdfPixels';
import {
	damagedRefusal,
	ENCODING_WORDS,
	EXPORT_AS_JPEG,
	fromProblem,
	refusal,
	unsupported,
	type Extraction,
	type Refusal,
} from './pdfRefusals';
import { pngFromZlib } from './pngFromPixels';
import { hasZlibHeader } from './zlibFormat';

const SUPPORTED_LAYERS = new Set([
	'FlateDecode',
	'ASCIIHexDecode',
	'ASCII85Decode',
	'RunLengthDecode',
]);

type ColourSetup = { channels: 1 | 3 } | { refused: string };

/** The colour space as channel count, or the reason it cannot become a PNG (§8.6). */
function colourSetup(
	doc: PdfDocument,
	value: PdfValue,
	resources: PdfDict | undefined,
	depth = 0,
): ColourSetup {
	const space = doc.resolve(value);
	const family =
		space instanceof PdfName
			? space.name
			: Array.isArray(space)
				? asName(doc.resolve(space[0]))
				: undefined;
	switch (family) {
		case 'DeviceGray':
		case 'G':
		case 'CalGray':
			return { channels: 1 };
		case 'DeviceRGB':
		case 'RGB':
		case 'CalRGB':
			return { channels: 3 };
		case 'DeviceCMYK':
		case 'CMYK':
			return { refused: 'print colours (CMYK)' };
		case 'Indexed':
		case 'I':
			return { refused: 'a limited colour palette (indexed colour)' };
		case 'Separation':
		case 'DeviceN':
			return { refused: 'spot colours' };
		case 'Lab':
			return { refused: 'Lab colour' };
		case 'ICCBased': {
			const profile = Array.isArray(space) ? doc.resolve(space[1] ?? null) : null;
			const n =
				profile instanceof PdfStream ? asNumber(doc.resolve(profile.dict.get('N'))) : undefined;
			if (n === 1) return { channels: 1 };
			if (n === 3) return { channels: 3 };
			if (n === 4) return { refused: 'print colours (CMYK)' };
			return { refused: 'an unusual colour profile' };
		}
	}
	// A name that is not a family is a key into the resources' /ColorSpace dictionary.
	if (space instanceof PdfName && depth < 4) {
		const named = doc.resolveDict(resources?.get('ColorSpace') ?? null)?.get(space.name);
		if (named !== undefined && named !== null) return colourSetup(doc, named, resources, depth + 1);
	}
	return { refused: 'an unknown colour set-up' };
}

function jpegImage(page: number, bytes: Buffer): Extraction {
	// The JPEG ends at its EOI marker: some writers pad the stream after it, which is not part of the image.
	const layout = readJpegLayout(bytes);
	if (!layout) {
		const started = bytes[0] === 0xff && bytes[1] === 0xd8;
		return damagedRefusal(
			started
				? `the scan on page ${page} is cut off`
				: `the scan on page ${page} is not a readable JPEG image`,
		);
	}
	if (layout.components === 4) return unsupported(page, 'print colours (CMYK)');
	return {
		ok: true,
		image: {
			page,
			format: 'jpeg',
			bytes: bytes.subarray(0, layout.end),
			widthPx: layout.width,
			heightPx: layout.height,
		},
	};
}

/** The JPEG as stored: the stream's data with any general layer (Flate around the JPEG, say) undone. */
async function jpegBytes(reading: Reading, stream: PdfStream): Promise<Buffer> {
	const { doc, pause } = reading;
	const filters = doc.filters(stream);
	if (filters.length === 1) return doc.streamData(stream);
	if (filters.length > 2 || filters[0].name !== 'FlateDecode' || filters[0].params) {
		return Buffer.from(doc.decode(stream, doc.limits.maxStreamBytes).bytes);
	}
	// The usual wrapping, Flate around the JPEG, is inflated a chunk at a time between turns for the event loop.
	const inflater = new InflateStream(
		doc.streamData(stream),
		doc.inflateBudget(doc.limits.maxStreamBytes),
		CHUNK_BYTES,
	);
	const parts: Buffer[] = [];
	for (let chunk = inflater.next(); ; chunk = inflater.next()) {
		if (chunk.kind === 'data') parts.push(Buffer.from(chunk.bytes));
		else {
			doc.countInflated(inflater.produced);
			if (chunk.kind === 'stop' && chunk.reason === 'too-large') {
				throw new PdfProblem('too-large', 'a compressed part unpacks to too much data');
			}
			// A damaged or cut-off layer still gives what it held; the JPEG check then says what is missing.
			return Buffer.concat(parts);
		}
		await pause.breathe();
	}
}

/** A JPEG the PDF shows differently from how it is stored, which sending it as it is would lose. */
function jpegShownAs(reading: Reading, page: number, candidate: Candidate): Refusal | undefined {
	const { doc } = reading;
	const { stream } = candidate;
	const space = stream.dict.get('ColorSpace') ?? stream.dict.get('CS');
	if (space !== null) {
		const colour = colourSetup(doc, space, candidate.resources);
		if ('refused' in colour && /CMYK/.test(colour.refused))
			return unsupported(page, colour.refused);
	}
	if (inverted(doc, stream)) {
		return refusal(
			'PDF.IMAGE_UNSUPPORTED',
			`The scan on page ${page} of the PDF is stored as a negative (the PDF swaps dark and light when it shows the page), so sending it as it is would give the passport reader a negative`,
			`${EXPORT_AS_JPEG} If you scan the page again, choose a normal (positive) greyscale or colour scan.`,
		);
	}
	return undefined;
}

/** True for a /Decode array that swaps dark and light ([1 0] per channel), as some scanners write. */
function inverted(doc: PdfDocument, stream: PdfStream): boolean {
	const decode = doc.resolve(stream.dict.get('Decode'));
	return (
		Array.isArray(decode) &&
		decode.length >= 2 &&
		asNumber(decode[0]) === 1 &&
		asNumber(decode[1]) === 0
	);
}

/** PNG signature and chunk framing around the zlib data. */
const PNG_OVERHEAD = 57;

/** Pixel data a chunk at a time, so the work on it pauses between chunks. */
const CHUNK_BYTES = 64 * 1024;

/** Data decoded at once, handed out a chunk at a time. */
function chunksOf(data: Buffer): () => InflateChunk {
	let at = 0;
	return () => {
		if (at >= data.length) return { kind: 'end', checksum: 'absent', used: data.length };
		at += CHUNK_BYTES;
		return { kind: 'data', bytes: data.subarray(at - CHUNK_BYTES, at) };
	};
}

/**
 * The PDF's own zlib stream as the PNG's image data, when its rows are PNG scanlines of the image's shape and it
 * fits the limits as it is; checked by inflating it a chunk at a time. Undefined when it cannot be reused.
 */
async function reusedPng(
	reading: Reading,
	page: number,
	image: PixelImage,
	raw: Buffer,
): Promise<Extraction | undefined> {
	const { doc, send, pause } = reading;
	if (image.invert || !hasZlibHeader(raw)) return undefined;
	if (Math.max(image.width, image.height) > send.maxSidePx) return undefined;
	if (raw.length + PNG_OVERHEAD > send.maxFileBytes) return undefined;
	const rowBytes = image.width * image.channels + 1;
	const expected = rowBytes * image.height;
	const stream = new InflateStream(raw, doc.inflateBudget(expected + 65536), CHUNK_BYTES);
	let seen = 0;
	for (let chunk = stream.next(); ; chunk = stream.next()) {
		if (chunk.kind !== 'data') {
			doc.countInflated(stream.produced);
			if (chunk.kind === 'end' && chunk.checksum === 'valid' && stream.produced === expected) {
				const { width, height, channels } = image;
				const png = pngFromZlib(width, height, channels, raw.subarray(0, chunk.used));
				return pngImage(page, width, height, png);
			}
			return undefined;
		}
		for (
			let at = (rowBytes - (seen % rowBytes)) % rowBytes;
			at < chunk.bytes.length;
			at += rowBytes
		) {
			if (chunk.bytes[at] > 4) return undefined;
		}
		seen += chunk.bytes.length;
		if (seen > expected) return undefined;
		await pause.breathe();
	}
}

async function pixelImage(
	reading: Reading,
	page: number,
	candidate: Candidate,
	filters: string[],
): Promise<Extraction> {
	const { doc } = reading;
	const { stream, width, height } = candidate;
	const colour = colourSetup(
		doc,
		stream.dict.get('ColorSpace') ?? stream.dict.get('CS'),
		candidate.resources,
	);
	if ('refused' in colour) return unsupported(page, colour.refused);
	const bits =
		asNumber(doc.resolve(stream.dict.get('BitsPerComponent') ?? stream.dict.get('BPC'))) ?? 8;
	if (bits === 1) return unsupported(page, 'pure black and white (1 bit per pixel)');
	if (bits === 16) return unsupported(page, 'high-precision colour (16 bits per colour)');
	if (bits !== 8) return unsupported(page, `${bits}-bit colour`);
	const { channels } = colour;
	if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
		return damagedRefusal(`the scan on page ${page} has no valid size`);
	}
	const rowBytes = width * channels;
	const pixelBytes = rowBytes * height;
	if (pixelBytes + height > doc.limits.maxStreamBytes) {
		return refusal(
			'PDF.TOO_LARGE',
			`The scan on page ${page} of the PDF is ${width} × ${height} px of uncompressed colour data, too large to convert`,
			EXPORT_AS_JPEG,
		);
	}
	const invert = inverted(doc, stream);
	const params = doc.filters(stream)[0]?.params;
	const predictor = params ? (asNumber(doc.resolve(params.get('Predictor'))) ?? 1) : 1;
	const matchesShape =
		params !== undefined &&
		(asNumber(doc.resolve(params.get('Colors'))) ?? 1) === channels &&
		(asNumber(doc.resolve(params.get('BitsPerComponent'))) ?? 8) === 8 &&
		(asNumber(doc.resolve(params.get('Columns'))) ?? 1) === width;
	const plainFlate = filters.length === 1 && filters[0] === 'FlateDecode';
	// A single Flate layer is inflated a chunk at a time, its predictor undone row by row; anything else (rare)
	// is decoded at once, bounded by the stream cap.
	let layout: RowLayout | undefined;
	if (plainFlate && predictor < 2) layout = 'plain';
	else if (plainFlate && predictor >= 10 && matchesShape) layout = 'png-predictor';
	else if (plainFlate && predictor === 2 && matchesShape) layout = 'tiff-predictor';
	const image: PixelImage = { width, height, channels, invert, layout: layout ?? 'plain' };
	const raw = doc.streamData(stream);
	if (layout === 'png-predictor') {
		const reused = await reusedPng(reading, page, image, raw);
		if (reused) return reused;
	}
	let inflater: InflateStream | undefined;
	let next: () => InflateChunk;
	if (layout) {
		const cap = (layout === 'png-predictor' ? pixelBytes + height : pixelBytes) + 65536;
		inflater = new InflateStream(raw, doc.inflateBudget(cap), CHUNK_BYTES);
		next = () => (inflater as InflateStream).next();
	} else {
		next = chunksOf(doc.decode(stream, pixelBytes + 65536).bytes);
	}
	const outcome = await pngOfPixels(image, next, reading.send, reading.pause);
	if (inflater) doc.countInflated(inflater.produced);
	if (!outcome.ok) {
		if (outcome.reason === 'cut-off') return damagedRefusal(`the scan on page ${page} is cut off`);
		if (outcome.reason === 'damaged') return damagedRefusal(`the scan on page ${page} is damaged`);
		if (outcome.reason === 'too-many-bytes') {
			return fromProblem(
				new PdfProblem('too-large', 'its compressed data unpacks to too much in total'),
			);
		}
		return refusal(
			'PDF.TOO_LARGE',
			`The scan on page ${page} of the PDF (${width} × ${height} px) cannot be made small enough to send`,
			EXPORT_AS_JPEG,
		);
	}
	const extraction = pngImage(page, outcome.widthPx, outcome.heightPx, outcome.png);
	if (outcome.scale > 1 && extraction.ok) {
		extraction.image.resizedFrom = { widthPx: width, heightPx: height };
	}
	return extraction;
}

function pngImage(page: number, width: number, height: number, png: Buffer): Extraction {
	return { ok: true, image: { page, format: 'png', bytes: png, widthPx: width, heightPx: height } };
}

export async function extract(
	reading: Reading,
	page: number,
	candidate: Candidate,
): Promise<Extraction> {
	const { doc } = reading;
	const { stream } = candidate;
	const filters = doc.filters(stream).map((filter) => filter.name);
	for (let i = 0; i < filters.length; i++) {
		const name = filters[i];
		if (name === 'DCTDecode' && i === filters.length - 1) continue;
		if (SUPPORTED_LAYERS.has(name)) continue;
		return unsupported(page, ENCODING_WORDS[name] ?? `${name.replace(/Decode$/, '')} compression`);
	}
	if (!stream.complete)
		return damagedRefusal(`the file ends in the middle of the scan on page ${page}`);
	if (filters[filters.length - 1] === 'DCTDecode') {
		return (
			jpegShownAs(reading, page, candidate) ?? jpegImage(page, await jpegBytes(reading, stream))
		);
	}
	return await pixelImage(reading, page, candidate, filters);
}

/** A page stored as strips, joined into one JPEG when that can be done without decoding; else refused. */
export async function joinedStrips(
	reading: Reading,
	page: number,
	strips: Candidate[],
): Promise<Extraction> {
	for (const strip of strips) {
		if (!strip.stream.complete)
			return damagedRefusal(`the file ends in the middle of the scan on page ${page}`);
		const refused = jpegShownAs(reading, page, strip);
		if (refused) return refused;
	}
	const stored: Buffer[] = [];
	for (const strip of strips) stored.push(await jpegBytes(reading, strip.stream));
	const joined = joinJpegStrips(stored);
	if (!joined.ok) {
		return refusal(
			'PDF.IMAGE_UNSUPPORTED',
			`The scan on page ${page} of the PDF is stored in ${strips.length} pieces (strips one above the other) that cannot be joined without changing the image, and one piece alone would miss part of the passport page`,
			'Open the PDF and export or save the whole page as one JPEG image (or take a screenshot of the whole page), then send that image instead. In the scanner settings, turning off "strips" or "bands", or saving as JPEG, gives one image per page.',
		);
	}
	return jpegImage(page, joined.jpeg);
}
