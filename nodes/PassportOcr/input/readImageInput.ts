import type { IExecuteFunctions } from 'n8n-workflow';

import {
	fail,
	inputFailure,
	succeed,
	type ItemFailure,
	type Outcome,
} from '../contract/itemFailure';
import type { ImageData } from '../contract/passportApi';
import type { ImageSource } from '../description/itemParameters';
import type { PdfPages } from '../description/parameters';
import { decodeBase64Image } from './base64Image';
import { jpegHeaderBytes, readImageHeader, type ByteReader } from './imageHeader';
import { checkImageHead, describeImageProblem, type ImageLimits } from './imageLimits';
import { skippedByContent, skippedByType, type FileInput } from './fileScreening';
import type { ItemFile } from './itemFiles';
import { findPdfScans, isPdf, type PdfPageImage } from '../pdf/pdfScan';

/** An image that passed the local checks: its bytes, or the Base64 text the item held. */
export interface CheckedImage {
	kind: 'bytes';
	data: ImageData;
	label: string;
	format: string;
	width: number;
	height: number;
}

/** An image ready to send: checked bytes, or a URL the service downloads itself. */
export type ImageInput = CheckedImage | { kind: 'url'; url: string };

/**
 * One image to read: the input's own, or one scanned page of a PDF (`pdfPage`), checked on its own. `pdfNote`
 * says what was done to a scan to make it sendable (sent at a smaller size), for the output item.
 */
export interface InputPage {
	pdfPage: number | null;
	pdfNote?: string;
	image: Outcome<ImageInput>;
}

/**
 * What an item's URL, Base64 text or file gave: one or more images. A file that cannot be sent (a refused image
 * or PDF) is a page whose image is a failure, so it can go to Needs Review.
 */
export interface ItemInput {
	pages: InputPage[];
}

/** A file's content: its bytes, or the Base64 text n8n keeps in the item in its default (memory) mode. */
type FileData = { bytes: Buffer } | { base64: string };

/**
 * Base64 text that can go into the JSON body as it is. n8n writes strict Base64; a Code node may write line
 * breaks or other characters, and such text is decoded and encoded again instead. Only what would break the
 * JSON is looked for, with searches that cost microseconds on megabytes (a full alphabet check costs
 * milliseconds per image); any other stray character is the service's to refuse, as it is for the item's image.
 */
function sendableBase64(text: string): boolean {
	if (text.length === 0 || text.length % 4 !== 0) return false;
	return !['"', '\\', '\n', '\r', '\t', ' '].some((character) => text.includes(character));
}

/**
 * The file as the item holds it. Where n8n keeps files in memory (n8n 1.x's default) the item carries the file
 * as Base64 text, which is sent as it is (decoding and encoding it again cost more CPU than the rest of the
 * node's work); in the filesystem, S3 and database modes the item holds only a reference, read once through
 * n8n's helpers: by field name for a binary field, by id for a file in the JSON or from an expression (n8n
 * 1.x's helpers take only names, so the id route serves both releases).
 */
async function fileData(
	ctx: IExecuteFunctions,
	itemIndex: number,
	file: ItemFile,
): Promise<FileData> {
	const { binary, binaryKey } = file;
	if (binary.id === undefined && typeof binary.data === 'string' && binary.data.length > 0) {
		if (sendableBase64(binary.data)) return { base64: binary.data };
		if (binaryKey === undefined) return { bytes: Buffer.from(binary.data, 'base64') };
	}
	if (binaryKey !== undefined) {
		return { bytes: await ctx.helpers.getBinaryDataBuffer(itemIndex, binaryKey) };
	}
	if (binary.id === undefined) return { bytes: Buffer.alloc(0) };
	return { bytes: await ctx.helpers.binaryToBuffer(await ctx.helpers.getBinaryStream(binary.id)) };
}

function readUrl(url: string): Outcome<ImageInput> {
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {
		parsed = undefined;
	}
	if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
		return inputFailure(
			'INPUT.BAD_URL',
			url === '' ? 'The Image URL is empty' : `"${url.slice(0, 100)}" is not an http(s) URL`,
			'Enter a full link such as https://example.com/passport.jpg, or map one from an earlier node.',
		);
	}
	return succeed({ kind: 'url', url: parsed.href });
}

/** Enough of a file for most headers; a JPEG whose metadata comes first may need more, read as needed. */
const HEAD_BYTES = 64 * 1024;

/** `length` bytes at `offset` of the file Base64 `text` encodes, decoding only the characters that hold them. */
const base64Reader =
	(text: string): ByteReader =>
	(offset, length) => {
		const first = Math.floor(offset / 3);
		const chars = text.slice(first * 4, Math.ceil((offset + length) / 3) * 4);
		const skip = offset - first * 3;
		return Buffer.from(chars, 'base64').subarray(skip, skip + length);
	};

/**
 * The first bytes of Base64 text, as many as the image header needs, without decoding the rest: the first
 * 64 KB, or for a JPEG whose frame header comes later, its start and frame header alone.
 */
function headOf(base64: string): Buffer {
	const head = Buffer.from(base64.slice(0, Math.floor(HEAD_BYTES / 3) * 4), 'base64');
	const header = readImageHeader(head);
	if (header.ok || header.reason !== 'truncated' || head.length * 4 >= base64.length * 3)
		return head;
	const frame = jpegHeaderBytes(base64Reader(base64), Buffer.byteLength(base64, 'base64'));
	return frame ? Buffer.from(frame) : Buffer.from(base64, 'base64');
}

