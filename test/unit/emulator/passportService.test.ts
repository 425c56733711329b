/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	type Emulator,
	type EmulatorOptions,
	FIXTURES,
	MAX_BASE64_CHARS,
	MAX_BODY_BYTES,
	startEmulator,
} from '../../emulator';
import { makeBmp, makeJpeg, makePng, makeTiff } from '../../support/imageBytes';
import { login, recognize, type HttpAnswer } from './emulatorClient';

const base64 = (bytes: Buffer) => bytes.toString('base64');
const fixtureBytes = (name: string) => FIXTURES.find((f) => f.name === name)!.bytes;
const utopiaImage = { image: base64(fixtureBytes('utopia-eriksson')) };

let emulator: Emulator;
let token: string;

async function start(options: EmulatorOptions = {}): Promise<void> {
	emulator = await startEmulator(options);
	token = await login(emulator);
}

afterEach(async () => {
	await emulator?.close();
});

const ocr = (body: unknown): Promise<HttpAnswer> => recognize(emulator, body, token);

function expectServiceError(
	answer: HttpAnswer,
	status: number,
	code: string,
	message: string,
): void {
	expect({ status: answer.status, body: answer.json }).toEqual({
		status,
		body: { error_code: code, error_msg: message },
	});
	// Service errors carry the request ID only in the header (reference 2.1c).
	expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
}

const INVALID = 'The input parameter is invalid.';
const FORMAT = 'The image format is not supported.';
const SIZE = 'The image size does not meet the requirements.';
const POOR = 'The image is not supported or the image quality is poor.';
const DOWNLOAD = 'Obtaining the file from the URL failed.';

describe('recorded answers', () => {
	beforeEach(() => start());

	it.each(FIXTURES.map((fixture) => [fixture.name, fixture] as const))(
		'answers 200 with the result recorded for %s',
		async (_, fixture) => {
			const answer = await ocr({ image: base64(fixture.bytes) });
			expect(answer.status).toBe(200);
			expect(answer.json).toEqual({ result: fixture.result });
			expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
			expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
		},
	);

	it('accepts country_code GENERAL and CHN', async () => {
		for (const country_code of ['GENERAL', 'CHN']) {
			expect((await ocr({ ...utopiaImage, country_code })).status).toBe(200);
		}
	});

	it.each([
		['PNG', makePng(640, 450)],
		['JPEG', makeJpeg(640, 450)],
		['BMP', makeBmp(640, 450)],
		['TIFF', makeTiff(640, 450)],
	])('answers AIS.0104 for a valid %s image it has no record for', async (_, bytes) => {
		expectServiceError(await ocr({ image: base64(bytes) }), 400, 'AIS.0104', POOR);
	});
});

