import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { inputFailure, type ItemFailure, type Outcome } from '../contract/itemFailure';
import { loadRunCredential, type RunCredential } from '../credential/runCredential';
import {
	readReviewSettings,
	readSendSettings,
	type ReviewSettings,
} from '../description/itemParameters';
import { errorItem, withSkippedFiles } from '../output/outputItems';
import { BodyBuffers } from '../transport/bodyBuffers';
import { BatchSender, systemEnvironment } from './batchSender';
import { planTurns, SkippedFiles, type PlannedTurn, type SkippedFile } from './fileTurns';
import { runItems, type ItemSteps } from './itemRunner';
import {
	completeItem,
	prepareItem,
	type PreparedItem,
	type RecognizedItem,
	type RunShared,
} from './recognizeItem';

function toNodeError(node: INode, failure: ItemFailure, itemIndex: number) {
	if (failure.kind === 'input') {
		return new NodeOperationError(node, failure.message, {
			itemIndex,
			description: failure.description,
		});
	}
	const details: JsonObject = {
		error_code: failure.code,
		error_msg: failure.serviceMessage ?? null,
		http_status: failure.httpStatus ?? null,
		request_id: failure.requestId ?? null,
	};
	return new NodeApiError(node, details, {
		itemIndex,
		message: failure.message,
		description: failure.description,
		httpCode: failure.httpStatus === undefined ? undefined : String(failure.httpStatus),
	});
}

/** Unexpected errors (a bad expression, a bug) keep their own type and message. */
async function reportingErrors<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	step: () => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
	try {
		return await step();
	} catch (error) {
		if (!ctx.continueOnFail())
			throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
		return inputFailure('NODE.ERROR', (error as Error).message, '');
	}
}

function turnSteps(
	ctx: IExecuteFunctions,
	run: RunShared,
	turns: PlannedTurn[],
): ItemSteps<PreparedItem, RecognizedItem> {
	return {
		prepare: async (turnIndex) => {
			const { itemIndex, turn } = turns[turnIndex];
			if (!turn.ok) return turn;
			return await reportingErrors(
				ctx,
				itemIndex,
				async () => await prepareItem(ctx, turn.value, run),
			);
		},
		complete: async (turnIndex, prepared) =>
			await reportingErrors(
				ctx,
				turns[turnIndex].itemIndex,
				async () => await completeItem(ctx, turnIndex, run, prepared),
			),
	};
}

/** Stops the run when the user stops the execution, where the n8n version says so. */
function stopOnCancel(ctx: IExecuteFunctions, stop: AbortController): void {
	const cancel = ctx.getExecutionCancelSignal?.();
	if (cancel?.aborted) stop.abort();
	else cancel?.addEventListener('abort', () => stop.abort(), { once: true });
}

/** What each turn came to (undefined when the run stopped first), and what stopped the run. */
interface TurnResults {
	turns: PlannedTurn[];
	outcomes: Array<Outcome<RecognizedItem> | undefined>;
	stopped?: ItemFailure;
}

async function recognizeAll(
	ctx: IExecuteFunctions,
	credential: RunCredential,
	review: ReviewSettings,
	continueOnFail: boolean,
): Promise<TurnResults> {
	const sending = readSendSettings(ctx);
	if (!sending.ok) return { turns: [], outcomes: [], stopped: sending.failure };
	const turns = planTurns(ctx);
	const stop = new AbortController();
	stopOnCancel(ctx, stop);
	const { concurrency, maxRetryMs } = sending.value;
	const run: RunShared = {
		credential,
		review,
		continueOnFail,
		sender: new BatchSender(credential.shared, { maxRetryMs }, systemEnvironment(stop.signal)),
		bodies: new BodyBuffers(concurrency),
		skippedFiles: new SkippedFiles(turns),
	};
	const result = await runItems(turns.length, turnSteps(ctx, run, turns), {
		concurrency,
		stopOnFailure: !continueOnFail,
		stop,
	});
	const stoppedAt = result.stopped ? turns[result.stopped.itemIndex].itemIndex : 0;
	if (result.stopped && 'error' in result.stopped) {
		throw new NodeOperationError(ctx.getNode(), result.stopped.error as Error, {
			itemIndex: stoppedAt,
		});
	}
	if (result.stopped && !continueOnFail) {
		throw toNodeError(ctx.getNode(), result.stopped.failure, stoppedAt);
	}
	return { turns, outcomes: result.outcomes, stopped: result.stopped?.failure };
}

/** The review settings and the credential, or the failure of the one that is wrong. */
async function setUp(
	ctx: IExecuteFunctions,
): Promise<Outcome<{ review: ReviewSettings; credential: RunCredential }>> {
	const review = readReviewSettings(ctx);
	if (!review.ok) return review;
	const credential = await loadRunCredential(ctx);
	if (!credential.ok) return credential;
	return { ok: true, value: { review: review.value, credential: credential.value } };
}

/** The output items of each input item in order, each naming the files of its item that were skipped. */
function itemOutputs(
	itemCount: number,
	{ turns, outcomes, stopped }: TurnResults,
): Array<Array<{ item: INodeExecutionData; needsReview: boolean }>> {
	const byItem = Array.from({ length: itemCount }, () => ({
		outputs: [] as Array<{ item: INodeExecutionData; needsReview: boolean }>,
		skipped: [] as SkippedFile[],
	}));
	turns.forEach(({ itemIndex, turn }, turnIndex) => {
		const outcome = outcomes[turnIndex] ?? { ok: false as const, failure: stopped as ItemFailure };
		const entry = byItem[itemIndex];
		if (!outcome.ok) {
			const field = turn.ok ? (turn.value.file?.field ?? null) : null;
			const item = errorItem(outcome.failure, itemIndex, field);
			entry.outputs.push({ item, needsReview: true });
			return;
		}
		entry.outputs.push(...outcome.value.outputs);
		if (outcome.value.skipped) entry.skipped.push(outcome.value.skipped);
	});
	return byItem.map(({ outputs, skipped }, itemIndex) => {
		// An item that never got a turn: the run stopped before its files were found.
		if (turns.every((turn) => turn.itemIndex !== itemIndex) && stopped) {
			return [{ item: errorItem(stopped, itemIndex), needsReview: true }];
		}
		return outputs.map(({ item, needsReview }) => ({
			item: withSkippedFiles(item, skipped),
			needsReview,
		}));
	});
}

/**
 * The node's run and its error policy: output items in input order, each linked to its input item: one per
 * file read (a PDF read page by page gives one per scanned page), the files of each item in order. Without
 * Continue On Fail the first file that fails for good stops the node at once. With it, a failed file becomes an
 * error item; a failure of the whole run (the sign-in, the endpoint) becomes the error item of every file that
 * was not read. With the Needs Review output on, items with review reasons, images the service cannot read,
 * and error items go to the second output; an unreadable image is no failure then, so it stops nothing.
 */
export async function recognizePassports(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const setup = await setUp(ctx);
	const results: TurnResults = setup.ok
		? await recognizeAll(ctx, setup.value.credential, setup.value.review, continueOnFail)
		: { turns: [], outcomes: [], stopped: setup.failure };
	if (results.stopped && !continueOnFail) throw toNodeError(ctx.getNode(), results.stopped, 0);
	const reviewOn = setup.ok && setup.value.review.enabled;
	const [clean, needsReview]: INodeExecutionData[][] = [[], []];
	for (const outputs of itemOutputs(items.length, results)) {
		for (const { item, needsReview: toReview } of outputs) {
			(reviewOn && toReview ? needsReview : clean).push(item);
		}
	}
	return reviewOn ? [clean, needsReview] : [clean];
}
