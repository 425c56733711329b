/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';

import fc from 'fast-check';

import { readImageHeader } from '../../../nodes/PassportOcr/input/imageHeader';
import { inflate } from '../../../nodes/PassportOcr/pdf/inflate';
import {
	findPdfScans,
	isPdf,
	MIN_SCAN_SIDE_PX,
	type PdfScanResult,
} from '../../../nodes/PassportOcr/pdf/pdfScan';
import { rc4 } from '../../../nodes/PassportOcr/pdf/pdfDecrypt';
import { readJpegLayout } from '../../../nodes/PassportOcr/pdf/pdfJpeg';
import { crc32, unfilterPngRows } from '../../../nodes/PassportOcr/pdf/pngFromPixels';
import { makeJpeg } from '../../support/imageBytes';
import { hiddenLayerPdf, stampOnlyPdf } from '../../support/passportPdfs';
import {
	buildDocument,
	codecImage,
	jpegImage,
	ownerOnlyPdf,
	PdfBuilder,
	pdfOf,
	photoPixels,
	rawImage,
	testPixels,
} from '../../support/pdfBytes';

const FIXTURES = join(__dirname, '../../emulator/fixtures');
const UTOPIA = readFileSync(join(FIXTURES, 'utopia-eriksson.jpg'));
const CHINA = readFileSync(join(FIXTURES, 'china-qian.jpg'));
const scanPage = (jpeg: Buffer = UTOPIA) => ({ images: [jpegImage(jpeg, 1250, 880)] });

function images(result: PdfScanResult) {
	if (!result.ok) throw new Error(`expected images, got ${result.code}: ${result.message}`);
	return result.images;
}

function refused(result: PdfScanResult) {
	if (result.ok) throw new Error('expected a refusal');
	return result;
}

/** The PNG's chunks, each CRC checked, and its inflated image data. */
function readPng(png: Buffer) {
	expect(
		png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
	).toBe(true);
	const chunks: Array<{ type: string; data: Buffer }> = [];
	for (let at = 8; at < png.length; ) {
		const length = png.readUInt32BE(at);
		const type = png.toString('latin1', at + 4, at + 8);
		const data = png.subarray(at + 8, at + 8 + length);
		expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
		chunks.push({ type, data });
		at += 12 + length;
	}
	expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
	const ihdr = chunks[0].data;
	return {
		width: ihdr.readUInt32BE(0),
		height: ihdr.readUInt32BE(4),
		bitDepth: ihdr[8],
		colourType: ihdr[9],
		idat: chunks[1].data,
	};
}

describe('rc4', () => {
	it('matches the published test vector', () => {
		expect(rc4(Buffer.from('Key'), Buffer.from('Plaintext')).toString('hex')).toBe(
			'bbf316e8d940af0ad3',
		);
	});
});

describe('isPdf', () => {
	it('finds %PDF- in the first 1024 bytes only', async () => {
		expect(isPdf(Buffer.from('%PDF-1.4\n'))).toBe(true);
		expect(isPdf(Buffer.concat([Buffer.alloc(1000, 0x20), Buffer.from('%PDF-1.4')]))).toBe(true);
		expect(isPdf(Buffer.concat([Buffer.alloc(1020, 0x20), Buffer.from('%PDF-1.4')]))).toBe(false);
		expect(isPdf(UTOPIA)).toBe(false);
	});
});

