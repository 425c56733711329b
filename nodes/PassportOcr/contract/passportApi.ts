/**
 * The RecognizePassport API as the service defines it (Huawei Cloud SDK models, the G42 ae-ad-1 edition).
 * Field names are the service's own, so raw and simplified output use the same words.
 */

/** A JSON object as the service's answers hold them: not null, not a list. */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The 13 key fields of `PassportResult`, in the order the SDK models list them. */
export const PASSPORT_FIELDS = [
	'passport_type',
	'country_code',
	'passport_number',
	'nationality',
	'surname',
	'given_name',
	'sex',
	'date_of_birth',
	'date_of_expiry',
	'date_of_issue',
	'place_of_birth',
	'place_of_issue',
	'issuing_authority',
] as const;

export type PassportField = (typeof PASSPORT_FIELDS)[number];

/** The two MRZ lines: not in the SDK models, but present in the G42 edition's documented answer. */
export const MRZ_LINE_FIELDS = ['machine_code', 'machine_code2'] as const;

export type MrzLineField = (typeof MRZ_LINE_FIELDS)[number];

/**
 * `result` of a 200 answer. Every key may be missing; unknown keys are kept, because the service adds fields
 * per region (the G42 MRZ lines) that the SDK models do not declare.
 */
export type PassportResult = Partial<Record<PassportField | MrzLineField, string>> & {
	confidence?: Record<string, number>;
	extra_info?: Record<string, unknown>;
	[key: string]: unknown;
};

/** `country_code` in the request body selects the recognizer; absent means the service picks. */
export type Recognizer = 'auto' | 'GENERAL' | 'CHN';

/** The request body as the API defines it: the image as Base64 text, or a URL the service downloads. */
export interface PassportRequestBody {
	image?: string;
	url?: string;
	country_code?: Exclude<Recognizer, 'auto'>;
}

/** An image to send: its bytes, or (as n8n keeps files in memory) its strict Base64 text as it is. */
export type ImageData = Buffer | { base64: string };

/** A request body before it is serialised: the image as bytes or Base64 text, which the transport writes. */
export type PassportRequestContent = Omit<PassportRequestBody, 'image'> & { image?: ImageData };

export interface PassportResponse {
	result: PassportResult;
	/** From the `X-Request-Id` response header; the service's support desk asks for it. */
	requestId?: string;
}

/**
 * The passport result a successful answer's parsed body holds, or undefined when it holds none. The output reads
 * the service's fields one by one, typed; here a result need only be an object.
 */
export function passportResultOf(body: unknown): PassportResult | undefined {
	return isRecord(body) && isRecord(body.result) ? (body.result as PassportResult) : undefined;
}

/** Path of the API below the OCR endpoint. */
export function passportPath(projectId: string): string {
	return `/v2/${encodeURIComponent(projectId)}/ocr/passport`;
}
