import {
	getCredentialOwnRequestAllowedDomains,
	isExpression,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type IRequestOptionsSimplified,
	type Workflow,
} from 'n8n-workflow';

/**
 * Attaches a credential to a request as the n8n CLI's `CredentialsHelper.authenticate` does: a
 * function-style `authenticate` gets the request, a generic one has each `={{$credentials.x}}`
 * template (keys and values, in headers/qs/body/auth) resolved by the workflow's expression engine.
 */
export async function authenticateRequest(
	credentialType: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	workflow?: Workflow,
	node?: INode,
): Promise<IHttpRequestOptions> {
	const { authenticate } = credentialType;
	if (typeof authenticate === 'function') {
		return await authenticate(credentials, requestOptions as IHttpRequestOptions);
	}
	if (authenticate?.type !== 'generic') return requestOptions as IHttpRequestOptions;
	if (workflow === undefined || node === undefined) {
		throw new Error('Workflow and node are required for declarative credential authentication');
	}
	const resolve = (value: string): string => {
		if (!isExpression(value)) return value;
		const additionalKeys = { $credentials: credentials };
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		return resolved ? resolved.toString() : '';
	};
	requestOptions.headers ??= {};
	const target = requestOptions as unknown as Record<string, Record<string, string> | undefined>;
	for (const [part, templates] of Object.entries(authenticate.properties)) {
		const section = (target[part] ??= {});
		for (const [key, value] of Object.entries(templates as Record<string, string>)) {
			section[resolve(key)] = resolve(value);
		}
	}
	return requestOptions as IHttpRequestOptions;
}

/** As the CLI does: a `preAuthentication` hook's own requests obey the credential's allowed domains. */
export function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions) => {
				const allowedDomains = getCredentialOwnRequestAllowedDomains(credentials);
				if (allowedDomains === undefined) return await helpers.helpers.httpRequest(requestOptions);
				if (requestOptions.allowedDomains !== undefined) {
					throw new Error(
						'This credential restricts requests to specific domains, which cannot be combined with the domains its authentication step asks for.',
					);
				}
				return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains });
			},
		},
	};
}