describe('findPdfScans: JPEG scans', () => {
	it('returns the JPEG of a one-page scan byte for byte', async () => {
		const [image] = images(await findPdfScans(pdfOf([scanPage()]), { allPages: false }));
		expect(image).toMatchObject({ page: 1, format: 'jpeg', widthPx: 1250, heightPx: 880 });
		expect(image.bytes.equals(UTOPIA)).toBe(true);
	});

	it('skips a text-only form page and finds the scan on page 2', async () => {
		const pdf = pdfOf([{ text: 'Application form' }, scanPage()]);
		const [image] = images(await findPdfScans(pdf, { allPages: false }));
		expect(image.page).toBe(2);
		expect(image.bytes.equals(UTOPIA)).toBe(true);
	});

	it('returns one scan per page in page order with allPages (a family of three)', async () => {
		const third = makeJpeg(900, 640);
		const pdf = pdfOf([scanPage(), scanPage(CHINA), { images: [jpegImage(third, 900, 640)] }]);
		const found = images(await findPdfScans(pdf, { allPages: true }));
		expect(found.map((i) => i.page)).toEqual([1, 2, 3]);
		expect(found[0].bytes.equals(UTOPIA)).toBe(true);
		expect(found[1].bytes.equals(CHINA)).toBe(true);
		expect(found[2].bytes.equals(third)).toBe(true);
		expect(images(await findPdfScans(pdf, { allPages: false }))).toHaveLength(1);
	});

	it('picks the big scan over a small logo on the same page, whatever their order', async () => {
		const logo = jpegImage(makeJpeg(120, 60), 120, 60);
		const wideBanner = jpegImage(makeJpeg(1600, 200), 1600, 200);
		const pdf = pdfOf([{ images: [logo, wideBanner, jpegImage(UTOPIA, 1250, 880)] }]);
		const [image] = images(await findPdfScans(pdf, { allPages: true }));
		expect(image.bytes.equals(UTOPIA)).toBe(true);
	});

	it('picks the largest of two scans by pixel area', async () => {
		const smaller = makeJpeg(800, 600);
		const pdf = pdfOf([{ images: [jpegImage(smaller, 800, 600), jpegImage(UTOPIA, 1250, 880)] }]);
		expect(images(await findPdfScans(pdf, { allPages: false }))[0].bytes.equals(UTOPIA)).toBe(true);
	});

	it('reads the same file written with object streams and a cross-reference stream', async () => {
		for (const layout of [{ xref: 'stream' as const }, { objectStreams: true }]) {
			const pdf = pdfOf([{ text: 'cover' }, scanPage(), scanPage(CHINA)], layout);
			const found = images(await findPdfScans(pdf, { allPages: true }));
			expect(found.map((i) => i.page)).toEqual([2, 3]);
			expect(found[1].bytes.equals(CHINA)).toBe(true);
		}
	});

	it('unwraps a Flate layer around a JPEG ([/FlateDecode /DCTDecode])', async () => {
		const pdf = pdfOf([{ images: [jpegImage(UTOPIA, 1250, 880, true)] }]);
		expect(images(await findPdfScans(pdf, { allPages: false }))[0].bytes.equals(UTOPIA)).toBe(true);
	});

	it('finds images inside Form XObjects one and two levels deep', async () => {
		for (const formDepth of [1, 2]) {
			const pdf = pdfOf([{ ...scanPage(), formDepth }]);
			expect(images(await findPdfScans(pdf, { allPages: false }))[0].bytes.equals(UTOPIA)).toBe(
				true,
			);
		}
	});

	it('counts an image from resources shared by all pages only on the page that draws it', async () => {
		const builder = new PdfBuilder();
		const scan = builder.add(jpegImage(UTOPIA, 1250, 880).dict, UTOPIA);
		const draw = builder.add('<< >>', Buffer.from('q 595 0 0 842 0 0 cm /Scan Do Q'));
		const empty = builder.add('<< >>', Buffer.from('BT ET'));
		const pagesNum = builder.reserve();
		const p1 = builder.add(`<< /Type /Page /Parent ${pagesNum} 0 R /Contents ${empty} 0 R >>`);
		const p2 = builder.add(`<< /Type /Page /Parent ${pagesNum} 0 R /Contents ${draw} 0 R >>`);
		builder.set(
			pagesNum,
			`<< /Type /Pages /Kids [${p1} 0 R ${p2} 0 R] /Count 2 /Resources << /XObject << /Scan ${scan} 0 R >> >> >>`,
		);
		const root = builder.add(`<< /Type /Catalog /Pages ${pagesNum} 0 R >>`);
		const found = images(await findPdfScans(builder.toBuffer({ root }), { allPages: true }));
		expect(found.map((i) => i.page)).toEqual([2]);
	});

	it('refuses a JPEG cut off inside the PDF', async () => {
		const cut = UTOPIA.subarray(0, UTOPIA.length - 5000);
		const result = refused(
			await findPdfScans(pdfOf([{ images: [jpegImage(cut, 1250, 880)] }]), { allPages: false }),
		);
		expect(result.code).toBe('PDF.DAMAGED');
	});
});

