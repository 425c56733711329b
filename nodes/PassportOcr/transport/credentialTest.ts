import type { ICredentialTestRequest } from 'n8n-workflow';

import { SERVICE_ERRORS } from '../contract/serviceErrors';

/**
 * The credential's Test button. n8n signs in first (preAuthentication, so a wrong user, password, account or
 * project fails there with its own message), then this request reaches the Passport API with no image. The
 * service checks token, project and subscription before it reads the body, so the "invalid input" answers
 * (AIS.0101, or ModelArts.4105 when the empty body is dropped) prove all three work, and a non-2xx answer is
 * never billed. Every other documented code fails the test with its message.
 */
const PROVES_ACCESS = new Set(['AIS.0101', 'ModelArts.4105']);

const rules: ICredentialTestRequest['rules'] = Object.entries(SERVICE_ERRORS)
	.filter(([code]) => !PROVES_ACCESS.has(code))
	.flatMap(([code, entry]) => {
		const message = entry.message({ where: 'the selected region' });
		const spellings = code.startsWith('APIG.') ? [code, code.replace('APIG.', 'APIGW.')] : [code];
		return spellings.map((value) => ({
			type: 'responseSuccessBody' as const,
			properties: { key: 'error_code', value, message },
		}));
	});

/** The relative path is completed by the credential's `authenticate`, which knows the endpoint table. */
export const credentialTestRequest: ICredentialTestRequest = {
	request: {
		method: 'POST',
		url: '=/v2/{{$credentials.projectId}}/ocr/passport',
		body: {},
		json: true,
		ignoreHttpStatusErrors: true,
	},
	rules,
};
