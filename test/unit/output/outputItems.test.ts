import type { ItemFailure } from '../../../nodes/PassportOcr/contract/itemFailure';
import { PASSPORT_FIELDS } from '../../../nodes/PassportOcr/contract/passportApi';
import {
	checkInputs,
	errorItem,
	failureJson,
	outputItem,
	withSkippedFiles,
	type EntrySource,
	type OutputEntry,
} from '../../../nodes/PassportOcr/output/outputItems';
import { checkPassport } from '../../../nodes/PassportOcr/passport/passportChecks';
import { G42_EXAMPLE } from '../passport/td3Specimens';

// The G42 edition's documented example answer (reference §2.1b), as the service sends it.
const g42Example = {
	...G42_EXAMPLE.fields,
	machine_code: G42_EXAMPLE.line1,
	machine_code2: G42_EXAMPLE.line2,
	extra_info: {},
	confidence: G42_EXAMPLE.confidence,
};

const noSource: EntrySource = { binaryField: null, pdfPage: null };
const simplified = { simplify: true, reviewEnabled: false };

function readEntry(result: Record<string, unknown>, requestId?: string): OutputEntry {
	const { fields, mrzLines, confidence } = checkInputs(result);
	const report = checkPassport(fields, mrzLines, confidence, {
		today: new Date('2020-01-01T00:00:00Z'),
		minValidityMonths: 0,
	});
	return { kind: 'read', response: { result, requestId }, report, reviewReasons: [] };
}

const rateLimited: ItemFailure = {
	kind: 'service',
	code: 'APIG.0308',
	message: 'The rate limit was reached: wait',
	description: 'The service answered APIG.0308',
	scope: 'item',
	httpStatus: 429,
	serviceMessage: 'over ratelimit',
	requestId: 'req-3',
};

