/**
 * What a page's content really draws (ISO 32000-1 §8): the images its `Do` operators paint, through forms within
 * forms, each with where it lands on the page, leaving out what sits in a hidden optional-content layer (§8.11)
 * and what only a resource dictionary lists. Inline images (`BI … ID … EI`) are noted, for messages.
 */
import {
	Keyword,
	Lexer,
	PdfDict,
	PdfName,
	PdfRef,
	PdfStream,
	asName,
	asNumber,
	unlessDamaged,
	type PdfValue,
} from './pdfObjects';
import { PdfDocument } from './pdfDocument';

/** a b c d e f: the unit square of an image lands where this matrix maps it (§8.3.4). */
export type Matrix = [number, number, number, number, number, number];

export interface DrawnImage {
	stream: PdfStream;
	/** The resources its colour space names are looked up in. */
	resources: PdfDict | undefined;
	placement: Matrix;
}

export interface PageDrawing {
	images: DrawnImage[];
	inlineImages: Array<{ width: number; height: number }>;
}

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

const multiply = (m: Matrix, n: Matrix): Matrix => [
	m[0] * n[0] + m[1] * n[2],
	m[0] * n[1] + m[1] * n[3],
	m[2] * n[0] + m[3] * n[2],
	m[2] * n[1] + m[3] * n[3],
	m[4] * n[0] + m[5] * n[2] + n[4],
	m[4] * n[1] + m[5] * n[3] + n[5],
];

/** Content bytes searched on one page, forms included; a page over it counts every image its resources list. */
const MAX_CONTENT_BYTES = 8 * 1024 * 1024;
/** Forms inside forms: one or two levels are common (a stamped or templated page), more is not needed. */
export const MAX_FORM_DEPTH = 3;
const MAX_OPERATORS = 2_000_000;

/** The optional-content groups hidden when the document opens (§8.11.4.3: /D's /BaseState, /ON, /OFF). */
export function hiddenGroups(doc: PdfDocument): Set<number> {
	const hidden = new Set<number>();
	const catalog = doc.resolveDict(doc.trailer.get('Root'));
	const properties = doc.resolveDict(catalog?.get('OCProperties') ?? null);
	const config = doc.resolveDict(properties?.get('D') ?? null);
	if (!properties || !config) return hidden;
	const refs = (value: PdfValue) => {
		const list = doc.resolve(value);
		return Array.isArray(list) ? list.filter((item): item is PdfRef => item instanceof PdfRef) : [];
	};
	if (asName(doc.resolve(config.get('BaseState'))) === 'OFF') {
		const on = new Set(refs(config.get('ON')).map((ref) => ref.num));
		for (const group of refs(properties.get('OCGs'))) if (!on.has(group.num)) hidden.add(group.num);
	}
	for (const group of refs(config.get('OFF'))) hidden.add(group.num);
	return hidden;
}

/** Whether an /OC entry (a group or a membership dictionary, §8.11.2.2) makes its content hidden. */
function isHidden(doc: PdfDocument, value: PdfValue, hidden: Set<number>): boolean {
	if (hidden.size === 0 || value === null) return false;
	if (value instanceof PdfRef && hidden.has(value.num)) return true;
	const dict = doc.resolveDict(value);
	if (!dict || asName(dict.get('Type')) !== 'OCMD') return false;
	const groups = doc.resolve(dict.get('OCGs'));
	const list = (Array.isArray(groups) ? groups : [dict.get('OCGs')]).filter(
		(item): item is PdfRef => item instanceof PdfRef,
	);
	if (list.length === 0) return false;
	const off = list.map((group) => hidden.has(group.num));
	switch (asName(doc.resolve(dict.get('P')))) {
		case 'AllOn':
			return off.some(Boolean);
		case 'AnyOff':
			return !off.some(Boolean);
		case 'AllOff':
			return !off.every(Boolean);
		default:
			return off.every(Boolean);
	}
}

class TooMuch {}

