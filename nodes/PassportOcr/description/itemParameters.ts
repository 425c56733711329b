import type { IExecuteFunctions } from 'n8n-workflow';

import { fail, succeed, type Outcome } from '../contract/itemFailure';
import type { Recognizer } from '../contract/passportApi';
import { DEFAULT_MIN_VALIDITY_MONTHS } from '../passport/passportChecks';
import { wantedFiles, type WantedFile } from './binaryFieldValue';
import {
	DEFAULT_CONCURRENCY,
	DEFAULT_CONFIDENCE_THRESHOLD,
	DEFAULT_MAX_RETRY_SECONDS,
	DEFAULT_TIMEOUT_SECONDS,
	INPUT_SOURCES,
	MAX_CONCURRENCY,
	MAX_RETRY_SECONDS,
	MAX_TIMEOUT_SECONDS,
	PDF_PAGE_CHOICES,
	RECOGNIZERS,
	type PdfPages,
} from './parameters';

export type ImageSource =
	| { kind: 'binary'; wanted: WantedFile[] }
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
	pdfPages: PdfPages;
}

/** A value that is not what its parameter needs: the message names the parameter as the editor labels it. */
function invalid(
	label: string,
	needs: string,
	value: unknown,
	scope: 'item' | 'run',
): Outcome<never> {
	return fail({
		kind: 'input',
		code: 'PARAMETER.INVALID',
		message: `${label} must be ${needs}; it is ${describeValue(value)}`,
		description: `Set ${label} in the node to ${needs}. If it is an expression, check what it gives for this item in the editor's expression preview.`,
		scope,
	});
}

/** A value as a user would recognise it in the expression preview, never more than a short line. */
function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return `a list (${value.length} entries)`;
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string') return value === '' ? 'empty' : `"${value.slice(0, 60)}"`;
	return String(value);
}

const listed = (values: readonly string[]) =>
	values.length === 1
		? `"${values[0]}"`
		: `${values
				.slice(0, -1)
				.map((v) => `"${v}"`)
				.join(', ')} or "${values[values.length - 1]}"`;

/** One of the allowed values, or a failure that lists them. `undefined` takes the default. */
function oneOf<T extends string>(
	value: unknown,
	allowed: readonly T[],
	fallback: T,
	label: string,
	scope: 'item' | 'run',
): Outcome<T> {
	if (value === undefined) return succeed(fallback);
	return typeof value === 'string' && (allowed as readonly string[]).includes(value)
		? succeed(value as T)
		: invalid(label, `one of ${listed(allowed)}`, value, scope);
}

function flag(
	value: unknown,
	fallback: boolean,
	label: string,
	scope: 'item' | 'run',
): Outcome<boolean> {
	if (value === undefined) return succeed(fallback);
	return typeof value === 'boolean'
		? succeed(value)
		: invalid(label, 'true or false', value, scope);
}

/** A number within its bounds (`whole`: no fraction). A text of digits from an expression counts as a number. */
function bounded(
	value: unknown,
	fallback: number,
	label: string,
	[least, most]: [number, number],
	options: { whole?: boolean; unit?: string; scope: 'item' | 'run' },
): Outcome<number> {
	if (value === undefined) return succeed(fallback);
	const number =
		typeof value === 'number' || (typeof value === 'string' && value.trim() !== '')
			? Number(value)
			: NaN;
	const unit = options.unit ? ` ${options.unit}` : '';
	const range = Number.isFinite(most)
		? `from ${least} to ${most}${unit}`
		: `${least}${unit} or more`;
	const ok =
		Number.isFinite(number) &&
		number >= least &&
		number <= most &&
		(!options.whole || Number.isInteger(number));
	return ok
		? succeed(number)
		: invalid(
				label,
				`${options.whole ? 'a whole number' : 'a number'} ${range}`,
				value,
				options.scope,
			);
}

/**
 * A text parameter as typed or resolved. An expression over a missing value gives '' (undefined, null); a number
 * becomes its digits; an object or a list (an expression that points at the wrong level of the item) is refused
 * by name, never sent on as "[object Object]" nor reported as empty.
 */
function text(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): Outcome<string> {
	const value: unknown = ctx.getNodeParameter(name, itemIndex, '');
	if (value === undefined || value === null) return succeed('');
	if (typeof value === 'string' || typeof value === 'number') return succeed(String(value));
	return invalid(label, 'text', value, 'item');
}

