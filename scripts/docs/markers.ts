// Figure tables in docs/ sit between `<!-- NAME:start -->` and `<!-- NAME:end -->`; the command that measured the
// figures rewrites what lies between, never the prose around it.

export function markers(name: string): { start: string; end: string } {
  return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` };
}

/** `text` with the part between NAME's markers replaced by `body`; throws when the markers are missing or reversed. */
export function replaceBetweenMarkers(text: string, name: string, body: string): string {
  const { start, end } = markers(name);
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < 0 || j < i) throw new Error(`markers ${start} ... ${end} not found in order`);
  return `${text.slice(0, i + start.length)}\n${body.trim()}\n${text.slice(j)}`;
}
