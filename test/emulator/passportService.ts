/**
 * The RecognizePassport service behind the gateway (reference §1–§3): checks the body and the image in the
 * order a caller meets them, then answers the result recorded for that exact image, or AIS.0104.
 */
import { readImageHeader } from '../../nodes/PassportOcr/input/imageHeader';
import { type JsonObject, parseJsonObject } from './json';
import { type ErrorCode, errorReply, jsonReply, type Reply } from './replies';
import type { EmulatorEdition } from './types';
import { download } from './urlDownload';

/** §1.3: the Base64 string may be 10 MB at most. */
export const MAX_BASE64_CHARS = 10 * 1024 * 1024;
/** A URL download larger than the Base64 limit could ever carry is refused (UNVERIFIED limit). */
const MAX_DOWNLOAD_BYTES = 10 * 1024 * 1024;
export const MIN_SIDE_PX = 15;
export const MAX_SIDE_PX: Record<EmulatorEdition, number> = { huawei: 8192, g42: 4096 };

const RECOGNIZERS = ['GENERAL', 'CHN'];
const BODY_FIELDS = ['image', 'url', 'country_code'];
const PADDING = '='.charCodeAt(0);

export interface ServiceContext {
	edition: EmulatorEdition;
	/** The result recorded for exactly these image bytes. */
	recordedResult(image: Uint8Array): JsonObject | undefined;
	urlTimeoutMs: number;
	signal: AbortSignal;
}

export interface ServiceOutcome {
	reply: Reply;
	bodyMode?: 'image' | 'url';
	/** The recognizer the request asked for, as sent. */
	countryCode?: string;
	detail?: string;
}

type Source = { image: string } | { url: string };
type Failure = { ok: false; code: ErrorCode; detail?: string };
type Step<T> = { ok: true; value: T } | Failure;

const failure = (code: ErrorCode, detail?: string): Failure => ({ ok: false, code, detail });

/** AIS.0101 cases: no unknown field, a `country_code` the edition knows, and one string of image or url. */
function readSource(body: JsonObject, edition: EmulatorEdition): Step<Source> {
	const unknown = Object.keys(body).filter((key) => !BODY_FIELDS.includes(key));
	if (unknown.length > 0) return failure('AIS.0101', `unknown fields: ${unknown.join(', ')}`);
	const { image, url, country_code: recognizer } = body;
	if (recognizer !== undefined) {
		if (edition === 'g42') return failure('AIS.0101', 'the G42 edition has no country_code');
		if (typeof recognizer !== 'string' || !RECOGNIZERS.includes(recognizer)) {
			return failure('AIS.0101', 'country_code must be GENERAL or CHN');
		}
	}
	const hasImage = image !== undefined && image !== '';
	const hasUrl = url !== undefined && url !== '';
	if (hasImage === hasUrl) return failure('AIS.0101', 'send exactly one of image and url');
	if (hasImage)
		return typeof image === 'string' ? { ok: true, value: { image } } : failure('AIS.0101');
	return typeof url === 'string' ? { ok: true, value: { url } } : failure('AIS.0101');
}

/**
 * The bytes of strict standard Base64 (the alphabet, then at most two `=`), or undefined for anything else.
 * Node's decoder is lenient: it skips characters outside the alphabet, stops at an inner `=`, and takes the
 * URL-safe `-` and `_`. So the text is refused when it holds `-` or `_`, or when the decoder gave fewer bytes
 * than its length calls for, which is what skipping or stopping does. Native decoding and searching, not a
 * loop over megabytes of characters: that loop was most of the emulator's CPU in the benchmark.
 */
export function strictBase64(text: string): Buffer | undefined {
	let end = text.length;
	while (end > 0 && end > text.length - 2 && text.charCodeAt(end - 1) === PADDING) end--;
	const padded = end < text.length;
	if (padded ? text.length % 4 !== 0 : text.length % 4 === 1) return undefined;
	if (text.includes('-') || text.includes('_')) return undefined;
	const bytes = Buffer.from(text, 'base64');
	return bytes.length === Math.floor((end * 3) / 4) ? bytes : undefined;
}

/** `decoded`: the image's bytes when reading the body already decoded them. */
function decodeImage(image: string, decoded: Buffer | undefined): Step<Buffer> {
	if (image.length > MAX_BASE64_CHARS)
		return failure('ModelArts.4104', `${image.length} Base64 characters`);
	const bytes = decoded ?? strictBase64(image);
	return bytes ? { ok: true, value: bytes } : failure('AIS.0102', 'image is not raw Base64');
}

async function fetchImage(address: string, context: ServiceContext): Promise<Step<Buffer>> {
	let url: URL;
	try {
		url = new URL(address);
	} catch {
		return failure('ModelArts.4601', 'not a URL');
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return failure('ModelArts.4601', `scheme ${url.protocol} is not allowed`);
	}
	const fetched = await download(url, {
		timeoutMs: context.urlTimeoutMs,
		maxBytes: MAX_DOWNLOAD_BYTES,
		signal: context.signal,
	});
	return fetched.ok
		? { ok: true, value: fetched.bytes }
		: failure('ModelArts.4603', fetched.reason);
}

function checkImage(bytes: Buffer, edition: EmulatorEdition): Step<Buffer> {
	const header = readImageHeader(bytes);
	if (!header.ok) return failure('AIS.0102', `${header.reason}: ${header.detail}`);
	const shortest = Math.min(header.width, header.height);
	const longest = Math.max(header.width, header.height);
	if (shortest < MIN_SIDE_PX || longest > MAX_SIDE_PX[edition]) {
		return failure('AIS.0103', `${header.format} ${header.width}x${header.height} px`);
	}
	return { ok: true, value: bytes };
}

async function imageBytes(
	source: Source,
	context: ServiceContext,
	decoded: Buffer | undefined,
): Promise<Step<Buffer>> {
	const fetched =
		'image' in source ? decodeImage(source.image, decoded) : await fetchImage(source.url, context);
	return fetched.ok ? checkImage(fetched.value, context.edition) : fetched;
}

export async function recognizePassport(
	context: ServiceContext,
	bytes: Buffer,
	requestId: string,
): Promise<ServiceOutcome> {
	// A strict Base64 image is a string JSON takes raw, and decoding it once serves both checks.
	let decoded: Buffer | undefined = undefined;
	const body = parseJsonObject(bytes, (image) => (decoded = strictBase64(image)) !== undefined);
	if (!body) return { reply: errorReply('ModelArts.4105', requestId) };
	const countryCode = typeof body.country_code === 'string' ? body.country_code : undefined;
	return { countryCode, ...(await answer(context, body, requestId, decoded)) };
}

async function answer(
	context: ServiceContext,
	body: JsonObject,
	requestId: string,
	decoded: Buffer | undefined,
): Promise<ServiceOutcome> {
	const source = readSource(body, context.edition);
	if (!source.ok) return { reply: errorReply(source.code, requestId), detail: source.detail };
	const bodyMode = 'image' in source.value ? 'image' : 'url';
	const image = await imageBytes(source.value, context, decoded);
	if (!image.ok)
		return { reply: errorReply(image.code, requestId), bodyMode, detail: image.detail };
	const result = context.recordedResult(image.value);
	if (!result) return { reply: errorReply('AIS.0104', requestId), bodyMode };
	return { reply: jsonReply(200, { result }), bodyMode };
}
