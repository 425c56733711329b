import { inputFailure, succeed } from '../../../nodes/PassportOcr/contract/itemFailure';
import { skippedByContent, skippedByType } from '../../../nodes/PassportOcr/input/fileScreening';

describe('skippedByType: from the MIME type, before reading', () => {
	it.each([
		['text/calendar', 'not an image or a PDF (text/calendar)'],
		[
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'not an image or a PDF (application/vnd.openxmlformats-officedocument.wordprocessingml.document)',
		],
		['text/html; charset=utf-8', 'not an image or a PDF (text/html)'],
		['image/jpeg', undefined],
		['application/pdf', undefined],
		['application/octet-stream', undefined],
		['', undefined],
	])('%s', (mimeType, reason) => {
		expect(skippedByType({ mimeType, data: '' })).toBe(reason);
	});
});

describe('skippedByContent: from what reading found', () => {
	const image = (width: number, height: number) => ({
		image: succeed({ kind: 'bytes', width, height }),
	});
	it('skips an image under 300 px on a side', () => {
		expect(skippedByContent([image(299, 1200)])).toBe(
			'299 × 1200 px, too small for a passport page (a logo or an icon?)',
		);
		expect(skippedByContent([image(300, 300)])).toBeUndefined();
	});

	it('skips a file that is no image and a PDF without a scan, keeps other failures', () => {
		const failed = (code: string) => ({ image: inputFailure(code, 'm', 'd') });
		expect(skippedByContent([failed('INPUT.FORMAT')])).toBe('not an image or a PDF');
		expect(skippedByContent([failed('PDF.NO_SCAN')])).toBe('a PDF without a scanned page');
		expect(skippedByContent([failed('INPUT.TOO_LARGE')])).toBeUndefined();
		expect(skippedByContent([failed('PDF.ENCRYPTED')])).toBeUndefined();
	});

	it('never skips a PDF of several scanned pages', () => {
		expect(skippedByContent([image(100, 100), image(100, 100)])).toBeUndefined();
	});
});
