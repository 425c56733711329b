/* eslint-disable @n8n/community-nodes/no-restricted-globals */
/**
 * `npm run demo`: reads the bundled specimen passports with the Passport OCR node inside n8n's execution engine,
 * against the service emulator on loopback, and prints what a workflow would receive.
 */
import { FIXTURES } from '../emulator';
import { NODE_NAME, startTestbed } from '../engine/passportOcrTestbed';

const SHOWN_FIELDS = [
	'passport_type',
	'country_code',
	'passport_number',
	'surname',
	'given_name',
	'nationality',
	'sex',
	'date_of_birth',
	'date_of_expiry',
	'date_of_issue',
	'place_of_birth',
	'issuing_authority',
];

function table(rows: string[][]): string {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	return rows
		.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  '))
		.join('\n');
}

async function main(): Promise<void> {
	const testbed = await startTestbed();
	try {
		const input = FIXTURES.map((f) => ({
			json: { file: f.file },
			binary: { data: { bytes: f.bytes, fileName: f.file, mimeType: f.mimeType } },
		}));
		const started = Date.now();
		const run = await testbed.run({ inputSource: 'binary', binaryPropertyName: 'data' }, { input });
		const error = run.nodeError(NODE_NAME);
		if (error) throw new Error(`The node failed: ${String(error.message)}`);
		const items = run.outputItems(NODE_NAME);
		const rows = [['field', ...FIXTURES.map((f) => f.file)]];
		for (const field of SHOWN_FIELDS) {
			rows.push([field, ...items.map((item) => String(item.json[field] ?? '-'))]);
		}
		process.stdout.write(
			[
				`Passport OCR read ${items.length} specimen pages in ${Date.now() - started} ms`,
				`(n8n engine, emulated ${testbed.emulator.edition} OCR at ${testbed.emulator.baseUrl}, ${testbed.emulator.logins()} sign-in)`,
				'',
				table(rows),
				'',
				'First item as the next node receives it:',
				JSON.stringify(items[0].json, null, 2),
				'',
			].join('\n'),
		);
	} finally {
		await testbed.close();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`Demo failed: ${(error as Error).stack ?? String(error)}\n`);
	process.exitCode = 1;
});
