/**
 * The check that applies the service's documented image limits (contract/serviceLimits.ts) before a request
 * is made, so a file the service would refuse fails here with a message that says what to change.
 */
import {
	base64Length,
	MAX_BASE64_LENGTH,
	MAX_FILE_BYTES,
	MIN_SIDE_PX,
} from '../contract/serviceLimits';
import { FORMAT_NAMES, readImageHeader, type ImageFormat } from './imageHeader';

/** The formats the service accepts; `readImageHeader` recognises exactly these. */
export const ACCEPTED_FORMATS = Object.values(FORMAT_NAMES);

export interface ImageLimits {
	/** Longest allowed side; it differs by edition (`EDITIONS` in credential/endpoints.ts). */
	maxSidePx: number;
}

export type ImageProblem = {
	ok: false;
	problem: 'format' | 'unreadable' | 'file-size' | 'too-small' | 'too-large';
	measured: string;
	limit: string;
};

export type ImageCheck =
	| { ok: true; format: ImageFormat; width: number; height: number; base64Length: number }
	| ImageProblem;

const acceptedList = `${ACCEPTED_FORMATS.slice(0, -1).join(', ')} or ${ACCEPTED_FORMATS[ACCEPTED_FORMATS.length - 1]}`;

const problem = (kind: ImageProblem['problem'], measured: string, limit: string): ImageProblem => ({
	ok: false,
	problem: kind,
	measured,
	limit,
});

const MEGABYTE = 1024 * 1024;
const megabytes = (bytes: number) => `${(bytes / MEGABYTE).toFixed(1).replace(/\.0$/, '')} MB`;
const exactBytes = (bytes: number) => `${String(bytes).replace(/\B(?=(\d{3})+$)/g, ',')} bytes`;

function fileSizeProblem(byteCount: number): ImageProblem {
	const [measured, limit] = [megabytes(byteCount), megabytes(MAX_FILE_BYTES)];
	// Just over the limit both round to the same text; then only exact counts show the difference.
	return measured === limit
		? problem('file-size', exactBytes(byteCount), exactBytes(MAX_FILE_BYTES))
		: problem('file-size', measured, limit);
}

/** Checks size first (no parsing needed), then the header's format and pixel size. */
export function checkImageLimits(bytes: Uint8Array, limits: ImageLimits): ImageCheck {
	return checkImageHead(bytes, bytes.length, limits);
}

/** The same checks for a file of `byteCount` bytes of which only the first bytes (`head`) are at hand. */
export function checkImageHead(
	head: Uint8Array,
	byteCount: number,
	limits: ImageLimits,
): ImageCheck {
	const encodedLength = base64Length(byteCount);
	if (encodedLength > MAX_BASE64_LENGTH) return fileSizeProblem(byteCount);
	const header = readImageHeader(head);
	if (!header.ok) {
		return header.reason === 'unknown-format'
			? problem('format', header.detail, acceptedList)
			: problem('unreadable', header.detail, `a complete ${acceptedList} file`);
	}
	const { format, width, height } = header;
	const measured = `${width} × ${height} px`;
	if (Math.min(width, height) < MIN_SIDE_PX) {
		return problem('too-small', measured, `${MIN_SIDE_PX} px`);
	}
	if (Math.max(width, height) > limits.maxSidePx) {
		return problem('too-large', measured, `${limits.maxSidePx} px`);
	}
	return { ok: true, format, width, height, base64Length: encodedLength };
}

const SMALLER_IS_FINE = '2000 to 3000 px on the longest side is plenty for a passport page.';

const EXPLANATIONS: Record<
	ImageProblem['problem'],
	(found: ImageProblem, label: string) => { message: string; description: string }
> = {
	'file-size': ({ measured, limit }, label) => ({
		message: `${label} is ${measured}; the service accepts files of at most ${limit}`,
		description: `The service takes at most ${megabytes(MAX_BASE64_LENGTH)} per image once it is packed for sending, which is a file of about ${megabytes(MAX_FILE_BYTES)}. Save the image again as a JPEG at a lower quality, or make it smaller: ${SMALLER_IS_FINE}`,
	}),
	format: ({ measured, limit }, label) => ({
		message: `${label} is ${measured}; the service accepts only ${limit} images`,
		description:
			'Save or export the file as JPEG or PNG and try again (phone photos are often HEIC, and scans are often PDF). If an earlier node downloaded it, check that the link leads to the image itself, not to a web page.',
	}),
	unreadable: ({ measured }, label) => ({
		message: `${label} is not a complete, readable image: ${measured}`,
		description:
			'The file looks damaged or only partly downloaded. Check that it opens on your computer, then save it again as JPEG or PNG. If an earlier node downloaded it, check that the whole file arrived.',
	}),
	'too-small': ({ measured, limit }, label) => ({
		message: `${label} is ${measured}; the shortest side must be at least ${limit}`,
		description:
			'The service cannot read an image this small. Use the original photo or scan of the passport page, not a thumbnail or preview.',
	}),
	'too-large': ({ measured, limit }, label) => ({
		message: `${label} is ${measured}; the longest side may be at most ${limit}`,
		description: `Make the image smaller so that neither side is over ${limit}: add n8n's Edit Image node before this node, with Operation Resize, Width and Height ${limit.replace(' px', '')} and Resize Option "Only if Larger". ${SMALLER_IS_FINE} Phone cameras in their high-resolution modes take larger photos (8064 × 6048 px at 48 MP), and G42 Cloud allows only 4096 px a side.`,
	}),
};

/** A short message naming the file, what was found and the limit, and a description of what to do. */
export function describeImageProblem(
	found: ImageProblem,
	fileLabel: string,
): { message: string; description: string } {
	return EXPLANATIONS[found.problem](found, fileLabel);
}
