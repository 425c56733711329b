import type { IHttpRequestOptions } from 'n8n-workflow';

import type { SignInProblem } from '../contract/itemFailure';
import { passportPath } from '../contract/passportApi';
import { knownServiceError, normaliseErrorCode } from '../contract/serviceErrors';
import { PROVES_ACCESS, unansweredSignIn } from '../policy/signInVerdicts';
import { readErrorBody, withoutCanonicalRequest } from '../transport/errorBody';
import { exchange, MAX_ANSWER_BYTES, type Exchange } from '../transport/exchange';
import type { RequestSender } from '../transport/httpCall';
import type { Redactor } from '../transport/redaction';
import type { CredentialAuth } from './credentialSettings';
import { describeLocation, type ServiceProfile } from './endpoints';
import { IamSignInError, SIGN_IN_TIMEOUT_MS } from './iamToken';
import {
	MAX_CLOCK_SKEW_MS,
	canonicalRequest,
	parseAuthorization,
	parseSdkDate,
} from './requestSigning';
import { signRequestOptions } from './signedRequestOptions';

/**
 * Checks an access key before n8n first uses it, with one signed call to the Passport API that carries no
 * image. The gateway checks key, signature, time and project, then the service checks the subscription, all
 * before it reads the body, so "invalid input" (AIS.0101; ModelArts.4105) proves all of them and is never
 * billed. Every other answer becomes a message that names what to fix.
 */

export type AccessKeyAuth = Extract<CredentialAuth, { key: unknown }>;

export interface AccessKeyCredential {
	profile: ServiceProfile;
	projectId: string;
	auth: AccessKeyAuth;
}

export interface ProbeAnswer {
	statusCode: number;
	body: unknown;
}

/**
 * The last characters of an access key ID, to name it in messages: enough for a user to tell keys apart,
 * without repeating a value that the redaction hides everywhere else.
 */
export function keyHint(accessKey: string): string {
	return `ending in ${accessKey.slice(-4)}`;
}

/**
 * Throttling (APIG.0308) comes after authentication: the key works, and the request that follows meets the
 * rate limit on its own, where the node's retry handles it.
 */
const KEY_ACCEPTED = new Set([...PROVES_ACCESS, 'APIG.0308']);

const PROBLEM_OF_CODE: Record<string, SignInProblem> = {
	'APIG.0101': 'project',
	'ModelArts.4202': 'project',
	'ModelArts.0212': 'project',
	'ModelArts.4203': 'service',
	'ModelArts.4204': 'service',
};

/** Stored in the expirable field once the key passed, so n8n does not check it again until a 401. */
export function accessKeyMarker(accessKey: string): string {
	return `access key ${keyHint(accessKey)} checked`;
}

function probeRequest(credential: AccessKeyCredential, now: Date): IHttpRequestOptions {
	const { profile, projectId, auth } = credential;
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: `${profile.ocrBaseUrl}${passportPath(projectId)}`,
		body: {},
		json: true,
		timeout: SIGN_IN_TIMEOUT_MS,
	};
	return signRequestOptions(request, auth.key, profile.ocrBaseUrl, now);
}

const bodyBytes = (body: IHttpRequestOptions['body']): string | Buffer =>
	Buffer.isBuffer(body) ? body : String(body ?? '');

/** The canonical request this client signed, to compare with the one the gateway echoes. */
export function signedCanonicalRequest(signed: IHttpRequestOptions): string {
	const headers = signed.headers as Record<string, string>;
	const { signedHeaders } = parseAuthorization(headers.Authorization) ?? { signedHeaders: [] };
	return canonicalRequest(
		{ method: signed.method ?? 'GET', url: signed.url, headers, body: bodyBytes(signed.body) },
		signedHeaders,
	);
}

const LINE_NAMES = ['method', 'path', 'query'];

/** Names (never values) the first line where two canonical requests differ. */
function firstDifference(ours: string, theirs: string): string {
	const a = ours.split('\n');
	const b = theirs.split('\n');
	const index = a.findIndex((line, i) => line !== b[i]);
	if (index < 0) return 'its length';
	if (index < LINE_NAMES.length) return `the ${LINE_NAMES[index]}`;
	if (index === a.length - 1) return 'the body';
	if (index === a.length - 2) return 'the list of signed headers';
	const header = a[index].split(':')[0];
	return header ? `the ${header} header` : 'the headers';
}

function minutesApart(serviceMessage: string): { minutes: number; ahead: boolean } | undefined {
	const times = /signature time:\s*(\w+)\s*,\s*server time:\s*(\w+)/i.exec(serviceMessage);
	const signedAt = times && parseSdkDate(times[1]);
	const serverTime = times && parseSdkDate(times[2]);
	if (!signedAt || !serverTime) return undefined;
	const differenceMs = signedAt.getTime() - serverTime.getTime();
	return { minutes: Math.round(Math.abs(differenceMs) / 60_000), ahead: differenceMs > 0 };
}

function clockMessage(serviceMessage: string): string {
	const limit = `the service refuses signatures more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes off`;
	const fix = "set the n8n host's clock right (for example with NTP)";
	const apart = minutesApart(serviceMessage);
	if (!apart)
		return `The request's signature time is too far from the service's clock: ${limit}; ${fix}`;
	const direction = apart.ahead ? 'ahead of' : 'behind';
	return `This computer's clock is ${apart.minutes} minutes ${direction} the service's and ${limit}: ${fix}`;
}

interface RefusalContext {
	credential: AccessKeyCredential;
	/** What this client signed; undefined when the check was not made by this module. */
	sentCanonicalRequest?: string;
}

