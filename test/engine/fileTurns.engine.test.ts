import { makeJpeg } from '../support/imageBytes';
import type { InputFile, InputItem } from './harness';
import { CHINA, files, keptFiles, NETHERLANDS, summary, UTOPIA } from './itemFileSpecimens';
import { NODE_NAME, startTestbed, type Testbed } from './passportOcrTestbed';

describe('Execution Logic v2: files in the item JSON, as a Form Trigger gives them', () => {
	let testbed: Testbed;
	beforeAll(async () => {
		testbed = await startTestbed();
	});
	afterAll(async () => await testbed.close());

	const formItem: InputItem = {
		json: { Name: 'Anna' },
		jsonFiles: { Passport_Scan: [UTOPIA(), CHINA()] },
	};

	it.each<[string, string]>([
		['the default data (every file)', 'data'],
		['the field path', 'Passport_Scan'],
		['an expression giving the list', '={{ $json.Passport_Scan }}'],
	])('reads each file of a multi-file field with %s', async (_, binaryPropertyName) => {
		const run = await testbed.run(
			{ inputSource: 'binary', binaryPropertyName },
			{ input: [formItem], binaryDataMode: 'filesystem', settings: { binaryMode: 'combined' } },
		);
		const items = run.outputItems(NODE_NAME);
		expect(summary(items)).toEqual([
			[{ item: 0 }, 'Passport_Scan[0]', null, 'ERIKSSON'],
			[{ item: 0 }, 'Passport_Scan[1]', null, 'QIAN'],
		]);
		expect(items.map(keptFiles)).toEqual([['Passport_Scan_0'], ['Passport_Scan_1']]);
	});
});

describe('a phone photo over the service limits', () => {
	let testbed: Testbed;
	beforeAll(async () => {
		testbed = await startTestbed({ edition: 'g42' });
	});
	afterAll(async () => await testbed.close());

	it('on G42 Cloud, says how to fit it with the Edit Image node, without a call', async () => {
		const calls = testbed.emulator.ocrCalls();
		const photo: InputFile = {
			bytes: makeJpeg(8064, 6048),
			fileName: 'IMG_0042.jpg',
			mimeType: 'image/jpeg',
		};
		const run = await testbed.run(
			{ inputSource: 'binary' },
			{ input: [files({ Passport_Photo: photo })] },
		);
		const error = run.nodeError(NODE_NAME);
		expect(error?.message).toBe(
			'IMG_0042.jpg is 8064 × 6048 px; the longest side may be at most 4096 px',
		);
		expect(String(error?.description)).toMatch(
			/Edit Image node before this node, with Operation Resize, Width and Height 4096/,
		);
		expect(testbed.emulator.ocrCalls()).toBe(calls);
	});
});

describe('files are the units of the window, across items', () => {
	it('keeps Concurrency files in flight from one item and the next, results in file order', async () => {
		const testbed = await startTestbed({ latencyMs: 150 });
		try {
			const scans = [UTOPIA, CHINA, NETHERLANDS, UTOPIA, CHINA];
			const input = [
				files(Object.fromEntries(scans.map((scan, index) => [`attachment_${index}`, scan()]))),
				files({ data: NETHERLANDS() }),
			];
			const run = await testbed.run(
				{ inputSource: 'binary', options: { concurrency: 3 } },
				{ input },
			);
			const items = run.outputItems(NODE_NAME);
			expect(items.map(({ json, pairedItem }) => [pairedItem, json.surname])).toEqual([
				[{ item: 0 }, 'ERIKSSON'],
				[{ item: 0 }, 'QIAN'],
				[{ item: 0 }, 'VAN DEN BROEK'],
				[{ item: 0 }, 'ERIKSSON'],
				[{ item: 0 }, 'QIAN'],
				[{ item: 1 }, 'VAN DEN BROEK'],
			]);
			expect(testbed.emulator.ocrConcurrencyPeak()).toBe(3);
		} finally {
			await testbed.close();
		}
	});
});
