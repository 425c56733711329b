/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * A small PDF writer for tests: objects are added as PDF syntax text (plus stream data), and `toBuffer` lays
 * them out with a classic cross-reference table, or a cross-reference stream (Flate, PNG predictor 12) with
 * the non-stream objects packed into an object stream, the way qpdf and modern Acrobat write files.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';

import { rc4 } from '../../nodes/PassportOcr/pdf/pdfDecrypt';

interface StoredObject {
	body: string;
	stream?: Buffer;
}

export interface LayoutOptions {
	root: number;
	/** `stream` writes a /Type /XRef stream; `objectStreams` also moves non-stream objects into an /ObjStm. */
	xref?: 'table' | 'stream';
	objectStreams?: boolean;
	/** Extra trailer keys; given the cross-reference offset so a test can write a /Prev that loops. */
	trailer?: (xrefOffset: number) => string;
	/** Bytes before `%PDF-` (some mail gateways and scanners add them); offsets stay from the file start. */
	prefix?: string;
	/** Objects left out of the object stream (an encryption dictionary must be, §7.5.7). */
	unpacked?: number[];
	/** Encrypts each stream's data (given its object number), as an encrypted file stores it. */
	encryptStream?: (data: Buffer, num: number) => Buffer;
}

/** PNG "Up" predictor rows (filter byte 2) as PDF cross-reference streams use them (Predictor 12). */
function upPredicted(rows: Buffer, rowLength: number): Buffer {
	const out = Buffer.alloc((rows.length / rowLength) * (rowLength + 1));
	for (let r = 0; r * rowLength < rows.length; r++) {
		out[r * (rowLength + 1)] = 2;
		for (let i = 0; i < rowLength; i++) {
			const above = r > 0 ? rows[(r - 1) * rowLength + i] : 0;
			out[r * (rowLength + 1) + 1 + i] = (rows[r * rowLength + i] - above) & 0xff;
		}
	}
	return out;
}

export class PdfBuilder {
	private readonly objects = new Map<number, StoredObject>();
	private next = 1;

	reserve(): number {
		return this.next++;
	}

	/** `body` is the object's value; with `stream`, a dictionary without /Length (it is added). */
	set(num: number, body: string, stream?: Buffer): number {
		this.objects.set(num, { body, stream });
		this.next = Math.max(this.next, num + 1);
		return num;
	}

	add(body: string, stream?: Buffer): number {
		return this.set(this.reserve(), body, stream);
	}

	private static objectText(num: number, object: StoredObject): Buffer {
		if (!object.stream) return Buffer.from(`${num} 0 obj\n${object.body}\nendobj\n`, 'latin1');
		const dict = object.body.replace(/>>\s*$/, ` /Length ${object.stream.length} >>`);
		return Buffer.concat([
			Buffer.from(`${num} 0 obj\n${dict}\nstream\n`, 'latin1'),
			object.stream,
			Buffer.from('\nendstream\nendobj\n', 'latin1'),
		]);
	}