function gatewayRefusal(
	serviceMessage: string,
	{ credential, sentCanonicalRequest }: RefusalContext,
): { problem: SignInProblem; message: string } {
	const accessKey = keyHint(credential.auth.key.accessKey);
	const temporary = credential.auth.method === 'temporaryAccessKey';
	if (/signature expired/i.test(serviceMessage)) {
		return { problem: 'clock', message: clockMessage(serviceMessage) };
	}
	if (/\bak\b.*not exist/i.test(serviceMessage)) {
		const expiry = temporary
			? '; a temporary key stops existing when it expires, so get a new key with its security token'
			: '';
		return {
			problem: 'credentials',
			message: `Access key ${accessKey} does not exist: copy the Access Key ID from My Credentials > Access Keys${expiry}`,
		};
	}
	if (/verify aksk signature fail/i.test(serviceMessage)) {
		const echoed = /canonicalRequest:([\s\S]*)$/.exec(serviceMessage)?.[1].replace(/\|/g, '\n');
		if (echoed !== undefined && sentCanonicalRequest && echoed !== sentCanonicalRequest) {
			return {
				problem: 'unexpected',
				message: `The service checked the signature over a request that differs from the one signed, in ${firstDifference(sentCanonicalRequest, echoed)}: something between n8n and ${credential.profile.ocrBaseUrl} (a proxy?) changes requests`,
			};
		}
		return {
			problem: 'credentials',
			message: `The Secret Access Key does not belong to access key ${accessKey}: paste it again from the key's credentials file`,
		};
	}
	if (/reach the limit/i.test(serviceMessage)) {
		return {
			problem: 'credentials',
			message: `Access key ${accessKey} is locked for 5 minutes after repeated failed signatures: wait, then check the Secret Access Key`,
		};
	}
	if (/project/i.test(serviceMessage)) {
		return {
			problem: 'project',
			message: `Access key ${accessKey} cannot use project ${credential.projectId}: copy the project ID of region ${credential.profile.region} from My Credentials > API Credentials`,
		};
	}
	if (/security.?token/i.test(serviceMessage)) {
		return {
			problem: 'credentials',
			message: `The Security Token was refused: paste the token issued together with access key ${accessKey}`,
		};
	}
	return {
		problem: 'credentials',
		message: `The OCR endpoint refused access key ${accessKey} (it said: ${withoutCanonicalRequest(serviceMessage)})`,
	};
}

/**
 * What the answer to the check says about the key: undefined when it proves key, project and subscription.
 * Messages name the access key ID (not a secret) and never the secret key, the token or the echoed request.
 */
export function accessKeyProblem(
	answer: ProbeAnswer,
	context: RefusalContext,
): IamSignInError | undefined {
	const status = answer.statusCode;
	if (status >= 200 && status < 300) return undefined;
	const { code, message = '' } = readErrorBody(answer.body);
	const safeMessage = withoutCanonicalRequest(message);
	if (code === undefined) {
		return new IamSignInError(
			'unexpected',
			`The OCR endpoint answered HTTP ${status} without an error code: check the credential's OCR endpoint`,
			status,
		);
	}
	const normalised = normaliseErrorCode(code);
	if (KEY_ACCEPTED.has(normalised)) return undefined;
	if (normalised === 'APIG.0301') {
		const refusal = gatewayRefusal(message, context);
		return new IamSignInError(refusal.problem, refusal.message, status);
	}
	const known = knownServiceError(normalised);
	if (!known) {
		return new IamSignInError(
			'unexpected',
			`The OCR endpoint answered ${code} to the access key check: ${safeMessage}`,
			status,
		);
	}
	const problem = PROBLEM_OF_CODE[normalised] ?? (known.remedy === 'retry' ? 'busy' : 'unexpected');
	const where = describeLocation(context.credential.profile);
	return new IamSignInError(problem, known.message({ where }), status);
}

/** The check's request and what came of it, for the Test button to judge as well. */
export interface AccessKeyProbe {
	exchange: Exchange;
	problem?: IamSignInError;
}

/** Sends the check; never rejects. */
export async function probeAccessKey(
	send: RequestSender,
	credential: AccessKeyCredential,
	redactor: Redactor,
): Promise<AccessKeyProbe> {
	const request = probeRequest(credential, new Date());
	const answer = await exchange(
		send(request),
		{ timeoutMs: SIGN_IN_TIMEOUT_MS, maxAnswerBytes: MAX_ANSWER_BYTES },
		redactor,
	);
	if (answer.kind !== 'answer') {
		const failure = unansweredSignIn(answer, `the OCR endpoint ${credential.profile.ocrBaseUrl}`);
		const problem = new IamSignInError(
			failure?.problem ?? 'unexpected',
			failure?.message ?? 'The access key check failed',
		);
		return { exchange: answer, problem };
	}
	const problem = accessKeyProblem(
		{ statusCode: answer.status, body: answer.body },
		// The gateway's echo of it has been redacted like every answer, so ours is compared redacted too.
		{ credential, sentCanonicalRequest: redactor.redact(signedCanonicalRequest(request)) },
	);
	return { exchange: answer, problem };
}

/**
 * Checks the key and returns the marker to store.
 * @throws IamSignInError for every failure, with a message that names what to fix.
 */
export async function checkAccessKey(
	send: RequestSender,
	credential: AccessKeyCredential,
	redactor: Redactor,
): Promise<string> {
	const { problem } = await probeAccessKey(send, credential, redactor);
	if (problem) throw problem;
	return accessKeyMarker(credential.auth.key.accessKey);
}
