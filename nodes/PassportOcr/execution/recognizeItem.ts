import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { succeed, type ItemFailure, type Outcome } from '../contract/itemFailure';
import type { PassportRequestContent, Recognizer } from '../contract/passportApi';
import {
	readItemParameters,
	type ItemParameters,
	type ReviewSettings,
} from '../description/itemParameters';
import { readImageInput, type ImageInput } from '../input/readImageInput';
import {
	checkInputs,
	needsReview,
	outputItem,
	type EntrySource,
	type OutputEntry,
} from '../output/outputItems';
import { reviewReasons } from '../output/reviewDecision';
import { checkPassport } from '../passport/passportChecks';
import type { RunCredential } from '../credential/runCredential';
import { describeLocation } from '../credential/endpoints';
import { isUnreadableImage, type FailureContext } from '../policy/attemptVerdicts';
import type { BodyBuffers } from '../transport/bodyBuffers';
import {
	preparePassportRequest,
	sendPassportAttempt,
	type PassportCall,
	type PreparedPassportRequest,
} from '../transport/passportRequest';
import type { BatchSender } from './batchSender';

function requestBody(image: ImageInput, recognizer: Recognizer, supportsRecognizer: boolean) {
	const body: PassportRequestContent =
		image.kind === 'url' ? { url: image.url } : { image: image.data };
	if (recognizer !== 'auto' && supportsRecognizer) body.country_code = recognizer;
	return body;
}

/** An output item, and whether it belongs on the Needs Review output. */
export interface RoutedItem {
	item: INodeExecutionData;
	needsReview: boolean;
}

/** What an input item gave: one output item, or one per scanned PDF page. */
export interface RecognizedItem {
	outputs: RoutedItem[];
}

/** What the items of one node run share. */
export interface RunShared {
	credential: RunCredential;
	review: ReviewSettings;
	continueOnFail: boolean;
	sender: BatchSender;
	bodies: BodyBuffers;
}

/**
 * One image of an item: its request built ahead (the first page), its call to build the request from when its
 * turn comes, or already settled locally. A built request replaces its call, so the image bytes are let go
 * while the item waits for the service.
 */
type PreparedPage = { pdfPage: number | null; pdfNote?: string } & (
	| { call: PassportCall }
	| { request: PreparedPassportRequest }
	| { settled: OutputEntry }
);

/** An item whose parameters and input are read: what `completeItem` needs. */
export interface PreparedItem {
	parameters: ItemParameters;
	binaryField: string | null;
	context: FailureContext;
	pages: PreparedPage[];
}

/**
 * A failure that need not stop the item: with Needs Review on, an image the service cannot read goes there;
 * with Continue On Fail, one failed page of several becomes that page's error item. Otherwise undefined: the
 * whole item fails (and without Continue On Fail, the run stops).
 */
function settle(failure: ItemFailure, run: RunShared, pageCount: number): OutputEntry | undefined {
	if (run.review.enabled && isUnreadableImage(failure)) return { kind: 'unreadable', failure };
	if (run.continueOnFail && pageCount > 1 && failure.scope === 'item')
		return { kind: 'error', failure };
	return undefined;
}

/** The first steps of an item, which need only its input: parameters, image(s) and local checks, a request. */
export async function prepareItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: RunShared,
): Promise<Outcome<PreparedItem>> {
	const parameters = readItemParameters(ctx, itemIndex);
	if (!parameters.ok) return parameters;
	const { profile, projectId } = run.credential.settings;
	const { source, recognizer, timeoutMs, pdfPages } = parameters.value;
	const input = await readImageInput(ctx, itemIndex, source, profile.maxSidePx, pdfPages);
	if (!input.ok) return input;
	const pages: PreparedPage[] = [];
	for (const { pdfPage, pdfNote, image } of input.value.pages) {
		if (image.ok) {
			const body = requestBody(image.value, recognizer, profile.supportsRecognizer);
			const call = { projectId, body, ocrBaseUrl: profile.ocrBaseUrl, timeoutMs };
			pages.push({ pdfPage, pdfNote, call });
			continue;
		}
		const settled = settle(image.failure, run, input.value.pages.length);
		if (!settled) return image;
		pages.push({ pdfPage, pdfNote, settled });
	}
	// The first request's body is built now, while earlier items wait for the service; later pages' bodies are
	// built one at a time as their turn comes, so an item of many pages holds one body at once.
	const first = pages.findIndex((page) => 'call' in page);
	const firstPage = pages[first];
	if (firstPage && 'call' in firstPage) {
		const request = preparePassportRequest(firstPage.call, run.bodies);
		pages[first] = { pdfPage: firstPage.pdfPage, pdfNote: firstPage.pdfNote, request };
	}
	return succeed({
		parameters: parameters.value,
		binaryField: input.value.binaryField,
		context: { where: describeLocation(profile), ocrBaseUrl: profile.ocrBaseUrl, timeoutMs },
		pages,
	});
}

/** A page the service read: the passport rules' report and why it needs review. */
function readEntry(
	answer: Parameters<typeof checkInputs>[0],
	parameters: ItemParameters,
	review: ReviewSettings,
): { report: ReturnType<typeof checkPassport>; reviewReasons: string[] } {
	const { fields, mrzLines, confidence } = checkInputs(answer);
	const report = checkPassport(fields, mrzLines, confidence, {
		today: new Date(),
		minValidityMonths: parameters.minValidityMonths,
	});
	return { report, reviewReasons: reviewReasons(report, review) };
}

/** The remaining steps of a prepared item: the service, the passport rules, the output item(s). */
export async function completeItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: RunShared,
	{ parameters, binaryField, context, pages }: PreparedItem,
): Promise<Outcome<RecognizedItem>> {
	const { review, sender, bodies, credential } = run;
	const input = ctx.getInputData()[itemIndex];
	const settings = {
		simplify: parameters.simplify,
		reviewEnabled: review.enabled,
		binary: parameters.keepInputBinary ? input?.binary : undefined,
	};
	const outputs: RoutedItem[] = [];
	const emit = (entry: OutputEntry, source: EntrySource) =>
		outputs.push({
			item: outputItem(entry, source, settings, itemIndex),
			needsReview: needsReview(entry),
		});
	for (const page of pages) {
		const source = { binaryField, pdfPage: page.pdfPage, pdfNote: page.pdfNote };
		if ('settled' in page) {
			emit(page.settled, source);
			continue;
		}
		const request = 'request' in page ? page.request : preparePassportRequest(page.call, bodies);
		const answer = await sender.send(
			async (shared, signal) =>
				await sendPassportAttempt(ctx, request, shared, credential.redactor, signal),
			context,
		);
		if (!answer.ok) {
			const settled = settle(answer.failure, run, pages.length);
			if (!settled) return answer;
			emit(settled, source);
			continue;
		}
		// A result means the service read the whole body, so no write of it is pending. After a failure the answer
		// may have come before the body was all sent, and the socket may still be reading it.
		bodies.giveBack(request.body);
		const { report, reviewReasons: reasons } = readEntry(answer.value.result, parameters, review);
		emit({ kind: 'read', response: answer.value, report, reviewReasons: reasons }, source);
	}
	return succeed({ outputs });
}
