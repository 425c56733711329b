/**
 * PDF files as users send them, built here from the specimen scans with the test PDF writer: a scanner's
 * single JPEG page, a form page then the scan, several passports in one file, a pixel (Flate) image, and the
 * files the node must refuse (text only, encrypted, cut off, an encoding it cannot pass on). Plus a page tree
 * that loops back on itself.
 */
import { FIXTURES } from '../emulator';
import { makeJpeg } from './imageBytes';
import { buildDocument, codecImage, jpegImage, pdfOf, rawImage, testPixels } from './pdfBytes';

const specimen = (name: string): Buffer => {
	const found = FIXTURES.find((f) => f.name === name);
	if (!found) throw new Error(`No fixture ${name}`);
	return found.bytes;
};

/** Both JPEG specimens are 1250 × 880 px. */
export const UTOPIA_JPEG = specimen('utopia-eriksson');
export const CHINA_JPEG = specimen('china-qian');
const scanPage = (jpeg: Buffer) => ({ images: [jpegImage(jpeg, 1250, 880)] });

/** What an office scanner or phone scanner app makes: one page, one JPEG. */
export const jpegPagePdf = (layout: 'table' | 'objectStreams' = 'table'): Buffer =>
	pdfOf([scanPage(UTOPIA_JPEG)], layout === 'objectStreams' ? { objectStreams: true } : {});

/** An application form (text and a small logo) on page 1, the passport scan on page 2. */
export const formThenScanPdf = (): Buffer =>
	pdfOf([
		{ text: 'Visa application form', images: [jpegImage(makeJpeg(160, 60), 160, 60)] },
		scanPage(CHINA_JPEG),
	]);

/** A family's passports: scans on pages 1 and 3, a text page between them. */
export const severalScansPdf = (): Buffer =>
	pdfOf([scanPage(UTOPIA_JPEG), { text: 'Notes' }, scanPage(CHINA_JPEG)], { xref: 'stream' });

/** A scan stored as raw pixels (Flate): the node converts it to PNG. */
export const flateImagePdf = (): Buffer =>
	pdfOf([{ images: [rawImage(testPixels(600, 420, 3), 600, 420, { predictor: true })] }]);

export const textOnlyPdf = (): Buffer => pdfOf([{ text: 'Passport copy to follow' }]);

export const encryptedPdf = (): Buffer =>
	pdfOf([scanPage(UTOPIA_JPEG)], {
		trailer: () => '/Encrypt << /Filter /Standard /V 1 /R 2 /O (x) /U (y) /P -4 >>',
	});

/** Cut off in the middle of the scan, as an interrupted download leaves it. */
export function truncatedPdf(): Buffer {
	const pdf = jpegPagePdf();
	return pdf.subarray(0, pdf.indexOf('stream\n') + 7 + 50_000);
}

/** A scan stored as JPEG 2000, which the service does not take. */
export const jpeg2000Pdf = (): Buffer => pdfOf([{ images: [codecImage('JPXDecode', 1250, 880)] }]);

/** The page tree's root lists itself as a second kid: a loop a naive reader never leaves. */
export function cyclicPdf(): Buffer {
	const { builder, root } = buildDocument([scanPage(UTOPIA_JPEG)]);
	const text = builder
		.toBuffer({ root })
		.toString('latin1')
		.replace(/\/Kids \[(\d+) 0 R\]/, '/Kids [$1 0 R 2 0 R]');
	return Buffer.from(text, 'latin1');
}

/** A JPEG scan wider than the service allows (9000 px): the limits apply to the extracted image. */
export const oversizedScanPdf = (): Buffer =>
	pdfOf([{ images: [jpegImage(makeJpeg(9000, 600), 9000, 600)] }]);

/** A passport scan on page 1 and a pixel image no service can read as a passport on page 2. */
export const scanThenPatternPdf = (): Buffer =>
	pdfOf([
		scanPage(UTOPIA_JPEG),
		{ images: [rawImage(testPixels(600, 420, 3), 600, 420, { predictor: true })] },
	]);