describe('outputItem: a passport that was read, simplified', () => {
	const { json, pairedItem } = outputItem(readEntry(g42Example, 'req-1'), noSource, simplified, 4);

	it('always has the 13 fields, trimmed, null when the service sent none', () => {
		for (const field of PASSPORT_FIELDS) expect(json).toHaveProperty(field);
		expect(json.given_name).toBe('ZHAOMIN DESALEGN');
		expect(json.place_of_birth).toBeNull();
		expect(json.date_of_issue).toBeNull();
		expect(pairedItem).toEqual({ item: 4 });
	});

	it('keeps the MRZ lines, confidence, extra_info, the request id and the checks', () => {
		expect(json.machine_code).toBe(g42Example.machine_code);
		expect(json.machine_code2).toBe(g42Example.machine_code2);
		expect(json.confidence).toEqual(g42Example.confidence);
		expect(json.extra_info).toEqual({});
		expect(json.request_id).toBe('req-1');
		expect(json.checks).toMatchObject({ valid: expect.any(Boolean), problems: expect.any(Array) });
		expect(json.mrz).toMatchObject({ surname: 'HUZHAO' });
		expect(json).toMatchObject({ binary_field: null, pdf_page: null });
		expect(json).not.toHaveProperty('review_reasons');
	});

	it('leaves MRZ lines out when the service sent none, and fills empty objects', () => {
		const bare = outputItem(readEntry({ surname: '  ', sex: 'F' }), noSource, simplified, 0).json;
		expect(bare).not.toHaveProperty('machine_code');
		expect(bare.surname).toBeNull();
		expect(bare.sex).toBe('F');
		expect(bare.confidence).toEqual({});
		expect(bare.extra_info).toEqual({});
		expect(bare.request_id).toBeNull();
	});

	it('takes no key from the answer: unknown confidence keys, odd extra_info keys and __proto__ stay out', () => {
		const hostile = JSON.parse(
			'{"surname":"X","confidence":{"__proto__":0.01,"constructor":0.02,"surname":0.9,"evil":0.03},' +
				'"extra_info":{"__proto__":{"polluted":true},"cn_name":"钱明月","Bad Key":"x","nested":{"a":1,"deeper":{"b":2},"list":[1]}},' +
				'"__proto__":{"polluted":true},"polluted":"yes"}',
		) as Record<string, unknown>;
		const out = outputItem(readEntry(hostile), noSource, simplified, 0).json;
		expect(out.confidence).toEqual({ surname: 0.9 });
		expect(out.lowest_confidence_field).toBe('surname');
		// One level of plain objects passes (Chinese passports' local_language); deeper ones and lists do not.
		expect(out.extra_info).toEqual({ cn_name: '钱明月', nested: { a: 1 } });
		expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
		expect(out).not.toHaveProperty('polluted');
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('says which binary field and PDF page it read, and gives review reasons when Needs Review is on', () => {
		const entry = { ...readEntry(g42Example), reviewReasons: ['expired'] } as OutputEntry;
		const out = outputItem(
			entry,
			{ binaryField: 'Passport_Scan', pdfPage: 2 },
			{ simplify: true, reviewEnabled: true },
			0,
		).json;
		expect(out).toMatchObject({
			binary_field: 'Passport_Scan',
			pdf_page: 2,
			review_reasons: ['expired'],
		});
	});
});

describe('outputItem: raw, unreadable and error items', () => {
	it('returns the result untouched beside the request id with Simplify off', () => {
		const out = outputItem(
			readEntry(g42Example, 'req-2'),
			noSource,
			{ ...simplified, simplify: false },
			0,
		);
		expect(out.json).toEqual({ result: g42Example, request_id: 'req-2' });
	});

	it('puts an unreadable image in the shape of a read one, its reason where failed checks go', () => {
		const failure: ItemFailure = {
			kind: 'service',
			code: 'AIS.0104',
			message: 'No passport data page could be read',
			description: 'The service answered AIS.0104',
			scope: 'item',
			httpStatus: 400,
		};
		const binary = { data: { data: '', mimeType: 'image/png' } };
		const out = outputItem(
			{ kind: 'unreadable', failure },
			{ binaryField: 'data', pdfPage: null },
			{ simplify: true, reviewEnabled: true, binary },
			3,
		);
		for (const field of PASSPORT_FIELDS) expect(out.json[field]).toBeNull();
		expect(out.json).toMatchObject({
			checks: { valid: false, image_readable: false, problems: [failure.message] },
			review_reasons: [failure.message],
			error_code: 'AIS.0104',
			http_status: 400,
			binary_field: 'data',
		});
		expect(out.binary).toBe(binary);
		expect(out.pairedItem).toEqual({ item: 3 });
	});

	it('puts the message first in an error item and keeps what support needs', () => {
		expect(failureJson(rateLimited)).toEqual({
			error: 'The rate limit was reached: wait',
			error_code: 'APIG.0308',
			error_description: 'The service answered APIG.0308',
			error_msg: 'over ratelimit',
			http_status: 429,
			request_id: 'req-3',
		});
		expect(errorItem(rateLimited, 2).pairedItem).toEqual({ item: 2 });
		const page = outputItem(
			{ kind: 'error', failure: rateLimited },
			{ binaryField: 'f', pdfPage: 3 },
			simplified,
			1,
		);
		expect(page.json).toMatchObject({ error_code: 'APIG.0308', binary_field: 'f', pdf_page: 3 });
		expect(page.binary).toBeUndefined();
	});

	it("names the file of an input item's error item, and the skipped files on every item of that input item", () => {
		const failure: ItemFailure = {
			kind: 'input',
			code: 'INPUT.TOO_LARGE',
			message: 'IMG_1.jpg is 9000 × 6000 px',
			description: 'Resize it',
			scope: 'item',
		};
		const item = errorItem(failure, 1, 'attachment_3');
		expect(item).toEqual({
			json: expect.objectContaining({
				error_code: 'INPUT.TOO_LARGE',
				binary_field: 'attachment_3',
			}),
			pairedItem: { item: 1 },
		});
		expect(item.json).not.toHaveProperty('pdf_page');
		expect(withSkippedFiles(item, [])).toBe(item);
		const listed = withSkippedFiles(item, [
			{ field: 'attachment_0', fileName: 'logo.png', reason: 'too small' },
		]);
		expect(listed.json.skipped_files).toEqual([
			{ binary_field: 'attachment_0', file_name: 'logo.png', reason: 'too small' },
		]);
		expect(listed.pairedItem).toEqual({ item: 1 });
	});
});
