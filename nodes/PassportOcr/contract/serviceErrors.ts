/**
 * Every error code the reference lists for RecognizePassport, each with what a workflow builder should do about
 * it. Messages are short and name the fix; the service's own text stays in the error details.
 */

/**
 * What a client may do about an error: fix this item's image (`fix-item`), fix the credential or the account
 * (`fix-setup`: every item would fail alike), sign in again, or try again later. The failure policy reads it.
 */
export type ErrorRemedy = 'fix-item' | 'fix-setup' | 'reauthenticate' | 'retry';

export interface ErrorContext {
	/** Where the call went, as a phrase: "region ap-southeast-1 of Huawei Cloud (International)". */
	where: string;
}

interface ErrorEntry {
	remedy: ErrorRemedy;
	message: (context: ErrorContext) => string;
}

const fixItem = (message: string): ErrorEntry => ({ remedy: 'fix-item', message: () => message });
const fixSetup = (message: string): ErrorEntry => ({ remedy: 'fix-setup', message: () => message });
const retry = (message: string): ErrorEntry => ({ remedy: 'retry', message: () => message });
const reauthenticate = (message: string): ErrorEntry => ({
	remedy: 'reauthenticate',
	message: () => message,
});

const CONTACT_SUPPORT = 'contact Huawei Cloud support with the request ID';

export const SERVICE_ERRORS: Record<string, ErrorEntry> = {
	'AIS.0101': fixItem(
		'The request was rejected as invalid: send exactly one image (file, Base64 or URL)',
	),
	'AIS.0102': fixItem('The image format is not supported: send a JPEG, PNG, BMP or TIFF file'),
	'AIS.0103': fixItem(
		'The image size is out of range: each side must be at least 15 px and within the service limit',
	),
	'AIS.0104': fixItem(
		'No passport data page could be read: send a sharp, well-lit photo or scan of the page with the photo and the two MRZ lines',
	),
	'AIS.0105': retry(
		`Recognition failed on the service side: try again, and if it persists ${CONTACT_SUPPORT}`,
	),
	'ModelArts.0203': reauthenticate(
		'The IAM token was not accepted: check the credential and test it again',
	),
	'ModelArts.0212': fixSetup(
		'The IAM token is not scoped to a project: check the Project ID in the credential',
	),
	'ModelArts.4101': reauthenticate(
		'The request carried no IAM token: test the credential to sign in again',
	),
	'ModelArts.4102': reauthenticate(
		'The IAM token could not be read: test the credential to sign in again',
	),
	'ModelArts.4103': reauthenticate(
		'The IAM token header is invalid: test the credential to sign in again',
	),
	'ModelArts.4104': fixItem(
		'The image is larger than 10 MB once Base64-encoded: send a file under about 7 MB',
	),
	'ModelArts.4105': fixSetup(
		"The service could not read the request as JSON: check the credential's OCR endpoint points at the OCR service",
	),
	'ModelArts.4201': fixSetup(
		"The request URL is missing the service ID: check the credential's OCR endpoint",
	),
	'ModelArts.4202': fixSetup(
		"The request URL is not valid: check the credential's OCR endpoint and project ID",
	),
	'ModelArts.4203': fixSetup(
		'Access denied: give the IAM user permission to use OCR (for example the OCR FullAccess policy) in the IAM console',
	),
	'ModelArts.4204': {
		remedy: 'fix-setup',
		message: ({ where }) =>
			`Passport OCR is not enabled in ${where}: enable "Passport" in the OCR console there, with the same account`,
	},
	'ModelArts.4301': retry('The OCR service could not authorise itself: try again in a moment'),
	'ModelArts.4302': retry('The OCR gateway could not forward the request: try again in a moment'),
	'ModelArts.4401': retry(
		'Too many requests at once for your account: lower the concurrency or try again later',
	),
	'ModelArts.4402': retry('The OCR service timed out: try again in a moment'),
	'ModelArts.4403': retry('The OCR service is unavailable: try again in a moment'),
	'ModelArts.4502': retry(
		`The OCR service returned an invalid answer: try again, and if it persists ${CONTACT_SUPPORT}`,
	),
	'ModelArts.4503': fixSetup(`The OCR backend service was not found: ${CONTACT_SUPPORT}`),
	'ModelArts.4504': fixSetup(`The OCR backend API was not found: ${CONTACT_SUPPORT}`),
	'ModelArts.4505': retry(
		`The OCR service had an internal error: try again, and if it persists ${CONTACT_SUPPORT}`,
	),
	'ModelArts.4506': fixSetup(`An OCR sub-service was not found: ${CONTACT_SUPPORT}`),
	'ModelArts.4508': fixSetup(`The OCR service is not started in this region: ${CONTACT_SUPPORT}`),
	'ModelArts.4601': fixItem(
		'The service may not download from this URL: use a public http(s) link, or a link to a file in Huawei Cloud Object Storage Service (OBS)',
	),
	'ModelArts.4603': fixItem(
		'The service could not download an image: a URL must lead to a public JPEG, PNG, BMP or TIFF image, not a PDF or web page (for a PDF, use Binary File)',
	),
	'ModelArts.4702': fixSetup(
		'The service could not use its agency for Object Storage Service (OBS): authorise OCR to read OBS in the OCR console',
	),
	'ModelArts.4703': fixItem(
		'The Object Storage Service (OBS) link is not valid: check the bucket and object path',
	),
	'ModelArts.4704': fixItem(
		'The service could not read the file from OBS: check the object exists, OCR may read it, and the bucket is in the same region',
	),
	'ModelArts.4705': fixItem(
		'The file in OBS is too large: keep it under 10 MB once Base64-encoded',
	),
	'ModelArts.4706': fixItem('The file does not exist in OBS: check the object path'),
	'APIG.0101': fixSetup(
		"The OCR endpoint does not know this API path: check the Project ID belongs to the credential's region",
	),
	'APIG.0106': fixItem(
		'The service rejected the request parameters: check the image is sent as a file, Base64 or URL',
	),
	'APIG.0201': retry(
		'The OCR service timed out: try again, and send smaller images if it keeps happening',
	),
	'APIG.0301': reauthenticate(
		'The sign-in was not accepted by the OCR endpoint: test the credential, and check the Project ID belongs to its region',
	),
	'APIG.0307': reauthenticate(
		'The IAM token has expired or belongs to another region: test the credential to sign in again',
	),
	'APIG.0308': retry(
		"The service's rate limit for your account was reached: wait a few seconds and try again, or lower the concurrency",
	),
};

/** The gateway writes some codes as `APIGW.xxxx`; both spellings mean the same error. */
export function normaliseErrorCode(code: string): string {
	return code.replace(/^APIGW\./, 'APIG.');
}

export function knownServiceError(code: string): ErrorEntry | undefined {
	return SERVICE_ERRORS[normaliseErrorCode(code)];
}
