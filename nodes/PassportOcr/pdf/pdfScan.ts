/**
 * Finds the scanned page image(s) inside a PDF, so that the image itself (not the PDF) can be sent to the OCR
 * service, which accepts only JPEG, PNG, BMP and TIFF.
 *
 * API:
 * - `isPdf(bytes)`: true when `%PDF-` occurs in the first 1024 bytes (where readers look for it).
 * - `findPdfScans(pdf, { allPages, limits, send })`: with `allPages` false, the largest scan on the first page
 *   that holds one; with `allPages` true, the largest scan of every page that holds one, in page order. Async: it
 *   gives n8n's event loop a turn every few milliseconds (pdfPause.ts). Never throws: the result is
 *   `{ ok: true, images }` (at least one image) or `{ ok: false, code, message, description }` with text for the
 *   person using the n8n editor.
 *
 * What counts as a scan: an image the page's content draws (pdfContent.ts: through forms within forms, not in a
 * hidden optional-content layer), or, when the content cannot be read, one its /Resources list; both sides at
 * least `MIN_SCAN_SIDE_PX`. On a page the candidates are tried from the largest pixel area down; the first one
 * that can be passed on wins, so a page with a JPEG background and a JBIG2 text layer still gives the JPEG. A page
 * drawn as JPEG strips one above the other is joined into one JPEG (pdfJpeg.ts) or refused, never sent a strip at
 * a time. When no candidate on any page can be used, the first page's reason is returned.
 *
 * How images come out: JPEG (DCTDecode) streams are returned as stored, up to their EOI marker (after undoing any
 * Flate, ASCIIHex, ASCII85 or RunLength layer wrapped around them); CMYK JPEGs and JPEGs shown as a negative are
 * refused. 8-bit greyscale or RGB pixel images become PNG files (pdfPixels.ts), reusing the PDF's own compressed
 * data when it already is a PNG-predicted zlib stream of the right shape that fits the service's limits, and sent
 * at half size (or less) when they would not fit. Other encodings (JPEG 2000, JBIG2, CCITT fax, LZW) and colour
 * set-ups (CMYK, indexed, 1 or 16 bits) are refused with a message saying what to do instead. Encrypted PDFs that
 * open without a password are decrypted (pdfDecrypt.ts).
 */
import { MAX_FILE_BYTES } from '../contract/serviceLimits';
import { hasZlibHeader, InflateStream, type InflateChunk } from './inflate';
import {
	PdfDict,
	PdfName,
	PdfProblem,
	PdfRef,
	PdfStream,
	asName,
	asNumber,
	type PdfLimits,
	type PdfValue,
} from './pdfObjects';
import { PdfDocument } from './pdfDocument';
import { annotationImages, hiddenGroups, pageDrawing, type Matrix } from './pdfContent';
import { openEncryption } from './pdfDecrypt';
import { joinJpegStrips, readJpegLayout } from './pdfJpeg';
import { Pause } from './pdfPause';
import { pngOfPixels, type PixelImage, type RowLayout, type SendLimits } from './pdfPixels';
import { pngFromZlib } from './pngFromPixels';

export type { PdfLimits } from './pdfObjects';

export interface PdfPageImage {
	/** 1-based page number, in the order the PDF's page tree gives. */
	page: number;
	format: 'jpeg' | 'png';
	bytes: Buffer;
	widthPx: number;
	heightPx: number;
	/** Set when the image was too large to send as stored and was sent at a smaller scale (pixel images only). */
	resizedFrom?: { widthPx: number; heightPx: number };
}

export type PdfScanResult =
	| { ok: true; images: PdfPageImage[] }
	| { ok: false; code: PdfScanCode; message: string; description: string };

export type PdfScanCode =
	| 'PDF.NOT_PDF'
	| 'PDF.ENCRYPTED'
	| 'PDF.DAMAGED'
	| 'PDF.NO_SCAN'
	| 'PDF.IMAGE_UNSUPPORTED'
	| 'PDF.TOO_LARGE'
	| 'PDF.TOO_MANY_PAGES';

type Refusal = Extract<PdfScanResult, { ok: false }>;

/**
 * Both sides of an image must be at least this long for it to count as a scan. A passport data page is
 * 125 × 88 mm; even at 100 dpi, about the least at which the machine-readable zone can be read, that is about
 * 490 × 350 px, while logos, signatures, stamps and QR codes placed on forms are usually smaller than 300 px on
 * a side. (The service's own minimum is 15 px, far too small to tell a scan from a logo.)
 */
export const MIN_SCAN_SIDE_PX = 300;

