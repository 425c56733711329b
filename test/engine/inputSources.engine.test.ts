import { PASSPORT_FIELDS } from '../../nodes/PassportOcr/contract/passportApi';
import { FIXTURES } from '../emulator';
import { NODE_NAME, startTestbed, type Testbed } from './passportOcrTestbed';
import { jpegSegment } from '../support/imageBytes';
import { fileItem, fixture, passportItem } from './specimens';

const trimmedOrNull = (value: unknown) =>
	typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/** What each specimen's MRZ supplies: the Dutch page's line 2 was not read, so it holds only the type. */
const FILLED_FROM_MRZ: Record<string, string[]> = {
	'china-qian': [],
	'netherlands-van-den-broek': ['passport_type'],
	'utopia-eriksson': ['passport_type', 'nationality'],
};

describe('Passport OCR in the n8n engine: input sources and output', () => {
	let testbed: Testbed;
	beforeAll(async () => {
		testbed = await startTestbed();
	});
	afterAll(async () => await testbed.close());

	it.each(['memory', 'filesystem'] as const)(
		'reads every specimen from binary files (%s binary mode), one linked item each, fields as recorded',
		async (binaryDataMode) => {
			const run = await testbed.run(
				{ inputSource: 'binary', binaryPropertyName: 'data' },
				{ input: FIXTURES.map((f) => passportItem(f.name)), binaryDataMode },
			);
			const items = run.outputItems(NODE_NAME);
			expect(items).toHaveLength(FIXTURES.length);
			FIXTURES.forEach((f, index) => {
				const { json, pairedItem, binary } = items[index];
				expect(pairedItem).toEqual({ item: index });
				// A field the service left out is the MRZ's where the MRZ proves it, and says so.
				const filled = json.filled_from_mrz as string[];
				expect(filled).toEqual(FILLED_FROM_MRZ[f.name]);
				for (const field of PASSPORT_FIELDS.filter((name) => !filled.includes(name)))
					expect(json[field]).toBe(trimmedOrNull(f.result[field]));
				expect(json.confidence).toEqual(f.result.confidence ?? {});
				expect(json.extra_info).toEqual(f.result.extra_info ?? {});
				expect(json.request_id).toEqual(expect.any(String));
				expect(binary?.data.fileName).toBe(f.file);
				if (binaryDataMode === 'filesystem') expect(binary?.data.id).toEqual(expect.any(String));
			});
		},
	);

	it('keeps the MRZ lines the service returns and leaves them out when it returns none', async () => {
		const run = await testbed.run(
			{ inputSource: 'binary', binaryPropertyName: 'data' },
			{ input: [passportItem('utopia-eriksson'), passportItem('china-qian')] },
		);
		const [utopia, china] = run.outputItems(NODE_NAME).map((item) => item.json);
		expect(utopia.machine_code).toBe(String(fixture('utopia-eriksson').result.machine_code).trim());
		expect(utopia.machine_code2).toBe(fixture('utopia-eriksson').result.machine_code2);
		expect(china).not.toHaveProperty('machine_code');
		expect(china.date_of_issue).toBe('2019-06-20');
	});

	it('reads an image URL: the service downloads it', async () => {
		const f = fixture('china-qian');
		const run = await testbed.run({
			inputSource: 'url',
			imageUrl: testbed.emulator.fileUrl(f.file),
		});
		expect(run.outputItems(NODE_NAME)[0].json.passport_number).toBe(f.result.passport_number);
		const call = testbed.emulator.log.filter((entry) => entry.kind === 'ocr').pop();
		expect(call?.bodyMode).toBe('url');
	});

	it('reads Base64 text with a data: prefix and line breaks, which the service itself would reject', async () => {
		const f = fixture('netherlands-van-den-broek');
		const base64 = f.bytes.toString('base64').replace(/(.{76})/g, '$1\n');
		const run = await testbed.run(
			{ inputSource: 'base64', base64Image: `data:${f.mimeType};base64,${base64}` },
			{ input: [{ json: {} }] },
		);
		expect(run.outputItems(NODE_NAME)[0].json.surname).toBe(trimmedOrNull(f.result.surname));
	});

	it('returns the raw result with Simplify off, and drops the binary on request', async () => {
		const f = fixture('netherlands-van-den-broek');
		const run = await testbed.run(
			{
				inputSource: 'binary',
				binaryPropertyName: 'data',
				options: { simplify: false, keepInputBinary: false },
			},
			{ input: [passportItem(f.name)] },
		);
		const [item] = run.outputItems(NODE_NAME);
		expect(item.json.result).toEqual(f.result);
		expect(item.json.request_id).toEqual(expect.any(String));
		expect(item.binary).toBeUndefined();
	});

	it('maps a binary field by another name', async () => {
		const f = fixture('utopia-eriksson');
		const run = await testbed.run(
			{ inputSource: 'binary', binaryPropertyName: 'scan' },
			{ input: [{ binary: { scan: { bytes: f.bytes, fileName: f.file, mimeType: f.mimeType } } }] },
		);
		expect(run.outputItems(NODE_NAME)[0].json.surname).toBe('ERIKSSON');
	});
});

