/**
 * The local addresses on which TCP sockets of this machine listen on a port, read from
 * /proc/net/tcp and /proc/net/tcp6 (Linux; what `ss -ltn` reads too), e.g. ['127.0.0.1'] or
 * ['0.0.0.0', '::'].
 */
import { readFileSync } from 'node:fs';

const LISTEN = '0A';

/** "0100007F" → "127.0.0.1": /proc prints each 32-bit word in the host's (little-endian) order. */
function word(hex: string): number[] {
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

export function decodeProcAddress(hex: string): string {
  if (hex.length === 8) return word(hex).join('.');
  const bytes = [0, 8, 16, 24].flatMap((i) => word(hex.slice(i, i + 8)));
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  const full = groups.join(':');
  return full === '0:0:0:0:0:0:0:0' ? '::' : full === '0:0:0:0:0:0:0:1' ? '::1' : full;
}

/** Parses the text of /proc/net/tcp or /proc/net/tcp6: the listening sockets on `port`. */
export function listeningIn(procText: string, port: number): string[] {
  const out: string[] = [];
  for (const line of procText.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4 || fields[3] !== LISTEN) continue;
    const [address, portHex] = fields[1]!.split(':') as [string, string];
    if (parseInt(portHex, 16) === port) out.push(decodeProcAddress(address));
  }
  return out;
}

export function listeningAddresses(port: number): string[] {
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => {
    try {
      return listeningIn(readFileSync(file, 'utf8'), port);
    } catch {
      return [];
    }
  });
}
