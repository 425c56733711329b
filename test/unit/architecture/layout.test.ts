/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * The Layout block in docs/development.md, checked against the tree, so it cannot drift from the code again: every
 * room it lists under nodes/PassportOcr/ exists and every room there is listed (the same for test/'s folders),
 * and every file it names exists. imports.test.ts checks that the rooms import one way; this checks that the page
 * saying what each room does names the rooms there are.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const PAGE = 'docs/development.md';

interface Entry {
	/** The path from the repository's root, as the block names it (folders end in `/`). */
	name: string;
	line: number;
}

/**
 * The fenced block after the page's `## Layout` heading. A line that starts at column 0 names a top folder; a
 * line indented 2 or 4 spaces names an entry in the folder above it; deeper lines continue a description.
 */
function layoutEntries(): { roots: Entry[]; entries: Entry[] } {
	const text = readFileSync(path.join(ROOT, PAGE), 'utf8');
	const section = text.split(/^## Layout$/m)[1];
	if (section === undefined) throw new Error(`${PAGE} has no "## Layout" heading`);
	const block = /^```\n([\s\S]*?)\n```$/m.exec(section);
	if (!block) throw new Error(`${PAGE}'s Layout section has no fenced block`);
	const roots: Entry[] = [];
	const entries: Entry[] = [];
	const parents: string[] = [];
	block[1].split('\n').forEach((text, index) => {
		const indent = text.length - text.trimStart().length;
		const token = text.trim().split(/\s+/)[0];
		if (!token || indent > 4) return;
		const depth = indent / 2;
		if (!Number.isInteger(depth))
			throw new Error(`Layout line ${index + 1} is indented ${indent} spaces`);
		const parent = depth === 0 ? '' : parents[depth - 1];
		if (parent === undefined || (depth > 0 && !parent.endsWith('/'))) {
			throw new Error(`Layout line ${index + 1} (${token}) has no folder above it`);
		}
		const entry = { name: parent + token, line: index + 1 };
		parents[depth] = entry.name;
		parents.length = depth + 1;
		(depth === 0 ? roots : entries).push(entry);
	});
	return { roots, entries };
}

const { roots, entries } = layoutEntries();
const all = [...roots, ...entries];

/** The folders the block lists directly in `folder`, and the folders the tree has there. */
function foldersIn(folder: string) {
	const listed = entries
		.filter((entry) => entry.name.startsWith(folder) && entry.name.endsWith('/'))
		.map((entry) => entry.name.slice(folder.length))
		.filter((rest) => rest.split('/').length === 2)
		.sort();
	const present = readdirSync(path.join(ROOT, folder), { withFileTypes: true })
		.filter((dirent) => dirent.isDirectory())
		.map((dirent) => `${dirent.name}/`)
		.sort();
	return { listed, present };
}

describe(`the Layout block in ${PAGE}`, () => {
	it('is read (the checks below are not vacuous)', () => {
		expect(roots.map((root) => root.name)).toEqual(
			expect.arrayContaining(['credentials/', 'nodes/PassportOcr/', 'test/']),
		);
		expect(foldersIn('nodes/PassportOcr/').listed.length).toBeGreaterThanOrEqual(10);
	});

	it('lists every room under nodes/PassportOcr/, and only rooms that exist', () => {
		const { listed, present } = foldersIn('nodes/PassportOcr/');
		expect(listed).toEqual(present);
	});

	it('lists every folder of test/, and only folders that exist', () => {
		const { listed, present } = foldersIn('test/');
		expect(listed).toEqual(present);
	});

	it('names the node file, and every file and folder it names exists', () => {
		const nodeFiles = readdirSync(path.join(ROOT, 'nodes/PassportOcr')).filter((name) =>
			/\.ts$/.test(name),
		);
		for (const name of nodeFiles) {
			expect(all.map((entry) => entry.name)).toContain(`nodes/PassportOcr/${name}`);
		}
		const missing = all
			.filter((entry) => {
				const file = path.join(ROOT, entry.name);
				if (!existsSync(file)) return true;
				return statSync(file).isDirectory() !== entry.name.endsWith('/');
			})
			.map((entry) => `line ${entry.line}: ${entry.name}`);
		expect(missing).toEqual([]);
	});
});