describe('findPdfScans: pixel images become PNG', () => {
	const width = 640;
	const height = 400;

	it.each([
		['RGB without predictor', 3, false],
		['RGB with PNG predictors', 3, true],
		['greyscale without predictor', 1, false],
		['greyscale with PNG predictors', 1, true],
	] as const)('%s', async (_, channels, predictor) => {
		const pixels = testPixels(width, height, channels);
		const pdf = pdfOf([{ images: [rawImage(pixels, width, height, { channels, predictor })] }]);
		const [image] = images(await findPdfScans(pdf, { allPages: false }));
		expect(image).toMatchObject({ page: 1, format: 'png', widthPx: width, heightPx: height });
		const png = readPng(image.bytes);
		expect(png).toMatchObject({ width, height, bitDepth: 8, colourType: channels === 3 ? 2 : 0 });
		const header = readImageHeader(image.bytes);
		expect(header).toMatchObject({ ok: true, format: 'png', width, height });
		// node:zlib and this package's inflater both read the IDAT, and undoing the row filters gives the pixels.
		const scanlines = inflateSync(png.idat);
		expect(scanlines.length).toBe((width * channels + 1) * height);
		const own = inflate(png.idat, scanlines.length);
		expect(own.ok && own.bytes.equals(scanlines)).toBe(true);
		expect(unfilterPngRows(scanlines, width * channels, channels)?.equals(pixels)).toBe(true);
		// A scan with smooth gradients compresses: the PNG is much smaller than its pixels.
		expect(image.bytes.length).toBeLessThan(pixels.length / 2);
	});

	it('reuses the PDF’s own zlib stream when it already holds PNG scanlines', async () => {
		const pixels = testPixels(width, height, 3);
		const object = rawImage(pixels, width, height, { predictor: true });
		const [image] = images(await findPdfScans(pdfOf([{ images: [object] }]), { allPages: false }));
		expect(readPng(image.bytes).idat.equals(object.data)).toBe(true);
	});

	it('accepts an ICCBased RGB colour space', async () => {
		const rgb = testPixels(width, height, 3);
		const { builder, root } = buildDocument([
			{ images: [rawImage(rgb, width, height, { colorSpace: '[/ICCBased 500 0 R]' })] },
		]);
		builder.set(500, '<< /N 3 >>', Buffer.alloc(16));
		const [image] = images(await findPdfScans(builder.toBuffer({ root }), { allPages: false }));
		expect(readPng(image.bytes)).toMatchObject({ width, height, colourType: 2 });
	});

	it('applies a /Decode [1 0] greyscale inversion', async () => {
		const pixels = testPixels(width, height, 1);
		const pdf = pdfOf([
			{ images: [rawImage(pixels, width, height, { channels: 1, extra: ' /Decode [1 0]' })] },
		]);
		const [grey] = images(await findPdfScans(pdf, { allPages: false }));
		const back = unfilterPngRows(inflateSync(readPng(grey.bytes).idat), width, 1);
		expect(back?.every((value, k) => value === 255 - pixels[k])).toBe(true);
	});

	it('refuses CMYK, indexed, 1-bit and 16-bit pixel images with a message to export as JPEG', async () => {
		const cases = [
			{ colorSpace: '/DeviceCMYK', what: /CMYK/ },
			{ colorSpace: '[/Indexed /DeviceRGB 1 <000000FFFFFF>]', what: /palette/ },
			{ bits: 1, what: /1 bit/ },
			{ bits: 16, what: /16 bits/ },
		];
		for (const { what, ...options } of cases) {
			const pdf = pdfOf([
				{ images: [rawImage(Buffer.alloc(100), 600, 600, { channels: 1, ...options })] },
			]);
			const result = refused(await findPdfScans(pdf, { allPages: false }));
			expect(result.code).toBe('PDF.IMAGE_UNSUPPORTED');
			expect(result.message).toMatch(what);
			expect(result.description).toMatch(/JPEG/);
		}
	});

	it('refuses a pixel image whose data is cut short', async () => {
		const pdf = pdfOf([{ images: [rawImage(testPixels(600, 100, 3), 600, 600)] }]);
		expect(refused(await findPdfScans(pdf, { allPages: false })).code).toBe('PDF.DAMAGED');
	});

	it('refuses, before inflating, a pixel image larger than the stream cap', async () => {
		const bomb = {
			dict: rawImage(Buffer.alloc(1), 8000, 8000).dict,
			data: deflateSync(Buffer.alloc(1 << 20)),
		};
		const result = refused(await findPdfScans(pdfOf([{ images: [bomb] }]), { allPages: false }));
		expect(result.code).toBe('PDF.TOO_LARGE');
	});
});

