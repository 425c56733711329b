/**
 * A PDF's pages and the images each one shows: the page tree (or, when it is broken, every page object), the
 * images the page's content draws (pdfContent.ts) or its resources list, pages stored as JPEG strips, and what a
 * PDF without a usable scan shows instead, for the refusal's message.
 */
import { annotationImages, MAX_FORM_DEPTH, pageDrawing, type Matrix } from './pdfContent';
import type { PdfDocument } from './pdfDocument';
import { PdfDict, PdfRef, PdfStream, asName, asNumber, type PdfValue } from './pdfObjects';
import type { Pause } from './pdfPause';
import type { SendLimits } from './pdfPixels';
import { damagedRefusal, EXPORT_AS_JPEG, refusal, type Refusal } from './pdfRefusals';

/**
 * Both sides of an image must be at least this long for it to count as a scan. A passport data page is
 * 125 × 88 mm; even at 100 dpi, about the least at which the machine-readable zone can be read, that is about
 * 490 × 350 px, while logos, signatures, stamps and QR codes placed on forms are usually smaller than 300 px on
 * a side. (The service's own minimum is 15 px, far too small to tell a scan from a logo.)
 */
export const MIN_SCAN_SIDE_PX = 300;

/** What one reading of a PDF shares: the limits a converted scan is fitted to, and the event loop's turns. */
export interface Reading {
	doc: PdfDocument;
	send: SendLimits;
	pause: Pause;
	/** Optional-content groups hidden when the document opens: what they hold is not shown. */
	hidden: Set<number>;
}

/** Images and forms looked at on one page. */
const MAX_XOBJECTS_PER_PAGE = 2000;

export interface Candidate {
	stream: PdfStream;
	width: number;
	height: number;
	resources: PdfDict | undefined;
	/** Where the page draws it; unknown when the content could not be read. */
	placement?: Matrix;
}

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

export function* pages(
	doc: PdfDocument,
): Generator<{ page: PdfDict; resources: PdfDict | undefined }> {
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

/**
 * The images the page draws (see pdfContent.ts), or every image its resources list when its content cannot be
 * read. Each stream once, in drawing order.
 */
export function pageImages(
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
export function stripsOf(doc: PdfDocument, candidates: Candidate[]): Candidate[] | undefined {
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

const sizeOf = (c: { width: number; height: number }) => `${c.width} × ${c.height} px`;

/** What the PDF shows instead of a scan, for the message: its largest picture, one in an annotation, inline. */
export function noScan(reading: Reading): Refusal {
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
