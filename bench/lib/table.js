/** The bench's one table: sections, and rows of a measure with its comparison, target and verdict. */

const times = (ratio) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a');
export const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
export const mb = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 1e6).toFixed(2)} MB` : 'n/a');
export const kb = (bytes) => `${(bytes / 1e3).toFixed(1)} kB`;

export function createTable() {
  const rows = [];
  const table = {
    section: (title) => rows.push({ title }),
    /** `verdict` is lib/rounds.js's { met, text }, or undefined for information. */
    row(measure, ours, other = '', ratio = '', target = 'info', verdict = undefined) {
      const shown = typeof ratio === 'number' ? times(ratio) : ratio;
      rows.push({ measure, ours, other, ratio: shown, target, met: verdict === undefined ? '' : `${verdict.met ? '✓' : '✗'} ${verdict.text}` });
    },
    /** A measure that could not be taken: `error` in the row, the reason on the line below it. */
    failed(measure, error) {
      table.row(measure, 'error', 'see below', '', '', { met: false, text: 'not measured' });
      rows.at(-1).detail = String(error?.message ?? error).split('\n')[0].slice(0, 300);
    },
    detail(text) {
      rows.at(-1).detail = text;
    },
    print(header) {
      const columns = ['measure', 'ours', 'other', 'ratio', 'target', 'met'];
      const titles = { measure: 'measure', ours: 'gmail-token', other: 'compared with', ratio: 'ratio', target: 'target', met: 'verdict' };
      const width = Object.fromEntries(columns.map((column) => [column, Math.max(titles[column].length, ...rows.filter((r) => !r.title).map((r) => String(r[column]).length))]));
      const line = (cells) => columns.map((column) => String(cells[column]).padEnd(width[column])).join('  ').trimEnd();
      const total = columns.reduce((sum, column) => sum + width[column] + 2, -2);
      const out = [...header, '', line(titles), '─'.repeat(total)];
      for (const r of rows) {
        out.push(r.title ? `\n${r.title}` : line(r));
        if (r.detail) out.push(`    ↳ ${r.detail}`);
      }
      process.stdout.write(`${out.join('\n')}\n`);
    },
  };
  return table;
}