	toBuffer(options: LayoutOptions): Buffer {
		const parts: Buffer[] = [];
		let length = 0;
		const push = (part: Buffer) => {
			parts.push(part);
			length += part.length;
		};
		if (options.prefix) push(Buffer.from(options.prefix, 'latin1'));
		push(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'));
		// Cross-reference streams are never encrypted (§7.6.1); every other stream is when a key is given.
		const stored = (num: number, object: StoredObject): StoredObject =>
			object.stream && options.encryptStream
				? { ...object, stream: options.encryptStream(object.stream, num) }
				: object;
		const offsets = new Map<number, number>();
		const compressed = new Map<number, [stream: number, index: number]>();
		const useStream = options.xref === 'stream' || options.objectStreams;
		let size = this.next;
		if (options.objectStreams) {
			const packed = [...this.objects].filter(
				([num, object]) => !object.stream && !options.unpacked?.includes(num),
			);
			const streamNum = size++;
			let header = '';
			let body = '';
			packed.forEach(([num, object], index) => {
				header += `${num} ${body.length} `;
				body += `${object.body}\n`;
				compressed.set(num, [streamNum, index]);
			});
			const data = Buffer.from(header + body, 'latin1');
			const objStm: StoredObject = {
				body: `<< /Type /ObjStm /N ${packed.length} /First ${header.length} /Filter /FlateDecode >>`,
				stream: deflateSync(data),
			};
			for (const [num, object] of this.objects) {
				if (!object.stream && !options.unpacked?.includes(num)) continue;
				offsets.set(num, length);
				push(PdfBuilder.objectText(num, stored(num, object)));
			}
			offsets.set(streamNum, length);
			push(PdfBuilder.objectText(streamNum, stored(streamNum, objStm)));
		} else {
			for (const [num, object] of this.objects) {
				offsets.set(num, length);
				push(PdfBuilder.objectText(num, stored(num, object)));
			}
		}
		const xrefOffset = length;
		const extra = options.trailer?.(xrefOffset) ?? '';
		if (useStream) {
			const xrefNum = size++;
			offsets.set(xrefNum, xrefOffset);
			const rows = Buffer.alloc(size * 6);
			for (let num = 0; num < size; num++) {
				const at = num * 6;
				const inStream = compressed.get(num);
				const offset = offsets.get(num);
				if (inStream) {
					rows[at] = 2;
					rows.writeUInt32BE(inStream[0], at + 1);
					rows[at + 5] = inStream[1];
				} else if (offset !== undefined) {
					rows[at] = 1;
					rows.writeUInt32BE(offset, at + 1);
				}
			}
			const xrefStream: StoredObject = {
				body: `<< /Type /XRef /Size ${size} /W [1 4 1] /Root ${options.root} 0 R ${extra} /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 6 >> >>`,
				stream: deflateSync(upPredicted(rows, 6)),
			};
			push(PdfBuilder.objectText(xrefNum, xrefStream));
		} else {
			let table = `xref\n0 ${size}\n0000000000 65535 f \n`;
			for (let num = 1; num < size; num++) {
				const offset = offsets.get(num);
				table +=
					offset === undefined
						? '0000000000 65535 f \n'
						: `${String(offset).padStart(10, '0')} 00000 n \n`;
			}
			push(
				Buffer.from(
					`${table}trailer\n<< /Size ${size} /Root ${options.root} 0 R ${extra} >>\n`,
					'latin1',
				),
			);
		}
		push(Buffer.from(`startxref\n${xrefOffset}\n%%EOF\n`, 'latin1'));
		return Buffer.concat(parts);
	}
}

/** An image XObject as its dictionary text and stored data. */
export interface ImageObject {
	dict: string;
	data: Buffer;
}

export function jpegImage(
	jpeg: Buffer,
	width: number,
	height: number,
	flateFirst = false,
): ImageObject {
	return flateFirst
		? {
				dict: `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter [/FlateDecode /DCTDecode] >>`,
				data: deflateSync(jpeg),
			}
		: {
				dict: `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode >>`,
				data: jpeg,
			};
}

/** Pixels of a recognisable pattern, `channels` bytes each, row after row. */
export function testPixels(width: number, height: number, channels: number): Buffer {
	const pixels = Buffer.alloc(width * height * channels);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			for (let c = 0; c < channels; c++) {
				pixels[(y * width + x) * channels + c] = (x * (c + 1) + y * 3 + ((x * y) % 7)) & 0xff;
			}
		}
	}
	return pixels;
}

/**
 * Pixels like a phone photo's: smooth light and colour with sensor noise, which PNG compresses only about 2:1
 * (the test pattern above compresses far better than any photo).
 */
export function photoPixels(width: number, height: number, channels: number, seed = 1): Buffer {
	const pixels = Buffer.alloc(width * height * channels);
	let state = seed >>> 0;
	for (let i = 0, y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			for (let c = 0; c < channels; c++, i++) {
				state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
				const noise = (state >>> 24) % 24;
				pixels[i] = (((x + y) * 200) / (width + height) + c * 20 + noise) & 0xff;
			}
		}
	}
	return pixels;
}

