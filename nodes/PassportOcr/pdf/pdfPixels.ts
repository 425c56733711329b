/**
 * A PDF's pixel image (8-bit grey or RGB) becomes a PNG the service accepts, row by row: the pixels are never
 * all held at once, the work pauses for the event loop between chunks, and when the PNG cannot fit the
 * service's limits (its longest side, its file size) the image is sent at half size, or a quarter, instead.
 *
 * How the size is chosen: the longest side fixes the largest scale that may be sent (halving until it fits).
 * From there, PNGs at that scale and at each half below it are written side by side from the same rows, down to
 * the first scale whose uncompressed rows already fit the file limit (so one always fits). A scale is dropped
 * the moment its output passes the limit, or once a sixteenth of its rows show it will end well over it; the
 * largest scale left at the end is sent. One pass over the data, whatever the outcome.
 */
import type { InflateChunk } from './inflate';
import type { Pause } from './pdfPause';
import { PngRowFilter, pngFromZlib, unfilterRow } from './pngFromPixels';
import { ZlibWriter } from './zlibWriter';

/** What the image rows are stored as, once the stream's general filters are undone. */
export type RowLayout = 'plain' | 'png-predictor' | 'tiff-predictor';

export interface PixelImage {
	width: number;
	height: number;
	channels: 1 | 3;
	/** /Decode [1 0]: dark and light swapped. */
	invert: boolean;
	layout: RowLayout;
}

export interface SendLimits {
	maxSidePx: number;
	maxFileBytes: number;
}

/** A source of the decoded stream data, a chunk at a time. */
export type ChunkSource = () => InflateChunk;

export type PngOutcome =
	| { ok: true; png: Buffer; widthPx: number; heightPx: number; scale: number }
	| { ok: false; reason: 'cut-off' | 'damaged' | 'too-large' | 'too-many-bytes' };

/** PNG signature and the IHDR, IDAT and IEND chunks' framing around the zlib data. */
const PNG_OVERHEAD = 8 + 25 + 12 + 12;
/** A sixteenth of the rows is enough to tell a scale that will end far over the limit. */
const PROJECTION_SHARE = 16;
const PROJECTION_MARGIN = 1.15;
/** Most scales written side by side (1/1 … 1/32). */
const MAX_SCALES = 6;

/** One scale's PNG, being written: source rows are averaged in `factor` × `factor` blocks. */
class ScaledPng {
	readonly width: number;
	readonly height: number;
	private readonly sums: Uint32Array | undefined;
	private readonly row: Uint8Array;
	private readonly filter: PngRowFilter;
	zlib: ZlibWriter | undefined = new ZlibWriter();
	private rowsIn = 0;
	rowsOut = 0;

	constructor(
		readonly factor: number,
		private readonly source: PixelImage,
		/** Never dropped for a projection: its uncompressed rows fit the limit. */
		readonly sure: boolean,
	) {
		const { width, height, channels } = source;
		this.width = Math.ceil(width / factor);
		this.height = Math.ceil(height / factor);
		this.sums = factor > 1 ? new Uint32Array(this.width * channels) : undefined;
		this.row = new Uint8Array(this.width * channels);
		this.filter = new PngRowFilter(this.width * channels, channels);
	}

	add(pixels: Uint8Array): void {
		const zlib = this.zlib;
		if (!zlib) return;
		const { sums, factor } = this;
		if (!sums) {
			zlib.write(this.filter.filter(pixels));
			this.rowsOut++;
			return;
		}
		const { channels, width, height } = this.source;
		const shift = Math.log2(factor);
		for (let x = 0; x < width; x++) {
			const to = (x >> shift) * channels;
			const from = x * channels;
			for (let c = 0; c < channels; c++) sums[to + c] += pixels[from + c];
		}
		this.rowsIn++;
		if (this.rowsIn % factor !== 0 && this.rowsIn !== height) return;
		const rows = this.rowsIn % factor === 0 ? factor : this.rowsIn % factor;
		for (let j = 0; j < this.width; j++) {
			const count = Math.min(factor, width - j * factor) * rows;
			for (let c = 0; c < channels; c++) {
				const at = j * channels + c;
				this.row[at] = Math.floor((sums[at] + (count >> 1)) / count);
			}
		}
		sums.fill(0);
		zlib.write(this.filter.filter(this.row));
		this.rowsOut++;
	}

	/** Gives up this scale when its PNG has passed, or clearly will pass, `maxZlib` bytes. */
	judge(maxZlib: number): void {
		if (!this.zlib) return;
		const size = this.zlib.size;
		const projected =
			this.rowsOut >= this.height / PROJECTION_SHARE ? (size / this.rowsOut) * this.height : 0;
		if (size > maxZlib || (!this.sure && projected > maxZlib * PROJECTION_MARGIN)) {
			this.zlib = undefined;
		}
	}
}