function readSource(ctx: IExecuteFunctions, itemIndex: number): Outcome<ImageSource> {
	const kind = oneOf(
		ctx.getNodeParameter('inputSource', itemIndex, 'binary'),
		INPUT_SOURCES,
		'binary',
		'Input Source',
		'item',
	);
	if (!kind.ok) return kind;
	if (kind.value === 'url') {
		const url = text(ctx, 'imageUrl', 'Image URL', itemIndex);
		return url.ok ? succeed({ kind: 'url', url: url.value.trim() }) : url;
	}
	if (kind.value === 'base64') {
		const base64 = text(ctx, 'base64Image', 'Base64 Image', itemIndex);
		return base64.ok ? succeed({ kind: 'base64', text: base64.value }) : base64;
	}
	const wanted = wantedFiles(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
	return wanted
		? succeed({ kind: 'binary', wanted })
		: invalid(
				'Input Binary Field',
				'a field name, names separated by commas, or a file (or a list of files) from an expression',
				ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data'),
				'item',
			);
}

/** The options collection; an expression that gives something else than an object is refused by name. */
function readOptions(ctx: IExecuteFunctions, itemIndex: number): Outcome<Record<string, unknown>> {
	const options: unknown = ctx.getNodeParameter('options', itemIndex, {});
	if (options === undefined || options === null) return succeed({});
	return typeof options === 'object' && !Array.isArray(options)
		? succeed(options as Record<string, unknown>)
		: invalid('Options', 'a set of options', options, 'item');
}

/** The node-level review settings; they decide the node's outputs, so they are read once per run. */
export interface ReviewSettings {
	enabled: boolean;
	confidenceThreshold: number;
}

export function readReviewSettings(ctx: IExecuteFunctions): Outcome<ReviewSettings> {
	const enabled = flag(
		ctx.getNodeParameter('needsReviewOutput', 0, false),
		false,
		'Needs Review Output',
		'run',
	);
	if (!enabled.ok) return enabled;
	if (!enabled.value)
		return succeed({ enabled: false, confidenceThreshold: DEFAULT_CONFIDENCE_THRESHOLD });
	const threshold = bounded(
		ctx.getNodeParameter('confidenceThreshold', 0, DEFAULT_CONFIDENCE_THRESHOLD),
		DEFAULT_CONFIDENCE_THRESHOLD,
		'Minimum Confidence',
		[0, 1],
		{ scope: 'run' },
	);
	return threshold.ok
		? succeed({ enabled: true, confidenceThreshold: threshold.value })
		: threshold;
}

/** How the node sends its items; one setting for the whole run, so it is read once, for the first item. */
export interface SendSettings {
	concurrency: number;
	maxRetryMs: number;
}

export function readSendSettings(ctx: IExecuteFunctions): Outcome<SendSettings> {
	const options = readOptions(ctx, 0);
	if (!options.ok) return { ok: false, failure: { ...options.failure, scope: 'run' } };
	const concurrency = bounded(
		options.value.concurrency,
		DEFAULT_CONCURRENCY,
		'Concurrency',
		[1, MAX_CONCURRENCY],
		{ whole: true, scope: 'run' },
	);
	if (!concurrency.ok) return concurrency;
	const maxRetrySeconds = bounded(
		options.value.maxRetrySeconds,
		DEFAULT_MAX_RETRY_SECONDS,
		'Max Retry Time',
		[0, MAX_RETRY_SECONDS],
		{ unit: 'seconds', scope: 'run' },
	);
	if (!maxRetrySeconds.ok) return maxRetrySeconds;
	return succeed({ concurrency: concurrency.value, maxRetryMs: maxRetrySeconds.value * 1000 });
}

/**
 * Every parameter of one item, each checked for its type and allowed values before anything is read or sent.
 * A failure names the parameter as the editor labels it.
 */
export function readItemParameters(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Outcome<ItemParameters> {
	const options = readOptions(ctx, itemIndex);
	if (!options.ok) return options;
	const raw = options.value;
	const source = readSource(ctx, itemIndex);
	if (!source.ok) return source;
	const recognizer = oneOf(raw.recognizer, RECOGNIZERS, 'auto', 'Recognizer', 'item');
	if (!recognizer.ok) return recognizer;
	const pdfPages = oneOf(raw.pdfPages, PDF_PAGE_CHOICES, 'first', 'PDF Pages', 'item');
	if (!pdfPages.ok) return pdfPages;
	const simplify = flag(raw.simplify, true, 'Simplify', 'item');
	if (!simplify.ok) return simplify;
	const keepInputBinary = flag(raw.keepInputBinary, true, 'Keep Input Binary', 'item');
	if (!keepInputBinary.ok) return keepInputBinary;
	const timeoutSeconds = bounded(
		raw.timeoutSeconds,
		DEFAULT_TIMEOUT_SECONDS,
		'Timeout',
		[1, MAX_TIMEOUT_SECONDS],
		{
			unit: 'seconds',
			scope: 'item',
		},
	);
	if (!timeoutSeconds.ok) return timeoutSeconds;
	const minValidityMonths = bounded(
		raw.minValidityMonths,
		DEFAULT_MIN_VALIDITY_MONTHS,
		'Minimum Validity (Months)',
		[0, Infinity],
		{ whole: true, scope: 'item' },
	);
	if (!minValidityMonths.ok) return minValidityMonths;
	return succeed({
		source: source.value,
		recognizer: recognizer.value,
		pdfPages: pdfPages.value,
		simplify: simplify.value,
		keepInputBinary: keepInputBinary.value,
		minValidityMonths: minValidityMonths.value,
		timeoutMs: timeoutSeconds.value * 1000,
	});
}
