/** How many first bytes the sniffer needs to recognise any type it knows. */
export const SNIFF_HEAD_BYTES = 4100;

/**
 * The MIME type of some bytes by their magic numbers (the `file-type` package), never by a file name or a
 * declared type, or undefined when it recognises none. Pass at least the first `SNIFF_HEAD_BYTES` bytes.
 * `file-type` (~40 modules with its tokenizers) is loaded by the first upload, not at start.
 */
export async function sniffContentType(head: Buffer): Promise<string | undefined> {
  const { fileTypeFromBuffer } = await import('file-type');
  return (await fileTypeFromBuffer(head))?.mime;
}
