import {
	MAX_BASE64_LENGTH,
	MAX_FILE_BYTES,
	MIN_SIDE_PX,
	base64Length,
} from '../../../nodes/PassportOcr/contract/serviceLimits';
import {
	ACCEPTED_FORMATS,
	checkImageLimits,
	describeImageProblem,
	type ImageProblem,
} from '../../../nodes/PassportOcr/input/imageLimits';
import { EDITIONS } from '../../../nodes/PassportOcr/credential/endpoints';
import { makeBmp, makeJpeg, makePng, makeTiff } from '../../support/imageBytes';

const HUAWEI = { maxSidePx: EDITIONS.huawei.maxSidePx };
const G42 = { maxSidePx: EDITIONS.g42.maxSidePx };

const BUILDERS: Array<[name: string, make: (width: number, height: number) => Buffer]> = [
	['JPEG', makeJpeg],
	['PNG', makePng],
	['BMP', makeBmp],
	['TIFF', makeTiff],
];

/** A real PNG followed by zero bytes up to `length`; decoders stop at IEND and ignore the rest. */
const pngOfLength = (length: number) => {
	const png = makePng(100, 80);
	return Buffer.concat([png, Buffer.alloc(length - png.length)]);
};

function problemOf(bytes: Uint8Array, limits = HUAWEI): ImageProblem {
	const check = checkImageLimits(bytes, limits);
	if (check.ok) throw new Error(`expected a problem, got ${JSON.stringify(check)}`);
	return check;
}

describe('the documented limits', () => {
	it('are 10 MB of Base64, 15 px, and the four formats', () => {
		expect(MAX_BASE64_LENGTH).toBe(10 * 1024 * 1024);
		expect(MIN_SIDE_PX).toBe(15);
		expect(ACCEPTED_FORMATS).toEqual(['JPEG', 'PNG', 'BMP', 'TIFF']);
	});

	it.each([0, 1, 2, 3, 4, 5, 6, 100, 1001, 65536])(
		'base64Length(%i) is the length of the real Base64 text',
		(n) => {
			expect(base64Length(n)).toBe(Buffer.alloc(n, 0xa5).toString('base64').length);
		},
	);

	it('MAX_FILE_BYTES is the largest file whose Base64 text fits', () => {
		expect(Buffer.alloc(MAX_FILE_BYTES).toString('base64').length).toBe(MAX_BASE64_LENGTH);
		expect(base64Length(MAX_FILE_BYTES + 1)).toBeGreaterThan(MAX_BASE64_LENGTH);
	});
});

describe('checkImageLimits', () => {
	it.each(BUILDERS)('accepts a %s within every limit and reports what it read', (_name, make) => {
		const bytes = make(640, 480);
		expect(checkImageLimits(bytes, HUAWEI)).toEqual({
			ok: true,
			format: expect.stringMatching(/^(jpeg|png|bmp|tiff)$/),
			width: 640,
			height: 480,
			base64Length: bytes.toString('base64').length,
		});
	});

	it('accepts a file whose Base64 text is exactly 10 MB', () => {
		expect(checkImageLimits(pngOfLength(MAX_FILE_BYTES), HUAWEI)).toMatchObject({
			ok: true,
			base64Length: MAX_BASE64_LENGTH,
		});
	});

	it('refuses a file one byte larger, showing exact byte counts where MB would look equal', () => {
		expect(problemOf(pngOfLength(MAX_FILE_BYTES + 1))).toEqual({
			ok: false,
			problem: 'file-size',
			measured: '7,864,321 bytes',
			limit: '7,864,320 bytes',
		});
	});

	it('checks the size before reading anything, so a big file of any kind is refused for size', () => {
		expect(problemOf(Buffer.alloc(9 * 1024 * 1024))).toEqual({
			ok: false,
			problem: 'file-size',
			measured: '9 MB',
			limit: '7.5 MB',
		});
	});

	describe.each(BUILDERS)('on a %s', (_name, make) => {
		it.each([
			[15, 200],
			[200, 15],
		])('accepts %i × %i px (shortest side exactly 15 px)', (width, height) => {
			expect(checkImageLimits(make(width, height), HUAWEI)).toMatchObject({
				ok: true,
				width,
				height,
			});
		});

		it.each([
			[14, 200],
			[200, 14],
		])('refuses %i × %i px as too small', (width, height) => {
			expect(problemOf(make(width, height))).toEqual({
				ok: false,
				problem: 'too-small',
				measured: `${width} × ${height} px`,
				limit: '15 px',
			});
		});

		it.each([
			['Huawei Cloud', 8192, HUAWEI],
			['G42 Cloud', 4096, G42],
		])(
			'on %s accepts a longest side of exactly %s px and refuses one more',
			(_cloud, max, limits) => {
				expect(checkImageLimits(make(max, 15), limits)).toMatchObject({ ok: true, width: max });
				expect(checkImageLimits(make(15, max), limits)).toMatchObject({ ok: true, height: max });
				expect(problemOf(make(max + 1, 15), limits)).toEqual({
					ok: false,
					problem: 'too-large',
					measured: `${max + 1} × 15 px`,
					limit: `${max} px`,
				});
				expect(problemOf(make(15, max + 1), limits)).toMatchObject({ problem: 'too-large' });
			},
		);
	});

	it('refuses a GIF as a format problem, naming what the file is', () => {
		expect(problemOf(Buffer.from('GIF89a\x01\0\x01\0\0\0\0', 'latin1'))).toEqual({
			ok: false,
			problem: 'format',
			measured: 'a GIF image',
			limit: 'JPEG, PNG, BMP or TIFF',
		});
	});

	it.each([
		[
			'a cut-off PNG',
			makePng(100, 80).subarray(0, 20),
			'the PNG file ends before the image size is given',
		],
		['an empty file', Buffer.alloc(0), 'the file is empty'],
		['a PNG of 0 px width', makePng(0, 80), 'the file says the image is 0 × 80 px'],
	])('refuses %s as unreadable, saying why', (_name, bytes, measured) => {
		expect(problemOf(bytes)).toEqual({
			ok: false,
			problem: 'unreadable',
			measured,
			limit: 'a complete JPEG, PNG, BMP or TIFF file',
		});
	});

	it('refuses a 17-byte JPEG claiming 65535 × 65535 px as too large', () => {
		const tiny = Buffer.from('ffd8ffc0000b08ffffffff01011100ffd9', 'hex');
		expect(problemOf(tiny)).toMatchObject({ problem: 'too-large', measured: '65535 × 65535 px' });
	});
});

