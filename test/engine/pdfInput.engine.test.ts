import type { INodeParameters } from 'n8n-workflow';

import {
	cyclicPdf,
	encryptedPdf,
	flateImagePdf,
	flatePhotoPdf,
	hiddenLayerPdf,
	negativeJpegPdf,
	ownerPasswordPdf,
	paddedJpegPdf,
	stampOnlyPdf,
	stripsPdf,
	formThenScanPdf,
	jpeg2000Pdf,
	jpegPagePdf,
	oversizedScanPdf,
	scanThenPatternPdf,
	severalScansPdf,
	textOnlyPdf,
	truncatedPdf,
} from '../support/passportPdfs';
import { NODE_NAME, startTestbed, type Testbed } from './passportOcrTestbed';
import { BINARY_SOURCE, fileItem, passportItem } from './specimens';

const pdfItem = (bytes: Buffer, fileName = 'scan.pdf') =>
	fileItem(bytes, fileName, 'application/pdf');
const everyPage: INodeParameters = { ...BINARY_SOURCE, options: { pdfPages: 'every' } };

describe('PDF scans as input: the scanned page image is sent, unchanged', () => {
	let testbed: Testbed;
	beforeAll(async () => {
		testbed = await startTestbed();
	});
	afterAll(async () => await testbed.close());

	it.each(['table', 'objectStreams'] as const)(
		'reads a PDF whose page is a JPEG scan (%s layout), saying the page',
		async (layout) => {
			const calls = testbed.emulator.ocrCalls();
			const run = await testbed.run(BINARY_SOURCE, { input: [pdfItem(jpegPagePdf(layout))] });
			const [item] = run.outputItems(NODE_NAME);
			// The emulator recognises only the specimen's exact bytes: the JPEG went out as stored.
			expect(item.json).toMatchObject({ surname: 'ERIKSSON', pdf_page: 1, binary_field: 'data' });
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(item.binary?.data.fileName).toBe('scan.pdf');
			expect(testbed.emulator.ocrCalls()).toBe(calls + 1);
		},
	);

	it('skips a form page with a logo and reads the scan on page 2', async () => {
		const run = await testbed.run(BINARY_SOURCE, { input: [pdfItem(formThenScanPdf())] });
		expect(run.outputItems(NODE_NAME)[0].json).toMatchObject({ surname: 'QIAN', pdf_page: 2 });
	});

	it('reads a PDF sent as Base64, with a data: prefix', async () => {
		const base64 = `data:application/pdf;base64,${formThenScanPdf().toString('base64')}`;
		const run = await testbed.run(
			{ inputSource: 'base64', base64Image: base64 },
			{ input: [{ json: {} }] },
		);
		expect(run.outputItems(NODE_NAME)[0].json).toMatchObject({
			surname: 'QIAN',
			pdf_page: 2,
			binary_field: null,
		});
	});

	it('reads only the first scanned page by default', async () => {
		const run = await testbed.run(BINARY_SOURCE, { input: [pdfItem(severalScansPdf())] });
		const items = run.outputItems(NODE_NAME);
		expect(items.map((item) => [item.json.pdf_page, item.json.surname])).toEqual([[1, 'ERIKSSON']]);
	});

	it('with Every Scanned Page, gives one item per scanned page, each linked to its input item', async () => {
		const input = [pdfItem(severalScansPdf(), 'family.pdf'), passportItem('china-qian')];
		const run = await testbed.run(everyPage, { input });
		const items = run.outputItems(NODE_NAME);
		expect(items.map(({ json, pairedItem }) => [pairedItem, json.pdf_page, json.surname])).toEqual([
			[{ item: 0 }, 1, 'ERIKSSON'],
			[{ item: 0 }, 3, 'QIAN'],
			[{ item: 1 }, null, 'QIAN'],
		]);
	});

	it('finds the scan in a PDF whose page tree loops back on itself', async () => {
		const run = await testbed.run(everyPage, { input: [pdfItem(cyclicPdf())] });
		expect(run.outputItems(NODE_NAME).map((item) => item.json.surname)).toEqual(['ERIKSSON']);
	});

	it('converts a pixel (Flate) scan to PNG and sends that', async () => {
		const calls = testbed.emulator.ocrCalls();
		const run = await testbed.run(BINARY_SOURCE, {
			input: [pdfItem(flateImagePdf())],
			continueOnFail: true,
		});
		// The emulator has no passport for this test pattern, so it answers as the service does for any
		// readable image that is no passport; what matters here is that a valid PNG was sent.
		expect(testbed.emulator.ocrCalls()).toBe(calls + 1);
		expect(run.outputItems(NODE_NAME)[0].json.error_code).toBe('AIS.0104');
	});

	it.each(['rc4-40', 'rc4-128', 'aes-128'] as const)(
		'opens a PDF protected by an owner password only (%s) and sends its scan unchanged',
		async (method) => {
			const run = await testbed.run(BINARY_SOURCE, { input: [pdfItem(ownerPasswordPdf(method))] });
			expect(run.outputItems(NODE_NAME)[0].json).toMatchObject({
				surname: 'ERIKSSON',
				pdf_page: 1,
			});
		},
	);

	it('sends a JPEG padded inside its stream up to its end, so the service gets the very specimen', async () => {
		const run = await testbed.run(BINARY_SOURCE, { input: [pdfItem(paddedJpegPdf())] });
		expect(run.outputItems(NODE_NAME)[0].json).toMatchObject({ surname: 'ERIKSSON' });
	});

	it('sends the visible scan, not a larger one in a hidden layer', async () => {
		const run = await testbed.run(BINARY_SOURCE, { input: [pdfItem(hiddenLayerPdf())] });
		expect(run.outputItems(NODE_NAME)[0].json).toMatchObject({ surname: 'QIAN' });
	});

	it('joins a page stored as JPEG strips and sends one image, not a strip', async () => {
		const calls = testbed.emulator.ocrCalls();
		const run = await testbed.run(BINARY_SOURCE, {
			input: [pdfItem(stripsPdf())],
			continueOnFail: true,
		});
		// A test pattern, no passport: the service's answer for a readable image that is none.
		expect(run.outputItems(NODE_NAME)[0].json.error_code).toBe('AIS.0104');
		expect(testbed.emulator.ocrCalls()).toBe(calls + 1);
	});

	it('sends a Flate photo too large for the service at half size, and says so on the item', async () => {
		const calls = testbed.emulator.ocrCalls();
		// Needs Review keeps the item's source (page, note) on an image the service could not read.
		const run = await testbed.run(
			{ ...BINARY_SOURCE, needsReviewOutput: true },
			{ input: [pdfItem(flatePhotoPdf())] },
		);
		const [item] = run.outputItems(NODE_NAME, 1);
		expect(testbed.emulator.ocrCalls()).toBe(calls + 1);
		expect(item.json.error_code).toBe('AIS.0104');
		expect(item.json.pdf_note).toBe(
			'The scan on page 1 is 3000 × 2000 px, too large for the service as it is stored, so it was sent at 1/2 size (1500 × 1000 px)',
		);
	});

	it.each([
		['text only', textOnlyPdf(), 'PDF.NO_SCAN', /only text or drawings/],
		['a stamp only', stampOnlyPdf(), 'PDF.NO_SCAN', /annotation/],
		['a negative JPEG', negativeJpegPdf(), 'PDF.IMAGE_UNSUPPORTED', /negative/],
		['encrypted', encryptedPdf(), 'PDF.ENCRYPTED', /password-protected/],
		['cut off', truncatedPdf(), 'PDF.DAMAGED', /damaged or incomplete/],
		['JPEG 2000', jpeg2000Pdf(), 'PDF.IMAGE_UNSUPPORTED', /JPEG 2000/],
		[
			'a scan too wide',
			oversizedScanPdf(),
			'INPUT.TOO_LARGE',
			/^The scan on page 1 of x\.pdf is 9000 × 600 px/,
		],
	])(
		'refuses a PDF (%s) with a message that says what to do, and sends nothing',
		async (_, pdf, code, message) => {
			const calls = testbed.emulator.ocrCalls();
			const run = await testbed.run(BINARY_SOURCE, {
				input: [pdfItem(pdf, 'x.pdf')],
				continueOnFail: true,
			});
			const [item] = run.outputItems(NODE_NAME);
			expect(item.json.error_code).toBe(code);
			expect(item.json.error).toMatch(message);
			expect(item.json.error).toMatch(/x\.pdf/);
			expect(item.json.error_description).toMatch(/\w+/);
			expect(testbed.emulator.ocrCalls()).toBe(calls);
		},
	);

	it('without Continue On Fail, a refused PDF stops the node with its message', async () => {
		const run = await testbed.run(BINARY_SOURCE, { input: [pdfItem(textOnlyPdf(), 'form.pdf')] });
		expect(String(run.nodeError(NODE_NAME)?.message)).toMatch(
			/^form\.pdf: This PDF has no scanned image/,
		);
	});

	it("with Every Scanned Page and Continue On Fail, a page the service cannot read is that page's error item", async () => {
		const run = await testbed.run(everyPage, {
			input: [pdfItem(scanThenPatternPdf())],
			continueOnFail: true,
		});
		const items = run.outputItems(NODE_NAME);
		expect(
			items.map(({ json, pairedItem }) => [
				pairedItem,
				json.pdf_page,
				json.surname ?? json.error_code,
			]),
		).toEqual([
			[{ item: 0 }, 1, 'ERIKSSON'],
			[{ item: 0 }, 2, 'AIS.0104'],
		]);
	});
});

describe('URL input stays an image: the service downloads it', () => {
	it('says a URL must lead to an image when the service cannot read what it downloaded', async () => {
		const testbed = await startTestbed();
		try {
			testbed.emulator.serveFile('scan.pdf', jpegPagePdf(), 'application/pdf');
			const run = await testbed.run(
				{
					inputSource: 'url',
					imageUrl: testbed.emulator.fileUrl('scan.pdf'),
					options: { maxRetrySeconds: 0 },
				},
				{ continueOnFail: true },
			);
			const [item] = run.outputItems(NODE_NAME);
			expect(item.json.error_code).toBe('ModelArts.4603');
			expect(item.json.error).toMatch(/a URL must lead to a public JPEG, PNG, BMP or TIFF image/);
			expect(item.json.error).toMatch(/PDF/);
		} finally {
			await testbed.close();
		}
	});
});
