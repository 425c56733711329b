import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { senderFromHttpRequest, type HttpRequestHelper } from '../transport/httpCall';
import { checkAccessKey } from './accessKeyCheck';
import { readOcrCredential, redactorFor, TOKEN_FIELD } from './credentialSettings';
import { requestIamToken } from './iamToken';
import { TOKEN_BINDING_FIELD, tokenBinding } from './tokenBinding';

/**
 * What n8n stores in the credential's hidden fields before requests go out (its preAuthentication): an IAM
 * token bound to the sign-in details it was issued for, or for access keys a marker that the key passed its check.
 * @throws IamSignInError with a message that names what to fix, never a secret.
 */
export async function signInForRequests(
	httpRequest: HttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<IDataObject> {
	const { profile, projectId, auth } = readOcrCredential(credentials);
	const send = senderFromHttpRequest(httpRequest);
	const redactor = redactorFor(credentials);
	if (auth.method !== 'iamUser') {
		return { [TOKEN_FIELD]: await checkAccessKey(send, { profile, projectId, auth }, redactor) };
	}
	const { token } = await requestIamToken(send, auth.signIn, redactor);
	return { [TOKEN_FIELD]: token, [TOKEN_BINDING_FIELD]: tokenBinding(token, auth.signIn) };
}
