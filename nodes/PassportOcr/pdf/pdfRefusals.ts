/**
 * What the PDF reader hands back: the scanned images it found, or a refusal with text for the person using the
 * n8n editor (what was found, and what to do instead). Every refusal the reader makes is written here.
 */
import { PdfProblem } from './pdfObjects';

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

export type Refusal = Extract<PdfScanResult, { ok: false }>;

export type Extraction = { ok: true; image: PdfPageImage } | Refusal;

export const EXPORT_AS_JPEG =
	'Open the PDF and export or save the page as a JPEG image (or take a screenshot of it), then send that image instead. Sending the original photo or scan of the passport page also works.';

export const refusal = (code: PdfScanCode, message: string, description: string): Refusal => ({
	ok: false,
	code,
	message,
	description,
});

export function fromProblem(problem: PdfProblem): Refusal {
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

export const damagedRefusal = (detail: string): Refusal =>
	refusal(
		'PDF.DAMAGED',
		`The PDF is damaged or incomplete (${detail})`,
		`Check that the whole file arrived (if an earlier node downloaded it) and that it opens on your computer. Then save or print it again as a new PDF, or: ${EXPORT_AS_JPEG}`,
	);

export const encryptedRefusal = (detail = 'it needs a password to open'): Refusal =>
	refusal(
		'PDF.ENCRYPTED',
		`The PDF is password-protected or encrypted, so the scan inside it cannot be read: ${detail}`,
		'Open the PDF with its password, remove the password (or use Print and choose "Save as PDF" to make an unprotected copy), and send the new file. You can also send the scan itself as a JPEG or PNG image. (PDFs protected only against printing or copying open without a password, and are read.)',
	);

export const unsupported = (page: number, how: string): Refusal =>
	refusal(
		'PDF.IMAGE_UNSUPPORTED',
		`The scan on page ${page} of the PDF is stored as ${how}, which this node cannot pass on to the passport reader`,
		`${EXPORT_AS_JPEG} If you scan the page again, choose colour or greyscale and save it as JPEG or PNG.`,
	);

/** Image encodings named the way scanner and PDF software usually show them. */
export const ENCODING_WORDS: Record<string, string> = {
	JPXDecode: 'JPEG 2000',
	JBIG2Decode: 'JBIG2 (black-and-white compression)',
	CCITTFaxDecode: 'CCITT fax compression (black and white)',
	LZWDecode: 'LZW compression',
	Crypt: 'encrypted data',
};
