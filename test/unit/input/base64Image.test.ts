import { decodeBase64Image } from '../../../nodes/PassportOcr/input/base64Image';

const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0xfb, 0xff]);
const base64 = bytes.toString('base64');

describe('decodeBase64Image', () => {
	it.each([
		['plain', base64],
		['with a data URL prefix', `data:image/jpeg;base64,${base64}`],
		['with an upper-case prefix and spaces', `  DATA:image/png;BASE64,${base64}`],
		['wrapped over lines', `${base64.slice(0, 4)}\r\n${base64.slice(4)}\n`],
		['URL-safe', base64.replace(/\+/g, '-').replace(/\//g, '_')],
	])('decodes Base64 %s', (_, text) => {
		const reading = decodeBase64Image(text);
		expect(reading.ok && reading.bytes.equals(bytes)).toBe(true);
	});

	it.each([
		['', 'empty'],
		['  \n', 'empty'],
		['data:image/png;base64,', 'empty'],
		['not base64!', 'not-base64'],
		['abcde', 'not-base64'],
		['ab=c', 'not-base64'],
	])('rejects %j as %s', (text, reason) => {
		expect(decodeBase64Image(text)).toEqual({ ok: false, reason });
	});
});