/** PNG rows with a mix of filter types (None, Sub, Up, Average, Paeth), as a PDF PNG predictor stores them. */
export function pngPredicted(pixels: Buffer, width: number, channels: number): Buffer {
	const rowBytes = width * channels;
	const rows = pixels.length / rowBytes;
	const out = Buffer.alloc(rows * (rowBytes + 1));
	for (let r = 0; r < rows; r++) {
		const type = r % 5;
		out[r * (rowBytes + 1)] = type;
		for (let i = 0; i < rowBytes; i++) {
			const at = r * rowBytes + i;
			const left = i >= channels ? pixels[at - channels] : 0;
			const above = r > 0 ? pixels[at - rowBytes] : 0;
			const upperLeft = r > 0 && i >= channels ? pixels[at - rowBytes - channels] : 0;
			const p = left + above - upperLeft;
			const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - above), Math.abs(p - upperLeft)];
			const paeth = pa <= pb && pa <= pc ? left : pb <= pc ? above : upperLeft;
			const predicted = [0, left, above, (left + above) >> 1, paeth][type];
			out[r * (rowBytes + 1) + 1 + i] = (pixels[at] - predicted) & 0xff;
		}
	}
	return out;
}

export function rawImage(
	pixels: Buffer,
	width: number,
	height: number,
	options: {
		channels?: 1 | 3;
		predictor?: boolean;
		colorSpace?: string;
		bits?: number;
		extra?: string;
	} = {},
): ImageObject {
	const channels = options.channels ?? 3;
	const space = options.colorSpace ?? (channels === 3 ? '/DeviceRGB' : '/DeviceGray');
	const parms = options.predictor
		? ` /DecodeParms << /Predictor 15 /Colors ${channels} /BitsPerComponent 8 /Columns ${width} >>`
		: '';
	return {
		dict: `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace ${space} /BitsPerComponent ${options.bits ?? 8} /Filter /FlateDecode${parms}${options.extra ?? ''} >>`,
		data: deflateSync(options.predictor ? pngPredicted(pixels, width, channels) : pixels),
	};
}

/** An image stored with an encoding the reader refuses; the data need not be real. */
export function codecImage(filter: string, width: number, height: number): ImageObject {
	return {
		dict: `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /${filter} >>`,
		data: Buffer.alloc(64, 0x55),
	};
}

export interface PageSpec {
	images?: ImageObject[];
	text?: string;
	/** Images wrapped in a Form XObject this many levels deep. */
	formDepth?: number;
	/** Per image, the `cm` operands that place it (default: the whole page, 595 0 0 842 0 0). */
	placements?: string[];
	/** Content drawn after the images, and entries added to the page's /Resources. */
	extraContent?: string;
	extraResources?: string;
	/** Entries added to the page dictionary (/Annots, say). */
	extraPage?: string;
}

/**
 * A document with one page per spec, each image drawn full-page. Returns the builder and the catalog number so
 * a test can add objects or change the layout before `toBuffer`.
 */
export function buildDocument(pages: PageSpec[]): { builder: PdfBuilder; root: number } {
	const builder = new PdfBuilder();
	const root = builder.reserve();
	const pagesNum = builder.reserve();
	const font = builder.add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
	const kids: number[] = [];
	for (const spec of pages) {
		const names: string[] = [];
		const xobjects: string[] = [];
		(spec.images ?? []).forEach((image, i) => {
			let num = builder.add(image.dict, image.data);
			let name = `Im${i + 1}`;
			for (let level = 0; level < (spec.formDepth ?? 0); level++) {
				num = builder.add(
					`<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /${name} ${num} 0 R >> >> >>`,
					Buffer.from(`q 1 0 0 1 0 0 cm /${name} Do Q`, 'latin1'),
				);
				name = `Fm${i + 1}L${level}`;
			}
			names.push(name);
			xobjects.push(`/${name} ${num} 0 R`);
		});
		let content = names
			.map((name, i) => `q ${spec.placements?.[i] ?? '595 0 0 842 0 0'} cm /${name} Do Q`)
			.join('\n');
		if (spec.text) content += `\nBT /F1 12 Tf 72 720 Td (${spec.text}) Tj ET`;
		if (spec.extraContent) content += `\n${spec.extraContent}`;
		const contents = builder.add(
			'<< /Filter /FlateDecode >>',
			deflateSync(Buffer.from(content, 'latin1')),
		);
		kids.push(
			builder.add(
				`<< /Type /Page /Parent ${pagesNum} 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 ${font} 0 R >> /XObject << ${xobjects.join(' ')} >> ${spec.extraResources ?? ''} >> /Contents ${contents} 0 R ${spec.extraPage ?? ''} >>`,
			),
		);
	}
	builder.set(
		pagesNum,
		`<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`,
	);
	builder.set(root, `<< /Type /Catalog /Pages ${pagesNum} 0 R >>`);
	return { builder, root };
}

