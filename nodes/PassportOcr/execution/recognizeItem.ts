import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { fail, succeed, type ItemFailure, type Outcome } from '../contract/itemFailure';
import type { PassportRequestContent, Recognizer } from '../contract/passportApi';
import type { ItemParameters, ReviewSettings } from '../description/itemParameters';
import {
	readImageInput,
	readItemFile,
	type ImageInput,
	type InputPage,
} from '../input/readImageInput';
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
import { noPassportFile, type FileTurn, type SkippedFile, type SkippedFiles } from './fileTurns';

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

/** What a turn gave: one output item, or one per scanned PDF page; none for a skipped file, which says why. */
export interface RecognizedItem {
	outputs: RoutedItem[];
	skipped?: SkippedFile;
}

/** What the items of one node run share. */
export interface RunShared {
	credential: RunCredential;
	review: ReviewSettings;
	continueOnFail: boolean;
	sender: BatchSender;
	bodies: BodyBuffers;
	skippedFiles: SkippedFiles;
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

/** A turn whose input is read: what `completeItem` needs, or the reason its file is skipped. */
export type PreparedItem =
	| { turn: FileTurn; context: FailureContext; pages: PreparedPage[] }
	| { turn: FileTurn; skipped: string };

/** Pages of a file, or files of an item: one that fails need not stop the others. */
const hasSiblings = (turn: FileTurn, pageCount: number): boolean => turn.screen || pageCount > 1;

/**
 * A failure that need not stop the item: with Needs Review on, an image the service cannot read goes there;
 * with Continue On Fail, one failed page or file among siblings becomes its own error item. Otherwise
 * undefined: the whole item fails (and without Continue On Fail, the run stops).
 */
function settle(failure: ItemFailure, run: RunShared, siblings: boolean): OutputEntry | undefined {
	if (run.review.enabled && isUnreadableImage(failure)) return { kind: 'unreadable', failure };
	if (run.continueOnFail && siblings && failure.scope === 'item') return { kind: 'error', failure };
	return undefined;
}

/** The turn's image(s): its file, read now, or the item's URL or Base64 image. */
async function turnInput(
	ctx: IExecuteFunctions,
	turn: FileTurn,
	maxSidePx: number,
): Promise<Outcome<{ pages: InputPage[] } | { skipped: string }>> {
	const { pdfPages } = turn.parameters;
	if (turn.file === null) return readImageInput(turn.source, maxSidePx, pdfPages);
	const options = { maxSidePx, pages: pdfPages, screen: turn.screen };
	return succeed(await readItemFile(ctx, turn.itemIndex, turn.file, options));
}

/** The first steps of a turn, which need only its input: the file read, local checks, the first request. */
export async function prepareItem(
	ctx: IExecuteFunctions,
	turn: FileTurn,
	run: RunShared,
): Promise<Outcome<PreparedItem>> {
	const { profile, projectId } = run.credential.settings;
	const { recognizer, timeoutMs } = turn.parameters;
	const input = await turnInput(ctx, turn, profile.maxSidePx);
	if (!input.ok) return input;
	if ('skipped' in input.value) return succeed({ turn, skipped: input.value.skipped });
	const inputPages = input.value.pages;
	const siblings = hasSiblings(turn, inputPages.length);
	const pages: PreparedPage[] = [];
	for (const { pdfPage, pdfNote, image } of inputPages) {
		if (image.ok) {
			const body = requestBody(image.value, recognizer, profile.supportsRecognizer);
			const call = { projectId, body, ocrBaseUrl: profile.ocrBaseUrl, timeoutMs };
			pages.push({ pdfPage, pdfNote, call });
			continue;
		}
		const settled = settle(image.failure, run, siblings);
		if (!settled) return image;
		pages.push({ pdfPage, pdfNote, settled });
	}
	// The first request's body is built now, while earlier turns wait for the service; later pages' bodies are
	// built one at a time as their turn comes, so a file of many pages holds one body at once.
	const first = pages.findIndex((page) => 'call' in page);
	const firstPage = pages[first];
	if (firstPage && 'call' in firstPage) {
		const request = preparePassportRequest(firstPage.call, run.bodies);
		pages[first] = { pdfPage: firstPage.pdfPage, pdfNote: firstPage.pdfNote, request };
	}
	return succeed({
		turn,
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

/**
 * A skipped file: counted for its item, and when it was the item's last file and every one was skipped, the
 * item's one failure naming them all (or, with the Needs Review output, one review item that does).
 */
function skipFile(
	turn: FileTurn,
	turnIndex: number,
	reason: string,
	run: RunShared,
	emit: (entry: OutputEntry) => void,
): Outcome<SkippedFile> {
	const { file, itemIndex } = turn;
	const skipped: SkippedFile = {
		field: file?.field ?? '',
		fileName: file?.binary.fileName ?? null,
		reason,
	};
	const all = run.skippedFiles.skip(itemIndex, turnIndex, skipped);
	if (all === undefined) return succeed(skipped);
	const failure = noPassportFile(itemIndex, all);
	if (!run.review.enabled) return fail(failure);
	emit({ kind: 'unreadable', failure });
	return succeed(skipped);
}

/** The remaining steps of a prepared turn: the service, the passport rules, the output item(s). */
export async function completeItem(
	ctx: IExecuteFunctions,
	turnIndex: number,
	run: RunShared,
	prepared: PreparedItem,
): Promise<Outcome<RecognizedItem>> {
	const { review, sender, bodies, credential } = run;
	const { turn } = prepared;
	const { parameters, file, itemIndex } = turn;
	const input = ctx.getInputData()[itemIndex];
	const keptFiles = file === null ? input?.binary : { [file.outputKey]: file.binary };
	const settings = {
		simplify: parameters.simplify,
		reviewEnabled: review.enabled,
		binary: parameters.keepInputBinary ? keptFiles : undefined,
	};
	const outputs: RoutedItem[] = [];
	const binaryField = file?.field ?? null;
	const emit = (entry: OutputEntry, source: EntrySource) =>
		outputs.push({
			item: outputItem(entry, source, settings, itemIndex),
			needsReview: needsReview(entry),
		});
	// The review item of an item none of whose files could be read is about all of them, so it carries them all.
	const reviewSettings = {
		...settings,
		binary: parameters.keepInputBinary ? input?.binary : undefined,
	};
	const skip = (reason: string): Outcome<RecognizedItem> => {
		const skipped = skipFile(turn, turnIndex, reason, run, (entry) =>
			outputs.push({
				item: outputItem(entry, { binaryField: null, pdfPage: null }, reviewSettings, itemIndex),
				needsReview: true,
			}),
		);
		return skipped.ok ? succeed({ outputs, skipped: skipped.value }) : skipped;
	};
	if ('skipped' in prepared) return skip(prepared.skipped);
	const { context, pages } = prepared;
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
			// One file of several that the service finds no passport on (a selfie, a photo of a document) is
			// skipped like a logo; a file that is the only one keeps its failure.
			if (turn.screen && pages.length === 1 && isUnreadableImage(answer.failure)) {
				return skip(`no passport found by the service (${answer.failure.code})`);
			}
			const settled = settle(answer.failure, run, hasSiblings(turn, pages.length));
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
