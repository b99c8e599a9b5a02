/**
 * report.html: a self-contained page a person can read in any browser,
 * offline. No script, no external resource (the CSP forbids both), and every
 * piece of log content goes through esc(): log fields are attacker-written.
 */

export function esc(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface ReportSection {
  title: string;
  /** Paragraphs of plain text. */
  text?: string[];
  table?: { headers: string[]; rows: unknown[][] };
  /** Preformatted plain text blocks (SQL, raw records). */
  pre?: { caption: string; body: string }[];
}

export function renderReport(title: string, subtitle: string, sections: ReportSection[]): string {
  const body = sections
    .map((s) => {
      const parts = [`<h2>${esc(s.title)}</h2>`];
      for (const p of s.text ?? []) parts.push(`<p>${esc(p)}</p>`);
      if (s.table) {
        parts.push(
          `<table><thead><tr>${s.table.headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${s.table.rows
            .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
            .join('')}</tbody></table>`,
        );
      }
      for (const b of s.pre ?? []) parts.push(`<figure><figcaption>${esc(b.caption)}</figcaption><pre>${esc(b.body)}</pre></figure>`);
      return `<section>${parts.join('\n')}</section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1200px;color:#1b1f24;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;border-bottom:1px solid #ccd;padding-bottom:.2rem;margin-top:2rem}
.sub{color:#555}table{border-collapse:collapse;width:100%;font-size:12px}th,td{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top;word-break:break-all}
th{background:#f3f5f7}pre{background:#f6f8fa;border:1px solid #d0d7de;padding:.6rem;white-space:pre-wrap;word-break:break-all;font-size:12px}
figcaption{font-weight:600;margin-top:.6rem}
</style></head>
<body><h1>${esc(title)}</h1><p class="sub">${esc(subtitle)}</p>
${body}
</body></html>
`;
}
