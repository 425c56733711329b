import axios from 'axios';
import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import {
	describeHttpFailure,
	type FailureContext,
} from '../../../nodes/PassportOcr/transport/httpFailure';
import { signRequestOptions } from '../../../nodes/PassportOcr/transport/signedRequestOptions';
import { startEmulator } from '../../emulator';

const node: INode = {
	id: 'passport-ocr',
	name: 'Passport OCR',
	type: 'n8n-nodes-passport-ocr.passportOcr',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const context: FailureContext = {
	where: 'the emulator',
	ocrBaseUrl: 'http://127.0.0.1',
	timeoutMs: 5000,
};

/** What n8n-core's httpRequestWithAuthentication throws for any failure: the error, wrapped. */
async function thrownByN8n(send: () => Promise<unknown>): Promise<unknown> {
	try {
		await send();
	} catch (error) {
		return new NodeApiError(node, error as JsonObject);
	}
	throw new Error('expected the request to fail');
}

describe('describeHttpFailure', () => {
	it('leaves the canonical request the gateway echoes on a signature mismatch out of the failure', async () => {
		const emulator = await startEmulator();
		try {
			const token = 'security-token-that-must-not-show-'.repeat(4);
			emulator.accounts[0].accessKeys = [
				{ accessKey: 'AKTEMP', secretKey: 'sk', securityToken: token },
			];
			const projectId = emulator.accounts[0].projects[0].id;
			const signed = signRequestOptions(
				{ method: 'POST', url: `/v2/${projectId}/ocr/passport`, body: { image: 'AAAA' } },
				{ accessKey: 'AKTEMP', secretKey: 'not-the-secret', securityToken: token, projectId },
				emulator.baseUrl,
				new Date(),
			);
			const error = await thrownByN8n(
				async () =>
					await axios.request({
						method: signed.method,
						url: signed.url,
						headers: signed.headers as Record<string, string>,
						data: signed.body,
					}),
			);
			const failure = describeHttpFailure(error, context);
			expect(failure).toMatchObject({ code: 'APIG.0301', httpStatus: 401 });
			expect(failure.serviceMessage).toMatch(
				/verify aksk signature fail, canonicalRequest: \(left out\)$/,
			);
			expect(JSON.stringify(failure)).not.toContain('security-token-that-must-not-show');
		} finally {
			await emulator.close();
		}
	});

	it('says a request that failed before it was sent could not be made, not that a connection closed', async () => {
		const error = await thrownByN8n(async () =>
			signRequestOptions(
				{ method: 'POST', url: '/v2/p/ocr/passport', qs: { page: 2 } },
				{ accessKey: 'AK', secretKey: 'SK' },
				'http://127.0.0.1',
				new Date(),
			),
		);
		expect(describeHttpFailure(error, context)).toEqual({
			kind: 'service',
			code: 'REQUEST.NOT_SENT',
			message: 'The request to the OCR service could not be made',
			description:
				'A signed request must carry its query in the URL, not in qs. Open the credential and press Test; if the endpoint is a custom one, check its address and certificate.',
			retryable: false,
		});
	});

	it('still names a network failure by its code', async () => {
		const emulator = await startEmulator();
		await emulator.close();
		const error = await thrownByN8n(
			async () => await axios.post(`${emulator.baseUrl}/v2/p/ocr/passport`, {}),
		);
		expect(describeHttpFailure(error, context)).toMatchObject({
			code: 'NETWORK.ECONNREFUSED',
			retryable: false,
		});
	});
});
