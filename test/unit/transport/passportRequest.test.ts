import { randomBytes } from 'node:crypto';

import { BodyBuffers } from '../../../nodes/PassportOcr/transport/bodyBuffers';
import { passportBodyBytes } from '../../../nodes/PassportOcr/transport/passportRequest';

const MB = 1024 * 1024;

describe('passportBodyBytes', () => {
	// Around the 48 KiB encoding step, and images of every remainder modulo 3.
	it.each([0, 1, 2, 3, 4, 5, 49151, 49152, 49153, 98305, 1_500_001])(
		'writes exactly the JSON of the Base64 body for an image of %i bytes',
		(size) => {
			const image = randomBytes(size);
			const bodies = new BodyBuffers(1);
			const expected = { country_code: 'GENERAL', image: image.toString('base64') };
			const plain = passportBodyBytes({ image }, bodies).toString('latin1');
			const withRecognizer = passportBodyBytes({ image, country_code: 'GENERAL' }, bodies);
			expect(plain).toBe(JSON.stringify({ image: image.toString('base64') }));
			expect(withRecognizer.toString('latin1')).toBe(JSON.stringify(expected));
		},
	);

	it('writes Base64 text the item held as it is, the same JSON as from the bytes', () => {
		const image = randomBytes(100_001);
		const bodies = new BodyBuffers(1);
		const fromText = passportBodyBytes(
			{ image: { base64: image.toString('base64') }, country_code: 'CHN' },
			bodies,
		);
		expect(fromText.toString('latin1')).toBe(
			JSON.stringify({ country_code: 'CHN', image: image.toString('base64') }),
		);
	});

	it('writes a URL body, escapes included, as JSON.stringify does', () => {
		const url = 'https://example.com/a "quoted" \\ path?x=1';
		expect(passportBodyBytes({ url }, new BodyBuffers(1)).toString('utf8')).toBe(
			JSON.stringify({ url }),
		);
	});
});

describe('BodyBuffers', () => {
	it('gives the memory of a body back to the next body that fits in it', () => {
		const bodies = new BodyBuffers(2);
		const first = bodies.take(2 * MB + 7);
		bodies.giveBack(first);
		const second = bodies.take(MB);
		expect(second.buffer).toBe(first.buffer);
		expect(second.length).toBe(MB);
	});

	it('sets aside new memory when no free piece is large enough, in whole steps', () => {
		const bodies = new BodyBuffers(2);
		const small = bodies.take(MB);
		bodies.giveBack(small);
		const large = bodies.take(MB + 1);
		expect(large.buffer).not.toBe(small.buffer);
		expect(large.buffer.byteLength).toBe(2 * MB);
	});

	it('takes the smallest free piece that fits, and keeps only as many as it was told', () => {
		const bodies = new BodyBuffers(2);
		const pieces = [3, 1, 2].map((size) => bodies.take(size * MB));
		pieces.forEach((piece) => bodies.giveBack(piece));
		// The 1 MiB piece was dropped when the third came back.
		expect(bodies.take(10).buffer).toBe(pieces[2].buffer);
		expect(bodies.take(10).buffer).toBe(pieces[0].buffer);
		expect(bodies.take(10).buffer.byteLength).toBe(MB);
	});

	it('ignores a buffer it did not give out, and one given back twice', () => {
		const bodies = new BodyBuffers(4);
		bodies.giveBack(Buffer.alloc(4 * MB));
		const body = bodies.take(MB);
		bodies.giveBack(body);
		bodies.giveBack(body);
		expect(bodies.take(MB).buffer).toBe(body.buffer);
		expect(bodies.take(MB).buffer).not.toBe(body.buffer);
	});
});
