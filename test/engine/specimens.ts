import type { INodeParameters } from 'n8n-workflow';

import { FIXTURES, type Fixture } from '../emulator';
import { makePng } from '../support/imageBytes';
import type { InputItem } from './harness';

/** The node's parameters for the default input: a binary file in field `data`. */
export const BINARY_SOURCE: INodeParameters = { inputSource: 'binary', binaryPropertyName: 'data' };

export function fixture(name: string): Fixture {
	const found = FIXTURES.find((candidate) => candidate.name === name);
	if (!found) throw new Error(`No fixture ${name}`);
	return found;
}

/** An input item carrying a file in binary field `data`. */
export function fileItem(
	bytes: Buffer,
	fileName: string,
	mimeType = 'image/png',
	json = {},
): InputItem {
	return { json, binary: { data: { bytes, fileName, mimeType } } };
}

/** An input item carrying one of the specimen passports, named in its json. */
export function passportItem(name: string): InputItem {
	const f = fixture(name);
	return fileItem(f.bytes, f.file, f.mimeType, { name });
}

/** A valid image the service has no passport record for: it answers AIS.0104. */
export const notAPassportItem = (): InputItem =>
	fileItem(makePng(120, 90), 'cat.png', 'image/png', { name: 'cat' });
