/**
 * Stream filters (ISO 32000-1 §7.4): Flate with PNG and TIFF predictors, ASCIIHex, ASCII85 and RunLength are
 * decoded here; an image codec (DCT, JPX, JBIG2, CCITT) ends the chain and is named for the scan finder. Each
 * decode is bounded by a per-stream cap and the document's whole-file budget.
 */
import { inflate } from './inflate';
import {
	PdfDict,
	PdfProblem,
	PdfStream,
	asName,
	asNumber,
	damaged,
	type PdfValue,
} from './pdfObjects';
import { unfilterPngRows } from './pngFromPixels';

/** What decoding needs of the document: references resolved, the stored (decrypted) data, the inflate budget. */
export interface FilterHost {
	resolve(value: PdfValue): PdfValue;
	resolveDict(value: PdfValue): PdfDict | undefined;
	streamData(stream: PdfStream): Buffer;
	inflateBudget(cap: number): number;
	countInflated(bytes: number): void;
}

/** The stream's filters as names, with their /DecodeParms lined up (a single dict or null when absent). */
export function streamFilters(
	doc: FilterHost,
	stream: PdfStream,
): Array<{ name: string; params: PdfDict | undefined }> {
	const filter = doc.resolve(stream.dict.get('Filter'));
	const params = doc.resolve(stream.dict.get('DecodeParms') ?? stream.dict.get('DP'));
	const names = Array.isArray(filter) ? filter.map((f) => doc.resolve(f)) : [filter];
	const paramList = Array.isArray(params) ? params : [params];
	const list: Array<{ name: string; params: PdfDict | undefined }> = [];
	names.forEach((name, i) => {
		if (name === null) return;
		list.push({
			name: FILTER_ABBREVIATIONS[asName(name) ?? ''] ?? asName(name) ?? '?',
			params: doc.resolveDict(paramList[i] ?? null),
		});
	});
	return list;
}

/**
 * Applies the stream's general-purpose filters (Flate with predictors, ASCIIHex, ASCII85, RunLength) and
 * stops before an image codec (DCT, JPX, JBIG2, CCITT), which is named in `imageFilter` for the caller.
 * With `partialOk`, a cut-off Flate stream gives what it decoded (object streams in damaged files).
 */
export function decodeStream(
	doc: FilterHost,
	stream: PdfStream,
	cap: number,
	partialOk = false,
): { bytes: Buffer; imageFilter?: string; remaining: number } {
	const filters = streamFilters(doc, stream);
	let bytes = doc.streamData(stream);
	for (let i = 0; i < filters.length; i++) {
		const { name, params } = filters[i];
		if (IMAGE_FILTERS.has(name)) return { bytes, imageFilter: name, remaining: filters.length - i };
		bytes = applyFilter(doc, name, params, bytes, cap, partialOk);
	}
	return { bytes, remaining: 0 };
}

function applyFilter(
	doc: FilterHost,
	name: string,
	params: PdfDict | undefined,
	bytes: Buffer,
	cap: number,
	partialOk: boolean,
): Buffer {
	switch (name) {
		case 'FlateDecode': {
			const budget = doc.inflateBudget(cap);
			const result = inflate(bytes, budget);
			const out = result.ok ? result.bytes : result.partial;
			doc.countInflated(out.length);
			if (!result.ok) {
				if (result.reason === 'too-large') {
					throw new PdfProblem(
						'too-large',
						budget < cap
							? 'its compressed data unpacks to too much in total'
							: 'a compressed part unpacks to too much data',
					);
				}
				if (!partialOk) throw damaged('compressed data inside the file is damaged or cut off');
			}
			return applyPredictor(out, params, (key) => doc.resolve(key));
		}
		case 'ASCIIHexDecode':
			return asciiHex(bytes);
		case 'ASCII85Decode':
			return ascii85(bytes);
		case 'RunLengthDecode':
			return runLength(bytes, doc.inflateBudget(cap));
		default:
			throw new PdfProblem('damaged', `data is encoded with ${name}, which is not supported`);
	}
}