export function pdfOf(pages: PageSpec[], layout: Omit<LayoutOptions, 'root'> = {}): Buffer {
	const { builder, root } = buildDocument(pages);
	return builder.toBuffer({ ...layout, root });
}

const PASSWORD_PADDING = Buffer.from(
	'28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a',
	'hex',
);
const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest();
const hexString = (bytes: Buffer) => `<${bytes.toString('hex')}>`;

/**
 * A PDF encrypted with the standard security handler and an owner password only (an empty user password), as
 * "protected against printing" PDFs are: RC4 40-bit (R2), RC4 128-bit (R3) or AES-128 (R4), following ISO
 * 32000-1 §7.6.3 Algorithms 1, 2, 4 and 5. With `userPasswordNeeded`, /U is wrong for the empty password, as in
 * a PDF that asks for a password to open.
 */
export function ownerOnlyPdf(
	pages: PageSpec[],
	method: 'rc4-40' | 'rc4-128' | 'aes-128',
	options: { userPasswordNeeded?: boolean; objectStreams?: boolean } = {},
): Buffer {
	const { builder, root } = buildDocument(pages);
	const r = method === 'rc4-40' ? 2 : method === 'rc4-128' ? 3 : 4;
	const keyLength = method === 'rc4-40' ? 5 : 16;
	const owner = randomBytes(32);
	const id = randomBytes(16);
	const p = -3904;
	const pBytes = Buffer.alloc(4);
	pBytes.writeInt32LE(p);
	let key = md5(PASSWORD_PADDING, owner, pBytes, id).subarray(0, keyLength);
	if (r >= 3) for (let i = 0; i < 50; i++) key = md5(key).subarray(0, keyLength);
	let user: Buffer;
	if (r === 2) user = rc4(key, PASSWORD_PADDING);
	else {
		let check = rc4(key, md5(PASSWORD_PADDING, id));
		for (let i = 1; i <= 19; i++)
			check = rc4(
				key.map((byte) => byte ^ i),
				check,
			);
		user = Buffer.concat([check, randomBytes(16)]);
	}
	if (options.userPasswordNeeded) user = randomBytes(32);
	const encryptStream = (data: Buffer, num: number) => {
		const objectId = Buffer.from([num, num >> 8, num >> 16, 0, 0]);
		const salt = method === 'aes-128' ? Buffer.from('sAlT', 'latin1') : Buffer.alloc(0);
		const objectKey = md5(key, objectId, salt).subarray(0, Math.min(keyLength + 5, 16));
		if (method !== 'aes-128') return rc4(objectKey, data);
		const iv = randomBytes(16);
		const cipher = createCipheriv('aes-128-cbc', objectKey, iv);
		return Buffer.concat([iv, cipher.update(data), cipher.final()]);
	};
	const filter =
		method === 'aes-128'
			? '/V 4 /Length 128 /CF << /StdCF << /CFM /AESV2 /Length 16 /AuthEvent /DocOpen >> >> /StmF /StdCF /StrF /StdCF'
			: `/V ${r === 2 ? 1 : 2} /Length ${keyLength * 8}`;
	const encrypt = builder.add(
		`<< /Filter /Standard ${filter} /R ${r} /O ${hexString(owner)} /U ${hexString(user)} /P ${p} >>`,
	);
	return builder.toBuffer({
		root,
		objectStreams: options.objectStreams,
		unpacked: [encrypt],
		encryptStream,
		trailer: () => `/Encrypt ${encrypt} 0 R /ID [${hexString(id)} ${hexString(id)}]`,
	});
}
