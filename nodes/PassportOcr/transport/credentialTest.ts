import type { ICredentialTestRequest } from 'n8n-workflow';

import { SERVICE_ERRORS } from '../contract/serviceErrors';

/**
 * The credential's Test button. When no token or key check is stored yet, n8n runs preAuthentication first: the
 * IAM sign-in, so a wrong user, password, account or project fails there with its own message; or the access key
 * check, which reads the gateway's APIG.0301 answers into unknown key, wrong secret, clock skew and project (see
 * accessKeyCheck.ts). When a token is stored but the sign-in details were edited since, `authenticate` turns
 * this request into a sign-in with the new details (see authorizeRequest.ts), judged by the IAM rules below.
 * Otherwise this request reaches the Passport API with no image. The service checks token or signature, project and
 * subscription before it reads the body, so the "invalid input" answers (AIS.0101, or ModelArts.4105 when n8n
 * drops the empty body of a token request) prove all of them work, and a non-2xx answer is never billed.
 * Every other documented code fails the test with its message.
 */
const PROVES_ACCESS = new Set(['AIS.0101', 'ModelArts.4105']);

const serviceRules: ICredentialTestRequest['rules'] = Object.entries(SERVICE_ERRORS)
	.filter(([code]) => !PROVES_ACCESS.has(code))
	.flatMap(([code, entry]) => {
		const message = entry.message({ where: 'the selected region' });
		const spellings = code.startsWith('APIG.') ? [code, code.replace('APIG.', 'APIGW.')] : [code];
		return spellings.map((value) => ({
			type: 'responseSuccessBody' as const,
			properties: { key: 'error_code', value, message },
		}));
	});

/** IAM answers a refused sign-in Keystone-style, `{"error": {"code": 401, "message": ...}}`. */
const SIGN_IN_FAILED = 'Sign-in failed: check the IAM user name, the password and the account name';
const signInRules: ICredentialTestRequest['rules'] = [
	[401, SIGN_IN_FAILED],
	[403, SIGN_IN_FAILED],
	[
		400,
		'IAM refused the sign-in: check the Project ID is the one of the selected region, in this account',
	],
	[
		404,
		'IAM refused the sign-in: check the Project ID is the one of the selected region, in this account',
	],
].map(([value, message]) => ({
	type: 'responseSuccessBody' as const,
	properties: { key: 'error.code', value, message: String(message) },
}));

/** The relative path is completed by the credential's `authenticate`, which knows the endpoint table. */
export const credentialTestRequest: ICredentialTestRequest = {
	request: {
		method: 'POST',
		url: '=/v2/{{$credentials.projectId}}/ocr/passport',
		body: {},
		json: true,
		ignoreHttpStatusErrors: true,
	},
	rules: [...(serviceRules ?? []), ...(signInRules ?? [])],
};
