/**
 * Expense receipts are checked by their content, never by the declared type: the first bytes must
 * be those of a PDF, a JPEG or a PNG, and the size within the limit. Pure.
 */
export const RECEIPT_MAX_BYTES = 5 * 1024 * 1024;

export const receiptTypes = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type ReceiptType = (typeof receiptTypes)[number];

const signatures: readonly { readonly type: ReceiptType; readonly bytes: readonly number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

/** The type the bytes really are, or undefined when none of the accepted ones. */
export function sniffReceiptType(head: Uint8Array): ReceiptType | undefined {
  return signatures.find((s) => s.bytes.every((byte, i) => head[i] === byte))?.type;
}

export type ReceiptVerdict =
  | { readonly ok: true; readonly type: ReceiptType; readonly bytes: number }
  | { readonly ok: false; readonly message: string };

/** Whether stored bytes are an acceptable receipt. */
export function checkReceipt(body: Uint8Array | undefined, maxBytes = RECEIPT_MAX_BYTES): ReceiptVerdict {
  if (!body || body.length === 0) return { ok: false, message: 'no receipt was uploaded: upload it through the link given at declaration' };
  if (body.length > maxBytes) return { ok: false, message: `must be at most ${maxBytes} bytes (it has ${body.length})` };
  const type = sniffReceiptType(body);
  if (!type) return { ok: false, message: 'must be a PDF, JPEG or PNG file (checked by its content)' };
  return { ok: true, type, bytes: body.length };
}
