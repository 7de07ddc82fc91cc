// Integrity pins: a sha256 per model file, as 64 hex digits or in Subresource Integrity form ('sha256-<base64>').
import { RerankError } from '../errors.ts';

/** The pin as lowercase hex, or null when it is neither form. */
export function pinToHex(pin: string): string | null {
  const p = pin.trim();
  if (/^[0-9a-f]{64}$/i.test(p)) return p.toLowerCase();
  const m = /^sha256-([A-Za-z0-9+/]{43}=)$/.exec(p);
  if (!m) return null;
  const bin = atob(m[1]!);
  return Array.from(bin, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}

/** The `integrity` option: each pin as hex, keyed by its path inside the model folder. */
export function resolveIntegrity(pins: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, pin] of Object.entries(pins ?? {})) {
    const hex = typeof pin === 'string' ? pinToHex(pin) : null;
    if (!hex) throw new RerankError('INVALID_OPTION', `integrity['${file}'] must be a sha256 as 64 hex digits or 'sha256-<base64>'`);
    out[file.replace(/^\.?\//, '')] = hex;
  }
  return out;
}
