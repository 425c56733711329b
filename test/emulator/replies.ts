/**
 * Answers in the service's shapes (reference §3.1): gateway errors carry `request_id` in the body, service
 * errors only `error_code` and `error_msg`. The docs give codes and messages but not the status of each
 * ModelArts code; the statuses marked UNVERIFIED below are this emulator's choices.
 */

export interface Reply {
	status: number;
	headers: Record<string, string>;
	body: string | Buffer;
	errorCode?: string;
}

/** What the server does with a request: answer it, destroy its socket, or leave it hanging. */
export type Answer = { type: 'reply'; reply: Reply } | { type: 'drop' } | { type: 'hang' };

interface ErrorDefinition {
	status: number;
	message: string;
	/** Raised by the API gateway, so the body also carries `request_id`. */
	gateway: boolean;
}

const gateway = (status: number, message: string): ErrorDefinition => ({
	status,
	message,
	gateway: true,
});
const service = (status: number, message: string): ErrorDefinition => ({
	status,
	message,
	gateway: false,
});

const ERRORS = {
	'APIG.0101': gateway(404, 'The API does not exist or has not been published in the environment.'),
	// Real captures spell the gateway's prefix both ways (reference 2.1c): APIGW. for these two, APIG. for the rest.
	'APIGW.0301': gateway(401, 'Incorrect IAM authentication information: decrypt token fail'),
	'APIG.0307': gateway(401, 'The token must be updated.'),
	'APIGW.0308': gateway(429, 'The throttling threshold has been reached'),
	'APIGW.0201': gateway(413, 'Request entity too large.'),
	// UNVERIFIED statuses from here on: the docs list these codes without one.
	'ModelArts.0212': service(401, 'Invalid Token header. The Token not contain project item.'),
	'ModelArts.4101': service(401, 'Token header cannot be empty.'),
	'ModelArts.4104': service(400, 'Invalid Request Content Length.'),
	'ModelArts.4105': service(400, 'The JSON format of the input data is incorrect.'),
	'ModelArts.4204': service(403, 'Request api error! The API ocr_passport is not subscribed.'),
	'ModelArts.4403': service(503, 'Backend service unavailable error.'),
	'ModelArts.4601': service(400, 'The URL is not allowed.'),
	'ModelArts.4603': service(400, 'Obtaining the file from the URL failed.'),
	'AIS.0101': service(400, 'The input parameter is invalid.'),
	'AIS.0102': service(400, 'The image format is not supported.'),
	'AIS.0103': service(400, 'The image size does not meet the requirements.'),
	'AIS.0104': service(400, 'The image is not supported or the image quality is poor.'),
} satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERRORS;

export function jsonReply(
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): Reply {
	return {
		status,
		headers: { 'Content-Type': 'application/json;charset=UTF-8', ...headers },
		body: JSON.stringify(body),
	};
}

export interface ErrorOptions {
	/** Replaces the table's message, for codes whose message carries details (APIGW.0301, APIGW.0308). */
	message?: string;
	headers?: Record<string, string>;
}

export function errorReply(code: ErrorCode, requestId: string, options: ErrorOptions = {}): Reply {
	const definition: ErrorDefinition = ERRORS[code];
	const body: Record<string, string> = {
		error_code: code,
		error_msg: options.message ?? definition.message,
	};
	if (definition.gateway) body.request_id = requestId;
	return { ...jsonReply(definition.status, body, options.headers), errorCode: code };
}

/** Keystone-style IAM error body, as IAM answers on `/v3/auth/tokens`. */
export function iamErrorReply(status: 400 | 401, message: string): Reply {
	const title = status === 401 ? 'Unauthorized' : 'Bad Request';
	return jsonReply(status, { error: { code: status, title, message } });
}

export function reply(value: Reply): Answer {
	return { type: 'reply', reply: value };
}
