#!/usr/bin/env node
/**
 * `npm run bench:pdf`, after tsc has compiled the package into build-test/: time and memory of findPdfScans on
 * a 20-page PDF of ~1.5 MB JPEG scans (classic cross-reference table, and object streams with a
 * cross-reference stream), on one A4 300 dpi RGB page stored as Flate pixels (converted to PNG), and on a
 * 12 MP phone photo stored as Flate pixels (sent at half size), with the longest event-loop hold.
 * Run with --expose-gc (the npm script does) so each measurement starts from a collected heap.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { findPdfScans } = require(path.join(root, 'build-test/nodes/PassportOcr/pdf/pdfScan.js'));
const { pdfOf, jpegImage, photoPixels, rawImage, testPixels } = require(
	path.join(root, 'build-test/test/support/pdfBytes.js'),
);

const PAGES = 20;
const RUNS = 20;

/** The Utopia specimen padded with APP15 segments to about 1.5 MB: still a valid JPEG of 1250 × 880 px. */
function bigJpeg(seed) {
	const jpeg = readFileSync(path.join(root, 'test/emulator/fixtures/utopia-eriksson.jpg'));
	const segments = [];
	for (let size = jpeg.length; size < 1.5e6; size += 65537) {
		const segment = Buffer.alloc(65537);
		segment.set([0xff, 0xef, 0xff, 0xff]);
		randomBytes(65533).copy(segment, 4);
		segment[4] = seed;
		segments.push(segment);
	}
	return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function measure(label, pdf, allPages) {
	const times = [];
	let images = 0;
	let heapDelta = 0;
	let rssDelta = 0;
	let external = 0;
	for (let run = 0; run < RUNS; run++) {
		global.gc?.();
		const before = process.memoryUsage();
		const started = process.hrtime.bigint();
		const result = await findPdfScans(pdf, { allPages });
		times.push(Number(process.hrtime.bigint() - started) / 1e6);
		const after = process.memoryUsage();
		if (!result.ok) throw new Error(`${label}: ${result.code} ${result.message}`);
		images = result.images.length;
		heapDelta = Math.max(heapDelta, after.heapUsed - before.heapUsed);
		rssDelta = Math.max(rssDelta, after.rss - before.rss);
		external = Math.max(external, after.arrayBuffers - before.arrayBuffers);
	}
	times.sort((a, b) => a - b);
	const median = times[Math.floor(times.length / 2)];
	console.log(
		`${label.padEnd(46)} ${String(images).padStart(2)} image(s)  median ${median.toFixed(2).padStart(7)} ms  max ${times[times.length - 1].toFixed(2).padStart(7)} ms  heap +${mb(heapDelta)}  buffers +${mb(external)}  rss +${mb(rssDelta)}`,
	);
}

const pages = Array.from({ length: PAGES }, (_, i) => ({
	images: [jpegImage(bigJpeg(i), 1250, 880)],
}));
const classic = pdfOf(pages);
const objectStreams = pdfOf(pages, { objectStreams: true });
const width = 2480;
const height = 3508;
const a4 = pdfOf([{ images: [rawImage(testPixels(width, height, 3), width, height)] }]);
const a4Predicted = pdfOf([
	{ images: [rawImage(testPixels(width, height, 3), width, height, { predictor: true })] },
]);

console.log(
	`node ${process.version}, ${RUNS} runs each, gc between runs: ${typeof global.gc === 'function'}`,
);
console.log(
	`20 JPEG pages: ${mb(classic.length)} (classic xref), ${mb(objectStreams.length)} (object streams)`,
);
await measure('20 × JPEG, classic xref, first scan', classic, false);
await measure('20 × JPEG, classic xref, all scans', classic, true);
await measure('20 × JPEG, object streams, first scan', objectStreams, false);
await measure('20 × JPEG, object streams, all scans', objectStreams, true);
console.log(
	`A4 300 dpi RGB Flate page: ${mb(a4.length)} (no predictor), ${mb(a4Predicted.length)} (PNG predictor)`,
);
await measure('A4 RGB Flate, no predictor → PNG (re-encoded)', a4, false);
await measure('A4 RGB Flate, PNG predictor → PNG (stream reused)', a4Predicted, false);

/** One run, with the longest the event loop was held while it ran (a 5 ms timer's lag). */
async function measureHold(label, pdf) {
	global.gc?.();
	const before = process.memoryUsage().rss;
	let longest = 0;
	let last = performance.now();
	const probe = setInterval(() => {
		longest = Math.max(longest, performance.now() - last);
		last = performance.now();
	}, 5);
	const started = performance.now();
	const result = await findPdfScans(pdf, { allPages: false });
	const took = performance.now() - started;
	clearInterval(probe);
	if (!result.ok) throw new Error(`${label}: ${result.code} ${result.message}`);
	const [image] = result.images;
	console.log(
		`${label.padEnd(46)} ${image.widthPx} × ${image.heightPx} (${mb(image.bytes.length)})  ${took.toFixed(0)} ms  longest event-loop hold ${longest.toFixed(0)} ms  peak rss +${mb(process.resourceUsage().maxRSS * 1024 - before)}`,
	);
}

const photo = pdfOf([{ images: [rawImage(photoPixels(4000, 3000, 3), 4000, 3000)] }]);
console.log(`12 MP phone photo as Flate pixels, no predictor: ${mb(photo.length)}`);
await measureHold('12 MP Flate photo → PNG at half size', photo);