describe('findPdfScans: refusals', () => {
	it.each([
		['JPXDecode', /JPEG 2000/],
		['JBIG2Decode', /JBIG2/],
		['CCITTFaxDecode', /fax/],
		['LZWDecode', /LZW/],
	])('refuses a %s scan, naming the encoding', async (filter, words) => {
		const result = refused(
			await findPdfScans(pdfOf([{ images: [codecImage(filter, 2480, 3508)] }]), {
				allPages: false,
			}),
		);
		expect(result.code).toBe('PDF.IMAGE_UNSUPPORTED');
		expect(result.message).toMatch(words);
		expect(result.message).toMatch(/page 1/);
		expect(result.description).toMatch(/export or save the page as a JPEG/);
	});

	it('prefers a usable JPEG to a larger JBIG2 layer on the same page', async () => {
		const pdf = pdfOf([
			{ images: [codecImage('JBIG2Decode', 2480, 3508), jpegImage(UTOPIA, 1250, 880)] },
		]);
		expect(images(await findPdfScans(pdf, { allPages: false }))[0].bytes.equals(UTOPIA)).toBe(true);
	});

	it('default mode goes past a page whose scan cannot be used; allPages refuses', async () => {
		const pdf = pdfOf([{ images: [codecImage('JPXDecode', 2480, 3508)] }, scanPage()]);
		expect(images(await findPdfScans(pdf, { allPages: false }))[0].page).toBe(2);
		expect(refused(await findPdfScans(pdf, { allPages: true })).code).toBe('PDF.IMAGE_UNSUPPORTED');
	});

	it('says a text-only PDF has no scan', async () => {
		const result = refused(
			await findPdfScans(pdfOf([{ text: 'Hello' }, { text: 'World' }]), { allPages: true }),
		);
		expect(result.code).toBe('PDF.NO_SCAN');
		expect(result.message).toMatch(/only text or drawings/);
		expect(result.description).toMatch(/JPEG/);
	});

	it('says only small pictures were found, naming the largest', async () => {
		const pdf = pdfOf([{ images: [jpegImage(makeJpeg(200, 80), 200, 80)] }]);
		const result = refused(await findPdfScans(pdf, { allPages: false }));
		expect(result.code).toBe('PDF.NO_SCAN');
		expect(result.message).toContain('200 × 80 px');
		expect(result.message).toContain(`${MIN_SCAN_SIDE_PX} × ${MIN_SCAN_SIDE_PX}`);
	});

	it('refuses an encrypted PDF that needs a password to open, saying so', async () => {
		const pdf = pdfOf([scanPage()], {
			trailer: () => '/Encrypt << /Filter /Standard /V 1 /R 2 /O (x) /U (y) /P -4 >>',
		});
		const result = refused(await findPdfScans(pdf, { allPages: false }));
		expect(result.code).toBe('PDF.ENCRYPTED');
		expect(result.message).toMatch(/needs a password to open/);
		expect(result.description).toMatch(/remove the password/);
		for (const method of ['rc4-40', 'rc4-128', 'aes-128'] as const) {
			const locked = ownerOnlyPdf([scanPage()], method, { userPasswordNeeded: true });
			expect(refused(await findPdfScans(locked, { allPages: false })).code).toBe('PDF.ENCRYPTED');
		}
	});

	it.each([
		['RC4 40-bit', 'rc4-40', false],
		['RC4 128-bit', 'rc4-128', false],
		['AES-128', 'aes-128', false],
		['AES-128 with object streams', 'aes-128', true],
	] as const)(
		'opens a PDF protected by an owner password only (%s)',
		async (_, method, objectStreams) => {
			const pdf = ownerOnlyPdf([{ text: 'cover' }, scanPage(CHINA)], method, { objectStreams });
			const [image] = images(await findPdfScans(pdf, { allPages: false }));
			expect(image.page).toBe(2);
			expect(image.bytes.equals(CHINA)).toBe(true);
		},
	);

	it('refuses a PDF encrypted for particular people (certificates)', async () => {
		const pdf = pdfOf([scanPage()], {
			trailer: () => '/Encrypt << /Filter /Adobe.PubSec /V 4 /R 4 >>',
		});
		const result = refused(await findPdfScans(pdf, { allPages: false }));
		expect(result.code).toBe('PDF.ENCRYPTED');
		expect(result.message).toMatch(/certificates/);
	});

	it('refuses a file that is not a PDF', async () => {
		expect(refused(await findPdfScans(UTOPIA, { allPages: false })).code).toBe('PDF.NOT_PDF');
	});

	it('refuses more pages than the cap with allPages, but finds page 1 without it', async () => {
		const pdf = pdfOf([scanPage(), scanPage(), scanPage()]);
		expect(refused(await findPdfScans(pdf, { allPages: true, limits: { maxPages: 2 } })).code).toBe(
			'PDF.TOO_MANY_PAGES',
		);
		expect(
			images(await findPdfScans(pdf, { allPages: false, limits: { maxPages: 2 } }))[0].page,
		).toBe(1);
	});
});