describe('describeImageProblem', () => {
	it('names the file, the size and the limit for a too-large image', () => {
		const found = problemOf(makeJpeg(9000, 6000));
		const { message, description } = describeImageProblem(found, 'passport.jpg');
		expect(message).toBe('passport.jpg is 9000 × 6000 px; the longest side may be at most 8192 px');
		expect(description).toMatch(/smaller.*8192 px/);
		expect(description).toMatch(/Edit Image node .*Operation Resize, Width and Height 8192/);
		expect(description).toMatch(/G42 Cloud allows only 4096 px a side/);
	});

	it('names the file, the size and the limit for a too-small image', () => {
		const { message, description } = describeImageProblem(problemOf(makePng(14, 300)), 'thumb.png');
		expect(message).toBe('thumb.png is 14 × 300 px; the shortest side must be at least 15 px');
		expect(description).toMatch(/original photo or scan/);
	});

	it('names the file, its size and the limit for a file that is too big', () => {
		const found = problemOf(pngOfLength(9 * 1024 * 1024));
		const { message, description } = describeImageProblem(found, 'scan.png');
		expect(message).toBe('scan.png is 9 MB; the service accepts files of at most 7.5 MB');
		expect(description).toMatch(/10 MB.*7\.5 MB.*JPEG/);
	});

	it('names the file, what it is and the accepted formats for a wrong format', () => {
		const heic = Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1');
		const { message, description } = describeImageProblem(problemOf(heic), 'IMG_0042.HEIC');
		expect(message).toBe(
			'IMG_0042.HEIC is a HEIC image; the service accepts only JPEG, PNG, BMP or TIFF images',
		);
		expect(description).toMatch(/save or export .* as JPEG or PNG/i);
	});

	it('names the file and what is wrong for an unreadable file', () => {
		const found = problemOf(makeJpeg(640, 480).subarray(0, 30));
		const { message, description } = describeImageProblem(found, 'The Base64 image');
		expect(message).toBe(
			'The Base64 image is not a complete, readable image: the JPEG file ends before the image size is given',
		);
		expect(description).toMatch(/damaged or only partly downloaded/);
	});

	it.each([
		['too-large', makeJpeg(9000, 15)],
		['too-small', makeBmp(10, 10)],
		['file-size', pngOfLength(MAX_FILE_BYTES + 4096)],
		['format', Buffer.from('%PDF-1.4', 'latin1')],
		['unreadable', makeTiff(40, 30).subarray(0, 12)],
	])('writes the %s problem in plain words, without format internals', (problem, bytes) => {
		const found = problemOf(bytes);
		expect(found.problem).toBe(problem);
		const { message, description } = describeImageProblem(found, 'passport.jpg');
		expect(message.startsWith('passport.jpg ')).toBe(true);
		expect(message).toContain(found.measured);
		expect(`${message} ${description}`).not.toMatch(
			/base64|header|IHDR|IFD|SOF|marker|chunk|undefined|NaN|\[object/i,
		);
		expect(description.length).toBeGreaterThan(40);
	});
});
