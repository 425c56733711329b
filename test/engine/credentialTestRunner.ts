import { CredentialTestContext } from 'n8n-core';
import type { ICredentialTestFunctions, INodeCredentialTestResult, INodeType } from 'n8n-workflow';

import type { CredentialsStore } from './credentialsStore';
import { configureEngine } from './engineContainer';

/**
 * Presses the credential's Test button as n8n's CredentialsTester does
 * (packages/cli/src/services/credentials-tester.service.ts): a credential type without a declarative `test` is
 * tested by the function a node names in `testedBy`, called with n8n-core's own CredentialTestContext, whose
 * only helper is the legacy `request` over n8n's outbound HTTP client (SSRF rules included).
 */
export async function runCredentialTest(
	store: CredentialsStore,
	credentialId: string,
	nodeType: INodeType,
): Promise<INodeCredentialTestResult> {
	configureEngine();
	const credential = store.read(credentialId);
	if (store.credentialType(credential.type).test !== undefined) {
		throw new Error('n8n would run the declarative test, not the node function');
	}
	const entry = nodeType.description.credentials?.find((c) => c.name === credential.type);
	const testedBy = entry?.testedBy;
	if (typeof testedBy !== 'string') throw new Error('The node names no test function');
	const test = nodeType.methods?.credentialTest?.[testedBy];
	if (!test) throw new Error(`The node has no credential test ${testedBy}`);
	const context = new CredentialTestContext() as unknown as ICredentialTestFunctions;
	return await test.call(context, { ...credential, data: { ...credential.data } });
}
