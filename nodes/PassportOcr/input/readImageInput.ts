import type { IExecuteFunctions } from 'n8n-workflow';

import {
	fail,
	inputFailure,
	succeed,
	type ItemFailure,
	type Outcome,
} from '../contract/itemFailure';
import type { ImageSource } from '../description/itemParameters';
import type { PdfPages } from '../description/parameters';
import { decodeBase64Image } from './base64Image';
import { readImageHeader } from './imageHeader';
import { checkImageLimits, describeImageProblem } from './imageLimits';
import { findPdfScans, isPdf } from './pdfScan';

/** Image bytes that passed the local checks. */
export interface CheckedImage {
	kind: 'bytes';
	bytes: Buffer;
	label: string;
	format: string;
	width: number;
	height: number;
}

/** An image ready to send: checked bytes, or a URL the service downloads itself. */
export type ImageInput = CheckedImage | { kind: 'url'; url: string };

/** One image to read: the input's own, or one scanned page of a PDF (`pdfPage`), checked on its own. */
export interface InputPage {
	pdfPage: number | null;
	image: Outcome<ImageInput>;
}

/**
 * What an item's input gave: the binary field read (binary input only) and one or more images. A file that
 * cannot be sent (a refused image or PDF) is a page whose image is a failure, so it can go to Needs Review.
 */
export interface ItemInput {
	binaryField: string | null;
	pages: InputPage[];
}

const listNames = (names: string[]) => names.map((name) => `"${name}"`).join(', ');

/**
 * The item's file: the named binary field when the item has it; otherwise, when the item holds exactly one
 * file, that one (a Form Trigger names its field after the form field, which the default `data` never matches).
 */
async function readBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	named: string,
): Promise<Outcome<{ bytes: Buffer; label: string; field: string }>> {
	const fields = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
	const field = fields.includes(named) ? named : fields.length === 1 ? fields[0] : undefined;
	if (field === undefined) {
		return inputFailure(
			'INPUT.NO_BINARY',
			fields.length === 0
				? `Item ${itemIndex + 1} has no binary file (Input Binary Field is "${named}")`
				: `Item ${itemIndex + 1} has no binary field "${named}"; it has ${fields.length} files: ${listNames(fields)}`,
			fields.length > 0
				? `Put the name of the field that holds the passport in Input Binary Field, for example ${fields[0]}.`
				: 'Make sure the previous node outputs a file (its output shows it under Binary), or switch Input Source to Image URL or Base64.',
		);
	}
	const label =
		ctx.helpers.assertBinaryData(itemIndex, field).fileName ?? `The file in field "${field}"`;
	// Through the helper, never item.binary.x.data: in filesystem, S3 and database modes that holds no bytes.
	return succeed({ bytes: await ctx.helpers.getBinaryDataBuffer(itemIndex, field), label, field });
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

function checked(bytes: Buffer, label: string, maxSidePx: number): Outcome<ImageInput> {
	const check = checkImageLimits(bytes, { maxSidePx });
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
		bytes,
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
function pdfPages(bytes: Buffer, label: string, maxSidePx: number, pages: PdfPages): InputPage[] {
	const found = findPdfScans(bytes, { allPages: pages === 'every' });
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
		image: checked(image.bytes, `The scan on page ${image.page} of ${label}`, maxSidePx),
	}));
}

/** The file's image(s), each a page that failed its checks or is ready to send. */
function fileInput(bytes: Buffer, label: string, maxSidePx: number, pages: PdfPages): InputPage[] {
	if (looksLikePdf(bytes)) return pdfPages(bytes, label, maxSidePx, pages);
	return [{ pdfPage: null, image: checked(bytes, label, maxSidePx) }];
}

/**
 * Reads the item's image from the chosen source and checks it against the service's limits before any call. A
 * PDF (binary or Base64) gives the scanned page image(s) inside it, as `pages` says; a URL is passed on, since
 * the service downloads it itself and takes only images there.
 */
export async function readImageInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	source: ImageSource,
	maxSidePx: number,
	pages: PdfPages,
): Promise<Outcome<ItemInput>> {
	if (source.kind === 'url') {
		const url = readUrl(source.url);
		return url.ok ? succeed({ binaryField: null, pages: [{ pdfPage: null, image: url }] }) : url;
	}
	if (source.kind === 'base64') {
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
			binaryField: null,
			pages: fileInput(decoded.bytes, 'The Base64 image', maxSidePx, pages),
		});
	}
	const binary = await readBinary(ctx, itemIndex, source.field);
	if (!binary.ok) return binary;
	const { bytes, label, field } = binary.value;
	return succeed({ binaryField: field, pages: fileInput(bytes, label, maxSidePx, pages) });
}
