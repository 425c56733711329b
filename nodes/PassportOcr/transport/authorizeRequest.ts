import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { readOcrCredential, TOKEN_FIELD } from './credentialSettings';
import { tokenRequestBody, type SignInSettings } from './iamToken';
import { absoluteUrl, signRequestOptions } from './signedRequestOptions';
import { isTokenCurrent } from './tokenBinding';

/**
 * The credential's `authenticate`: attaches the IAM token, or signs the request with the access key. n8n calls
 * it for every request and again for the resend after a refresh, so each attempt gets its own X-Sdk-Date.
 * A token issued for other sign-in details than the credential's current ones is not sent (see tokenBinding.ts).
 * A relative URL (the credential test's) is completed with the OCR endpoint from the endpoint table, so that
 * no other place has to rebuild endpoints from cloud and region.
 */
export async function authorizeRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { auth, profile } = readOcrCredential(credentials);
	if (auth.method !== 'iamUser') {
		return signRequestOptions(requestOptions, auth.key, profile.ocrBaseUrl, new Date());
	}
	const url = absoluteUrl(requestOptions, profile.ocrBaseUrl);
	if (isTokenCurrent(credentials, auth.signIn)) {
		return {
			...requestOptions,
			url,
			headers: { ...requestOptions.headers, 'X-Auth-Token': String(credentials[TOKEN_FIELD]) },
		};
	}
	// The Test button's probe is the one request with a relative URL: check the new details by signing in.
	if (url !== requestOptions.url) return signInCheck(requestOptions, auth.signIn);
	// A token the gateway cannot read gets its documented 401 (APIG.0301), on which n8n signs in again.
	return {
		...requestOptions,
		url,
		headers: { ...requestOptions.headers, 'X-Auth-Token': SUPERSEDED_TOKEN },
	};
}

const SUPERSEDED_TOKEN = 'superseded-by-new-sign-in-details';

function signInCheck(
	requestOptions: IHttpRequestOptions,
	signIn: SignInSettings,
): IHttpRequestOptions {
	return {
		...requestOptions,
		method: 'POST',
		url: `${signIn.iamBaseUrl}/v3/auth/tokens?nocatalog=true`,
		headers: { 'Content-Type': 'application/json;charset=UTF-8' },
		body: tokenRequestBody(signIn) as IHttpRequestOptions['body'],
		json: true,
	};
}