/** Forms inside forms: one or two levels are common (a stamped or templated page), more is not needed. */
export const MAX_FORM_DEPTH = 3;

const MIB = 1024 * 1024;

/**
 * `maxStreamBytes` (64 MiB) bounds one inflated stream, and so the pixel data of one image. A PNG of a scan is
 * usually 2–4 times smaller than its pixels, and the service takes files of at most about 7.5 MB, so pixel data
 * much over 30 MB could not be sent anyway; 64 MiB still covers an A4 page at 400 dpi in colour (46 MB) and
 * keeps the memory one conversion needs to roughly three times that. Larger images are refused before they are
 * inflated. `maxTotalInflatedBytes` keeps a file of many such images from running for minutes.
 */
export const DEFAULT_PDF_LIMITS: PdfLimits = {
	maxStreamBytes: 64 * MIB,
	maxTotalInflatedBytes: 256 * MIB,
	maxObjects: 200_000,
	maxPages: 200,
	maxNesting: 64,
	maxXrefSections: 64,
};

/** The service's limits, which a converted image is fitted to; the caller passes its edition's longest side. */
export const DEFAULT_SEND_LIMITS: SendLimits = { maxSidePx: 8192, maxFileBytes: MAX_FILE_BYTES };

/** What one reading of a PDF shares: the limits a converted scan is fitted to, and the event loop's turns. */
interface Reading {
	doc: PdfDocument;
	send: SendLimits;
	pause: Pause;
	/** Optional-content groups hidden when the document opens: what they hold is not shown. */
	hidden: Set<number>;
}

/** Images and forms looked at on one page. */
const MAX_XOBJECTS_PER_PAGE = 2000;

const PDF_SIGNATURE = Buffer.from('%PDF-', 'latin1');

export function isPdf(bytes: Buffer): boolean {
	const at = bytes.subarray(0, 1024).indexOf(PDF_SIGNATURE);
	return at >= 0;
}

const EXPORT_AS_JPEG =
	'Open the PDF and export or save the page as a JPEG image (or take a screenshot of it), then send that image instead. Sending the original photo or scan of the passport page also works.';

const refusal = (code: PdfScanCode, message: string, description: string): Refusal => ({
	ok: false,
	code,
	message,
	description,
});

function fromProblem(problem: PdfProblem): Refusal {
	if (problem.kind === 'encrypted') return encryptedRefusal();
	if (problem.kind === 'too-large') {
		return refusal(
			'PDF.TOO_LARGE',
			`The PDF is too large or complex to search for a scanned page: ${problem.detail}`,
			`${EXPORT_AS_JPEG} If the PDF holds many pages, split it and send only the passport pages.`,
		);
	}
	return damagedRefusal(problem.detail);
}

const damagedRefusal = (detail: string): Refusal =>
	refusal(
		'PDF.DAMAGED',
		`The PDF is damaged or incomplete (${detail})`,
		`Check that the whole file arrived (if an earlier node downloaded it) and that it opens on your computer. Then save or print it again as a new PDF, or: ${EXPORT_AS_JPEG}`,
	);

const encryptedRefusal = (detail = 'it needs a password to open'): Refusal =>
	refusal(
		'PDF.ENCRYPTED',
		`The PDF is password-protected or encrypted, so the scan inside it cannot be read: ${detail}`,
		'Open the PDF with its password, remove the password (or use Print and choose "Save as PDF" to make an unprotected copy), and send the new file. You can also send the scan itself as a JPEG or PNG image. (PDFs protected only against printing or copying open without a password, and are read.)',
	);

const unsupported = (page: number, how: string): Refusal =>
	refusal(
		'PDF.IMAGE_UNSUPPORTED',
		`The scan on page ${page} of the PDF is stored as ${how}, which this node cannot pass on to the passport reader`,
		`${EXPORT_AS_JPEG} If you scan the page again, choose colour or greyscale and save it as JPEG or PNG.`,
	);

/** Image encodings named the way scanner and PDF software usually show them. */
const ENCODING_WORDS: Record<string, string> = {
	JPXDecode: 'JPEG 2000',
	JBIG2Decode: 'JBIG2 (black-and-white compression)',
	CCITTFaxDecode: 'CCITT fax compression (black and white)',
	LZWDecode: 'LZW compression',
	Crypt: 'encrypted data',
};

const SUPPORTED_LAYERS = new Set([
	'FlateDecode',
	'ASCIIHexDecode',
	'ASCII85Decode',
	'RunLengthDecode',
]);

