/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SERVICE_ERRORS } from '../../../nodes/PassportOcr/contract/serviceErrors';
import { isUnreadableImage } from '../../../nodes/PassportOcr/policy/attemptVerdicts';

const TABLE = readFileSync(join(__dirname, '../../../docs/errors.md'), 'utf8');

/** The Errors table's row of a code (docs/errors.md), split into its cells. */
function row(code: string): string[] | undefined {
	const line = TABLE.split('\n').find((text) => text.startsWith(`| \`${code}\` |`));
	return line?.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, '').trim());
}

const RETRIED: Record<string, RegExp> = {
	'fix-item': /^no$/,
	'fix-setup': /^no: the run stops$/,
	retry: /^yes/,
	reauthenticate: /^after one new sign-in/,
};

describe('the Errors table (docs/errors.md) says what the node does', () => {
	it.each(Object.entries(SERVICE_ERRORS))('%s', (code, entry) => {
		const cells = row(code);
		expect(cells).toBeDefined();
		const [, retried, review, message] = cells as string[];
		expect(retried).toMatch(RETRIED[entry.remedy]);
		const unreadable = isUnreadableImage({
			kind: 'service',
			code,
			message: '',
			description: '',
			scope: 'item',
		});
		expect(review).toBe(unreadable && entry.remedy === 'fix-item' ? 'yes' : 'no');
		expect(message).toBe(entry.message({ where: 'region X' }));
	});
});