const FILTER_ABBREVIATIONS: Record<string, string> = {
	Fl: 'FlateDecode',
	AHx: 'ASCIIHexDecode',
	A85: 'ASCII85Decode',
	LZW: 'LZWDecode',
	RL: 'RunLengthDecode',
	DCT: 'DCTDecode',
	CCF: 'CCITTFaxDecode',
};

export const IMAGE_FILTERS = new Set(['DCTDecode', 'JPXDecode', 'JBIG2Decode', 'CCITTFaxDecode']);

/**
 * §7.4.4.4: PNG predictors (10–15, one filter-type byte per row) and TIFF predictor 2 on 8-bit samples. Any
 * other case returns the data unchanged and the image reader decides.
 */
export function applyPredictor(
	data: Buffer,
	params: PdfDict | undefined,
	resolve: (value: PdfValue) => PdfValue,
): Buffer {
	if (!params) return data;
	const get = (key: string, fallback: number) => asNumber(resolve(params.get(key))) ?? fallback;
	const predictor = get('Predictor', 1);
	if (predictor < 2) return data;
	const colors = get('Colors', 1);
	const bits = get('BitsPerComponent', 8);
	const columns = get('Columns', 1);
	if (colors < 1 || colors > 32 || ![1, 2, 4, 8, 16].includes(bits) || columns < 1) {
		throw damaged('compressed data has impossible predictor settings');
	}
	const pixelBytes = Math.max(1, Math.ceil((colors * bits) / 8));
	const rowBytes = Math.ceil((colors * bits * columns) / 8);
	if (predictor === 2) {
		if (bits !== 8) throw damaged('a TIFF predictor on samples other than 8 bits is not supported');
		const out = Buffer.from(data);
		for (let row = 0; row + rowBytes <= out.length; row += rowBytes) {
			for (let i = row + colors; i < row + rowBytes; i++)
				out[i] = (out[i] + out[i - colors]) & 0xff;
		}
		return out;
	}
	const out = unfilterPngRows(data, rowBytes, pixelBytes);
	if (!out) throw damaged('compressed data has an unknown row filter');
	return out;
}

function asciiHex(data: Buffer): Buffer {
	const digits = data
		.toString('latin1')
		.split('>')[0]
		.replace(/[^0-9a-fA-F]/g, '');
	return Buffer.from(digits.length % 2 ? `${digits}0` : digits, 'hex');
}

/** §7.4.3: groups of five base-85 digits, `z` for four zero bytes, ending at `~>`. */
function ascii85(data: Buffer): Buffer {
	const text = data.toString('latin1').split('~>')[0].replace(/\s+/g, '');
	const out = Buffer.alloc(Math.ceil((text.length * 4) / 5) + text.length * 4);
	let length = 0;
	let group: number[] = [];
	const flush = (digits: number[]) => {
		const padded = [...digits, 84, 84, 84, 84].slice(0, 5);
		let value = 0;
		for (const digit of padded) value = value * 85 + digit;
		const bytes = [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
		for (let i = 0; i < digits.length - 1; i++) out[length++] = bytes[i];
	};
	for (const char of text) {
		if (char === 'z' && group.length === 0) {
			length += 4;
			continue;
		}
		const digit = char.charCodeAt(0) - 33;
		if (digit < 0 || digit > 84) throw damaged('ASCII85 data holds a character it may not');
		group.push(digit);
		if (group.length === 5) {
			flush(group);
			group = [];
		}
	}
	if (group.length > 1) flush(group);
	return out.subarray(0, length);
}

/** §7.4.5: a length byte n, then n+1 literal bytes (n < 128) or one byte repeated 257−n times (n > 128). */
function runLength(data: Buffer, cap: number): Buffer {
	const parts: Buffer[] = [];
	let total = 0;
	for (let at = 0; at < data.length; ) {
		const n = data[at++];
		if (n === 128) break;
		const part = n < 128 ? data.subarray(at, at + n + 1) : Buffer.alloc(257 - n, data[at] ?? 0);
		at += n < 128 ? n + 1 : 1;
		total += part.length;
		if (total > cap)
			throw new PdfProblem('too-large', 'a compressed part unpacks to too much data');
		parts.push(part);
	}
	return Buffer.concat(parts);
}
