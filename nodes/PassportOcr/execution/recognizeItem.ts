import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { succeed, type Outcome } from '../contract/itemFailure';
import type { PassportRequestContent, Recognizer } from '../contract/passportApi';
import {
	readItemParameters,
	type ItemParameters,
	type ReviewSettings,
} from '../description/itemParameters';
import { readImageInput, type ImageInput } from '../input/readImageInput';
import { checkInputs, rawJson, simplifiedJson } from '../output/passportJson';
import { reviewReasons } from '../output/reviewDecision';
import { checkPassport } from '../passport/passportChecks';
import type { RunCredential } from '../credential/runCredential';
import { describeLocation } from '../credential/endpoints';
import type { FailureContext } from '../policy/failurePolicy';
import type { BodyBuffers } from '../transport/bodyBuffers';
import {
	preparePassportRequest,
	sendPassportAttempt,
	type PreparedPassportRequest,
} from '../transport/passportRequest';
import type { BatchSender } from './batchSender';

function requestBody(image: ImageInput, recognizer: Recognizer, supportsRecognizer: boolean) {
	const body: PassportRequestContent =
		image.kind === 'url' ? { url: image.url } : { image: image.bytes };
	if (recognizer !== 'auto' && supportsRecognizer) body.country_code = recognizer;
	return body;
}

/** An output item, and why it needs a person's review (none: it is clean). */
export interface RecognizedItem {
	item: INodeExecutionData;
	reviewReasons: string[];
}

/** What the items of one node run share. */
export interface RunShared {
	credential: RunCredential;
	review: ReviewSettings;
	sender: BatchSender;
	bodies: BodyBuffers;
}

/** An item whose parameters are read and whose request is built: what `completeItem` needs. */
export interface PreparedItem {
	parameters: ItemParameters;
	request: PreparedPassportRequest;
	context: FailureContext;
}

/** The first steps of an item, which need only its input: parameters, image and local checks, request body. */
export async function prepareItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	{ credential, bodies }: RunShared,
): Promise<Outcome<PreparedItem>> {
	const parameters = readItemParameters(ctx, itemIndex);
	if (!parameters.ok) return parameters;
	const { profile, projectId } = credential.settings;
	const { source, recognizer, timeoutMs } = parameters.value;
	const image = await readImageInput(ctx, itemIndex, source, profile.maxSidePx);
	if (!image.ok) return image;
	const call = {
		projectId,
		body: requestBody(image.value, recognizer, profile.supportsRecognizer),
		ocrBaseUrl: profile.ocrBaseUrl,
		timeoutMs,
	};
	return succeed({
		parameters: parameters.value,
		request: preparePassportRequest(call, bodies),
		context: { where: describeLocation(profile), ocrBaseUrl: profile.ocrBaseUrl, timeoutMs },
	});
}

/** The remaining steps of a prepared item: the service, the passport rules, the output item. */
export async function completeItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	{ review, sender, bodies, credential }: RunShared,
	{ parameters, request, context }: PreparedItem,
): Promise<Outcome<RecognizedItem>> {
	const answer = await sender.send(
		async (shared, signal) =>
			await sendPassportAttempt(ctx, request, shared, credential.redactor, signal),
		context,
	);
	if (!answer.ok) return answer;
	// A result means the service read the whole body, so no write of it is pending. After a failure the answer
	// may have come before the body was all sent, and the socket may still be reading it.
	bodies.giveBack(request.body);
	const { fields, mrzLines, confidence } = checkInputs(answer.value.result);
	const report = checkPassport(fields, mrzLines, confidence, {
		today: new Date(),
		minValidityMonths: parameters.minValidityMonths,
	});
	const reasons = reviewReasons(report, review);
	const json = parameters.simplify
		? { ...simplifiedJson(answer.value), ...(report as unknown as IDataObject) }
		: rawJson(answer.value);
	if (review.enabled && parameters.simplify) json.review_reasons = reasons;
	const input = ctx.getInputData()[itemIndex];
	const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
	if (parameters.keepInputBinary && input.binary) item.binary = input.binary;
	return succeed({ item, reviewReasons: reasons });
}