describe('findPdfScans: damaged and hostile files', () => {
	it('recovers a file whose cross-reference offsets are wrong (bytes before %PDF)', async () => {
		const pdf = pdfOf([{ text: 'x' }, scanPage()], { prefix: 'X-Mailer junk\r\n\r\n' });
		expect(images(await findPdfScans(pdf, { allPages: false }))[0].page).toBe(2);
	});

	it('recovers a file with no cross-reference data at all', async () => {
		const pdf = pdfOf([scanPage()]);
		const cut = pdf.subarray(0, pdf.indexOf('xref'));
		expect(images(await findPdfScans(cut, { allPages: false }))[0].bytes.equals(UTOPIA)).toBe(true);
	});

	it('recovers an object-stream file whose cross-reference stream is missing', async () => {
		const pdf = pdfOf([scanPage()], { objectStreams: true });
		const cut = pdf.subarray(0, pdf.lastIndexOf('obj', pdf.indexOf('/Type /XRef')) - 4);
		expect(images(await findPdfScans(cut, { allPages: false }))[0].bytes.equals(UTOPIA)).toBe(true);
	});

	it('says a file cut off inside the scan is damaged, at every cut point', async () => {
		const pdf = pdfOf([scanPage()]);
		const start = pdf.indexOf('stream\n') + 7;
		for (const at of [start + 10, start + 60000, pdf.indexOf('endstream') - 2]) {
			const result = refused(await findPdfScans(pdf.subarray(0, at), { allPages: false }));
			expect(result.code).toBe('PDF.DAMAGED');
			expect(result.description).toMatch(/whole file arrived/);
		}
	});

	it('never throws and always answers on truncations and byte changes', async () => {
		const pdf = pdfOf([{ text: 'form' }, scanPage(makeJpeg(640, 480))], { objectStreams: true });
		await fc.assert(
			fc.asyncProperty(
				fc.nat(pdf.length),
				fc.nat(pdf.length - 1),
				fc.integer({ min: 0, max: 255 }),
				async (cut, at, byte) => {
					const copy = Buffer.from(pdf);
					copy[at] = byte;
					const inputs: Buffer[] = [pdf.subarray(0, cut), copy];
					for (const input of inputs) {
						const result = await findPdfScans(input, { allPages: true });
						expect(typeof result.ok).toBe('boolean');
					}
				},
			),
			{ numRuns: 300 },
		);
	});

	it('survives a page tree that loops back to its root', async () => {
		const { builder, root } = buildDocument([scanPage()]);
		// Object 2 is the page tree root; give it a second kid that is itself.
		const pdf = builder
			.toBuffer({ root })
			.toString('latin1')
			.replace(/\/Kids \[(\d+) 0 R\]/, '/Kids [$1 0 R 2 0 R]');
		const found = images(await findPdfScans(Buffer.from(pdf, 'latin1'), { allPages: true }));
		expect(found.map((i) => i.page)).toEqual([1]);
	});

	it('survives kids pointing to an ancestor and a page tree that is only a loop', async () => {
		const builder = new PdfBuilder();
		const a = builder.reserve();
		const b = builder.reserve();
		builder.set(a, `<< /Type /Pages /Kids [${b} 0 R] /Count 1 >>`);
		builder.set(b, `<< /Type /Pages /Kids [${a} 0 R ${b} 0 R] /Count 1 >>`);
		const root = builder.add(`<< /Type /Catalog /Pages ${a} 0 R >>`);
		expect(refused(await findPdfScans(builder.toBuffer({ root }), { allPages: true })).code).toBe(
			'PDF.NO_SCAN',
		);
	});

	it('survives a /Prev chain that points back to itself', async () => {
		const pdf = pdfOf([scanPage()], { trailer: (xref) => `/Prev ${xref}` });
		expect(images(await findPdfScans(pdf, { allPages: false }))[0].bytes.equals(UTOPIA)).toBe(true);
		const streamed = pdfOf([scanPage()], { xref: 'stream', trailer: (xref) => `/Prev ${xref}` });
		expect(images(await findPdfScans(streamed, { allPages: false }))[0].bytes.equals(UTOPIA)).toBe(
			true,
		);
	});

	it('clamps a huge claimed /Length to the data before endstream', async () => {
		const pdf = pdfOf([scanPage()])
			.toString('latin1')
			.replace(`/Length ${UTOPIA.length}`, '/Length 999999999999');
		expect(
			images(await findPdfScans(Buffer.from(pdf, 'latin1'), { allPages: false }))[0].bytes.equals(
				UTOPIA,
			),
		).toBe(true);
	});

	it('follows an indirect /Length', async () => {
		const { builder, root } = buildDocument([scanPage()]);
		builder.set(500, String(UTOPIA.length));
		const pdf = builder
			.toBuffer({ root })
			.toString('latin1')
			.replace(`/Length ${UTOPIA.length}`, '/Length 500 0 R');
		expect(
			images(await findPdfScans(Buffer.from(pdf, 'latin1'), { allPages: false }))[0].bytes.equals(
				UTOPIA,
			),
		).toBe(true);
	});

	it('refuses deep nesting without exhausting the stack', async () => {
		const deep = `${'['.repeat(100000)}${']'.repeat(100000)}`;
		const { builder, root } = buildDocument([scanPage()]);
		builder.add(`<< /Junk ${deep} >>`);
		const pdf = builder.toBuffer({ root });
		// The nested object is never needed, so the scan is still found.
		expect(images(await findPdfScans(pdf, { allPages: false }))[0].bytes.equals(UTOPIA)).toBe(true);
		const hostile = pdf
			.toString('latin1')
			.replace('/Type /Catalog', `/Type /Catalog /Junk ${deep}`);
		const result = refused(await findPdfScans(Buffer.from(hostile, 'latin1'), { allPages: false }));
		expect(result.code).toBe('PDF.DAMAGED');
	});

	it('stops at the object cap', async () => {
		const { builder, root } = buildDocument([scanPage()]);
		for (let i = 0; i < 300; i++) builder.add('null');
		const result = refused(
			await findPdfScans(builder.toBuffer({ root }), {
				allPages: false,
				limits: { maxObjects: 100 },
			}),
		);
		expect(result.code).toBe('PDF.TOO_LARGE');
	});

	it('stops a deflate bomb in a content stream at the cap', async () => {
		const { builder, root } = buildDocument([scanPage()]);
		const pdf = builder.toBuffer({ root });
		const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
		const b2 = new PdfBuilder();
		const content = b2.add('<< /Filter /FlateDecode >>', bomb);
		const pagesNum = b2.reserve();
		const scan = b2.add(jpegImage(UTOPIA, 1250, 880).dict, UTOPIA);
		const page = b2.add(
			`<< /Type /Page /Parent ${pagesNum} 0 R /Resources << /XObject << /Im1 ${scan} 0 R >> >> /Contents ${content} 0 R >>`,
		);
		b2.set(pagesNum, `<< /Type /Pages /Kids [${page} 0 R] /Count 1 >>`);
		const r2 = b2.add(`<< /Type /Catalog /Pages ${pagesNum} 0 R >>`);
		const started = Date.now();
		const result = await findPdfScans(b2.toBuffer({ root: r2 }), { allPages: false });
		expect(Date.now() - started).toBeLessThan(3000);
		// The content cannot be searched, so every listed image counts and the scan is still found.
		expect(images(result)[0].bytes.equals(UTOPIA)).toBe(true);
		expect(isPdf(pdf)).toBe(true);
	});
});

