import { fixture, passportItem } from './specimens';
import { NODE_NAME, startTestbed, type Testbed } from './passportOcrTestbed';

const formUpload = (fields: string[]) => {
	const f = fixture('utopia-eriksson');
	const binary = Object.fromEntries(
		fields.map((field) => [
			field,
			{ bytes: f.bytes, fileName: `${field}.jpg`, mimeType: f.mimeType },
		]),
	);
	return { json: { Name: 'Anna' }, binary };
};

describe('form-friendly binary input', () => {
	let testbed: Testbed;
	beforeAll(async () => {
		testbed = await startTestbed();
	});
	afterAll(async () => await testbed.close());

	it('reads the one file of a Form Trigger item whatever its field is called, and says which field', async () => {
		const run = await testbed.run(
			{ inputSource: 'binary', binaryPropertyName: 'data' },
			{ input: [formUpload(['Passport_Scan'])] },
		);
		const [item] = run.outputItems(NODE_NAME);
		expect(item.json).toMatchObject({ surname: 'ERIKSSON', binary_field: 'Passport_Scan' });
		expect(Object.keys(item.binary ?? {})).toEqual(['Passport_Scan']);
	});

	it('reads every file when the item has several and none is the named field, one item each', async () => {
		const calls = testbed.emulator.ocrCalls();
		const run = await testbed.run(
			{ inputSource: 'binary', binaryPropertyName: 'data' },
			{ input: [formUpload(['Passport_Scan', 'Selfie'])] },
		);
		const items = run.outputItems(NODE_NAME);
		expect(items.map(({ json, pairedItem }) => [pairedItem, json.binary_field])).toEqual([
			[{ item: 0 }, 'Passport_Scan'],
			[{ item: 0 }, 'Selfie'],
		]);
		expect(items.map((item) => Object.keys(item.binary ?? {}))).toEqual([
			['Passport_Scan'],
			['Selfie'],
		]);
		expect(testbed.emulator.ocrCalls()).toBe(calls + 2);
	});

	it('says the item has no file, with no call', async () => {
		const calls = testbed.emulator.ocrCalls();
		const run = await testbed.run(
			{ inputSource: 'binary', binaryPropertyName: 'data' },
			{ input: [{ json: { Name: 'Anna' } }], continueOnFail: true },
		);
		const [item] = run.outputItems(NODE_NAME);
		expect(item.json.error_code).toBe('INPUT.NO_BINARY');
		expect(item.json.error).toBe('Item 1 has no binary file (Input Binary Field is "data")');
		expect(testbed.emulator.ocrCalls()).toBe(calls);
	});

	it('reads a named field that exists, as before, even when the item has other files', async () => {
		const run = await testbed.run(
			{ inputSource: 'binary', binaryPropertyName: 'Selfie' },
			{ input: [formUpload(['Passport_Scan', 'Selfie'])] },
		);
		expect(run.outputItems(NODE_NAME)[0].json).toMatchObject({
			surname: 'ERIKSSON',
			binary_field: 'Selfie',
		});
	});
});

describe('every parameter is checked before anything is sent', () => {
	let testbed: Testbed;
	beforeAll(async () => {
		testbed = await startTestbed();
	});
	afterAll(async () => await testbed.close());

	it.each([
		[
			'an object expression as Image URL',
			{ inputSource: 'url', imageUrl: '={{ $json.scan }}' },
			'Image URL must be text; it is an object',
		],
		[
			'a list expression as Base64 Image',
			{ inputSource: 'base64', base64Image: '={{ $json.pages }}' },
			'Base64 Image must be text; it is a list (2 entries)',
		],
		[
			'an unknown Recognizer',
			{ inputSource: 'binary', options: { recognizer: '={{ "XYZ" }}' } },
			'Recognizer must be one of "auto", "CHN" or "GENERAL"; it is "XYZ"',
		],
		[
			'an unknown PDF Pages value',
			{ inputSource: 'binary', options: { pdfPages: '={{ "all" }}' } },
			'PDF Pages must be one of "first" or "every"; it is "all"',
		],
		[
			'a negative Minimum Validity',
			{ inputSource: 'binary', options: { minValidityMonths: -1 } },
			'Minimum Validity (Months) must be a whole number 0 or more; it is -1',
		],
		[
			'text as Simplify',
			{ inputSource: 'binary', options: { simplify: '={{ "yes" }}' } },
			'Simplify must be true or false; it is "yes"',
		],
	])('refuses %s, naming the parameter', async (_, parameters, message) => {
		const calls = testbed.emulator.ocrCalls();
		const input = [
			{ ...passportItem('utopia-eriksson'), json: { scan: { url: 'x' }, pages: ['a', 'b'] } },
		];
		const run = await testbed.run(parameters, { input, continueOnFail: true });
		const [item] = run.outputItems(NODE_NAME);
		expect(item.json.error_code).toBe('PARAMETER.INVALID');
		expect(item.json.error).toBe(message);
		expect(testbed.emulator.ocrCalls()).toBe(calls);
	});

	it('refuses a Concurrency out of range for the whole run', async () => {
		const run = await testbed.run(
			{ inputSource: 'binary', options: { concurrency: 0 } },
			{
				input: [passportItem('china-qian')],
			},
		);
		expect(String(run.nodeError(NODE_NAME)?.message)).toBe(
			'Concurrency must be a whole number from 1 to 32; it is 0',
		);
	});

	it('names the weakest field only among the fields the service reads, never a key like __proto__', async () => {
		const f = fixture('china-qian');
		const hostile = JSON.parse(
			`{"surname":"QIAN","confidence":{"__proto__":0.01,"toString":0.02,"surname":0.97}}`,
		) as Record<string, unknown>;
		testbed.emulator.recordResult(f.bytes, hostile as never);
		try {
			const run = await testbed.run({ inputSource: 'binary' }, { input: [passportItem(f.name)] });
			const { json } = run.outputItems(NODE_NAME)[0];
			expect(json.lowest_confidence_field).toBe('surname');
			expect(json.confidence).toEqual({ surname: 0.97 });
		} finally {
			testbed.emulator.recordResult(f.bytes, f.result as never);
		}
	});
});