/** The scales to write: from the largest the longest side allows, halving to the first that surely fits. */
function scalesFor(image: PixelImage, limits: SendLimits): ScaledPng[] {
	let factor = 1;
	while (Math.ceil(Math.max(image.width, image.height) / factor) > limits.maxSidePx) factor *= 2;
	const scales: ScaledPng[] = [];
	while (scales.length < MAX_SCALES) {
		const width = Math.ceil(image.width / factor);
		const height = Math.ceil(image.height / factor);
		// Deflate adds at most a few bytes per 32 KB to data it cannot compress; 3% covers it many times over.
		const sure = (width * image.channels + 1) * height * 1.03 + PNG_OVERHEAD <= limits.maxFileBytes;
		scales.push(new ScaledPng(factor, image, sure));
		if (sure) break;
		factor *= 2;
	}
	return scales;
}

/** Turns the decoded stream data into pixel rows, undoing a PNG or TIFF predictor row by row. */
class RowAssembler {
	/** Stored bytes per row: the pixels, plus the filter-type byte with a PNG predictor. */
	readonly inRow: number;
	private readonly pending: Uint8Array;
	private filled = 0;
	readonly pixels: Uint8Array;
	rows = 0;

	constructor(private readonly image: PixelImage) {
		const rowBytes = image.width * image.channels;
		this.inRow = image.layout === 'png-predictor' ? rowBytes + 1 : rowBytes;
		this.pending = new Uint8Array(this.inRow);
		// Two rows: the row above (predictors need it), then the current one.
		this.pixels = new Uint8Array(rowBytes * 2);
	}

	/** Feeds `bytes`, calling `onRow` with each completed pixel row; false on a row filter PNG does not have. */
	feed(bytes: Uint8Array, onRow: (row: Uint8Array) => void): boolean {
		const { image, inRow, pending } = this;
		let at = 0;
		while (at < bytes.length && this.rows < image.height) {
			const take = Math.min(inRow - this.filled, bytes.length - at);
			pending.set(bytes.subarray(at, at + take), this.filled);
			this.filled += take;
			at += take;
			if (this.filled < inRow) break;
			this.filled = 0;
			if (!this.complete(onRow)) return false;
		}
		return true;
	}

	private complete(onRow: (row: Uint8Array) => void): boolean {
		const { image, pending, pixels } = this;
		const rowBytes = image.width * image.channels;
		const first = this.rows === 0;
		if (!first) pixels.copyWithin(0, rowBytes, rowBytes * 2);
		if (image.layout === 'png-predictor') {
			if (pending[0] > 4) return false;
			unfilterRow(pending[0], pending, 1, pixels, rowBytes, rowBytes, image.channels, first);
		} else if (image.layout === 'tiff-predictor') {
			for (let i = 0; i < rowBytes; i++) {
				const left = i >= image.channels ? pixels[rowBytes + i - image.channels] : 0;
				pixels[rowBytes + i] = (pending[i] + left) & 0xff;
			}
		} else pixels.set(pending, rowBytes);
		this.rows++;
		const row = pixels.subarray(rowBytes);
		if (image.invert) {
			// A copy: the predictor of the next row needs the stored values, not the inverted ones.
			const shown = Uint8Array.from(row);
			for (let i = 0; i < shown.length; i++) shown[i] = 255 - shown[i];
			onRow(shown);
		} else onRow(row);
		return true;
	}
}

/**
 * The PNG of `image`, its rows read from `next`, fitted to `limits` (see the top of this file). `pause` is
 * called between chunks so the event loop gets its turns.
 */
export async function pngOfPixels(
	image: PixelImage,
	next: ChunkSource,
	limits: SendLimits,
	pause: Pause,
): Promise<PngOutcome> {
	const scales = scalesFor(image, limits);
	const maxZlib = limits.maxFileBytes - PNG_OVERHEAD;
	const rows = new RowAssembler(image);
	const onRow = (row: Uint8Array) => {
		for (const scale of scales) scale.add(row);
	};
	for (;;) {
		const chunk = next();
		if (chunk.kind === 'stop') {
			if (chunk.reason === 'too-large') return { ok: false, reason: 'too-many-bytes' };
			// A stream cut short still gives its rows; whether they are all there is checked below.
			break;
		}
		if (chunk.kind === 'end') break;
		// A row at a time between turns: before the compiler has warmed up, even one chunk's rows take long.
		for (let at = 0; at < chunk.bytes.length && rows.rows < image.height; at += rows.inRow) {
			if (!rows.feed(chunk.bytes.subarray(at, at + rows.inRow), onRow)) {
				return { ok: false, reason: 'damaged' };
			}
			for (const scale of scales) scale.judge(maxZlib);
			if (scales.every((scale) => !scale.zlib)) return { ok: false, reason: 'too-large' };
			await pause.breathe();
		}
		if (rows.rows >= image.height) break;
	}
	if (rows.rows < image.height) return { ok: false, reason: 'cut-off' };
	for (const scale of scales) {
		if (!scale.zlib) continue;
		const zlib = scale.zlib.finish();
		scale.zlib = undefined;
		if (zlib.length > maxZlib) continue;
		return {
			ok: true,
			png: pngFromZlib(scale.width, scale.height, image.channels, zlib),
			widthPx: scale.width,
			heightPx: scale.height,
			scale: scale.factor,
		};
	}
	return { ok: false, reason: 'too-large' };
}
