/**
 * The service's documented size limits for one image (reference section 1.3), written once: the input room
 * checks files against them and the PDF reader fits the scans it converts within them.
 */

/** The Base64 text of the image may be at most 10 MB. */
export const MAX_BASE64_LENGTH = 10 * 1024 * 1024;

export const MIN_SIDE_PX = 15;

/** Length of the padded Base64 text of `byteCount` bytes. */
export const base64Length = (byteCount: number): number => Math.ceil(byteCount / 3) * 4;

/** The largest file whose Base64 text fits in `MAX_BASE64_LENGTH`. */
export const MAX_FILE_BYTES = Math.floor(MAX_BASE64_LENGTH / 4) * 3;
