import { wantedFiles } from '../../../nodes/PassportOcr/description/binaryFieldValue';

const scan = { mimeType: 'image/jpeg', fileName: 'scan.jpg', id: 'filesystem-v2:1' };

describe('wantedFiles: what Input Binary Field holds', () => {
	it.each<[string, unknown, unknown]>([
		['a name', 'data', [{ name: 'data' }]],
		[
			'comma-separated names, spaces trimmed',
			' a , b,,c ',
			[{ name: 'a' }, { name: 'b' }, { name: 'c' }],
		],
		['a pattern', 'attachment_*', [{ name: 'attachment_*' }]],
		['nothing (the default)', undefined, [{ name: 'data' }]],
		['a number', 7, [{ name: '7' }]],
		['a file object', scan, [{ file: scan }]],
		['a list of files and names', [scan, 'logo'], [{ file: scan }, { name: 'logo' }]],
		[
			'a file without its content, as expressions give it in memory mode',
			{ mimeType: 'image/png', fileName: 'a.png' },
			[{ file: { mimeType: 'image/png', fileName: 'a.png' } }],
		],
	])('takes %s', (_, value, expected) => {
		expect(wantedFiles(value)).toEqual(expected);
	});

	it.each<[string, unknown]>([
		['an object that is no file', { url: 'https://example.com' }],
		['a list holding something else', [scan, 3]],
		['true', true],
	])('refuses %s', (_, value) => {
		expect(wantedFiles(value)).toBeUndefined();
	});
});