describe('findPdfScans: pixel scans too large to send as stored', () => {
	/** Each pixel of the half-size image is the rounded mean of a 2 × 2 block of the original. */
	function halfOf(pixels: Buffer, width: number, height: number, channels: number): Buffer {
		const w = Math.ceil(width / 2);
		const h = Math.ceil(height / 2);
		const out = Buffer.alloc(w * h * channels);
		for (let y = 0; y < h; y++) {
			for (let x = 0; x < w; x++) {
				for (let c = 0; c < channels; c++) {
					let sum = 0;
					let count = 0;
					for (let dy = 0; dy < 2 && 2 * y + dy < height; dy++) {
						for (let dx = 0; dx < 2 && 2 * x + dx < width; dx++) {
							sum += pixels[((2 * y + dy) * width + 2 * x + dx) * channels + c];
							count++;
						}
					}
					out[(y * w + x) * channels + c] = Math.floor((sum + (count >> 1)) / count);
				}
			}
		}
		return out;
	}

	const pixelsOf = (png: Buffer, width: number, channels: number) =>
		unfilterPngRows(inflateSync(readPng(png).idat), width * channels, channels);

	it.each([
		['no predictor', false],
		['PNG predictor', true],
	] as const)(
		'halves a photo whose PNG would pass the file limit, and says so (%s)',
		async (_, predictor) => {
			const [width, height] = [901, 601];
			const pixels = photoPixels(width, height, 3);
			const pdf = pdfOf([{ images: [rawImage(pixels, width, height, { predictor })] }]);
			const maxFileBytes = 600_000;
			const [image] = images(
				await findPdfScans(pdf, { allPages: false, send: { maxSidePx: 8192, maxFileBytes } }),
			);
			expect(image).toMatchObject({
				format: 'png',
				widthPx: 451,
				heightPx: 301,
				resizedFrom: { widthPx: width, heightPx: height },
			});
			expect(image.bytes.length).toBeLessThanOrEqual(maxFileBytes);
			expect(pixelsOf(image.bytes, 451, 3)?.equals(halfOf(pixels, width, height, 3))).toBe(true);
			// With room enough, the same file goes at full size.
			const [full] = images(await findPdfScans(pdf, { allPages: false }));
			expect(full).toMatchObject({ widthPx: width, heightPx: height });
			expect(full.resizedFrom).toBeUndefined();
			expect(pixelsOf(full.bytes, width, 3)?.equals(pixels)).toBe(true);
		},
	);

	it('halves until the longest side fits the edition, from the dimensions alone', async () => {
		const pixels = testPixels(1000, 700, 1);
		const pdf = pdfOf([{ images: [rawImage(pixels, 1000, 700, { channels: 1 })] }]);
		const [image] = images(await findPdfScans(pdf, { allPages: false, send: { maxSidePx: 300 } }));
		expect(image).toMatchObject({ widthPx: 250, heightPx: 175, resizedFrom: { widthPx: 1000 } });
	});

	it('keeps inverting a /Decode [1 0] scan while halving it', async () => {
		const pixels = photoPixels(640, 480, 1, 7);
		const pdf = pdfOf([
			{
				images: [
					rawImage(pixels, 640, 480, { channels: 1, predictor: true, extra: ' /Decode [1 0]' }),
				],
			},
		]);
		const [image] = images(await findPdfScans(pdf, { allPages: false, send: { maxSidePx: 400 } }));
		const negative = Buffer.from(pixels.map((value) => 255 - value));
		expect(pixelsOf(image.bytes, 320, 1)?.equals(halfOf(negative, 640, 480, 1))).toBe(true);
	});

	it('gives the event loop turns while it converts, and answers the same', async () => {
		const [width, height] = [1600, 1200];
		const pdf = pdfOf([{ images: [rawImage(photoPixels(width, height, 3), width, height)] }]);
		let ticks = 0;
		let longest = 0;
		let last = Date.now();
		const timer = setInterval(() => {
			ticks++;
			longest = Math.max(longest, Date.now() - last);
			last = Date.now();
		}, 1);
		const started = Date.now();
		last = started;
		const result = await findPdfScans(pdf, { allPages: false });
		const took = Date.now() - started;
		clearInterval(timer);
		expect(images(result)[0]).toMatchObject({ widthPx: width, heightPx: height });
		// Figures for the slowest machine would make this flaky; that the loop ran during the work is what counts.
		expect(ticks).toBeGreaterThan(took > 200 ? 3 : 0);
	});
});

