import type { IExecuteFunctions } from 'n8n-workflow';

import { inputFailure, succeed, type Outcome } from '../contract/itemFailure';
import type { ImageSource } from '../description/itemParameters';
import { decodeBase64Image } from './base64Image';
import { checkImageLimits, describeImageProblem } from './imageLimits';

/** An image ready to send: bytes that passed the local checks, or a URL the service downloads itself. */
export type ImageInput =
	| { kind: 'bytes'; bytes: Buffer; label: string; format: string; width: number; height: number }
	| { kind: 'url'; url: string };

async function readBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
): Promise<Outcome<{ bytes: Buffer; label: string }>> {
	let label: string;
	try {
		label =
			ctx.helpers.assertBinaryData(itemIndex, field).fileName ?? `The file in field "${field}"`;
	} catch (error) {
		const fields = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
		return inputFailure(
			'INPUT.NO_BINARY',
			`Item ${itemIndex + 1} has no binary field "${field}"`,
			fields.length > 0
				? `Its binary fields are: ${fields.join(', ')}. Put one of them in Input Binary Field.`
				: `It has no binary data at all (${(error as Error).message}). Make sure the previous node outputs a file, or switch Input Source to Image URL or Base64.`,
		);
	}
	// Through the helper, never item.binary.x.data: in filesystem, S3 and database modes that holds no bytes.
	return succeed({ bytes: await ctx.helpers.getBinaryDataBuffer(itemIndex, field), label });
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

/**
 * Reads the item's image from the chosen source and checks it against the service's limits before any call.
 */
export async function readImageInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	source: ImageSource,
	maxSidePx: number,
): Promise<Outcome<ImageInput>> {
	if (source.kind === 'url') return readUrl(source.url);
	if (source.kind === 'base64') {
		const decoded = decodeBase64Image(source.text);
		if (!decoded.ok) {
			return inputFailure(
				'INPUT.BAD_BASE64',
				decoded.reason === 'empty'
					? 'The Base64 Image is empty'
					: 'The Base64 Image is not valid Base64 text',
				'Map the Base64 text of a JPEG, PNG, BMP or TIFF file, for example {{ $json.image }}; a data:image/...;base64, prefix is fine.',
			);
		}
		return checked(decoded.bytes, 'The Base64 image', maxSidePx);
	}
	const binary = await readBinary(ctx, itemIndex, source.field);
	return binary.ok ? checked(binary.value.bytes, binary.value.label, maxSidePx) : binary;
}
