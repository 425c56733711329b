/**
 * PNG files (ISO 15948) from raw 8-bit pixels taken out of a PDF, so the OCR service gets an image format it
 * accepts: PNG row filtering in both directions, chunks and CRCs. The rows are compressed by zlibWriter.ts:
 * stored, uncompressed blocks would make a page scan several times larger than the service's per-image limit,
 * while filtered and compressed rows usually fit.
 */

const CRC_TABLE = (() => {
	const table = new Int32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c;
	}
	return table;
})();

/** CRC-32 as PNG chunks use it (ISO 15948 Annex D). */
export function crc32(bytes: Uint8Array, crc = 0): number {
	let c = ~crc;
	for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
	return ~c >>> 0;
}

export function paeth(a: number, b: number, c: number): number {
	const p = a + b - c;
	const pa = Math.abs(p - a);
	const pb = Math.abs(p - b);
	const pc = Math.abs(p - c);
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** The value PNG filter `type` (ISO 15948 §9.2) predicts from the bytes to the left, above and upper left. */
function predict(type: number, left: number, above: number, upperLeft: number): number {
	if (type === 1) return left;
	if (type === 2) return above;
	if (type === 3) return (left + above) >> 1;
	if (type === 4) return paeth(left, above, upperLeft);
	return 0;
}

/**
 * Undoes the PNG filter `type` of one row: `data[from…from + rowBytes)` into `out[to…)`, with the row above at
 * `out[to - rowBytes…)` unless `first`.
 */
export function unfilterRow(
	type: number,
	data: Uint8Array,
	from: number,
	out: Uint8Array,
	to: number,
	rowBytes: number,
	pixelBytes: number,
	first: boolean,
): void {
	if (type === 0) {
		out.set(data.subarray(from, from + rowBytes), to);
		return;
	}
	for (let i = 0; i < rowBytes; i++) {
		const hasLeft = i >= pixelBytes;
		const left = hasLeft ? out[to + i - pixelBytes] : 0;
		const above = first ? 0 : out[to - rowBytes + i];
		const upperLeft = !first && hasLeft ? out[to - rowBytes + i - pixelBytes] : 0;
		out[to + i] = (data[from + i] + predict(type, left, above, upperLeft)) & 0xff;
	}
}

/**
 * Undoes PNG row filters: `rowBytes` is the row without its filter-type byte. A short last row is dropped; an
 * unknown filter type gives undefined.
 */
export function unfilterPngRows(
	data: Uint8Array,
	rowBytes: number,
	pixelBytes: number,
): Buffer | undefined {
	const rows = Math.floor(data.length / (rowBytes + 1));
	const out = Buffer.alloc(rows * rowBytes);
	for (let r = 0; r < rows; r++) {
		const type = data[r * (rowBytes + 1)];
		if (type > 4) return undefined;
		unfilterRow(
			type,
			data,
			r * (rowBytes + 1) + 1,
			out,
			r * rowBytes,
			rowBytes,
			pixelBytes,
			r === 0,
		);
	}
	return out;
}

/** PNG filter `type` applied to one row of `pixels` starting at `row`, written into `into`. */
function filterRow(
	type: number,
	pixels: Uint8Array,
	row: number,
	rowBytes: number,
	pixelBytes: number,
	into: Uint8Array,
	giveUpAt: number,
): number {
	let cost = 0;
	// Once a filter costs more than the best so far it cannot win; its row is then left half written.
	for (let i = 0; i < rowBytes && cost < giveUpAt; i++) {
		const hasLeft = i >= pixelBytes;
		const left = hasLeft ? pixels[row + i - pixelBytes] : 0;
		const above = row > 0 ? pixels[row - rowBytes + i] : 0;
		const upperLeft = row > 0 && hasLeft ? pixels[row - rowBytes + i - pixelBytes] : 0;
		const value = (pixels[row + i] - predict(type, left, above, upperLeft)) & 0xff;
		into[i] = value;
		cost += value < 128 ? value : 256 - value;
	}
	return cost;
}

/**
 * Filters rows one at a time for a PNG, choosing per row the filter whose output has the smallest sum of
 * absolute values (the heuristic ISO 15948 §12.8 suggests), which makes the rows compress well.
 */
export class PngRowFilter {
	/** The row above, then the current row: the layout `filterRow` reads. */
	private readonly rows: Uint8Array;
	private first = true;
	private trial: Uint8Array;
	private best: Uint8Array;
	private readonly out: Uint8Array;

	constructor(
		private readonly rowBytes: number,
		private readonly pixelBytes: number,
	) {
		this.rows = new Uint8Array(rowBytes * 2);
		this.trial = new Uint8Array(rowBytes);
		this.best = new Uint8Array(rowBytes);
		this.out = new Uint8Array(rowBytes + 1);
	}

	/** The filter-type byte and the filtered row; valid until the next call. */
	filter(row: Uint8Array): Uint8Array {
		const { rowBytes, pixelBytes, rows } = this;
		if (!this.first) rows.copyWithin(0, rowBytes, rowBytes * 2);
		rows.set(row.subarray(0, rowBytes), rowBytes);
		let bestType = 0;
		let bestCost = Infinity;
		for (let type = 0; type <= 4; type++) {
			// The first row has no row above: Up and Paeth then see zeros, as PNG defines.
			const cost = this.first
				? filterRow(type, rows.subarray(rowBytes), 0, rowBytes, pixelBytes, this.trial, bestCost)
				: filterRow(type, rows, rowBytes, rowBytes, pixelBytes, this.trial, bestCost);
			if (cost < bestCost) {
				bestCost = cost;
				bestType = type;
				[this.best, this.trial] = [this.trial, this.best];
			}
		}
		this.first = false;
		this.out[0] = bestType;
		this.out.set(this.best, 1);
		return this.out;
	}
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function chunk(type: string, data: Uint8Array): Buffer {
	const out = Buffer.alloc(12 + data.length);
	out.writeUInt32BE(data.length, 0);
	out.write(type, 4, 'latin1');
	out.set(data, 8);
	out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
	return out;
}

/**
 * A PNG of 8-bit greyscale (`channels` 1) or RGB (3) pixels from a zlib stream of filtered rows, which must
 * inflate to exactly `height` rows of 1 + width × channels bytes.
 */
export function pngFromZlib(
	width: number,
	height: number,
	channels: 1 | 3,
	zlib: Uint8Array,
): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8;
	header[9] = channels === 3 ? 2 : 0;
	return Buffer.concat([
		Buffer.from(PNG_SIGNATURE),
		chunk('IHDR', header),
		chunk('IDAT', zlib),
		chunk('IEND', new Uint8Array(0)),
	]);
}
