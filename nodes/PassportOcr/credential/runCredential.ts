import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IExecuteFunctions,
} from 'n8n-workflow';

import { fail, succeed, type Outcome } from '../contract/itemFailure';
import type { Redactor } from '../transport/redaction';
import {
	TOKEN_FIELD,
	readOcrCredential,
	redactorFor,
	type OcrCredential,
} from './credentialSettings';
import { CREDENTIAL_TYPE } from '../contract/credentialType';
import { isTokenCurrent, TOKEN_BINDING_FIELD } from './tokenBinding';

/** The credential data every request of the run carries: one object, so one token. */
export type SharedCredential = ICredentialsDecrypted & { data: ICredentialDataDecryptedObject };

/** The credential of one node run, read once. */
export interface RunCredential {
	settings: OcrCredential;
	shared: SharedCredential;
	redactor: Redactor;
}

/**
 * Reads the node's credential once for the whole run. A stored IAM token that was issued for other sign-in
 * details (the user edited the credential since) is emptied here, so that n8n signs in before the first request
 * instead of sending a token for someone else.
 */
export async function loadRunCredential(ctx: IExecuteFunctions): Promise<Outcome<RunCredential>> {
	const data = await ctx.getCredentials(CREDENTIAL_TYPE);
	let settings: OcrCredential;
	try {
		settings = readOcrCredential(data);
	} catch (error) {
		return fail({
			kind: 'input',
			code: 'CREDENTIAL.INCOMPLETE',
			message: (error as Error).message,
			description: 'Open the Huawei Cloud OCR API credential, fill in the field, and press Test.',
			scope: 'run',
		});
	}
	const redactor = redactorFor(data);
	if (settings.auth.method === 'iamUser' && !isTokenCurrent(data, settings.auth.signIn)) {
		data[TOKEN_FIELD] = '';
		data[TOKEN_BINDING_FIELD] = '';
	}
	const reference = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
	const shared = {
		id: reference?.id ?? '',
		name: reference?.name ?? '',
		type: CREDENTIAL_TYPE,
		data,
	};
	return succeed({ settings, shared, redactor });
}
