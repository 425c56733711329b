/**
 * Which files of an item that holds several cannot be a passport page, so they are skipped without a call:
 * files that are not an image or a PDF (an email's .ics invite, a .docx, an HTML part), images too small to be
 * a scan (signature logos, icons, tracking pixels), and PDFs without a scanned page.
 */
import type { IBinaryData } from 'n8n-workflow';

import type { Outcome } from '../contract/itemFailure';
import { MIN_SCAN_SIDE_PX } from '../pdf/pdfScan';

/** A file of several: the pages to send, or why it was skipped. */
export type FileInput<P> = { pages: P[] } | { skipped: string };

/** Types that may hold an image or a PDF whatever they say: their bytes decide. */
const OPEN_TYPES = ['application/octet-stream', 'binary/octet-stream', 'application/x-download'];

/**
 * Why a file is skipped from its type alone, before it is read: a MIME type that is neither an image, a PDF, nor
 * a type that says nothing (`application/octet-stream`, empty).
 */
export function skippedByType(file: IBinaryData): string | undefined {
	const type = (file.mimeType ?? '').split(';')[0].trim().toLowerCase();
	if (type === '' || type.startsWith('image/') || type === 'application/pdf') return undefined;
	if (OPEN_TYPES.includes(type)) return undefined;
	return `not an image or a PDF (${type})`;
}

/** What the local checks found about one page: a failure code, or the image's pixel size. */
type PageCheck = Outcome<{ kind: string; width?: number; height?: number }>;

/**
 * Why a file is skipped from what reading it found: not an image or a PDF after all, an image under
 * `MIN_SCAN_SIDE_PX` on a side, or a PDF without a scan. Any other problem (a damaged image, one too large for
 * the service) is the file's own failure, reported with what to do.
 */
export function skippedByContent(pages: Array<{ image: PageCheck }>): string | undefined {
	const [first] = pages;
	if (pages.length !== 1 || first === undefined) return undefined;
	const { image } = first;
	if (!image.ok) {
		if (image.failure.code === 'INPUT.FORMAT') return 'not an image or a PDF';
		if (image.failure.code === 'PDF.NO_SCAN') return 'a PDF without a scanned page';
		return undefined;
	}
	const { width, height } = image.value;
	if (width === undefined || height === undefined) return undefined;
	if (Math.min(width, height) >= MIN_SCAN_SIDE_PX) return undefined;
	return `${width} × ${height} px, too small for a passport page (a logo or an icon?)`;
}
