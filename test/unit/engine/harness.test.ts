/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IExecuteFunctions,
	type IHttpRequestHelper,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';

import { CredentialsStore, type StoredCredential } from '../../engine/credentialsStore';
import {
	START_NODE_TYPE,
	StartNode,
	chain,
	runWorkflow,
	type InputItem,
	type NodeSpec,
	type RunWorkflowOptions,
} from '../../engine/harness';

const PASSWORD = 'pw-1';

/** Loopback service: `/login` issues a token in `X-Subject-Token`, `/read` needs the current one. */
class TokenService {
	logins = 0;
	reads: Array<{ token: string | undefined; body: string }> = [];
	validToken = 'never-issued';
	acceptsTokens = true;
	private server: Server = createServer((req, res) => void this.handle(req, res));

	get url(): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks).toString();
		const reply = (status: number, json: object, headers: Record<string, string> = {}) => {
			res.writeHead(status, { 'content-type': 'application/json', ...headers });
			res.end(JSON.stringify(json));
		};
		if (req.url === '/login') {
			if ((JSON.parse(body) as { password: string }).password !== PASSWORD) {
				return reply(401, { error: 'bad password' });
			}
			this.logins++;
			this.validToken = `tok-${this.logins}`;
			return reply(201, {}, { 'X-Subject-Token': this.validToken });
		}
		const token = req.headers['x-auth-token'] as string | undefined;
		this.reads.push({ token, body });
		if (!this.acceptsTokens || token !== this.validToken)
			return reply(401, { error: 'token expired' });
		const text = Buffer.from((JSON.parse(body) as { image: string }).image, 'base64').toString();
		return reply(200, { text, readable: text.startsWith('P<') });
	}
}

