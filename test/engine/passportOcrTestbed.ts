import type {
	ICredentialDataDecryptedObject,
	INodeParameters,
	IWorkflowSettings,
} from 'n8n-workflow';

import { HuaweiCloudOcrApi } from '../../credentials/HuaweiCloudOcrApi.credentials';
import { PassportOcr } from '../../nodes/PassportOcr/PassportOcr.node';
import type { AuthenticationMethod } from '../../nodes/PassportOcr/credential/credentialSettings';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator';
import { CredentialsStore } from './credentialsStore';
import {
	START_NODE_TYPE,
	StartNode,
	chain,
	runWorkflow,
	type InputItem,
	type WorkflowRun,
} from './harness';
import type { BinaryDataMode } from './engineContainer';

export const NODE_NAME = 'Passport OCR';
export const NODE_TYPE = 'n8n-nodes-passport-ocr.passportOcr';
export const CREDENTIAL_ID = 'emulator-credential';

export interface RunOptions {
	input?: InputItem[];
	continueOnFail?: boolean;
	binaryDataMode?: BinaryDataMode;
	cancelAfterMs?: number;
	/** Workflow settings, such as `binaryMode: 'combined'` (Execution Logic v2). */
	settings?: IWorkflowSettings;
}

/** The emulator, a saved credential pointing at it, and a way to run Start → Passport OCR in the engine. */
export interface Testbed {
	emulator: Emulator;
	credentials: CredentialsStore;
	credentialData: ICredentialDataDecryptedObject;
	run(parameters: INodeParameters, options?: RunOptions): Promise<WorkflowRun>;
	close(): Promise<void>;
}

/**
 * A credential for the emulator's first account and project. `authentication` picks the IAM user (the
 * default, stored without an Authentication field as credentials saved before it existed), or that user's
 * permanent or temporary access key.
 */
export function emulatorCredential(
	emulator: Emulator,
	authentication: AuthenticationMethod = 'iamUser',
): ICredentialDataDecryptedObject {
	const [account] = emulator.accounts;
	const common = {
		cloud: 'custom',
		customOcrEndpoint: emulator.baseUrl,
		customIamEndpoint: emulator.baseUrl,
		customRegion: emulator.region,
		customEdition: emulator.edition,
		projectId: account.projects[0].id,
		iamToken: '',
	};
	if (authentication === 'iamUser') {
		return {
			...common,
			domainName: account.domain,
			userName: account.user,
			password: account.password,
		};
	}
	const temporary = authentication === 'temporaryAccessKey';
	const key = account.accessKeys?.find((k) => (k.securityToken !== undefined) === temporary);
	if (!key) throw new Error(`The emulator's first account has no ${authentication}`);
	return {
		...common,
		authentication,
		accessKey: key.accessKey,
		secretKey: key.secretKey,
		...(key.securityToken === undefined ? {} : { securityToken: key.securityToken }),
	};
}

/** Something between the node and the emulator (a proxy), which the credential's endpoints then point at. */
export interface Front {
	baseUrl: string;
	close(): Promise<void>;
}

export async function startTestbed(
	emulatorOptions: EmulatorOptions = {},
	credentialOverrides: ICredentialDataDecryptedObject = {},
	inFront?: (emulator: Emulator) => Promise<Front>,
): Promise<Testbed> {
	const emulator = await startEmulator(emulatorOptions);
	const front = inFront ? await inFront(emulator) : undefined;
	const endpoints: ICredentialDataDecryptedObject = front
		? { customOcrEndpoint: front.baseUrl, customIamEndpoint: front.baseUrl }
		: {};
	const credentialData = { ...emulatorCredential(emulator), ...endpoints, ...credentialOverrides };
	const credentials = new CredentialsStore(
		[new HuaweiCloudOcrApi()],
		[{ id: CREDENTIAL_ID, name: 'Emulator', type: 'huaweiCloudOcrApi', data: credentialData }],
	);
	const run = async (parameters: INodeParameters, options: RunOptions = {}) =>
		await runWorkflow({
			nodeTypes: { [START_NODE_TYPE]: new StartNode(), [NODE_TYPE]: new PassportOcr() },
			nodes: [
				{ name: 'Start', type: START_NODE_TYPE },
				{
					name: NODE_NAME,
					type: NODE_TYPE,
					parameters,
					credentials: { huaweiCloudOcrApi: { id: CREDENTIAL_ID, name: 'Emulator' } },
					...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
				},
			],
			connections: chain('Start', NODE_NAME),
			input: options.input,
			credentials,
			binaryDataMode: options.binaryDataMode,
			cancelAfterMs: options.cancelAfterMs,
			settings: options.settings,
		});
	const close = async () => {
		await front?.close();
		await emulator.close();
	};
	return { emulator, credentials, credentialData, run, close };
}
