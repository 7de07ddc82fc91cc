// Rows that tests record for the README's tables, kept in a file because Playwright restarts its worker process
// after a failure (memory would lose the rows before it).
import fs from 'node:fs';

export function record(file: string, key: string, row: Record<string, unknown>): void {
  fs.mkdirSync('test-results', { recursive: true });
  const all = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  all[key] = row;
  fs.writeFileSync(file, JSON.stringify(all, null, 2));
}

export function readAll(file: string): Record<string, unknown>[] {
  return fs.existsSync(file) ? Object.values(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>) : [];
}
