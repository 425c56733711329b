/**
 * Passport photos of a realistic size (1 to 2 MB) that the emulator recognises. Each is a specimen JPEG with
 * APP15 segments of noise after its start marker, as cameras and scanners pad files with EXIF, ICC and XMP
 * blocks: every reader skips them by length, and noise does not compress, so the bytes are as heavy to move as
 * a real photo's. The same seed gives the same images in every process, so the service process can register
 * the result for each one.
 */
import { FIXTURES, type Fixture } from '../test/emulator';

export interface ImageSetSpec {
	count: number;
	minBytes: number;
	maxBytes: number;
	seed: number;
}

export interface BenchImage {
	bytes: Buffer;
	fileName: string;
	/** The specimen it was made from; the service answers with that specimen's result. */
	specimen: Fixture;
}

const APP15 = 0xef;
const MAX_SEGMENT_PAYLOAD = 65_533;

/** xorshift32: small, fast and the same everywhere. */
function randomSource(seed: number): () => number {
	let state = seed >>> 0 || 1;
	return () => {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		return (state >>> 0) / 0x1_0000_0000;
	};
}

function noiseSegment(payloadBytes: number, random: () => number): Buffer {
	const segment = Buffer.alloc(4 + Math.ceil(payloadBytes / 4) * 4);
	segment[0] = 0xff;
	segment[1] = APP15;
	segment.writeUInt16BE(payloadBytes + 2, 2);
	for (let at = 4; at < segment.length; at += 4) {
		segment.writeUInt32LE(Math.floor(random() * 0x1_0000_0000), at);
	}
	return segment.subarray(0, 4 + payloadBytes);
}

function padded(jpeg: Buffer, totalBytes: number, random: () => number): Buffer {
	const segments: Buffer[] = [];
	for (let left = totalBytes - jpeg.length; left > 4; ) {
		const payload = Math.min(MAX_SEGMENT_PAYLOAD, left - 4);
		segments.push(noiseSegment(payload, random));
		left -= payload + 4;
	}
	return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

export function makeImageSet(spec: ImageSetSpec): BenchImage[] {
	const random = randomSource(spec.seed);
	const jpegs = FIXTURES.filter((fixture) => fixture.mimeType === 'image/jpeg');
	return Array.from({ length: spec.count }, (_, index) => {
		const specimen = jpegs[index % jpegs.length];
		const size = Math.round(spec.minBytes + random() * (spec.maxBytes - spec.minBytes));
		const bytes = padded(specimen.bytes, size, random);
		return { bytes, fileName: `passport-${index + 1}.jpg`, specimen };
	});
}

export const averageBytes = (images: BenchImage[]): number =>
	images.reduce((sum, image) => sum + image.bytes.length, 0) / images.length;
