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

/** What each specimen shows, so that the reader knows why a page reads in full, partly, or fails a check. */
const WHY: Record<string, string> = {
	'utopia-eriksson.jpg':
		'The ICAO 9303 example passport of the fictional state Utopia (UTO), answered in the shape the service documents for foreign passports: 7 fields and the two MRZ lines, no nationality and no passport type. The node takes those two from the MRZ (filled_from_mrz). Every MRZ check digit is right, but it is a specimen (not_specimen is false) and it expired in 2012, so checks.valid is false; with Needs Review on it goes there.',
	'china-qian.jpg':
		'A fictional Chinese passport. The service reads all 13 printed fields of Chinese passports (nationality as the word CHINESE, issue date, places, authority) and the local-language fields (extra_info.local_language), but no MRZ lines. Every check passes.',
	'netherlands-van-den-broek.png':
		'A fictional Dutch passport photographed with glare over the second MRZ line. The service reads only part of the page: sex, date of expiry and MRZ line 2 are missing, and without line 2 nothing gives the nationality either, so the checks fail for those fields and the item would go to Needs Review. Re-taking the photo without glare fixes it.',
};

/** The item printed whole: it has MRZ lines, the parsed MRZ and a failed check, so it shows every part. */
const SHOWN_IN_FULL = 'utopia-eriksson.jpg';

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
				'What each specimen shows:',
				...FIXTURES.map((f, index) => {
					const checks = items[index].json.checks as { valid?: boolean; problems?: string[] };
					const found = checks.valid
						? '  Checks: all passed.'
						: `  Failed checks: ${(checks.problems ?? []).join('; ')}`;
					return `- ${f.file}: ${WHY[f.file] ?? ''}\n${found}`;
				}),
				'',
				`The ICAO specimen as the next node receives it (${SHOWN_IN_FULL}):`,
				JSON.stringify(items[FIXTURES.findIndex((f) => f.file === SHOWN_IN_FULL)].json, null, 2),
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