/** Runs `read`; false when it stopped at a cap (TooMuch), true when it finished. Anything else still throws. */
function withinCaps(read: () => void): boolean {
	let caught: unknown;
	try {
		read();
		return true;
	} catch (error) {
		caught = error;
	}
	if (caught instanceof TooMuch) return false;
	throw caught;
}

interface Walk {
	doc: PdfDocument;
	hidden: Set<number>;
	drawing: PageDrawing;
	bytes: number;
	operators: number;
	forms: Set<PdfStream>;
}

/** Skips an inline image's data after `ID`: up to `EI` between white space (§8.9.7). */
function skipInlineData(lexer: Lexer): void {
	const b = lexer.bytes;
	let at = lexer.at + 1;
	for (;;) {
		at = b.indexOf('EI', at, 'latin1');
		if (at < 0) {
			lexer.at = b.length;
			return;
		}
		const before = b[at - 1];
		const after = b[at + 2];
		const white = (byte: number | undefined) =>
			byte === undefined || byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
		if (white(before) && white(after)) {
			lexer.at = at + 2;
			return;
		}
		at += 2;
	}
}

function walkContent(
	walk: Walk,
	content: Buffer,
	resources: PdfDict | undefined,
	start: Matrix,
	depth: number,
): void {
	const { doc } = walk;
	walk.bytes += content.length;
	if (walk.bytes > MAX_CONTENT_BYTES) throw new TooMuch();
	const lexer = new Lexer(content, 0, doc.limits.maxNesting);
	const xobjects = doc.resolveDict(resources?.get('XObject') ?? null);
	const properties = doc.resolveDict(resources?.get('Properties') ?? null);
	let ctm = start;
	const saved: Matrix[] = [];
	/** Marked-content nesting, and the depth at which a hidden section began (0: none). */
	let marked = 0;
	let hiddenFrom = 0;
	let operands: Array<PdfValue> = [];
	for (let item = lexer.contentItem(); item !== undefined; item = lexer.contentItem()) {
		if (!(item instanceof Keyword)) {
			if (operands.length < 16) operands.push(item);
			continue;
		}
		if (++walk.operators > MAX_OPERATORS) throw new TooMuch();
		const op = item.word;
		if (op === 'q') saved.push(ctm);
		else if (op === 'Q') ctm = saved.pop() ?? ctm;
		else if (op === 'cm' && operands.length >= 6) {
			const m = operands.slice(-6).map((value) => asNumber(value) ?? 0) as Matrix;
			ctm = multiply(m, ctm);
		} else if (op === 'BMC') marked++;
		else if (op === 'BDC') {
			marked++;
			const [tag, props] = operands.slice(-2);
			if (hiddenFrom === 0 && asName(tag) === 'OC') {
				const group = props instanceof PdfName ? (properties?.get(props.name) ?? null) : props;
				if (isHidden(doc, group, walk.hidden)) hiddenFrom = marked;
			}
		} else if (op === 'EMC') {
			if (hiddenFrom === marked) hiddenFrom = 0;
			marked = Math.max(0, marked - 1);
		} else if (op === 'BI') {
			const dict: PdfValue[] = [];
			for (let part = lexer.contentItem(); part !== undefined; part = lexer.contentItem()) {
				if (part instanceof Keyword && part.word === 'ID') break;
				if (dict.length < 64) dict.push(part instanceof Keyword ? null : part);
			}
			skipInlineData(lexer);
			if (hiddenFrom === 0) {
				const value = (keys: string[]) => {
					for (let i = 0; i + 1 < dict.length; i += 2) {
						if (keys.includes(asName(dict[i]) ?? '')) return asNumber(dict[i + 1]) ?? 0;
					}
					return 0;
				};
				walk.drawing.inlineImages.push({
					width: value(['W', 'Width']),
					height: value(['H', 'Height']),
				});
			}
		} else if (op === 'Do' && hiddenFrom === 0 && operands.length > 0) {
			const name = asName(operands[operands.length - 1]);
			const target = name !== undefined ? doc.resolve(xobjects?.get(name) ?? null) : null;
			if (target instanceof PdfStream && !isHidden(doc, target.dict.get('OC'), walk.hidden)) {
				drawObject(walk, target, resources, ctm, depth);
			}
		}
		operands = [];
	}
}

