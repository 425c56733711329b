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
import { hiddenGroups } from './pdfContent';
import { openEncryption } from './pdfDecrypt';
import { PdfDocument } from './pdfDocument';
import { joinedStrips, extract } from './pdfImages';
import { PdfDict, PdfProblem, type PdfLimits } from './pdfObjects';
import { MIN_SCAN_SIDE_PX, noScan, pageImages, pages, stripsOf, type Reading } from './pdfPages';
import { Pause } from './pdfPause';
import type { SendLimits } from './pdfPixels';
import {
	damagedRefusal,
	encryptedRefusal,
	fromProblem,
	refusal,
	type Extraction,
	type PdfPageImage,
	type PdfScanResult,
	type Refusal,
} from './pdfRefusals';

export type { PdfLimits } from './pdfObjects';
export { MIN_SCAN_SIDE_PX } from './pdfPages';
export type { PdfPageImage, PdfScanCode, PdfScanResult } from './pdfRefusals';

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

const PDF_SIGNATURE = Buffer.from('%PDF-', 'latin1');

export function isPdf(bytes: Buffer): boolean {
	const at = bytes.subarray(0, 1024).indexOf(PDF_SIGNATURE);
	return at >= 0;
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
