/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * The house's design, checked on its own imports: data flows one way (design.md), so no product file imports
 * another in a circle, and each room imports only the rooms below it. A new room, or an import that points up,
 * fails here with the files that do it, so the layout cannot drift silently again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const NODE_DIR = path.join(ROOT, 'nodes/PassportOcr');

/**
 * What each room may import, lowest first. `contract` is the floor; `passport` (ICAO 9303) and `pdf` (the PDF
 * reader) are pure rooms on it; `transport` is HTTP; `policy` judges what transport hands it; `credential` and
 * `execution` act on the policy's verdicts; the node file and the credential class sit on top.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
	contract: [],
	passport: ['contract'],
	pdf: ['contract'],
	transport: ['contract'],
	policy: ['contract', 'transport'],
	description: ['contract', 'passport'],
	input: ['contract', 'description', 'pdf'],
	output: ['contract', 'description', 'passport'],
	credential: ['contract', 'transport', 'policy'],
	execution: [
		'contract',
		'passport',
		'pdf',
		'transport',
		'policy',
		'description',
		'input',
		'output',
		'credential',
	],
	'node file': ['contract', 'credential', 'description', 'execution'],
	'credential class': ['contract', 'credential'],
};

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const file = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(file);
		return /\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name) ? [file] : [];
	});
}

const FILES = [...sourceFiles(NODE_DIR), ...sourceFiles(path.join(ROOT, 'credentials'))];
const KNOWN = new Set(FILES);

function roomOf(file: string): string {
	const inNode = path.relative(NODE_DIR, file);
	if (inNode.startsWith('..')) return 'credential class';
	const parts = inNode.split(path.sep);
	return parts.length > 1 ? parts[0] : 'node file';
}

/** The product files a file imports (relative imports only; packages are n8n's own). */
function importsOf(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	const targets: string[] = [];
	for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)) {
		const base = path.join(path.dirname(file), match[1]);
		const found = [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) =>
			KNOWN.has(candidate),
		);
		if (found) targets.push(found);
	}
	return targets;
}

const GRAPH = new Map(FILES.map((file) => [file, importsOf(file)]));
const shown = (file: string) => path.relative(ROOT, file);

/** Tarjan's strongly connected components: each component of more than one file is a circle. */
function circles(graph: Map<string, string[]>): string[][] {
	let next = 0;
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	const visit = (file: string) => {
		index.set(file, next);
		low.set(file, next);
		next++;
		stack.push(file);
		onStack.add(file);
		for (const target of graph.get(file) ?? []) {
			if (!index.has(target)) {
				visit(target);
				low.set(file, Math.min(low.get(file)!, low.get(target)!));
			} else if (onStack.has(target)) {
				low.set(file, Math.min(low.get(file)!, index.get(target)!));
			}
		}
		if (low.get(file) !== index.get(file)) return;
		const component: string[] = [];
		let member: string;
		do {
			member = stack.pop()!;
			onStack.delete(member);
			component.push(member);
		} while (member !== file);
		if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component);
	};
	for (const file of graph.keys()) if (!index.has(file)) visit(file);
	return found;
}

describe('the product imports', () => {
	it('reads the files and their imports (the checks below are not vacuous)', () => {
		expect(FILES.length).toBeGreaterThan(50);
		const edges = [...GRAPH.values()].reduce((sum, targets) => sum + targets.length, 0);
		expect(edges).toBeGreaterThan(100);
	});

	it('form no circle', () => {
		expect(circles(GRAPH).map((component) => component.map(shown).sort())).toEqual([]);
	});

	it('finds a circle when there is one (the check itself works)', () => {
		const graph = new Map([
			['a', ['b']],
			['b', ['c']],
			['c', ['a']],
			['d', ['a']],
		]);
		expect(circles(graph).map((component) => component.sort())).toEqual([['a', 'b', 'c']]);
	});

	it('come only from rooms the design knows', () => {
		const rooms = new Set(FILES.map(roomOf));
		expect([...rooms].filter((room) => !(room in MAY_IMPORT))).toEqual([]);
	});

	it('point only down: each room imports only the rooms below it', () => {
		const upward = [...GRAPH].flatMap(([file, targets]) =>
			targets
				.filter((target) => {
					const [from, to] = [roomOf(file), roomOf(target)];
					return from !== to && !(MAY_IMPORT[from] ?? []).includes(to);
				})
				.map((target) => `${shown(file)} -> ${shown(target)}`),
		);
		expect(upward).toEqual([]);
	});
});
