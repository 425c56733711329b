import fc from 'fast-check';

import { isObject, parseJsonObject } from '../../emulator/json';

/** What the emulator's body reader must always give: JSON.parse's object, or undefined. */
function reference(text: string): unknown {
	try {
		const value: unknown = JSON.parse(text);
		return isObject(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

/** As the service reads a body: an image string of letters, digits, `+`, `/` and `=` needs no JSON.parse. */
const read = (text: string) =>
	parseJsonObject(Buffer.from(text, 'utf8'), (image) => /^[A-Za-z0-9+/=]*$/.test(image));

/** Pieces that make a body valid, invalid, escaped, duplicated, nested or oddly spaced around an image string. */
const PIECES = [
	'{',
	'}',
	'"image"',
	':',
	'"',
	',',
	' ',
	'\n',
	'\\',
	'\\"',
	'\\/',
	'\\u0041',
	'\u0001',
	'"country_code":"GENERAL"',
	'"image":""',
	'"url":"http://x/image"',
	'AAAA',
	'QUJD',
	'+/==',
	'é',
];

describe('parseJsonObject', () => {
	it.each([
		['{"image":"QUJD"}'],
		[' \n{ "image" : "QUJD" , "country_code" : "GENERAL" }\r\n'],
		['{"image":"QU\\/D"}'],
		['{"image":"QU\u0001D"}'],
		['{"image":"QUJD","image":""}'],
		['{"image":"QUJD","url":"http://x/\\"image\\""}'],
		['{"image":"QUJD",}'],
		['{"image":"QUJD"'],
		['{"image":"QUJD'],
		['{"image":"QUJD"} trailing'],
		['{"image":"QU\\"JD"}'],
		['{"url":"http://x/a.jpg","image":"QUJD"}'],
		['{"country_code":"CHN","image":"QUJD"}'],
		['{"a":{"image":"QUJD"}}'],
		['{"imag\\u0065":"x","image":"QUJD"}'],
		['{"image":"QUJD","imag\\u0065":"x"}'],
		['["image"]'],
		['{"image":"é"}'],
	])('reads %j as JSON.parse does', (text) => {
		expect(read(text)).toEqual(reference(text));
	});

	it('reads any body with an image string as JSON.parse does', () => {
		const body = fc
			.tuple(
				fc.array(fc.constantFrom(...PIECES), { maxLength: 4 }),
				fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }),
			)
			.map(([before, after]) => `{${before.join('')}"image":"${after.join('')}`);
		fc.assert(
			fc.property(body, (text) => {
				expect(read(text)).toEqual(reference(text));
			}),
			{ numRuns: 2000 },
		);
	});

	it('keeps the image string whole and the other fields as sent', () => {
		const image = Buffer.alloc(3_000_000, 7).toString('base64');
		const body = read(`{"image":"${image}","country_code":"CHN"}`);
		expect(body).toEqual({ image, country_code: 'CHN' });
		expect(Object.keys(body ?? {})).toEqual(['image', 'country_code']);
	});
});
