import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { inputFailure, succeed, type ItemFailure, type Outcome } from '../contract/itemFailure';
import { failureJson } from '../output/passportJson';
import { BodyBuffers } from '../transport/bodyBuffers';
import {
	CREDENTIAL_TYPE,
	readOcrCredential,
	type OcrCredential,
} from '../transport/credentialSettings';
import { withBatchSender } from './batchSender';
import { runItems, type ItemSteps } from './itemRunner';
import {
	completeItem,
	prepareItem,
	type PreparedItem,
	type RecognizedItem,
	type RunShared,
} from './recognizeItem';
import { readReviewSettings, readSendSettings } from '../description/itemParameters';

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

async function readCredential(ctx: IExecuteFunctions): Promise<Outcome<OcrCredential>> {
	const data = await ctx.getCredentials(CREDENTIAL_TYPE);
	try {
		return succeed(readOcrCredential(data));
	} catch (error) {
		return inputFailure(
			'CREDENTIAL.INCOMPLETE',
			(error as Error).message,
			'Open the Huawei Cloud OCR API credential, fill in the field, and press Test.',
		);
	}
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

/** Each item's steps, with a credential that could not be read failing every item alike. */
function itemSteps(
	ctx: IExecuteFunctions,
	credential: Outcome<OcrCredential>,
	shared: Omit<RunShared, 'credential'>,
): ItemSteps<PreparedItem, RecognizedItem> {
	if (!credential.ok) {
		const failed = async () => await Promise.resolve(credential);
		return { prepare: failed, complete: failed };
	}
	const run: RunShared = { ...shared, credential: credential.value };
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

/**
 * The node's run and its error policy: one output item per input item, in input order, each linked to its
 * input; with Continue On Fail a failed item becomes an error item instead of stopping the run. With the Needs
 * Review output on, items with review reasons and error items go to the second output.
 */
export async function recognizePassports(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const credential = await readCredential(ctx);
	const continueOnFail = ctx.continueOnFail();
	const review = readReviewSettings(ctx);
	const sending = readSendSettings(ctx);
	const runOptions = { concurrency: sending.concurrency, stopOnFailure: !continueOnFail };
	const bodies = new BodyBuffers(sending.concurrency);
	const outcomes = await withBatchSender(
		ctx,
		sending,
		async (sender) =>
			await runItems(
				items.length,
				itemSteps(ctx, credential, { review, sender, bodies }),
				runOptions,
			),
	);
	const [clean, needsReview]: INodeExecutionData[][] = [[], []];
	outcomes.forEach((outcome, itemIndex) => {
		if (!outcome.ok && !continueOnFail)
			throw toNodeError(ctx.getNode(), outcome.failure, itemIndex);
		const reviewed = !outcome.ok || outcome.value.reviewReasons.length > 0;
		const item = outcome.ok
			? outcome.value.item
			: { json: failureJson(outcome.failure), pairedItem: { item: itemIndex } };
		(review.enabled && reviewed ? needsReview : clean).push(item);
	});
	return review.enabled ? [clean, needsReview] : [clean];
}
