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

/**
 * The benchmark's baseline: the loop n8n's own OCR nodes (Mindee, AWS Textract) run. One item at a time, its
 * binary read through the helper, Base64 in a JSON body, one authenticated request, n8n's own resend after a
 * 401, and the answer as the output item. No window, no retries, no pacing.
 */
export class OneAtATimeNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'One at a Time',
		name: 'oneAtATime',
		group: ['transform'],
		version: 1,
		description: 'Sends each image in turn, as the anchor nodes do',
		defaults: { name: 'One at a Time' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		usableAsTool: true,
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { profile, projectId } = readOcrCredential(await this.getCredentials(CREDENTIAL_TYPE));
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			try {
				const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, 'data');
				const answer = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					CREDENTIAL_TYPE,
					{
						method: 'POST',
						url: `${profile.ocrBaseUrl}${passportPath(projectId)}`,
						body: { image: bytes.toString('base64') },
						json: true,
					},
					{ preAuthenticationRetryStatusCode: 401 },
				)) as { result: INodeExecutionData['json'] };
				output.push({ json: answer.result, pairedItem: { item: itemIndex } });
			} catch (error) {
				output.push({ json: { error: (error as Error).message }, pairedItem: { item: itemIndex } });
			}
		}
		return [output];
	}
}