/**
 * Checks an image against the service's limits from `head`, its first bytes: for bytes, the bytes themselves;
 * for Base64 text, its first bytes decoded, the rest never decoded.
 */
function checked(
	data: ImageData,
	head: Buffer,
	label: string,
	maxSidePx: number,
): Outcome<ImageInput> {
	const limits: ImageLimits = { maxSidePx };
	const size = Buffer.isBuffer(data) ? data.length : Buffer.byteLength(data.base64, 'base64');
	const check = checkImageHead(head, size, limits);
	if (!check.ok) {
		const { message, description } = describeImageProblem(check, label);
		return inputFailure(
			`INPUT.${check.problem.toUpperCase().replace(/-/g, '_')}`,
			message,
			description,
		);
	}
	return succeed({
		kind: 'bytes',
		data,
		label,
		format: check.format,
		width: check.width,
		height: check.height,
	});
}

/** A PDF, unless the file is one of the image formats (whose bytes could hold `%PDF-` by chance). */
function looksLikePdf(bytes: Buffer): boolean {
	if (!isPdf(bytes)) return false;
	const header = readImageHeader(bytes);
	return !header.ok && header.reason === 'unknown-format';
}

/**
 * The scan(s) in a PDF, each checked against the service's limits on its own; a PDF the reader refuses
 * (encrypted, damaged, no scan, an encoding it cannot pass on) is one failed page with the reader's own words.
 */
async function pdfPages(
	bytes: Buffer,
	label: string,
	maxSidePx: number,
	pages: PdfPages,
): Promise<InputPage[]> {
	const found = await findPdfScans(bytes, { allPages: pages === 'every', send: { maxSidePx } });
	if (!found.ok) {
		const failure: ItemFailure = {
			kind: 'input',
			code: found.code,
			message: `${label}: ${found.message}`,
			description: found.description,
			scope: 'item',
		};
		return [{ pdfPage: null, image: fail(failure) }];
	}
	return found.images.map((image) => ({
		pdfPage: image.page,
		image: checked(
			image.bytes,
			image.bytes,
			`The scan on page ${image.page} of ${label}`,
			maxSidePx,
		),
		...(image.resizedFrom ? { pdfNote: resizedNote(image) } : {}),
	}));
}

/** What the item says about a scan sent smaller than stored. */
function resizedNote(image: PdfPageImage): string {
	const from = image.resizedFrom ?? { widthPx: image.widthPx, heightPx: image.heightPx };
	const scale = Math.round(from.widthPx / image.widthPx);
	return `The scan on page ${image.page} is ${from.widthPx} × ${from.heightPx} px, too large for the service as it is stored, so it was sent at 1/${scale} size (${image.widthPx} × ${image.heightPx} px)`;
}

/** The file's image(s), each a page that failed its checks or is ready to send. */
async function fileInput(
	file: FileData,
	label: string,
	maxSidePx: number,
	pages: PdfPages,
): Promise<InputPage[]> {
	if ('base64' in file) {
		// A PDF is looked into as bytes; an image goes as the text it came as.
		const head = headOf(file.base64);
		if (looksLikePdf(head)) {
			return await pdfPages(Buffer.from(file.base64, 'base64'), label, maxSidePx, pages);
		}
		return [{ pdfPage: null, image: checked(file, head, label, maxSidePx) }];
	}
	if (looksLikePdf(file.bytes)) return await pdfPages(file.bytes, label, maxSidePx, pages);
	return [{ pdfPage: null, image: checked(file.bytes, file.bytes, label, maxSidePx) }];
}

/**
 * Reads the item's image from a URL or Base64 source and checks it against the service's limits before any
 * call (files are read one by one with `readItemFile`). A PDF gives the scanned page image(s) inside it, as
 * `pages` says; a URL is passed on, since the service downloads it itself and takes only images there.
 */
export async function readImageInput(
	source: Exclude<ImageSource, { kind: 'binary' }>,
	maxSidePx: number,
	pages: PdfPages,
): Promise<Outcome<ItemInput>> {
	if (source.kind === 'url') {
		const url = readUrl(source.url);
		return url.ok ? succeed({ pages: [{ pdfPage: null, image: url }] }) : url;
	}
	const decoded = decodeBase64Image(source.text);
	if (!decoded.ok) {
		return inputFailure(
			'INPUT.BAD_BASE64',
			decoded.reason === 'empty'
				? 'The Base64 Image is empty'
				: 'The Base64 Image is not valid Base64 text',
			'Map the Base64 text of a JPEG, PNG, BMP or TIFF image or of a PDF scan, for example {{ $json.image }}; a data:...;base64, prefix is fine.',
		);
	}
	return succeed({
		pages: await fileInput({ bytes: decoded.bytes }, 'The Base64 image', maxSidePx, pages),
	});
}

/**
 * Reads one file of the item, just before its turn, and checks it as `readImageInput` does. With `screen`
 * (the item has several files), a file that cannot be a passport page is skipped with the reason instead.
 */
export async function readItemFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	file: ItemFile,
	options: { maxSidePx: number; pages: PdfPages; screen: boolean },
): Promise<FileInput<InputPage>> {
	const label = file.binary.fileName ?? `The file in field "${file.field}"`;
	if (options.screen) {
		const notPassport = skippedByType(file.binary);
		if (notPassport !== undefined) return { skipped: notPassport };
	}
	const data = await fileData(ctx, itemIndex, file);
	const pages = await fileInput(data, label, options.maxSidePx, options.pages);
	const skipped = options.screen ? skippedByContent(pages) : undefined;
	return skipped === undefined ? { pages } : { skipped };
}
