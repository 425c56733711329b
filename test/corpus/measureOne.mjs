#!/usr/bin/env node
/**
 * Reads one PDF with the built package's PDF reader in a process of its own and prints, as one JSON line, what
 * came out (the images, or the refusal) and what it cost: time, growth of the resident memory (the peak, from
 * the kernel's count), and the longest the event loop was held (a 5 ms timer's lag, and perf_hooks' delay).
 *
 * usage: node measureOne.mjs <package root> <file.pdf> <out prefix> [every]
 * Images are written next to <out prefix> (-<page>.jpg / .png) for the caller to compare with pdfimages.
 */
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const [root, file, outPrefix, pages] = process.argv.slice(2);
const { findPdfScans } = require(path.resolve(root, 'dist/nodes/PassportOcr/pdf/pdfScan.js'));
const pdf = readFileSync(file);

const before = process.memoryUsage().rss;
let longest = 0;
let last = performance.now();
const probe = setInterval(() => {
	const now = performance.now();
	longest = Math.max(longest, now - last);
	last = now;
}, 5);
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
await new Promise((resolve) => setTimeout(resolve, 30));
longest = 0;
last = performance.now();
const started = performance.now();
const result = await findPdfScans(pdf, { allPages: pages === 'every' });
const ms = performance.now() - started;
await new Promise((resolve) => setTimeout(resolve, 10));
clearInterval(probe);
delay.disable();
const images = result.ok
	? result.images.map((image) => {
			const out = `${outPrefix}-${image.page}.${image.format === 'jpeg' ? 'jpg' : 'png'}`;
			writeFileSync(out, image.bytes);
			return {
				page: image.page,
				format: image.format,
				width: image.widthPx,
				height: image.heightPx,
				bytes: image.bytes.length,
				file: out,
				resizedFrom: image.resizedFrom ?? null,
			};
		})
	: null;
console.log(
	JSON.stringify({
		ms: Math.round(ms),
		holdMs: Math.round(Math.max(longest, delay.max / 1e6)),
		rssGrowthMB: Math.round((process.resourceUsage().maxRSS * 1024 - before) / 1048576),
		images,
		refusal: result.ok ? null : { code: result.code, message: result.message },
	}),
);