interface Candidate {
	stream: PdfStream;
	width: number;
	height: number;
	resources: PdfDict | undefined;
	/** Where the page draws it; unknown when the content could not be read. */
	placement?: Matrix;
}

type Extraction = { ok: true; image: PdfPageImage } | Refusal;

/** The page dictionaries in order, with their inherited /Resources (ISO 32000-1 §7.7.3.4). */
function* pageTree(doc: PdfDocument): Generator<{ page: PdfDict; resources: PdfDict | undefined }> {
	const catalog = doc.resolveDict(doc.trailer.get('Root'));
	const root = catalog?.get('Pages') ?? null;
	const visited = new Set<number>();
	const stack: Array<{ node: PdfValue; resources: PdfDict | undefined }> = [
		{ node: root, resources: undefined },
	];
	let steps = 0;
	while (stack.length > 0) {
		const { node, resources: inherited } = stack.pop() as {
			node: PdfValue;
			resources: PdfDict | undefined;
		};
		// A page tree whose kids lead back to an ancestor would loop forever; each object is visited once.
		if (node instanceof PdfRef) {
			if (visited.has(node.num)) continue;
			visited.add(node.num);
		}
		if (++steps > doc.limits.maxObjects) break;
		const dict = doc.resolveDict(node);
		if (!dict) continue;
		const resources = doc.resolveDict(dict.get('Resources')) ?? inherited;
		const kids = doc.resolve(dict.get('Kids'));
		if (Array.isArray(kids) && asName(dict.get('Type')) !== 'Page') {
			for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i], resources });
		} else if (asName(dict.get('Type')) !== 'Pages') {
			yield { page: dict, resources };
		}
	}
}

/** For a broken page tree: every /Type /Page object in object-number order, resources from its /Parent chain. */
function* pagesByType(
	doc: PdfDocument,
): Generator<{ page: PdfDict; resources: PdfDict | undefined }> {
	for (const num of doc.objectNumbers()) {
		const page = doc.resolveDict(new PdfRef(num, 0));
		if (!page || asName(page.get('Type')) !== 'Page') continue;
		let resources = doc.resolveDict(page.get('Resources'));
		let parent = doc.resolveDict(page.get('Parent'));
		for (let hops = 0; !resources && parent && hops < 32; hops++) {
			resources = doc.resolveDict(parent.get('Resources'));
			parent = doc.resolveDict(parent.get('Parent'));
		}
		yield { page, resources };
	}
}

function* pages(doc: PdfDocument): Generator<{ page: PdfDict; resources: PdfDict | undefined }> {
	let count = 0;
	for (const page of pageTree(doc)) {
		count++;
		yield page;
	}
	if (count === 0) yield* pagesByType(doc);
}

/** Every image the resources list, through forms: for a page whose content cannot be read. */
function collectImages(
	doc: PdfDocument,
	resources: PdfDict | undefined,
	depth: number,
	seen: Set<PdfStream>,
	out: Candidate[],
): void {
	const xobjects = doc.resolveDict(resources?.get('XObject') ?? null);
	if (!xobjects) return;
	for (const value of xobjects.map.values()) {
		if (seen.size >= MAX_XOBJECTS_PER_PAGE) return;
		const stream = doc.resolve(value);
		if (!(stream instanceof PdfStream) || seen.has(stream)) continue;
		seen.add(stream);
		const subtype = asName(doc.resolve(stream.dict.get('Subtype')));
		if (subtype === 'Image') {
			// Stencil masks are one-bit shapes painted in a colour, never a photograph of a page.
			if (doc.resolve(stream.dict.get('ImageMask')) === true) continue;
			const width = asNumber(doc.resolve(stream.dict.get('Width'))) ?? 0;
			const height = asNumber(doc.resolve(stream.dict.get('Height'))) ?? 0;
			out.push({ stream, width, height, resources });
		} else if (subtype === 'Form' && depth < MAX_FORM_DEPTH) {
			const inner = doc.resolveDict(stream.dict.get('Resources')) ?? resources;
			collectImages(doc, inner, depth + 1, seen, out);
		}
	}
}

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

