import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { passportPath } from '../contract/passportApi';
import { judgeAccessProbe } from '../policy/signInVerdicts';
import { exchange, MAX_ANSWER_BYTES, type Exchange } from '../transport/exchange';
import { senderFromLegacyRequest, type RequestSender } from '../transport/httpCall';
import type { Redactor } from '../transport/redaction';
import { IamSignInError, requestIamToken, SIGN_IN_TIMEOUT_MS } from './iamToken';
import { probeAccessKey } from './accessKeyCheck';
import { readOcrCredential, redactorFor, type OcrCredential } from './credentialSettings';
import { describeLocation } from './endpoints';

/** The name the node's credential entry gives in `testedBy`. */
export const CREDENTIAL_TEST_NAME = 'huaweiCloudOcrApiTest';

/** A request to the Passport API with no image, with a fresh token: see `judgeAccessProbe`. */
async function probeWithToken(
	send: RequestSender,
	settings: OcrCredential,
	token: string,
	redactor: Redactor,
): Promise<Exchange> {
	return await exchange(
		send({
			method: 'POST',
			url: `${settings.profile.ocrBaseUrl}${passportPath(settings.projectId)}`,
			headers: { 'Content-Type': 'application/json;charset=UTF-8', 'X-Auth-Token': token },
			body: '{}',
			timeout: SIGN_IN_TIMEOUT_MS,
		}),
		{ timeoutMs: SIGN_IN_TIMEOUT_MS, maxAnswerBytes: MAX_ANSWER_BYTES },
		redactor,
	);
}

async function probe(
	send: RequestSender,
	settings: OcrCredential,
	redactor: Redactor,
): Promise<Exchange> {
	const { auth } = settings;
	if (auth.method === 'iamUser') {
		const { token } = await requestIamToken(send, auth.signIn, redactor);
		return await probeWithToken(send, settings, token, redactor);
	}
	const checked = await probeAccessKey(
		send,
		{ profile: settings.profile, projectId: settings.projectId, auth },
		redactor,
	);
	if (checked.problem) throw checked.problem;
	return checked.exchange;
}

const failed = (message: string): INodeCredentialTestResult => ({ status: 'Error', message });

/**
 * The credential's Test button. It always signs in with the details as they are now (or checks the access key),
 * then sends the Passport API a request with no image. "Connection successful" only when the answer proves that
 * the service accepted the sign-in for the project; anything else (an endpoint that is not the API, a busy IAM,
 * a certificate, a timeout) fails with a message that names the endpoint and what to check.
 */
export async function testCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const redactor = redactorFor(data);
	let settings: OcrCredential;
	try {
		settings = readOcrCredential(data);
	} catch (error) {
		return failed(`${(error as Error).message}: fill it in and test again`);
	}
	try {
		// A credential test function is given n8n's `request` helper and no other (ICredentialTestFunctions);
		// the exchange streams its answer and bounds it like every other request of this package.
		const { request } = this.helpers;
		const send = senderFromLegacyRequest(request);
		const answer = await probe(send, settings, redactor);
		const verdict = judgeAccessProbe(answer, {
			where: describeLocation(settings.profile),
			ocrBaseUrl: settings.profile.ocrBaseUrl,
			timeoutMs: SIGN_IN_TIMEOUT_MS,
		});
		return verdict.ok
			? {
					status: 'OK',
					message: 'Connection successful: signed in, and Passport OCR accepts the project',
				}
			: failed(verdict.message);
	} catch (error) {
		if (error instanceof IamSignInError) return failed(error.message);
		return failed(`The test could not run: ${redactor.redact(String((error as Error).message))}`);
	}
}
