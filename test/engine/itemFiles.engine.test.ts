import type { INodeParameters, IWorkflowSettings } from 'n8n-workflow';

import type { BinaryDataMode } from './engineContainer';
import type { InputItem } from './harness';
import {
	CHINA,
	files,
	INVITE,
	keptFiles,
	LOGO,
	NETHERLANDS,
	NOTES,
	PDF,
	SELFIE,
	summary,
	UTOPIA,
} from './itemFileSpecimens';
import { NODE_NAME, startTestbed, type Testbed } from './passportOcrTestbed';

interface Mode {
	name: string;
	binaryDataMode: BinaryDataMode;
	settings?: IWorkflowSettings;
	/** Where the node finds a file the previous node put in binary field `key`. */
	field(key: string): string;
	/** An expression for that file object. */
	expression(key: string): string;
}

const SEPARATE = { field: (key: string) => key, expression: (key: string) => `$binary.${key}` };
const COMBINED_JSON = {
	field: (key: string) => `_files.${key}`,
	expression: (key: string) => `$json._files.${key}`,
};
const MODES: Mode[] = [
	{ name: 'separate, memory', binaryDataMode: 'memory', ...SEPARATE },
	{ name: 'separate, filesystem', binaryDataMode: 'filesystem', ...SEPARATE },
	// In memory mode n8n leaves files under binary even with Execution Logic v2.
	{
		name: 'combined, memory',
		binaryDataMode: 'memory',
		settings: { binaryMode: 'combined' },
		...SEPARATE,
	},
	{
		name: 'combined, filesystem',
		binaryDataMode: 'filesystem',
		settings: { binaryMode: 'combined' },
		...COMBINED_JSON,
	},
];