function drawObject(
	walk: Walk,
	target: PdfStream,
	resources: PdfDict | undefined,
	ctm: Matrix,
	depth: number,
): void {
	const { doc } = walk;
	const subtype = asName(doc.resolve(target.dict.get('Subtype')));
	if (subtype === 'Image') {
		walk.drawing.images.push({ stream: target, resources, placement: ctm });
		return;
	}
	if (subtype !== 'Form' || depth >= MAX_FORM_DEPTH || walk.forms.has(target)) return;
	const matrix = doc.resolve(target.dict.get('Matrix'));
	const own =
		Array.isArray(matrix) && matrix.length === 6
			? (matrix.map((value) => asNumber(doc.resolve(value)) ?? 0) as Matrix)
			: IDENTITY;
	const decoded = unlessDamaged(
		() => doc.decode(target, MAX_CONTENT_BYTES),
		['damaged', 'too-large'],
	);
	if (!decoded || decoded.imageFilter) return;
	// A form drawing itself (directly or further down) would never end; each form is open once at a time.
	walk.forms.add(target);
	try {
		const inner = doc.resolveDict(target.dict.get('Resources')) ?? resources;
		walkContent(walk, decoded.bytes, inner, multiply(own, ctm), depth + 1);
	} finally {
		walk.forms.delete(target);
	}
}

/**
 * The images the page's content draws, in drawing order, or undefined when its content cannot be read
 * (damaged, too large, or not a stream): the caller then counts every image the resources list.
 */
export function pageDrawing(
	doc: PdfDocument,
	page: PdfDict,
	resources: PdfDict | undefined,
	hidden: Set<number>,
): PageDrawing | undefined {
	const contents = doc.resolve(page.get('Contents'));
	const parts = Array.isArray(contents) ? contents.map((part) => doc.resolve(part)) : [contents];
	const streams: Buffer[] = [];
	for (const part of parts) {
		if (part === null) continue;
		if (!(part instanceof PdfStream)) return undefined;
		const decoded = unlessDamaged(
			() => doc.decode(part, MAX_CONTENT_BYTES),
			['damaged', 'too-large'],
		);
		if (!decoded || decoded.imageFilter) return undefined;
		streams.push(decoded.bytes);
	}
	const walk: Walk = {
		doc,
		hidden,
		drawing: { images: [], inlineImages: [] },
		bytes: 0,
		operators: 0,
		forms: new Set(),
	};
	// §7.8.2: the parts of an array are one stream, split anywhere between tokens.
	const content = Buffer.concat(streams.flatMap((part) => [part, Buffer.from('\n')]));
	return withinCaps(() => walkContent(walk, content, resources, IDENTITY, 0))
		? walk.drawing
		: undefined;
}

/** The images inside the page's annotations' appearances (stamps, signatures), for saying what was found. */
export function annotationImages(doc: PdfDocument, page: PdfDict): DrawnImage[] {
	const annots = doc.resolve(page.get('Annots'));
	if (!Array.isArray(annots)) return [];
	const found: DrawnImage[] = [];
	for (const annot of annots.slice(0, 200)) {
		const appearance = doc.resolveDict(doc.resolveDict(annot)?.get('AP') ?? null);
		let normal = doc.resolve(appearance?.get('N') ?? null);
		if (normal instanceof PdfDict) normal = doc.resolve([...normal.map.values()][0] ?? null);
		if (!(normal instanceof PdfStream)) continue;
		const walk: Walk = {
			doc,
			hidden: new Set(),
			drawing: { images: [], inlineImages: [] },
			bytes: 0,
			operators: 0,
			forms: new Set(),
		};
		const form = normal;
		withinCaps(() => drawObject(walk, form, undefined, IDENTITY, 0));
		found.push(...walk.drawing.images);
	}
	return found;
}
