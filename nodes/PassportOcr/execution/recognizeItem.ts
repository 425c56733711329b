import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { succeed, type Outcome } from '../contract/itemFailure';
import type { PassportRequestBody, Recognizer } from '../contract/passportApi';
import { readItemParameters } from '../description/itemParameters';
import { readImageInput, type ImageInput } from '../input/readImageInput';
import { rawJson, simplifiedJson } from '../output/passportJson';
import type { OcrCredential } from '../transport/credentialSettings';
import { describeLocation } from '../transport/endpoints';
import { sendPassportRequest } from '../transport/passportRequest';

function requestBody(image: ImageInput, recognizer: Recognizer, supportsRecognizer: boolean) {
	const body: PassportRequestBody =
		image.kind === 'url' ? { url: image.url } : { image: image.bytes.toString('base64') };
	if (recognizer !== 'auto' && supportsRecognizer) body.country_code = recognizer;
	return body;
}

/** One input item through the steps: parameters, image and local checks, the service, the output item. */
export async function recognizeItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	credential: OcrCredential,
): Promise<Outcome<INodeExecutionData>> {
	const parameters = readItemParameters(ctx, itemIndex);
	const { profile } = credential;
	const image = await readImageInput(ctx, itemIndex, parameters.source, profile.maxSidePx);
	if (!image.ok) return image;
	const answer = await sendPassportRequest(ctx, {
		projectId: credential.projectId,
		body: requestBody(image.value, parameters.recognizer, profile.supportsRecognizer),
		context: {
			where: describeLocation(profile),
			ocrBaseUrl: profile.ocrBaseUrl,
			timeoutMs: parameters.timeoutMs,
		},
	});
	if (!answer.ok) return answer;
	const input = ctx.getInputData()[itemIndex];
	const item: INodeExecutionData = {
		json: parameters.simplify ? simplifiedJson(answer.value) : rawJson(answer.value),
		pairedItem: { item: itemIndex },
	};
	if (parameters.keepInputBinary && input.binary) item.binary = input.binary;
	return succeed(item);
}