async function extract(reading: Reading, page: number, candidate: Candidate): Promise<Extraction> {
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

/** The page's best scan, the reason its scans cannot be used, or undefined when it holds none. */
async function scanOfPage(
	reading: Reading,
	page: number,
	dict: PdfDict,
	resources: PdfDict | undefined,
): Promise<Extraction | undefined> {
	const { doc } = reading;
	// Stencil masks are one-bit shapes painted in a colour, never a photograph of a page.
	const candidates = pageImages(reading, dict, resources).filter(
		(c) => doc.resolve(c.stream.dict.get('ImageMask')) !== true,
	);
	const pieces = stripsOf(doc, candidates);
	if (pieces) return await joinedStrips(reading, page, pieces);
	const scans = candidates
		.filter((c) => c.width >= MIN_SCAN_SIDE_PX && c.height >= MIN_SCAN_SIDE_PX)
		.sort((a, b) => b.width * b.height - a.width * a.height);
	let firstRefusal: Refusal | undefined;
	for (const candidate of scans) {
		await reading.pause.breathe();
		let outcome: Extraction | undefined;
		let problem: PdfProblem | undefined;
		try {
			outcome = await extract(reading, page, candidate);
		} catch (error) {
			if (!(error instanceof PdfProblem))
				return damagedRefusal(`the scan on page ${page} could not be read`);
			problem = error;
		}
		if (problem?.kind === 'too-large') return fromProblem(problem);
		outcome ??= damagedRefusal(
			`the scan on page ${page} is damaged (${problem?.detail ?? 'unreadable'})`,
		);
		if (outcome.ok) return outcome;
		firstRefusal ??= outcome;
	}
	return firstRefusal;
}

const sizeOf = (c: { width: number; height: number }) => `${c.width} × ${c.height} px`;

/** What the PDF shows instead of a scan, for the message: its largest picture, one in an annotation, inline. */
function noScan(reading: Reading): Refusal {
	const { doc } = reading;
	let largest: Candidate | undefined;
	let stamp: { width: number; height: number } | undefined;
	let inline: { width: number; height: number } | undefined;
	let count = 0;
	for (const { page, resources } of pages(doc)) {
		if (++count > doc.limits.maxPages) break;
		const drawing = pageDrawing(doc, page, resources, reading.hidden);
		for (const c of pageImages(reading, page, resources, drawing))
			if (!largest || c.width * c.height > largest.width * largest.height) largest = c;
		for (const found of drawing?.inlineImages ?? [])
			if (!inline || found.width * found.height > inline.width * inline.height) inline = found;
		for (const { stream } of annotationImages(doc, page)) {
			const width = asNumber(doc.resolve(stream.dict.get('Width'))) ?? 0;
			const height = asNumber(doc.resolve(stream.dict.get('Height'))) ?? 0;
			if (!stamp || width * height > stamp.width * stamp.height) stamp = { width, height };
		}
	}
	const then = `The passport reader needs a photo or scan of the passport page. ${EXPORT_AS_JPEG}`;
	if (largest) {
		return refusal(
			'PDF.NO_SCAN',
			`This PDF has no scanned image large enough to be a passport page (its largest picture is ${sizeOf(largest)}; at least ${MIN_SCAN_SIDE_PX} × ${MIN_SCAN_SIDE_PX} px is needed)`,
			then,
		);
	}
	if (stamp) {
		return refusal(
			'PDF.NO_SCAN',
			`This PDF's pages show no scanned image; its only picture (${sizeOf(stamp)}) is an annotation placed on top of a page (a stamp, signature or comment), which this node does not read`,
			then,
		);
	}
	if (inline) {
		return refusal(
			'PDF.NO_SCAN',
			`This PDF's only picture (${sizeOf(inline)}) is an inline image, stored inside the page's drawing instructions, which this node cannot take out`,
			then,
		);
	}
	// A file whose end (with its list of contents) is missing and that shows nothing was most likely cut off.
	if (doc.rebuilt) {
		return damagedRefusal('it seems cut off: its end, which lists its contents, is missing');
	}
	return refusal(
		'PDF.NO_SCAN',
		'This PDF has no scanned image: it holds only text or drawings',
		then,
	);
}

/**
 * The images the page draws (see pdfContent.ts), or every image its resources list when its content cannot be
 * read. Each stream once, in drawing order.
 */
function pageImages(
	reading: Reading,
	page: PdfDict,
	resources: PdfDict | undefined,
	drawing = pageDrawing(reading.doc, page, resources, reading.hidden),
): Candidate[] {
	const { doc } = reading;
	const size = (stream: PdfStream) => ({
		width: asNumber(doc.resolve(stream.dict.get('Width'))) ?? 0,
		height: asNumber(doc.resolve(stream.dict.get('Height'))) ?? 0,
	});
	if (!drawing) {
		const listed: Candidate[] = [];
		collectImages(doc, resources, 0, new Set(), listed);
		return listed;
	}
	const seen = new Set<PdfStream>();
	const drawn: Candidate[] = [];
	for (const image of drawing.images.slice(0, MAX_XOBJECTS_PER_PAGE)) {
		if (seen.has(image.stream)) continue;
		seen.add(image.stream);
		drawn.push({ ...size(image.stream), ...image });
	}
	return drawn;
}

/**
 * JPEG images of one width drawn one below the other with no gap: a page some scanners store in strips. The
 * strips top first, or undefined.
 */
function stripsOf(doc: PdfDocument, candidates: Candidate[]): Candidate[] | undefined {
	const jpegs = candidates.filter((c) => {
		const filters = doc.filters(c.stream);
		const p = c.placement;
		return (
			filters[filters.length - 1]?.name === 'DCTDecode' &&
			p !== undefined &&
			Math.abs(p[1]) < 1e-6 &&
			Math.abs(p[2]) < 1e-6 &&
			p[0] > 0 &&
			p[3] > 0
		);
	});
	const byWidth = new Map<number, Candidate[]>();
	for (const c of jpegs) byWidth.set(c.width, [...(byWidth.get(c.width) ?? []), c]);
	for (const group of byWidth.values()) {
		if (group.length < 2) continue;
		const top = [...group].sort((a, b) => (b.placement as Matrix)[5] - (a.placement as Matrix)[5]);
		const [a0, , , , e0] = top[0].placement as Matrix;
		const stacked = top.every((c, i) => {
			const [a, , , d, e, f] = c.placement as Matrix;
			const close = (x: number, y: number) => Math.abs(x - y) <= Math.max(1, a0 * 0.005);
			if (!close(a, a0) || !close(e, e0)) return false;
			if (i === 0) return true;
			return close(f + d, (top[i - 1].placement as Matrix)[5]);
		});
		if (stacked) return top;
	}
	return undefined;
}

/** A page stored as strips, joined into one JPEG when that can be done without decoding; else refused. */
async function joinedStrips(
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

async function scan(
	pdf: Buffer,
	limits: PdfLimits,
	send: SendLimits,
	allPages: boolean,
): Promise<PdfScanResult> {
	const pause = new Pause();
	const doc = new PdfDocument(pdf, limits);
	let locked: string | undefined;
	doc.open(() => {
		if (!doc.encrypted) return;
		// Most encrypted PDFs only restrict printing or copying and open with the empty password.
		const opening = openEncryption(doc);
		if (opening.ok) doc.decryptWith(opening.decrypt);
		else locked = opening.detail;
	});
	if (locked !== undefined) return encryptedRefusal(locked);
	const reading: Reading = { doc, send, pause, hidden: hiddenGroups(doc) };
	const images: PdfPageImage[] = [];
	let firstRefusal: Refusal | undefined;
	let number = 0;
	for (const { page, resources } of pages(doc)) {
		if (++number > limits.maxPages) {
			if (!allPages) break;
			return refusal(
				'PDF.TOO_MANY_PAGES',
				`The PDF has more than ${limits.maxPages} pages, more than this node reads in one file`,
				'Split the PDF and send only the pages with passports, or read only the first scan in the PDF.',
			);
		}
		await pause.breathe();
		const outcome = await scanOfPage(reading, number, page, resources);
		if (!outcome) continue;
		if (!outcome.ok) {
			// Every page's scan is wanted: one that cannot be read must not silently go missing.
			if (allPages) return outcome;
			firstRefusal ??= outcome;
			continue;
		}
		images.push(outcome.image);
		if (!allPages) break;
	}
	if (images.length > 0) return { ok: true, images };
	return firstRefusal ?? noScan(reading);
}

/**
 * The scanned page image(s) in `pdf` (see the top of this file). `limits` may lower or raise the caps in
 * `DEFAULT_PDF_LIMITS`; `send` gives the service's limits a converted scan is fitted to.
 */
export async function findPdfScans(
	pdf: Buffer,
	options: { allPages: boolean; limits?: Partial<PdfLimits>; send?: Partial<SendLimits> },
): Promise<PdfScanResult> {
	if (!isPdf(pdf)) {
		return refusal(
			'PDF.NOT_PDF',
			'The file is not a PDF document',
			'Send a PDF file, or send the passport photo or scan itself as a JPEG or PNG image.',
		);
	}
	try {
		return await scan(
			pdf,
			{ ...DEFAULT_PDF_LIMITS, ...options.limits },
			{ ...DEFAULT_SEND_LIMITS, ...options.send },
			options.allPages,
		);
	} catch (error) {
		if (error instanceof PdfProblem) return fromProblem(error);
		// Anything else (a call stack exhausted by a pathological file, say) still gets an answer, not a crash.
		return damagedRefusal('it could not be read');
	}
}
