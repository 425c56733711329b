/**
 * JPEG streams as PDFs hold them, read by their markers (ITU T.81 Annex B) without decoding a pixel: where the
 * JPEG really ends (some writers pad the stream after EOI), its frame (size, components, progressive), and the
 * lossless join of a page stored as horizontal strips into one JPEG.
 */

export interface JpegLayout {
	/** Offset just after EOI: the JPEG, without any padding after it. */
	end: number;
	width: number;
	height: number;
	components: number;
	/** Frame marker: C0 baseline, C1 extended, C2 progressive… */
	frame: number;
	/** Offset of the SOF segment's FF. */
	frameAt: number;
	/** Offset of the first SOS segment's FF, and of the first entropy-coded byte after its header. */
	scanAt: number;
	dataAt: number;
	/** Offset of EOI's FF: the first scan's data ends here when the JPEG has one scan. */
	eoiAt: number;
	scans: number;
	restartInterval: number;
	/** Largest vertical and horizontal sampling factors (the MCU is 8 × these, for more than one component). */
	maxV: number;
	maxH: number;
}

const isStandalone = (marker: number) =>
	marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0xd8;
const isFrame = (marker: number) =>
	marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** The end of entropy-coded data from `from`: the offset of the next marker that is not RSTn or a stuffed 00. */
function scanEnd(bytes: Uint8Array, from: number): number {
	let at = from;
	for (;;) {
		at = bytes.indexOf(0xff, at);
		if (at < 0 || at + 1 >= bytes.length) return -1;
		const next = bytes[at + 1];
		if (next === 0x00 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) {
			at += next === 0xff ? 1 : 2;
			continue;
		}
		return at;
	}
}

/** The JPEG's layout, or undefined when it is cut off before EOI or its markers are broken. */
export function readJpegLayout(bytes: Uint8Array): JpegLayout | undefined {
	if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
	const layout: Partial<JpegLayout> = { scans: 0, restartInterval: 0, maxV: 1, maxH: 1 };
	let at = 2;
	for (let steps = 0; steps < 100_000; steps++) {
		while (at < bytes.length && bytes[at] === 0xff && bytes[at + 1] === 0xff) at++;
		if (at + 1 >= bytes.length || bytes[at] !== 0xff) return undefined;
		const marker = bytes[at + 1];
		if (marker === 0xd9) {
			if (layout.width === undefined || layout.scans === 0) return undefined;
			return { ...(layout as JpegLayout), eoiAt: at, end: at + 2 };
		}
		if (isStandalone(marker)) {
			at += 2;
			continue;
		}
		if (at + 4 > bytes.length) return undefined;
		const length = (bytes[at + 2] << 8) | bytes[at + 3];
		const next = at + 2 + length;
		if (length < 2 || next > bytes.length) return undefined;
		if (isFrame(marker) && layout.width === undefined && length >= 8) {
			layout.frame = marker;
			layout.frameAt = at;
			layout.height = (bytes[at + 5] << 8) | bytes[at + 6];
			layout.width = (bytes[at + 7] << 8) | bytes[at + 8];
			layout.components = bytes[at + 9];
			for (let c = 0; c < (layout.components ?? 0) && at + 11 + c * 3 < next; c++) {
				const sampling = bytes[at + 11 + c * 3];
				layout.maxH = Math.max(layout.maxH ?? 1, sampling >> 4);
				layout.maxV = Math.max(layout.maxV ?? 1, sampling & 15);
			}
		} else if (marker === 0xdd && length === 4) {
			layout.restartInterval = (bytes[at + 4] << 8) | bytes[at + 5];
		} else if (marker === 0xda) {
			if (layout.scans === 0) {
				layout.scanAt = at;
				layout.dataAt = next;
			}
			layout.scans = (layout.scans ?? 0) + 1;
			const end = scanEnd(bytes, next);
			if (end < 0) return undefined;
			at = end;
			continue;
		}
		at = next;
	}
	return undefined;
}

/** The markers a strip's header may differ in without changing how its data decodes. */
const isMetadata = (marker: number) => (marker >= 0xe0 && marker <= 0xef) || marker === 0xfe;

/** The header segments that decide decoding (tables, frame, scan header), SOF's height zeroed. */
function decodingHeader(jpeg: Uint8Array, layout: JpegLayout): Buffer {
	const parts: Buffer[] = [];
	let at = 2;
	while (at < layout.dataAt) {
		const marker = jpeg[at + 1];
		const next = at + 2 + ((jpeg[at + 2] << 8) | jpeg[at + 3]);
		if (!isMetadata(marker)) {
			const segment = Buffer.from(jpeg.subarray(at, next));
			if (at === layout.frameAt) segment.writeUInt16BE(0, 5);
			parts.push(segment);
		}
		at = next;
	}
	return Buffer.concat(parts);
}

/**
 * Strips stacked top to bottom joined into one JPEG without decoding: the first strip's header with the total
 * height, a restart interval of one strip (restart markers reset the DC prediction exactly as each strip's own
 * data starts from zero), and each strip's entropy-coded data followed by the next restart marker. This needs
 * one-scan (baseline) strips with the same tables, width and sampling, each but the last a whole number of MCU
 * rows high, and no restart interval of their own. Otherwise the reason it cannot be done.
 */
export function joinJpegStrips(strips: Uint8Array[]): { ok: true; jpeg: Buffer } | { ok: false } {
	const layouts = strips.map(readJpegLayout);
	if (layouts.some((layout) => !layout)) return { ok: false };
	const all = layouts as JpegLayout[];
	const first = all[0];
	const header = decodingHeader(strips[0], first);
	const mcuHeight = first.components > 1 ? 8 * first.maxV : 8;
	const mcuWidth = first.components > 1 ? 8 * first.maxH : 8;
	const stripHeight = first.height;
	let total = 0;
	for (let i = 0; i < all.length; i++) {
		const layout = all[i];
		const last = i === all.length - 1;
		if (layout.scans !== 1 || layout.restartInterval !== 0) return { ok: false };
		if (layout.frame !== 0xc0 && layout.frame !== 0xc1) return { ok: false };
		if (!last && (layout.height !== stripHeight || layout.height % mcuHeight !== 0)) {
			return { ok: false };
		}
		if (!decodingHeader(strips[i], layout).equals(header)) return { ok: false };
		total += layout.height;
	}
	const interval = Math.ceil(first.width / mcuWidth) * (stripHeight / mcuHeight);
	if (total > 0xffff || interval > 0xffff || interval < 1) return { ok: false };
	const head = Buffer.from(strips[0].subarray(0, first.scanAt));
	head.writeUInt16BE(total, first.frameAt + 5);
	const restart = Buffer.from([0xff, 0xdd, 0, 4, interval >> 8, interval & 0xff]);
	const parts: Buffer[] = [
		head,
		restart,
		Buffer.from(strips[0].subarray(first.scanAt, first.dataAt)),
	];
	all.forEach((layout, i) => {
		parts.push(Buffer.from(strips[i].subarray(layout.dataAt, layout.eoiAt)));
		if (i < all.length - 1) parts.push(Buffer.from([0xff, 0xd0 + (i % 8)]));
	});
	parts.push(Buffer.from([0xff, 0xd9]));
	return { ok: true, jpeg: Buffer.concat(parts) };
}
