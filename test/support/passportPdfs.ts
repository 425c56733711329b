/**
 * PDF files as users send them, built here from the specimen scans with the test PDF writer: a scanner's
 * single JPEG page, a form page then the scan, several passports in one file, a pixel (Flate) image, and the
 * files the node must refuse (text only, encrypted, cut off, an encoding it cannot pass on). Plus a page tree
 * that loops back on itself.
 */
import { FIXTURES } from '../emulator';
import { makeJpeg } from './imageBytes';
import {
	buildDocument,
	codecImage,
	jpegImage,
	ownerOnlyPdf,
	pdfOf,
	photoPixels,
	rawImage,
	testPixels,
} from './pdfBytes';

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

/** The specimen scan in a PDF protected by an owner password only: it opens without asking. */
export const ownerPasswordPdf = (method: 'rc4-40' | 'rc4-128' | 'aes-128'): Buffer =>
	ownerOnlyPdf([scanPage(UTOPIA_JPEG)], method, { objectStreams: method === 'aes-128' });

/** The specimen JPEG followed by padding inside its stream, as a few scanners write it. */
export const paddedJpegPdf = (): Buffer =>
	pdfOf([{ images: [jpegImage(Buffer.concat([UTOPIA_JPEG, Buffer.alloc(8192, 0)]), 1250, 880)] }]);

/** A greyscale JPEG the PDF shows inverted (/Decode [1 0]): sent as it is, it would be a negative. */
export const negativeJpegPdf = (): Buffer =>
	pdfOf([
		{
			images: [
				{
					dict: '<< /Type /XObject /Subtype /Image /Width 900 /Height 640 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Decode [1 0] >>',
					data: makeJpeg(900, 640),
				},
			],
		},
	]);

/** A page stored as four JPEG strips, one above the other. */
export function stripsPdf(): Buffer {
	const heights = [200, 200, 200, 80];
	let top = 680;
	return pdfOf([
		{
			images: heights.map((h) => ({
				dict: `<< /Type /XObject /Subtype /Image /Width 900 /Height ${h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode >>`,
				data: makeJpeg(900, h),
			})),
			placements: heights.map((h) => `900 0 0 ${h} 0 ${(top -= h)}`),
		},
	]);
}

/**
 * The Chinese specimen on the page, and a larger image in a layer hidden when the document opens, hidden by
 * marked content (`/OC /Old BDC … EMC`) or by the image's own /OC entry: only the visible one may be sent.
 */
export function hiddenLayerPdf(how: 'marked' | 'oc' = 'marked'): Buffer {
	const { builder, root } = buildDocument([
		{
			images: [jpegImage(CHINA_JPEG, 1250, 880)],
			extraContent:
				how === 'marked'
					? '/OC /Old BDC q 595 0 0 842 0 0 cm /Hidden Do Q EMC'
					: 'q 595 0 0 842 0 0 cm /Hidden Do Q',
			extraResources: '/Properties << /Old 900 0 R >>',
		},
	]);
	builder.set(900, '<< /Type /OCG /Name (Earlier scan) >>');
	const jpeg = makeJpeg(2000, 1400);
	const dict = jpegImage(jpeg, 2000, 1400).dict;
	const hidden = builder.add(how === 'oc' ? dict.replace(/>>$/, '/OC 900 0 R >>') : dict, jpeg);
	const pdf = builder
		.toBuffer({ root })
		.toString('latin1')
		.replace('/XObject << /Im1', `/XObject << /Hidden ${hidden} 0 R /Im1`)
		.replace(
			'/Type /Catalog',
			'/Type /Catalog /OCProperties << /OCGs [900 0 R] /D << /OFF [900 0 R] >> >>',
		);
	return Buffer.from(pdf, 'latin1');
}

/** A text page whose only picture is an annotation stamp (an approval stamp with a photo in it). */
export function stampOnlyPdf(): Buffer {
	const { builder, root } = buildDocument([{ text: 'Approved', extraPage: '/Annots [901 0 R]' }]);
	const stamp = builder.add(jpegImage(UTOPIA_JPEG, 1250, 880).dict, UTOPIA_JPEG);
	const appearance = builder.add(
		`<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /S ${stamp} 0 R >> >> >>`,
		Buffer.from('q 100 0 0 100 0 0 cm /S Do Q'),
	);
	builder.set(
		901,
		`<< /Type /Annot /Subtype /Stamp /Rect [0 0 100 100] /AP << /N ${appearance} 0 R >> >>`,
	);
	return builder.toBuffer({ root });
}

/**
 * A phone photo stored as Flate pixels with no predictor, as ImageMagick's zip compression writes it, whose PNG
 * would be larger than the service takes: it is sent at half size.
 */
export const flatePhotoPdf = (width = 3000, height = 2000): Buffer =>
	pdfOf([{ images: [rawImage(photoPixels(width, height, 3), width, height)] }]);