describe('Passport OCR in the n8n engine: recognizer choice per edition', () => {
	it.each([
		['huawei', 'CHN', 'CHN'],
		['huawei', 'auto', undefined],
		['g42', 'CHN', undefined],
	] as const)(
		'on the %s edition, recognizer %s sends country_code %s',
		async (edition, recognizer, sent) => {
			const testbed = await startTestbed({ edition });
			try {
				const f = fixture('china-qian');
				const run = await testbed.run(
					{ inputSource: 'binary', binaryPropertyName: 'data', options: { recognizer } },
					{ input: [passportItem(f.name)] },
				);
				expect(run.outputItems(NODE_NAME)[0].json.passport_number).toBe(f.result.passport_number);
				const call = testbed.emulator.log.find((entry) => entry.kind === 'ocr');
				expect(call?.countryCode).toBe(sent);
			} finally {
				await testbed.close();
			}
		},
	);
});

describe('files n8n keeps in memory: the Base64 the item holds goes out as it is', () => {
	let testbed: Testbed;
	beforeAll(async () => {
		testbed = await startTestbed();
	});
	afterAll(async () => await testbed.close());

	const surname = (run: Awaited<ReturnType<Testbed['run']>>) =>
		run.outputItems(NODE_NAME)[0]?.json.surname;

	it('reads a JPEG whose metadata puts the image header far past the first 64 KB', async () => {
		const utopia = fixture('utopia-eriksson');
		if (utopia.bytes[0] !== 0xff || utopia.bytes[1] !== 0xd8) throw new Error('not a JPEG');
		// An APP1 segment of 60 KB, three times: the frame header then starts about 180 KB in.
		const app1 = jpegSegment(0xe1, Buffer.alloc(60_000, 0x41));
		const bytes = Buffer.concat([
			utopia.bytes.subarray(0, 2),
			app1,
			app1,
			app1,
			utopia.bytes.subarray(2),
		]);
		testbed.emulator.recordResult(bytes, utopia.result);
		const run = await testbed.run(
			{ inputSource: 'binary', binaryPropertyName: 'data' },
			{ input: [fileItem(bytes, 'metadata-first.jpg', 'image/jpeg')] },
		);
		expect(surname(run)).toBe('ERIKSSON');
	});

	it('reads Base64 text with line breaks, as a Code node may write it, by decoding it first', async () => {
		const utopia = fixture('utopia-eriksson');
		const wrapped = utopia.bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
		const item = fileItem(utopia.bytes, utopia.file, utopia.mimeType);
		if (item.binary) item.binary.data.heldText = wrapped;
		const run = await testbed.run(
			{ inputSource: 'binary', binaryPropertyName: 'data' },
			{ input: [item] },
		);
		expect(surname(run)).toBe('ERIKSSON');
	});

	it('still refuses a file that is not an image, from the first bytes alone', async () => {
		const run = await testbed.run(
			{ inputSource: 'binary', binaryPropertyName: 'data' },
			{
				input: [fileItem(Buffer.alloc(300_000, 0x20), 'notes.txt', 'text/plain')],
				continueOnFail: true,
			},
		);
		expect(run.outputItems(NODE_NAME)[0]?.json.error_code).toBe('INPUT.FORMAT');
	});
});