/** Hidden expirable token + login hook + generic header, the shape of an IAM-token credential. */
class TestTokenApi implements ICredentialType {
	name = 'testTokenApi';
	displayName = 'Test Token API';
	properties: ICredentialType['properties'] = [
		{
			displayName: 'Token',
			name: 'token',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
	];
	authenticate: ICredentialType['authenticate'] = {
		type: 'generic',
		properties: { headers: { 'X-Auth-Token': '={{$credentials.token}}' } },
	};
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${credentials.baseUrl as string}/login`,
			body: { password: credentials.password },
			json: true,
			returnFullResponse: true,
		})) as { headers: Record<string, string> };
		return { token: response.headers['x-subject-token'] };
	}
}

/** Sends each item's binary to `/read`; readable text goes to output 0, the rest to output 1. */
class TestReader implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Reader',
		name: 'test.reader',
		group: ['transform'],
		version: 1,
		description: 'Reads a file through the test service',
		defaults: { name: 'Reader' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		credentials: [{ name: 'testTokenApi', required: true }],
		usableAsTool: true,
		properties: [{ displayName: 'Field', name: 'field', type: 'string', default: 'data' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const readable: INodeExecutionData[] = [];
		const unreadable: INodeExecutionData[] = [];
		const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('testTokenApi');
		for (let i = 0; i < this.getInputData().length; i++) {
			try {
				const field = this.getNodeParameter('field', i) as string;
				this.helpers.assertBinaryData(i, field);
				const image = (await this.helpers.getBinaryDataBuffer(i, field)).toString('base64');
				const result = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					'testTokenApi',
					{ method: 'POST', url: `${baseUrl}/read`, body: { image }, json: true },
				)) as { text: string; readable: boolean };
				(result.readable ? readable : unreadable).push({ json: result, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					readable.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
				} else if (error instanceof NodeApiError) {
					throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
				} else {
					throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
				}
			}
		}
		return [readable, unreadable];
	}
}

const file = (text: string) => ({
	data: { bytes: Buffer.from(text), fileName: 'page.png', mimeType: 'image/png' },
});

describe('engine harness', () => {
	const service = new TokenService();
	beforeAll(async () => await service.start());
	afterAll(async () => await service.stop());
	beforeEach(() => {
		service.logins = 0;
		service.reads = [];
		service.validToken = 'never-issued';
		service.acceptsTokens = true;
	});

	const credential = (token: string): StoredCredential => ({
		id: 'cred-1',
		name: 'Test token',
		type: 'testTokenApi',
		data: { token, baseUrl: service.url, password: PASSWORD },
	});

	const run = async (
		store: CredentialsStore,
		input: InputItem[],
		reader: Partial<NodeSpec> = {},
		options: Partial<RunWorkflowOptions> = {},
	) =>
		await runWorkflow({
			nodeTypes: { [START_NODE_TYPE]: new StartNode(), 'test.reader': new TestReader() },
			nodes: [
				{ name: 'Start', type: START_NODE_TYPE },
				{
					name: 'Reader',
					type: 'test.reader',
					credentials: { testTokenApi: { id: 'cred-1', name: 'Test token' } },
					...reader,
				},
			],
			connections: chain('Start', 'Reader'),
			credentials: store,
			input,
			...options,
		});

	it('logs in once before the first request, saves the token and reuses it in the next run', async () => {
		const store = new CredentialsStore([new TestTokenApi()], [credential('')]);

		const first = await run(store, [{ binary: file('P<ONE') }, { binary: file('P<TWO') }]);
		await run(store, [{ binary: file('P<THREE') }]);

		expect(first.outputItems('Reader').map((item) => item.json.text)).toEqual(['P<ONE', 'P<TWO']);
		expect(store.preAuthenticationCalls).toBe(1);
		expect(service.logins).toBe(1);
		expect(service.reads.map((read) => read.token)).toEqual(['tok-1', 'tok-1', 'tok-1']);
		expect(store.read('cred-1').data.token).toBe('tok-1');
	});

	it('refreshes a rejected token once and resends the same body', async () => {
		const store = new CredentialsStore([new TestTokenApi()], [credential('stale')]);

		const result = await run(store, [{ binary: file('P<ONE') }]);

		expect(result.outputItems('Reader')[0].json).toEqual({ text: 'P<ONE', readable: true });
		expect(store.preAuthenticationCalls).toBe(1);
		expect(service.reads.map((read) => read.token)).toEqual(['stale', 'tok-1']);
		expect(service.reads[1].body).toBe(service.reads[0].body);
	});

	it('stops after one refresh when the new token is rejected too, keeping secrets out of the run', async () => {
		const store = new CredentialsStore([new TestTokenApi()], [credential('stale')]);
		service.acceptsTokens = false;

		const result = await run(store, [{ binary: file('P<ONE') }]);

		expect(result.run.status).toBe('error');
		expect(result.nodeError('Reader')).toMatchObject({ name: 'NodeApiError', httpCode: '401' });
		expect(service.reads).toHaveLength(2);
		expect(store.preAuthenticationCalls).toBe(1);
		expect(result.serialized).not.toContain(PASSWORD);
		expect(result.serialized).not.toContain('tok-1');
	});

	it.each(['memory', 'filesystem'] as const)(
		'reads %s-mode binaries through the helpers',
		async (mode) => {
			const store = new CredentialsStore([new TestTokenApi()], [credential('')]);

			const result = await run(store, [{ binary: file('P<DISK') }], {}, { binaryDataMode: mode });

			const stored = result.outputItems('Start')[0].binary?.data;
			if (mode === 'filesystem') {
				expect(stored).toMatchObject({ data: 'filesystem-v2', mimeType: 'image/png', bytes: 6 });
				expect(stored?.id).toMatch(
					new RegExp(`^filesystem-v2:.*/executions/${result.executionId}/`),
				);
			} else {
				expect(stored).toMatchObject({ data: Buffer.from('P<DISK').toString('base64') });
				expect(stored?.id).toBeUndefined();
			}
			expect(result.outputItems('Reader')[0].json.text).toBe('P<DISK');
		},
	);

	it('sends items to the output the node chose', async () => {
		const store = new CredentialsStore([new TestTokenApi()], [credential('')]);

		const result = await run(store, [{ binary: file('P<ONE') }, { binary: file('blurry') }]);

		expect(result.outputItems('Reader', 0)).toEqual([
			{ json: { text: 'P<ONE', readable: true }, pairedItem: { item: 0 } },
		]);
		expect(result.outputItems('Reader', 1)).toEqual([
			{ json: { text: 'blurry', readable: false }, pairedItem: { item: 1 } },
		]);
	});

	it.each<Partial<NodeSpec>>([{ continueOnFail: true }, { onError: 'continueRegularOutput' }])(
		'returns error items when the node is set to continue (%o)',
		async (setting) => {
			const store = new CredentialsStore([new TestTokenApi()], [credential('')]);

			const result = await run(store, [{ binary: file('P<ONE') }, { json: { id: 2 } }], setting);

			expect(result.run.status).toBe('success');
			expect(result.nodeError('Reader')).toBeUndefined();
			expect(result.outputItems('Reader')).toEqual([
				{ json: { text: 'P<ONE', readable: true }, pairedItem: { item: 0 } },
				{
					json: {
						error:
							"This operation expects the node's input data to contain a binary file 'data', but none was found [item 1]",
					},
					pairedItem: { item: 1 },
				},
			]);
		},
	);

	it('keeps the serialised node error when the node fails without continue settings', async () => {
		const store = new CredentialsStore([new TestTokenApi()], [credential('')]);

		const result = await run(store, [{ json: { id: 1 } }]);

		expect(result.nodeError('Reader')).toMatchObject({
			name: 'NodeOperationError',
			message: expect.stringContaining("binary file 'data'"),
			node: { name: 'Reader' },
		});
		expect(service.reads).toHaveLength(0);
	});

	it('blocks private addresses other than loopback, as n8n SSRF protection does', async () => {
		const blocked = {
			...credential('x'),
			data: { ...credential('x').data, baseUrl: 'http://10.0.0.1' },
		};
		const store = new CredentialsStore([new TestTokenApi()], [blocked]);

		const result = await run(store, [{ binary: file('P<ONE') }]);

		expect(result.nodeError('Reader')).toMatchObject({
			message: expect.stringContaining('restricted IP address'),
		});
	});

	describe('credentials store', () => {
		it('hands out a fresh copy of the saved data on every read', async () => {
			const store = new CredentialsStore([new TestTokenApi()], [credential('saved')]);
			const reference = { id: 'cred-1', name: 'Test token' };

			const first = await store.getDecrypted({} as never, reference, 'testTokenApi', 'manual');
			first.token = 'changed by a node';

			const second = await store.getDecrypted({} as never, reference, 'testTokenApi', 'manual');
			expect(second.token).toBe('saved');
		});

		it('applies a function-style authenticate', async () => {
			const apiKeyType: ICredentialType = {
				name: 'testKeyApi',
				displayName: 'Test Key API',
				properties: [],
				authenticate: async (credentials, options) => ({
					...options,
					headers: { ...options.headers, 'X-Key': credentials.key as string },
				}),
			};
			const store = new CredentialsStore([apiKeyType]);

			const options = await store.authenticate({ key: 'k-1' }, 'testKeyApi', { url: '/x' });

			expect(options.headers).toEqual({ 'X-Key': 'k-1' });
		});
	});
});
