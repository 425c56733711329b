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
import { readReviewSettings, readSendSettings } from '../description/itemParameters';
import { failureJson } from '../output/passportJson';
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
): Promise<{ outcomes: Array<Outcome<RecognizedItem> | undefined>; stopped?: ItemFailure }> {
	const items = ctx.getInputData();
	const sending = readSendSettings(ctx);
	if (!sending.ok) return { outcomes: [], stopped: sending.failure };
	const stop = new AbortController();
	stopOnCancel(ctx, stop);
	const { concurrency, maxRetryMs } = sending.value;
	const run: RunShared = {
		credential,
		review: readReviewSettings(ctx),
		sender: new BatchSender(credential.shared, { maxRetryMs }, systemEnvironment(stop.signal)),
		bodies: new BodyBuffers(concurrency),
	};
	const result = await runItems(items.length, itemSteps(ctx, run), {
		concurrency,
		stopOnFailure: !ctx.continueOnFail(),
		stop,
	});
	if (result.stopped && 'error' in result.stopped) {
		throw new NodeOperationError(ctx.getNode(), result.stopped.error as Error, {
			itemIndex: result.stopped.itemIndex,
		});
	}
	if (result.stopped && !ctx.continueOnFail()) {
		throw toNodeError(ctx.getNode(), result.stopped.failure, result.stopped.itemIndex);
	}
	return { outcomes: result.outcomes, stopped: result.stopped?.failure };
}

/**
 * The node's run and its error policy: one output item per input item, in input order, each linked to its
 * input. Without Continue On Fail the first item that fails for good stops the node at once. With it, a failed
 * item becomes an error item; a failure of the whole run (the sign-in, the endpoint) becomes the error item of
 * every item that was not read. With the Needs Review output on, items with review reasons and error items go
 * to the second output.
 */
export async function recognizePassports(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const credential = await loadRunCredential(ctx);
	const review = readReviewSettings(ctx);
	const continueOnFail = ctx.continueOnFail();
	const { outcomes, stopped } = credential.ok
		? await recognizeAll(ctx, credential.value)
		: { outcomes: [], stopped: credential.failure };
	if (stopped && !continueOnFail) throw toNodeError(ctx.getNode(), stopped, 0);
	const [clean, needsReview]: INodeExecutionData[][] = [[], []];
	items.forEach((_, itemIndex) => {
		const outcome = outcomes[itemIndex] ?? { ok: false as const, failure: stopped as ItemFailure };
		const reviewed = !outcome.ok || outcome.value.reviewReasons.length > 0;
		const item = outcome.ok
			? outcome.value.item
			: { json: failureJson(outcome.failure), pairedItem: { item: itemIndex } };
		(review.enabled && reviewed ? needsReview : clean).push(item);
	});
	return review.enabled ? [clean, needsReview] : [clean];
}