describe('findPdfScans: JPEGs as scanners really store them', () => {
	const grey = (jpeg: Buffer, width: number, height: number, extra = '') => ({
		dict: `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode${extra} >>`,
		data: jpeg,
	});

	it('reads a complete JPEG followed by padding, up to its end', async () => {
		const padded = Buffer.concat([UTOPIA, Buffer.alloc(5000, 0)]);
		const pdf = pdfOf([{ images: [jpegImage(padded, 1250, 880)] }]);
		const [image] = images(await findPdfScans(pdf, { allPages: false }));
		expect(image.bytes.equals(UTOPIA)).toBe(true);
	});

	it('refuses a JPEG the PDF shows as a negative (/Decode [1 0]), saying why', async () => {
		const pdf = pdfOf([{ images: [grey(makeJpeg(800, 600), 800, 600, ' /Decode [1 0]')] }]);
		const result = refused(await findPdfScans(pdf, { allPages: false }));
		expect(result.code).toBe('PDF.IMAGE_UNSUPPORTED');
		expect(result.message).toMatch(/negative/);
	});

	it('refuses a CMYK JPEG, as the README says', async () => {
		const cmyk = {
			dict: jpegImage(UTOPIA, 1250, 880).dict.replace('/DeviceRGB', '/DeviceCMYK'),
			data: UTOPIA,
		};
		const result = refused(await findPdfScans(pdfOf([{ images: [cmyk] }]), { allPages: false }));
		expect(result.code).toBe('PDF.IMAGE_UNSUPPORTED');
		expect(result.message).toMatch(/CMYK/);
	});

	const stripPage = (heights: number[], width = 640) => {
		const total = heights.reduce((a, b) => a + b, 0);
		let top = total;
		const placements = heights.map((h) => {
			top -= h;
			return `${width} 0 0 ${h} 0 ${top}`;
		});
		// Drawn bottom strip first, as some writers do: the order comes from where they land.
		return {
			images: heights.map((h) => grey(makeJpeg(width, h), width, h)).reverse(),
			placements: placements.reverse(),
		};
	};

	it('joins a page stored as JPEG strips into one JPEG, without decoding', async () => {
		const pdf = pdfOf([stripPage([160, 160, 160, 100])]);
		const [image] = images(await findPdfScans(pdf, { allPages: false }));
		expect(image).toMatchObject({ format: 'jpeg', widthPx: 640, heightPx: 580 });
		const layout = readJpegLayout(image.bytes);
		expect(layout).toMatchObject({ scans: 1, restartInterval: 80 * 20, height: 580 });
		// Each strip's data, then a restart marker, in order: RST0, RST1, RST2.
		const markers = [0xd0, 0xd1, 0xd2].map((m) => image.bytes.indexOf(Buffer.from([0xff, m])));
		expect(markers.every((at, i) => at > 0 && (i === 0 || at > markers[i - 1]))).toBe(true);
	});

	it('refuses strips that cannot be joined without decoding, and never sends one strip', async () => {
		const pdf = pdfOf([stripPage([300, 301, 300])]);
		const result = refused(await findPdfScans(pdf, { allPages: false }));
		expect(result.code).toBe('PDF.IMAGE_UNSUPPORTED');
		expect(result.message).toMatch(/stored in 3 pieces/);
		expect(result.description).toMatch(/whole page as one JPEG/);
	});
});