describe.each(MODES)('every file in the item ($name)', (mode) => {
	let testbed: Testbed;
	beforeAll(async () => {
		testbed = await startTestbed();
	});
	afterAll(async () => await testbed.close());

	const run = async (
		parameters: INodeParameters,
		input: InputItem[],
		extra: { continueOnFail?: boolean } = {},
	) => {
		const calls = testbed.emulator.ocrCalls();
		const result = await testbed.run(
			{ inputSource: 'binary', ...parameters },
			{ input, binaryDataMode: mode.binaryDataMode, settings: mode.settings, ...extra },
		);
		return {
			result,
			items: result.outputItems(NODE_NAME),
			calls: () => testbed.emulator.ocrCalls() - calls,
		};
	};

	it('email: skips the signature logo beside the scan without a call, and says so', async () => {
		const { items, calls } = await run({}, [
			files({ attachment_0: LOGO(), attachment_1: UTOPIA() }),
		]);
		expect(summary(items)).toEqual([[{ item: 0 }, mode.field('attachment_1'), null, 'ERIKSSON']]);
		expect(items[0].json.skipped_files).toEqual([
			{
				binary_field: mode.field('attachment_0'),
				file_name: 'logo.png',
				reason: '160 × 48 px, too small for a passport page (a logo or an icon?)',
			},
		]);
		expect(keptFiles(items[0])).toEqual(['attachment_1']);
		expect(calls()).toBe(1);
	});

	it('email: reads the scan beside a selfie, naming the selfie the service found no passport on', async () => {
		const { items, calls } = await run({}, [
			files({ attachment_0: SELFIE(), attachment_1: CHINA() }),
		]);
		expect(summary(items)).toEqual([[{ item: 0 }, mode.field('attachment_1'), null, 'QIAN']]);
		expect(items[0].json.skipped_files).toEqual([
			{
				binary_field: mode.field('attachment_0'),
				file_name: 'selfie.png',
				reason: 'no passport found by the service (AIS.0104)',
			},
		]);
		expect(calls()).toBe(2);
	});

	it('email: several scans and an invite give one item per scan, in numeric order (_2 before _10)', async () => {
		const { items, calls } = await run({}, [
			files({
				attachment_10: NETHERLANDS(),
				attachment_2: CHINA(),
				attachment_1: UTOPIA(),
				attachment_3: INVITE(),
			}),
		]);
		expect(summary(items)).toEqual([
			[{ item: 0 }, mode.field('attachment_1'), null, 'ERIKSSON'],
			[{ item: 0 }, mode.field('attachment_2'), null, 'QIAN'],
			[{ item: 0 }, mode.field('attachment_10'), null, 'VAN DEN BROEK'],
		]);
		expect(items.map(keptFiles)).toEqual([['attachment_1'], ['attachment_2'], ['attachment_10']]);
		expect(items[2].json.skipped_files).toEqual([
			{
				binary_field: mode.field('attachment_3'),
				file_name: 'invite.ics',
				reason: 'not an image or a PDF (text/calendar)',
			},
		]);
		expect(calls()).toBe(3);
	});

	it('multi-file form upload: a pattern reads every file of the field', async () => {
		const { items } = await run({ binaryPropertyName: 'Passport_Scan_*' }, [
			files(
				{ Passport_Scan_0: UTOPIA(), Passport_Scan_1: CHINA(), Signature: LOGO() },
				{ Name: 'Anna' },
			),
		]);
		expect(summary(items)).toEqual([
			[{ item: 0 }, mode.field('Passport_Scan_0'), null, 'ERIKSSON'],
			[{ item: 0 }, mode.field('Passport_Scan_1'), null, 'QIAN'],
		]);
		expect(items[0].json.skipped_files).toBeUndefined();
	});

	it('comma-separated names are read in the order named', async () => {
		const { items } = await run({ binaryPropertyName: 'attachment_2, attachment_0' }, [
			files({ attachment_0: UTOPIA(), attachment_1: LOGO(), attachment_2: CHINA() }),
		]);
		expect(summary(items).map((row) => row[3])).toEqual(['QIAN', 'ERIKSSON']);
	});

	it('a binary object and a list of them from an expression', async () => {
		const input = [files({ attachment_0: UTOPIA(), attachment_1: CHINA() })];
		const one = await run(
			{ binaryPropertyName: `={{ ${mode.expression('attachment_1')} }}` },
			input,
		);
		expect(summary(one.items)).toEqual([[{ item: 0 }, mode.field('attachment_1'), null, 'QIAN']]);
		const list = await run(
			{
				binaryPropertyName: `={{ [${mode.expression('attachment_1')}, ${mode.expression('attachment_0')}] }}`,
			},
			input,
		);
		expect(summary(list.items).map((row) => row[3])).toEqual(['QIAN', 'ERIKSSON']);
	});

	it('an item with no usable file: one error naming each file and why, and no call', async () => {
		const input = [files({ attachment_0: LOGO(), attachment_1: INVITE(), attachment_2: NOTES() })];
		const failed = await run({}, input);
		expect(String(failed.result.nodeError(NODE_NAME)?.message)).toBe(
			`Item 1 has no file that can be a passport page: "logo.png" (${mode.field('attachment_0')}): 160 × 48 px, too small for a passport page (a logo or an icon?); "invite.ics" (${mode.field('attachment_1')}): not an image or a PDF (text/calendar); "notes.txt" (${mode.field('attachment_2')}): not an image or a PDF`,
		);
		expect(failed.calls()).toBe(0);
		const kept = await run({}, input, { continueOnFail: true });
		expect(kept.items).toHaveLength(1);
		expect(kept.items[0].json.error_code).toBe('INPUT.NO_PASSPORT_FILE');
		expect(kept.items[0].pairedItem).toEqual({ item: 0 });
		const reviewed = await run({ needsReviewOutput: true }, input);
		const [review] = reviewed.result.outputItems(NODE_NAME, 1);
		expect(review.json).toMatchObject({ error_code: 'INPUT.NO_PASSPORT_FILE', surname: null });
		expect(review.pairedItem).toEqual({ item: 0 });
		expect(reviewed.calls()).toBe(0);
	});

	it('a file that is the only one named keeps its own check and reason', async () => {
		const { items, calls } = await run(
			{ binaryPropertyName: 'attachment_1' },
			[files({ attachment_0: UTOPIA(), attachment_1: INVITE() })],
			{ continueOnFail: true },
		);
		expect(items).toHaveLength(1);
		expect(items[0].json.error_code).toBe('INPUT.FORMAT');
		expect(String(items[0].json.error)).toMatch(/^invite\.ics is /);
		expect(calls()).toBe(0);
	});

	it('a PDF beside an image, Every Scanned Page: one item per page, then the image', async () => {
		const { items } = await run({ options: { pdfPages: 'every' } }, [
			files({ attachment_0: PDF(), attachment_1: NETHERLANDS() }),
		]);
		expect(summary(items)).toEqual([
			[{ item: 0 }, mode.field('attachment_0'), 1, 'ERIKSSON'],
			[{ item: 0 }, mode.field('attachment_0'), 3, 'QIAN'],
			[{ item: 0 }, mode.field('attachment_1'), null, 'VAN DEN BROEK'],
		]);
		expect(items.map(keptFiles)).toEqual([['attachment_0'], ['attachment_0'], ['attachment_1']]);
	});

	it('two input items with different file counts, each output linked to its own item', async () => {
		const { items } = await run({ options: { concurrency: 3 } }, [
			files({ attachment_0: UTOPIA(), attachment_1: LOGO(), attachment_2: CHINA() }),
			files({ data: NETHERLANDS() }),
		]);
		expect(summary(items)).toEqual([
			[{ item: 0 }, mode.field('attachment_0'), null, 'ERIKSSON'],
			[{ item: 0 }, mode.field('attachment_2'), null, 'QIAN'],
			[{ item: 1 }, mode.field('data'), null, 'VAN DEN BROEK'],
		]);
		expect(items[1].json.skipped_files).toHaveLength(1);
		expect(items[2].json.skipped_files).toBeUndefined();
	});
});
