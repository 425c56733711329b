import type { INodeExecutionData } from 'n8n-workflow';

import { makePng } from '../support/imageBytes';
import { severalScansPdf } from '../support/passportPdfs';
import type { InputFile, InputItem } from './harness';
import { fixture } from './specimens';

/** Files as an email or a form brings them: the specimen scans, a logo, a selfie, an invite, notes, a PDF. */
const scan = (name: string, fileName = `${name}.jpg`): InputFile => {
	const f = fixture(name);
	return { bytes: f.bytes, fileName, mimeType: f.mimeType };
};
export const UTOPIA = () => scan('utopia-eriksson');
export const CHINA = () => scan('china-qian');
export const NETHERLANDS = () => scan('netherlands-van-den-broek');
export const LOGO = (): InputFile => ({
	bytes: makePng(160, 48),
	fileName: 'logo.png',
	mimeType: 'image/png',
});
export const SELFIE = (): InputFile => ({
	bytes: makePng(640, 480),
	fileName: 'selfie.png',
	mimeType: 'image/png',
});
export const INVITE = (): InputFile => ({
	bytes: Buffer.from('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n'),
	fileName: 'invite.ics',
	mimeType: 'text/calendar',
});
export const NOTES = (): InputFile => ({
	bytes: Buffer.from('Passport of Anna attached.'),
	fileName: 'notes.txt',
	mimeType: 'application/octet-stream',
});
export const PDF = (): InputFile => ({
	bytes: severalScansPdf(),
	fileName: 'family.pdf',
	mimeType: 'application/pdf',
});

export const files = (binary: Record<string, InputFile>, json = {}): InputItem => ({
	json,
	binary,
});

/** The files an output item carries: under binary, or with Execution Logic v2 in filesystem mode, in `_files`. */
export const keptFiles = (item: INodeExecutionData): string[] =>
	Object.keys(item.binary ?? (item.json._files as object | undefined) ?? {});

export const summary = (items: INodeExecutionData[]) =>
	items.map(({ json, pairedItem }) => [pairedItem, json.binary_field, json.pdf_page, json.surname]);
