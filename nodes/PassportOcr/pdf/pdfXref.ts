/**
 * Reading a PDF's cross-reference data (ISO 32000-1 §7.5): classic tables, the entries of cross-reference
 * streams, and, for files whose data is missing or wrong, every `N G obj` found by scanning the bytes. Each entry
 * goes to the caller's `add`, which enforces the object cap; pdfDocument.ts follows the chain of sections.
 */
import {
	Keyword,
	Lexer,
	PdfDict,
	PdfProblem,
	PdfStream,
	asNumber,
	damaged,
	isDigit,
	isRegular,
	isWhite,
	type PdfValue,
} from './pdfObjects';

export type XrefEntry = { type: 'offset'; offset: number } | { type: 'compressed'; stream: number };

type AddEntry = (num: number, entry: XrefEntry) => void;

const OBJ = Buffer.from('obj', 'latin1');

/** §7.5.4: subsections of `start count`, then 20-byte entries `offset gen n|f`, then `trailer <<…>>`. */
export function readXrefTable(lexer: Lexer, add: AddEntry): PdfDict {
	for (;;) {
		const start = lexer.token();
		if (start instanceof Keyword && start.word === 'trailer') break;
		const count = lexer.token();
		if (typeof start !== 'number' || typeof count !== 'number' || count < 0) {
			throw damaged('the cross-reference table is malformed');
		}
		for (let i = 0; i < count; i++) {
			const offset = lexer.token();
			lexer.token();
			const kind = lexer.token();
			if (typeof offset !== 'number' || !(kind instanceof Keyword)) {
				throw damaged('a cross-reference entry is malformed');
			}
			// Free entries are not recorded: an older section's offset for a deleted object does no harm.
			if (kind.word === 'n' && offset > 0) add(start + i, { type: 'offset', offset });
		}
	}
	const trailer = lexer.value();
	if (!(trailer instanceof PdfDict)) throw damaged('the trailer is not a dictionary');
	return trailer;
}

/** §7.5.8: the entry widths /W of a cross-reference stream, each 0–8 bytes. */
export function xrefStreamWidths(widths: PdfValue): [number, number, number] {
	if (!Array.isArray(widths) || widths.length < 3)
		throw damaged('a cross-reference stream has no /W');
	const w = widths.slice(0, 3).map((value) => asNumber(value) ?? -1);
	if (w.some((width) => width < 0 || width > 8))
		throw damaged('a cross-reference stream has a bad /W');
	if (w[0] + w[1] + w[2] === 0) throw damaged('a cross-reference stream has a bad /W');
	return [w[0], w[1], w[2]];
}

/** §7.5.8: the fixed-width binary entries of a decoded cross-reference stream, in the ranges /Index gives. */
export function readXrefStreamEntries(
	stream: PdfStream,
	index: PdfValue,
	w: [number, number, number],
	data: Buffer,
	add: AddEntry,
): void {
	const entrySize = w[0] + w[1] + w[2];
	const size = asNumber(stream.dict.get('Size')) ?? 0;
	const ranges = Array.isArray(index) ? index.map((value) => asNumber(value) ?? -1) : [0, size];
	const field = (at: number, width: number, fallback: number) => {
		if (width === 0) return fallback;
		let value = 0;
		for (let i = 0; i < width; i++) value = value * 256 + data[at + i];
		return value;
	};
	let at = 0;
	for (let r = 0; r + 1 < ranges.length; r += 2) {
		const [start, count] = [ranges[r], ranges[r + 1]];
		if (start < 0 || count < 0) throw damaged('a cross-reference stream has a bad /Index');
		// The data's length bounds the loop, whatever /Index claims.
		for (let i = 0; i < count && at + entrySize <= data.length; i++, at += entrySize) {
			const type = field(at, w[0], 1);
			const second = field(at + w[0], w[1], 0);
			if (type === 1 && second > 0) add(start + i, { type: 'offset', offset: second });
			else if (type === 2) add(start + i, { type: 'compressed', stream: second });
		}
	}
}

/**
 * §7.5 says offsets are exact, but damaged files and files with bytes before `%PDF` break that. Each `N G obj`
 * in the file is found by a scan (later ones win, as incremental updates append) and used when the
 * cross-reference data is missing or wrong.
 */
export function scanObjectOffsets(b: Buffer, maxObjects: number): Map<number, number> {
	const found = new Map<number, number>();
	for (let at = b.indexOf(OBJ); at >= 0; at = b.indexOf(OBJ, at + 3)) {
		if (at + 3 < b.length && isRegular(b[at + 3])) continue;
		let i = at - 1;
		if (i < 0 || !isWhite(b[i])) continue;
		while (i >= 0 && isWhite(b[i])) i--;
		const genEnd = i + 1;
		while (i >= 0 && isDigit(b[i])) i--;
		if (i + 1 === genEnd || i < 0 || !isWhite(b[i])) continue;
		while (i >= 0 && isWhite(b[i])) i--;
		const numEnd = i + 1;
		while (i >= 0 && isDigit(b[i])) i--;
		if (i + 1 === numEnd || numEnd - i > 11) continue;
		if (i >= 0 && isRegular(b[i])) continue;
		const num = Number(b.toString('latin1', i + 1, numEnd));
		if (!found.has(num) && found.size >= maxObjects) {
			throw new PdfProblem('too-large', `it holds more than ${maxObjects} objects`);
		}
		found.set(num, i + 1);
	}
	return found;
}
