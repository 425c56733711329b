import {
	NodeConnectionTypes,
	type ICredentialTestRequest,
	type INodeCredentialTestResult,
	type INodeType,
} from 'n8n-workflow';

import type { CredentialsStore } from './credentialsStore';
import { runWorkflow } from './harness';

/** n8n's tester runs a credential's `test` request as a temporary NoOp-typed node; preAuthentication looks for that. */
const TEST_NODE = { name: 'Temp-Node', type: 'n8n-nodes-base.noOp' };

function temporaryNodeType(credentialType: string, test: ICredentialTestRequest): INodeType {
	return {
		description: {
			displayName: 'Temp',
			name: TEST_NODE.type,
			group: ['transform'],
			version: 1,
			description: 'Runs a credential test request',
			defaults: { name: TEST_NODE.name },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					default: '',
					routing: { request: test.request },
				},
			],
		},
	};
}

interface ThrownDuringTest {
	message: string;
	cause?: { response?: { status?: number; statusText?: string }; code?: string };
}

/** The outcome rules of n8n's CredentialsTester (packages/cli/src/services/credentials-tester.service.ts). */
function judgeError(
	error: ThrownDuringTest,
	test: ICredentialTestRequest,
): INodeCredentialTestResult {
	const response = error.cause?.response;
	if (response) {
		const status = response.status ?? 0;
		const rule = test.rules?.find(
			(r) => r.type === 'responseCode' && r.properties.value === status,
		);
		if (rule && rule.type === 'responseCode')
			return { status: 'Error', message: rule.properties.message };
		if (status < 199 || status > 299) {
			return {
				status: 'Error',
				message: response.statusText || `Received HTTP status code: ${status}`,
			};
		}
	} else if (error.cause?.code) {
		return { status: 'Error', message: error.cause.code };
	}
	return { status: 'Error', message: error.message };
}

/** A dotted path into the response, as lodash's `get` reads the rule keys in n8n. */
function valueAt(json: unknown, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], json);
}

function judgeResponse(json: unknown, test: ICredentialTestRequest): INodeCredentialTestResult {
	for (const rule of test.rules ?? []) {
		if (
			rule.type === 'responseSuccessBody' &&
			valueAt(json, rule.properties.key) === rule.properties.value
		) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/**
 * Presses the credential's Test button: runs its declarative `test` request inside the engine, with n8n's
 * preAuthentication and authenticate, and judges the answer with the same rules as n8n's CredentialsTester.
 */
export async function runCredentialTest(
	store: CredentialsStore,
	credentialId: string,
): Promise<INodeCredentialTestResult> {
	const { id, name, type } = store.read(credentialId);
	const test = store.credentialType(type).test;
	if (test === undefined) throw new Error(`Credential type "${type}" has no declarative test`);
	const run = await runWorkflow({
		nodeTypes: { [TEST_NODE.type]: temporaryNodeType(type, test) },
		nodes: [{ ...TEST_NODE, credentials: { [type]: { id, name } } }],
		connections: {},
		credentials: store,
	});
	const task = run.run.data.resultData.runData[TEST_NODE.name]?.[0];
	if (task?.error) return judgeError(task.error as unknown as ThrownDuringTest, test);
	return judgeResponse(task?.data?.main[0]?.[0]?.json, test);
}
