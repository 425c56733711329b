import type { IExecuteFunctions } from 'n8n-workflow';

import { fail, succeed, type Outcome } from '../contract/itemFailure';
import type { Recognizer } from '../contract/passportApi';
import { DEFAULT_MIN_VALIDITY_MONTHS } from '../passport/passportChecks';
import {
	DEFAULT_CONCURRENCY,
	DEFAULT_CONFIDENCE_THRESHOLD,
	DEFAULT_MAX_RETRY_SECONDS,
	DEFAULT_TIMEOUT_SECONDS,
	MAX_CONCURRENCY,
	MAX_RETRY_SECONDS,
	MAX_TIMEOUT_SECONDS,
} from './parameters';

export type ImageSource =
	| { kind: 'binary'; field: string }
	| { kind: 'url'; url: string }
	| { kind: 'base64'; text: string };

/** One item's parameters, read once; the steps below never call getNodeParameter themselves. */
export interface ItemParameters {
	source: ImageSource;
	recognizer: Recognizer;
	simplify: boolean;
	keepInputBinary: boolean;
	timeoutMs: number;
	minValidityMonths: number;
}

interface RawOptions {
	recognizer?: Recognizer;
	simplify?: boolean;
	keepInputBinary?: boolean;
	timeoutSeconds?: number;
	minValidityMonths?: number;
	concurrency?: number;
	maxRetrySeconds?: number;
}

/** A text parameter as typed or resolved; an expression over a missing value gives '' rather than "undefined". */
function text(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	const value: unknown = ctx.getNodeParameter(name, itemIndex, '');
	return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function readSource(ctx: IExecuteFunctions, itemIndex: number): ImageSource {
	const kind = ctx.getNodeParameter('inputSource', itemIndex) as ImageSource['kind'];
	if (kind === 'url') {
		return { kind, url: text(ctx, 'imageUrl', itemIndex).trim() };
	}
	if (kind === 'base64') {
		return { kind, text: text(ctx, 'base64Image', itemIndex) };
	}
	return {
		kind: 'binary',
		field: String(ctx.getNodeParameter('binaryPropertyName', itemIndex)).trim(),
	};
}

function wholeNumberAtLeastZero(value: unknown, fallback: number): number {
	const number = Number(value ?? fallback);
	return Number.isFinite(number) && number >= 0 ? Math.floor(number) : fallback;
}

/** The node-level review settings; they decide the node's outputs, so they are read once per run. */
export interface ReviewSettings {
	enabled: boolean;
	confidenceThreshold: number;
}

export function readReviewSettings(ctx: IExecuteFunctions): ReviewSettings {
	const enabled = ctx.getNodeParameter('needsReviewOutput', 0, false) === true;
	const threshold = Number(
		ctx.getNodeParameter('confidenceThreshold', 0, DEFAULT_CONFIDENCE_THRESHOLD),
	);
	return {
		enabled,
		confidenceThreshold: Number.isFinite(threshold) ? threshold : DEFAULT_CONFIDENCE_THRESHOLD,
	};
}

/**
 * A number option within its bounds, or a failure that names the option as the editor labels it. A value
 * beyond what a timer can hold would make every request fail at once, so the bounds are enforced here too.
 */
function boundedSeconds(
	value: unknown,
	fallback: number,
	label: string,
	[least, most]: [number, number],
	scope: 'item' | 'run',
): Outcome<number> {
	const seconds = Number(value ?? fallback);
	if (Number.isFinite(seconds) && seconds >= least && seconds <= most) return succeed(seconds);
	return fail({
		kind: 'input',
		code: 'PARAMETER.OUT_OF_RANGE',
		message: `${label} must be a number from ${least} to ${most} seconds; it is ${String(value)}`,
		description: `Open the node's options and set ${label} within that range.`,
		scope,
	});
}

/** How the node sends its items; one setting for the whole run, so it is read once, for the first item. */
export interface SendSettings {
	concurrency: number;
	maxRetryMs: number;
}

export function readSendSettings(ctx: IExecuteFunctions): Outcome<SendSettings> {
	const options = ctx.getNodeParameter('options', 0, {}) as RawOptions;
	const concurrency = wholeNumberAtLeastZero(options.concurrency, DEFAULT_CONCURRENCY);
	const maxRetrySeconds = boundedSeconds(
		options.maxRetrySeconds,
		DEFAULT_MAX_RETRY_SECONDS,
		'Max Retry Time',
		[0, MAX_RETRY_SECONDS],
		'run',
	);
	if (!maxRetrySeconds.ok) return maxRetrySeconds;
	return succeed({
		concurrency: Math.min(MAX_CONCURRENCY, Math.max(1, concurrency)),
		maxRetryMs: maxRetrySeconds.value * 1000,
	});
}

export function readItemParameters(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Outcome<ItemParameters> {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as RawOptions;
	const timeoutSeconds = boundedSeconds(
		options.timeoutSeconds,
		DEFAULT_TIMEOUT_SECONDS,
		'Timeout',
		[1, MAX_TIMEOUT_SECONDS],
		'item',
	);
	if (!timeoutSeconds.ok) return timeoutSeconds;
	return succeed({
		source: readSource(ctx, itemIndex),
		recognizer: options.recognizer ?? 'auto',
		simplify: options.simplify ?? true,
		keepInputBinary: options.keepInputBinary ?? true,
		minValidityMonths: wholeNumberAtLeastZero(
			options.minValidityMonths,
			DEFAULT_MIN_VALIDITY_MONTHS,
		),
		timeoutMs: timeoutSeconds.value * 1000,
	});
}
