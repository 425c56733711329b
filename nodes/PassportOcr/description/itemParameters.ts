import type { IExecuteFunctions } from 'n8n-workflow';

import type { Recognizer } from '../contract/passportApi';
import { DEFAULT_TIMEOUT_SECONDS } from './parameters';

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
}

interface RawOptions {
	recognizer?: Recognizer;
	simplify?: boolean;
	keepInputBinary?: boolean;
	timeoutSeconds?: number;
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

export function readItemParameters(ctx: IExecuteFunctions, itemIndex: number): ItemParameters {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as RawOptions;
	const timeoutSeconds = Number(options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);
	return {
		source: readSource(ctx, itemIndex),
		recognizer: options.recognizer ?? 'auto',
		simplify: options.simplify ?? true,
		keepInputBinary: options.keepInputBinary ?? true,
		timeoutMs:
			Math.max(1, Number.isFinite(timeoutSeconds) ? timeoutSeconds : DEFAULT_TIMEOUT_SECONDS) *
			1000,
	};
}
