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
import { errorItem } from '../output/outputItems';
import { BodyBuffers } from '../transport/bodyBuffers';
import { BatchSender, systemEnvironment } from './batchSender';
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

function itemSteps(
	ctx: IExecuteFunctions,
	run: RunShared,
): ItemSteps<PreparedItem, RecognizedItem> {
	return {
		prepare: async (itemIndex) =>
			await reportingErrors(ctx, itemIndex, async () => await prepareItem(ctx, itemIndex, run)),
		complete: async (itemIndex, prepared) =>
			await reportingErrors(
				ctx,
				itemIndex,
				async () => await completeItem(ctx, itemIndex, run, prepared),
			),
	};
}

/** Stops the run when the user stops the execution, where the n8n version says so. */
function stopOnCancel(ctx: IExecuteFunctions, stop: AbortController): void {
	const cancel = ctx.getExecutionCancelSignal?.();
	if (cancel?.aborted) stop.abort();
	else cancel?.addEventListener('abort', () => stop.abort(), { once: true });
}

async function recognizeAll(
	ctx: IExecuteFunctions,
	credential: RunCredential,
	review: ReviewSettings,
	continueOnFail: boolean,
): Promise<{ outcomes: Array<Outcome<RecognizedItem> | undefined>; stopped?: ItemFailure }> {
	const items = ctx.getInputData();
	const sending = readSendSettings(ctx);
	if (!sending.ok) return { outcomes: [], stopped: sending.failure };
	const stop = new AbortController();
	stopOnCancel(ctx, stop);
	const { concurrency, maxRetryMs } = sending.value;
	const run: RunShared = {
		credential,
		review,
		continueOnFail,
		sender: new BatchSender(credential.shared, { maxRetryMs }, systemEnvironment(stop.signal)),
		bodies: new BodyBuffers(concurrency),
	};
	const result = await runItems(items.length, itemSteps(ctx, run), {
		concurrency,
		stopOnFailure: !continueOnFail,
		stop,
	});
	if (result.stopped && 'error' in result.stopped) {
		throw new NodeOperationError(ctx.getNode(), result.stopped.error as Error, {
			itemIndex: result.stopped.itemIndex,
		});
	}
	if (result.stopped && !continueOnFail) {
		throw toNodeError(ctx.getNode(), result.stopped.failure, result.stopped.itemIndex);
	}
	return { outcomes: result.outcomes, stopped: result.stopped?.failure };
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

/**
 * The node's run and its error policy: output items in input order, each linked to its input (a PDF read page
 * by page gives one per scanned page). Without Continue On Fail the first item that fails for good stops the
 * node at once. With it, a failed item becomes an error item; a failure of the whole run (the sign-in, the
 * endpoint) becomes the error item of every item that was not read. With the Needs Review output on, items
 * with review reasons, images the service cannot read, and error items go to the second output; an unreadable
 * image is no failure then, so it stops nothing.
 */
export async function recognizePassports(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const setup = await setUp(ctx);
	const { outcomes, stopped } = setup.ok
		? await recognizeAll(ctx, setup.value.credential, setup.value.review, continueOnFail)
		: { outcomes: [], stopped: setup.failure };
	if (stopped && !continueOnFail) throw toNodeError(ctx.getNode(), stopped, 0);
	const reviewOn = setup.ok && setup.value.review.enabled;
	const [clean, needsReview]: INodeExecutionData[][] = [[], []];
	items.forEach((_, itemIndex) => {
		const outcome = outcomes[itemIndex] ?? { ok: false as const, failure: stopped as ItemFailure };
		if (!outcome.ok) {
			(reviewOn ? needsReview : clean).push(errorItem(outcome.failure, itemIndex));
			return;
		}
		for (const { item, needsReview: toReview } of outcome.value.outputs) {
			(reviewOn && toReview ? needsReview : clean).push(item);
		}
	});
	return reviewOn ? [clean, needsReview] : [clean];
}
