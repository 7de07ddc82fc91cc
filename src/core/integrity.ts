// Integrity pins: a sha256 per model file, as 64 hex digits or in Subresource Integrity form ('sha256-<base64>').

/** The pin as lowercase hex, or null when it is neither form. */
export function pinToHex(pin: string): string | null {
  const p = pin.trim();
  if (/^[0-9a-f]{64}$/i.test(p)) return p.toLowerCase();
  const m = /^sha256-([A-Za-z0-9+/]{43}=)$/.exec(p);
  if (!m) return null;
  const bin = atob(m[1]!);
  return Array.from(bin, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}
