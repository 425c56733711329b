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

function readSource(ctx: IExecuteFunctions, itemIndex: number): ImageSource {
	const kind = ctx.getNodeParameter('inputSource', itemIndex) as ImageSource['kind'];
	if (kind === 'url') {
		return { kind, url: String(ctx.getNodeParameter('imageUrl', itemIndex, '')).trim() };
	}
	if (kind === 'base64') {
		return { kind, text: String(ctx.getNodeParameter('base64Image', itemIndex, '')) };
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