describe('findPdfScans: only images the page shows', () => {
	it('leaves out an image only an unused form lists', async () => {
		const { builder, root } = buildDocument([{ images: [jpegImage(CHINA, 1250, 880)] }]);
		const big = builder.add(jpegImage(makeJpeg(2000, 1500), 2000, 1500).dict, makeJpeg(2000, 1500));
		const unused = builder.add(
			`<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /Big ${big} 0 R >> >> >>`,
			Buffer.from('/Big Do'),
		);
		const pdf = builder
			.toBuffer({ root })
			.toString('latin1')
			.replace('/XObject << /Im1', `/XObject << /Unused ${unused} 0 R /Im1`);
		const [image] = images(await findPdfScans(Buffer.from(pdf, 'latin1'), { allPages: false }));
		expect(image.bytes.equals(CHINA)).toBe(true);
	});

	it.each(['marked', 'oc'] as const)(
		'leaves out a larger image in a hidden optional-content layer (%s)',
		async (how) => {
			const [image] = images(await findPdfScans(hiddenLayerPdf(how), { allPages: false }));
			expect(image.bytes.equals(CHINA)).toBe(true);
		},
	);

	it('says when the only picture is an annotation stamp', async () => {
		const result = refused(await findPdfScans(stampOnlyPdf(), { allPages: false }));
		expect(result.code).toBe('PDF.NO_SCAN');
		expect(result.message).toMatch(/annotation/);
		expect(result.message).toContain('1250 × 880 px');
		expect(result.message).not.toMatch(/only text or drawings/);
	});

	it('says when the only picture is an inline image', async () => {
		const inline = `q 595 0 0 842 0 0 cm BI /W 800 /H 600 /CS /G /BPC 8 /F /DCT ID ${makeJpeg(800, 600).toString('latin1')} EI Q`;
		const pdf = pdfOf([{ extraContent: inline }]);
		const result = refused(await findPdfScans(pdf, { allPages: false }));
		expect(result.code).toBe('PDF.NO_SCAN');
		expect(result.message).toMatch(/inline image/);
		expect(result.message).toContain('800 × 600 px');
	});
});
