/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * The bodies the hostile upstream sends: canned error answers, a body of any size that is never built in
 * memory, and a gzip bomb. Every body is a sequence of Buffers that the server writes with backpressure.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

export type PathKind = 'iam' | 'ocr' | 'other';

export interface CannedAnswer {
	status: number;
	headers: Record<string, string>;
	body: string;
}

const JSON_TYPE = 'application/json;charset=UTF-8';

/** A gateway error (APIG.*): Huawei shape with `request_id`, as the real API gateway answers. */
export function gatewayError(
	status: number,
	code: string,
	message: string,
	requestId: string,
	headers: Record<string, string> = {},
): CannedAnswer {
	return {
		status,
		headers: { 'Content-Type': JSON_TYPE, Server: 'api-gateway', ...headers },
		body: JSON.stringify({ error_code: code, error_msg: message, request_id: requestId }),
	};
}

/** A service error (ModelArts.*, AIS.*): `{error_code, error_msg}` only (reference §3.1). */
export function serviceError(status: number, code: string, message: string): CannedAnswer {
	return {
		status,
		headers: { 'Content-Type': JSON_TYPE, Server: 'api-gateway' },
		body: JSON.stringify({ error_code: code, error_msg: message }),
	};
}

/** A Keystone-style IAM error: `{"error":{"code","title","message"}}`. */
export function keystoneError(status: number, title: string, message: string): CannedAnswer {
	return {
		status,
		headers: { 'Content-Type': JSON_TYPE, Server: 'api-gateway' },
		body: JSON.stringify({ error: { code: status, title, message } }),
	};
}

/** The page nginx serves when its upstream fails (the same page the emulator's `html` fault sends). */
export const NGINX_502_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
	'<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** What a captive portal or a corporate proxy's sign-in page answers, with a 200, to any request. */
export const PORTAL_PAGE =
	'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Network sign-in required</title></head>\n' +
	'<body>\n<h1>Welcome to Guest Wi-Fi</h1>\n<p>Please accept the terms of use to continue.</p>\n' +
	'<form method="post" action="/portal/accept"><button>Accept and connect</button></form>\n</body>\n</html>\n';

/**
 * The opening and closing of a JSON body with a long string in between, shaped like the path's real answer:
 * `{"result":{...,"extra_info":{"padding":"` … `"}}}` for OCR, a Keystone token body for IAM.
 */
function paddedJsonFrame(kind: PathKind): { head: Buffer; tail: Buffer } {
	if (kind === 'iam') {
		return {
			head: Buffer.from(
				'{"token":{"methods":["password"],"expires_at":"2031-01-01T00:00:00.000000Z",' +
					'"catalog":[{"type":"padding","name":"padding","endpoints":[],"padding":"',
			),
			tail: Buffer.from('"}]}}'),
		};
	}
	return {
		head: Buffer.from(
			'{"result":{"passport_type":"P","country_code":"UTO","passport_number":"L898902C3",' +
				'"surname":"ERIKSSON","given_name":"ANNA MARIA","confidence":{},"extra_info":{"padding":"',
		),
		tail: Buffer.from('"}}}'),
	};
}

const FILL_CHUNK = Buffer.alloc(64 * 1024, 'x');

/** A valid JSON body of exactly `totalBytes` (or the frame's length, if that is more), chunk by chunk. */
export function* oversizedJson(kind: PathKind, totalBytes: number): Generator<Buffer> {
	const { head, tail } = paddedJsonFrame(kind);
	yield head;
	let fill = Math.max(0, totalBytes - head.length - tail.length);
	while (fill > 0) {
		const chunk = fill >= FILL_CHUNK.length ? FILL_CHUNK : FILL_CHUNK.subarray(0, fill);
		fill -= chunk.length;
		yield chunk;
	}
	yield tail;
}

export function oversizedJsonLength(kind: PathKind, totalBytes: number): number {
	const { head, tail } = paddedJsonFrame(kind);
	return Math.max(totalBytes, head.length + tail.length);
}

export interface GzipBomb {
	/** Length of the whole gzip stream as sent (the Content-Length). */
	compressedBytes: number;
	/** Length once inflated: JSON-ish text, mostly spaces inside one string. */
	inflatedBytes: number;
	/** The gzip stream as a sequence of buffers; the same few buffers repeat, nothing large is held. */
	chunks(): Generator<Buffer>;
}

const BOMB_UNIT = 1024 * 1024;
const BOMB_UNITS = 1024;
let bomb: GzipBomb | undefined;

/**
 * A gzip stream of about 1 MB that inflates to 1 GiB + a few bytes. Deflate with a full flush leaves each
 * part byte-aligned and free of references to earlier data, so the one compressed MiB of spaces can be sent
 * 1024 times in a row; the trailer's CRC-32 and length are those of the whole inflated text, so a client that
 * inflates it all sees a valid stream. Built on first use (the CRC over 1 GiB takes about half a second), then
 * cached for the process.
 */
export function gzipBomb(): GzipBomb {
	if (bomb) return bomb;
	const fullFlush = { level: 9, finishFlush: constants.Z_FULL_FLUSH };
	const head = Buffer.from('{"result":{"extra_info":{"padding":"');
	const tail = Buffer.from('"}}}');
	const unit = Buffer.alloc(BOMB_UNIT, ' ');
	const headDeflated = deflateRawSync(head, fullFlush);
	const unitDeflated = deflateRawSync(unit, fullFlush);
	const tailDeflated = deflateRawSync(tail, { level: 9 }); // ends with the final block
	let crc = crc32(head);
	for (let i = 0; i < BOMB_UNITS; i++) crc = crc32(unit, crc);
	crc = crc32(tail, crc);
	const inflatedBytes = head.length + BOMB_UNITS * BOMB_UNIT + tail.length;
	// ID1 ID2, CM deflate, no flags, no mtime, XFL 2 (best compression), OS unknown.
	const gzipHeader = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff]);
	const trailer = Buffer.alloc(8);
	trailer.writeUInt32LE(crc >>> 0, 0);
	trailer.writeUInt32LE(inflatedBytes % 2 ** 32, 4);
	const compressedBytes =
		gzipHeader.length +
		headDeflated.length +
		BOMB_UNITS * unitDeflated.length +
		tailDeflated.length +
		trailer.length;
	bomb = {
		compressedBytes,
		inflatedBytes,
		*chunks() {
			yield Buffer.concat([gzipHeader, headDeflated]);
			// 64 copies per write: about 64 KB, so the writes stay few and small.
			const batch = Buffer.concat(Array<Buffer>(64).fill(unitDeflated));
			for (let sent = 0; sent < BOMB_UNITS; sent += 64) yield batch;
			yield Buffer.concat([tailDeflated, trailer]);
		},
	};
	return bomb;
}
