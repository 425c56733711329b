/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * The specimen pages in `fixtures/` and the result recorded for each (`<name>.json` beside `<name>.<ext>`).
 * Records are matched to the image bytes read when the emulator starts, so regenerating an image never leaves
 * a stale record behind.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { isObject, type JsonObject } from './json';

export interface Fixture {
	/** The file name without its extension, e.g. `utopia-eriksson`. */
	name: string;
	/** The image's file name, as `Emulator.fileUrl()` takes it. */
	file: string;
	/** Absolute path of the image. */
	path: string;
	bytes: Buffer;
	mimeType: string;
	/** `result` of the recorded 200 answer. */
	result: JsonObject;
}

const MIME_TYPES: Record<string, string> = {
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.png': 'image/png',
	'.bmp': 'image/bmp',
	'.tif': 'image/tiff',
	'.tiff': 'image/tiff',
};

/** `fixtures/` beside this file under ts-jest; compiled into build-test/, it is looked up in the source tree. */
function findFixturesDir(): string {
	for (let dir = __dirname; ; dir = path.dirname(dir)) {
		const candidates = [path.join(dir, 'fixtures'), path.join(dir, 'test', 'emulator', 'fixtures')];
		const found = candidates.find((candidate) =>
			existsSync(path.join(candidate, 'make-specimens.py')),
		);
		if (found) return found;
		if (path.dirname(dir) === dir) throw new Error(`No emulator fixtures above ${__dirname}`);
	}
}

export const FIXTURES_DIR = findFixturesDir();

function loadFixture(recordFile: string): Fixture {
	const record: unknown = JSON.parse(readFileSync(path.join(FIXTURES_DIR, recordFile), 'utf8'));
	const file = isObject(record) ? record.image : undefined;
	const result = isObject(record) && isObject(record.response) ? record.response.result : undefined;
	if (typeof file !== 'string' || !isObject(result)) {
		throw new Error(`${recordFile} is not { "image": string, "response": { "result": {...} } }`);
	}
	const mimeType = MIME_TYPES[path.extname(file).toLowerCase()];
	if (!mimeType) throw new Error(`${recordFile}: no image type for ${file}`);
	const imagePath = path.join(FIXTURES_DIR, file);
	const bytes = readFileSync(imagePath);
	return {
		name: path.basename(recordFile, '.json'),
		file,
		path: imagePath,
		bytes,
		mimeType,
		result,
	};
}

export const FIXTURES: readonly Fixture[] = readdirSync(FIXTURES_DIR)
	.filter((file) => file.endsWith('.json'))
	.sort()
	.map(loadFixture);

/**
 * The result recorded for each image, found only for the exact bytes: filed by length, then compared whole.
 * A comparison is a memcmp of the one or few images of that length, cheaper than hashing every request's image,
 * which showed as the emulator's own CPU in the benchmark.
 */
export class RecordedResults {
	private readonly byLength = new Map<number, Array<{ bytes: Uint8Array; result: JsonObject }>>();

	constructor(fixtures: readonly Fixture[] = FIXTURES) {
		for (const fixture of fixtures) this.set(fixture.bytes, fixture.result);
	}

	set(image: Uint8Array, result: JsonObject): void {
		const bytes = Uint8Array.from(image);
		const sameLength = this.byLength.get(bytes.length) ?? [];
		const known = sameLength.find((entry) => Buffer.compare(entry.bytes, bytes) === 0);
		if (known) known.result = result;
		else this.byLength.set(bytes.length, [...sameLength, { bytes, result }]);
	}

	get(image: Uint8Array): JsonObject | undefined {
		const sameLength = this.byLength.get(image.length) ?? [];
		return sameLength.find((entry) => Buffer.compare(entry.bytes, image) === 0)?.result;
	}
}
