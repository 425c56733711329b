/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * The benchmark's floors: the least a node can do with the same batch, in the same engine, against the same
 * emulator. It signs in once, then keeps `concurrency` requests in flight, each item's Base64 text in a JSON body,
 * and nothing else: no checks, no retries, no output mapping. With `client` "node" it sends through Node's own
 * http client with a keep-alive agent, writing the text straight to the socket: what moving these bytes costs on
 * this machine. With "n8n" it sends through n8n's request helper, which a verified node must use, from a body
 * buffer each lane reuses: the floor for any node n8n Cloud can run. A real node does more, so these are bounds,
 * not targets.
 */
import http from 'node:http';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { passportPath } from '../nodes/PassportOcr/contract/passportApi';
import { readOcrCredential } from '../nodes/PassportOcr/credential/credentialSettings';
import { CREDENTIAL_TYPE } from '../nodes/PassportOcr/contract/credentialType';
import { tokenRequestBody } from '../nodes/PassportOcr/credential/iamToken';

interface Answer {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
}

/** One POST: `pieces` written in turn, the answer read whole. */
function post(
	url: URL,
	agent: http.Agent,
	headers: Record<string, string | number>,
	pieces: string[],
): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const length = pieces.reduce((sum, piece) => sum + Buffer.byteLength(piece, 'latin1'), 0);
		const request = http.request(
			url,
			{ method: 'POST', agent, headers: { ...headers, 'Content-Length': length } },
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('error', reject);
				response.on('end', () =>
					resolve({
						status: response.statusCode ?? 0,
						headers: response.headers,
						text: Buffer.concat(chunks).toString('utf8'),
					}),
				);
			},
		);
		request.on('error', reject);
		pieces.forEach((piece, index) =>
			index < pieces.length - 1 ? request.write(piece, 'latin1') : request.end(piece, 'latin1'),
		);
	});
}

export class BareClientNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bare Client',
		name: 'bareClient',
		group: ['transform'],
		version: 1,
		description: 'Sends the images and does nothing else, for the benchmark floors',
		defaults: { name: 'Bare Client' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		usableAsTool: true,
		properties: [
			{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 8 },
			{
				displayName: 'Client',
				name: 'client',
				type: 'options',
				options: [
					{ name: 'Node Http', value: 'node' },
					{ name: 'N8n Request Helper', value: 'n8n' },
				],
				default: 'node',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { profile, projectId, auth } = readOcrCredential(
			await this.getCredentials(CREDENTIAL_TYPE),
		);
		if (auth.method !== 'iamUser') throw new Error('The bare client signs in with a password');
		const concurrency = this.getNodeParameter('concurrency', 0) as number;
		const client = this.getNodeParameter('client', 0) as 'node' | 'n8n';
		const agent = new http.Agent({ keepAlive: true });
		const json = { 'Content-Type': 'application/json' };
		const signIn = await post(
			new URL(`${auth.signIn.iamBaseUrl}/v3/auth/tokens?nocatalog=true`),
			agent,
			json,
			[JSON.stringify(tokenRequestBody(auth.signIn))],
		);
		const token = String(signIn.headers['x-subject-token']);
		const url = new URL(`${profile.ocrBaseUrl}${passportPath(projectId)}`);
		const headers = { ...json, 'X-Auth-Token': token };
		const send = async (base64: string, lane: { body?: Buffer }): Promise<unknown> => {
			if (client === 'node')
				return JSON.parse((await post(url, agent, headers, ['{"image":"', base64, '"}'])).text);
			const length = base64.length + 12;
			if (lane.body === undefined || lane.body.length < length) lane.body = Buffer.alloc(length);
			let at = lane.body.write('{"image":"', 0, 'latin1');
			at += lane.body.write(base64, at, 'latin1');
			at += lane.body.write('"}', at, 'latin1');
			const body = lane.body.subarray(0, at);
			return await this.helpers.httpRequest({ method: 'POST', url: url.href, headers, body });
		};
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		let next = 0;
		const lane = async () => {
			const memory: { body?: Buffer } = {};
			while (next < items.length) {
				const itemIndex = next++;
				const held = items[itemIndex].binary?.data;
				const base64 =
					held !== undefined && held.id === undefined
						? held.data
						: (await this.helpers.getBinaryDataBuffer(itemIndex, 'data')).toString('base64');
				const { result } = (await send(base64, memory)) as { result?: INodeExecutionData['json'] };
				output[itemIndex] = {
					json: result ?? { error: 'no result' },
					pairedItem: { item: itemIndex },
				};
			}
		};
		try {
			await Promise.all(Array.from({ length: concurrency }, lane));
		} finally {
			agent.destroy();
		}
		return [output];
	}
}