describe('body and image checks', () => {
	beforeEach(() => start());

	it.each([
		['a body that is not JSON', '{"image": "AAAA"'],
		['a JSON array', '[{"image": "AAAA"}]'],
	])('answers ModelArts.4105 for %s', async (_, body) => {
		expectServiceError(
			await ocr(body),
			400,
			'ModelArts.4105',
			'The JSON format of the input data is incorrect.',
		);
	});

	it.each([
		['both image and url', { ...utopiaImage, url: 'http://127.0.0.1:1/a.jpg' }],
		['neither image nor url', {}],
		['an empty image', { image: '' }],
		['an image that is not a string', { image: 42 }],
		['an unknown field', { ...utopiaImage, detect_direction: true }],
		['a country_code other than GENERAL or CHN', { ...utopiaImage, country_code: 'USA' }],
	])('answers AIS.0101 for %s', async (_, body) => {
		expectServiceError(await ocr(body), 400, 'AIS.0101', INVALID);
	});

	it.each([
		['a data: URL prefix', { image: `data:image/jpeg;base64,${utopiaImage.image}` }],
		['text that is not Base64', { image: 'not base64 at all!' }],
		[
			'URL-safe Base64',
			{ image: base64(makePng(64, 64)).replace(/\+/g, '-').replace(/\//g, '_') + '-_' },
		],
		[
			'a GIF image',
			{ image: base64(Buffer.from('GIF89a\x10\x00\x10\x00\x00\x00\x00;', 'latin1')) },
		],
		['a PNG cut short before its size', { image: base64(makePng(64, 64).subarray(0, 20)) }],
	])('answers AIS.0102 for %s', async (_, body) => {
		expectServiceError(await ocr(body), 400, 'AIS.0102', FORMAT);
	});

	it('answers ModelArts.4104 for Base64 over 10 MB', async () => {
		const answer = await ocr({ image: 'A'.repeat(MAX_BASE64_CHARS + 4) });
		expectServiceError(answer, 400, 'ModelArts.4104', 'Invalid Request Content Length.');
		expect(emulator.log.at(-1)?.detail).toContain(String(MAX_BASE64_CHARS + 4));
	});

	it('accepts Base64 of exactly 10 MB', async () => {
		const png = makePng(64, 64);
		const padded = Buffer.concat([png, Buffer.alloc((MAX_BASE64_CHARS / 4) * 3 - png.length)]);
		expect(base64(padded)).toHaveLength(MAX_BASE64_CHARS);
		expectServiceError(await ocr({ image: base64(padded) }), 400, 'AIS.0104', POOR);
	});

	it('answers 413 APIGW.0201 for a body past 16 MiB', async () => {
		const answer = await ocr({ image: 'A'.repeat(MAX_BODY_BYTES) });
		expect(answer.status).toBe(413);
		expect(answer.json).toMatchObject({ error_code: 'APIGW.0201', request_id: expect.any(String) });
	});

	it.each([
		['a side under 15 px', makePng(14, 400)],
		['a longest side over 8192 px', makePng(8193, 16)],
		['a JPEG 15 px high but too wide', makeJpeg(8200, 15)],
	])('answers AIS.0103 for %s', async (_, bytes) => {
		expectServiceError(await ocr({ image: base64(bytes) }), 400, 'AIS.0103', SIZE);
	});

	it('accepts sides of exactly 15 and 8192 px', async () => {
		expectServiceError(await ocr({ image: base64(makePng(8192, 15)) }), 400, 'AIS.0104', POOR);
	});
});

describe('the G42 edition', () => {
	beforeEach(() => start({ edition: 'g42', region: 'ae-ad-1' }));

	it('answers AIS.0101 when country_code is sent at all', async () => {
		expectServiceError(
			await ocr({ ...utopiaImage, country_code: 'GENERAL' }),
			400,
			'AIS.0101',
			INVALID,
		);
		expect((await ocr(utopiaImage)).status).toBe(200);
	});

	it('limits the longest side to 4096 px', async () => {
		expectServiceError(await ocr({ image: base64(makePng(4097, 16)) }), 400, 'AIS.0103', SIZE);
		expectServiceError(await ocr({ image: base64(makePng(4096, 16)) }), 400, 'AIS.0104', POOR);
	});
});

describe('URL mode', () => {
	beforeEach(() => start({ urlTimeoutMs: 300 }));

	it('downloads a fixture from the emulator itself and answers its record', async () => {
		const netherlands = FIXTURES.find((fixture) => fixture.name === 'netherlands-van-den-broek')!;
		const answer = await ocr({ url: emulator.fileUrl(netherlands.file) });
		expect(answer.json).toEqual({ result: netherlands.result });
		expect(emulator.log.map((entry) => entry.kind)).toEqual(['login', 'ocr', 'file']);
		expect(emulator.log[1]).toMatchObject({ bodyMode: 'url', status: 200 });
	});

	it('serves bytes registered with serveFile()', async () => {
		emulator.serveFile('copy of utopia.jpg', fixtureBytes('utopia-eriksson'), 'image/jpeg');
		emulator.serveFile('blank.png', makePng(100, 100), 'image/png');
		expect((await ocr({ url: emulator.fileUrl('copy of utopia.jpg') })).status).toBe(200);
		expectServiceError(await ocr({ url: emulator.fileUrl('blank.png') }), 400, 'AIS.0104', POOR);
	});

	it('checks the downloaded bytes like Base64 ones', async () => {
		emulator.serveFile('tiny.png', makePng(10, 10), 'image/png');
		expectServiceError(await ocr({ url: emulator.fileUrl('tiny.png') }), 400, 'AIS.0103', SIZE);
	});

	it('answers ModelArts.4603 for a 404', async () => {
		expectServiceError(
			await ocr({ url: emulator.fileUrl('missing.jpg') }),
			400,
			'ModelArts.4603',
			DOWNLOAD,
		);
		expect(emulator.log.at(-2)?.detail).toBe('the URL answered HTTP 404');
	});

	it('answers ModelArts.4603 for a Content-Type that is not an image', async () => {
		emulator.serveFile('page.html', Buffer.from('<html></html>'), 'text/html');
		expectServiceError(
			await ocr({ url: emulator.fileUrl('page.html') }),
			400,
			'ModelArts.4603',
			DOWNLOAD,
		);
	});

	it('answers ModelArts.4603 when nothing listens at the URL', async () => {
		const closedPort = await withSilentServer(async (port) => port);
		const answer = await ocr({ url: `http://127.0.0.1:${closedPort}/passport.jpg` });
		expectServiceError(answer, 400, 'ModelArts.4603', DOWNLOAD);
		expect(emulator.log.at(-1)?.detail).toMatch(/ECONNREFUSED/);
	});

	it('answers ModelArts.4603 when the download does not finish in time', async () => {
		const started = Date.now();
		const answer = await withSilentServer((port) =>
			ocr({ url: `http://127.0.0.1:${port}/slow.jpg` }),
		);
		expectServiceError(answer, 400, 'ModelArts.4603', DOWNLOAD);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(emulator.log.at(-1)?.detail).toBe('no complete answer within 300 ms');
	});

	it.each([['ftp://127.0.0.1/passport.jpg'], ['not a url']])(
		'answers ModelArts.4601 for %s',
		async (url) => {
			expectServiceError(await ocr({ url }), 400, 'ModelArts.4601', 'The URL is not allowed.');
		},
	);
});

/** A loopback server that takes requests and never answers them, for as long as `use` runs. */
async function withSilentServer<T>(use: (port: number) => Promise<T>): Promise<T> {
	const server = http.createServer(() => undefined);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		return await use((server.address() as AddressInfo).port);
	} finally {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	}
}
