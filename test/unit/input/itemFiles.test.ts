import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';

import type { WantedFile } from '../../../nodes/PassportOcr/description/binaryFieldValue';
import { findItemFiles } from '../../../nodes/PassportOcr/input/itemFiles';

const file = (fileName: string, id?: string): IBinaryData => ({
	mimeType: 'image/jpeg',
	fileName,
	...(id === undefined
		? { data: Buffer.from(fileName).toString('base64') }
		: { id, data: 'filesystem-v2' }),
});
const names = (...wanted: string[]): WantedFile[] => wanted.map((name) => ({ name }));

const found = (item: INodeExecutionData, wanted: WantedFile[], combined = false) => {
	const result = findItemFiles(item, 0, wanted, combined);
	if (!result.ok) throw new Error(result.failure.message);
	return result.value.files.map((entry) => [entry.field, entry.outputKey]);
};

const email: INodeExecutionData = {
	json: { subject: 'Passports' },
	binary: {
		attachment_10: file('c.jpg'),
		attachment_2: file('b.jpg'),
		attachment_1: file('a.jpg'),
		logo: file('logo.png'),
	},
};

describe('findItemFiles', () => {
	it('reads a named field', () => {
		expect(found(email, names('logo'))).toEqual([['logo', 'logo']]);
	});

	it('reads names in the order given, each once', () => {
		expect(found(email, names('attachment_2', 'attachment_1', 'attachment_2'))).toEqual([
			['attachment_2', 'attachment_2'],
			['attachment_1', 'attachment_1'],
		]);
	});

	it('matches a pattern, numbered names in numeric order', () => {
		expect(found(email, names('attachment_*')).map(([field]) => field)).toEqual([
			'attachment_1',
			'attachment_2',
			'attachment_10',
		]);
		expect(found(email, names('*'))).toHaveLength(4);
		// A pattern that matches nothing is a name the item does not have: every file is read.
		expect(found(email, names('attach*.1'))).toHaveLength(4);
	});

	it('takes every file when the names find none', () => {
		expect(found(email, names('data')).map(([field]) => field)).toEqual([
			'attachment_1',
			'attachment_2',
			'attachment_10',
			'logo',
		]);
	});

	it('fails, naming the field, when the item has no file at all', () => {
		const result = findItemFiles({ json: {} }, 2, names('data'), false);
		expect(result.ok || result.failure.message).toBe(
			'Item 3 has no binary file (Input Binary Field is "data")',
		);
	});

	it('finds a file an expression handed over by its id, its content or (memory mode) its metadata', () => {
		const stored: INodeExecutionData = {
			json: {},
			binary: { front: file('front.jpg', 'fs:1'), back: file('back.jpg') },
		};
		// What an expression gives for a file in memory mode: its metadata, without the Base64 text.
		const withoutData = { mimeType: 'image/jpeg', fileName: 'back.jpg' } as IBinaryData;
		expect(found(stored, [{ file: file('front.jpg', 'fs:1') }, { file: withoutData }])).toEqual([
			['front', 'front'],
			['back', 'back'],
		]);
		expect(found(stored, [{ file: file('elsewhere.jpg', 'fs:9') }])).toEqual([
			['expression', 'expression'],
		]);
	});

	it('with Execution Logic v2, finds files anywhere in the JSON: _files, lists, nested', () => {
		const item: INodeExecutionData = {
			json: {
				Name: 'Anna',
				Passport_Scan: [file('p0.jpg', 'fs:p0'), file('p1.jpg', 'fs:p1')],
				_files: { attachment_0: file('a0.jpg', 'fs:a0') },
				nested: { deeper: { scan: file('n.jpg', 'fs:n') } },
			},
		};
		expect(found(item, names('data'), true)).toEqual([
			['_files.attachment_0', 'attachment_0'],
			['nested.deeper.scan', 'nested_deeper_scan'],
			['Passport_Scan[0]', 'Passport_Scan_0'],
			['Passport_Scan[1]', 'Passport_Scan_1'],
		]);
		expect(found(item, names('Passport_Scan'), true).map(([field]) => field)).toEqual([
			'Passport_Scan[0]',
			'Passport_Scan[1]',
		]);
		expect(found(item, names('attachment_0'), true).map(([field]) => field)).toEqual([
			'_files.attachment_0',
		]);
		expect(found(item, names('Passport*'), true)).toHaveLength(2);
		// Without Execution Logic v2 files in the JSON are data like any other.
		expect(findItemFiles(item, 0, names('data'), false).ok).toBe(false);
	});
});
