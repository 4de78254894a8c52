// A self-contained HTML page: its style and script inline, allowed by their hashes in a
// Content-Security-Policy that forbids everything else (no network, no other script, no
// inline event handlers), so a page opened from disk runs only what kubeprop wrote.
import { createHash } from 'node:crypto';
import { escapeHtml } from './escape.ts';

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** A page; without `script`, the policy allows no script at all. */
export function page(title: string, body: string, style: string, script?: string): string {
  const csp = `default-src 'none'; style-src ${hash(style)}; script-src ${script === undefined ? "'none'" : hash(script)}; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
${body}
${script === undefined ? '' : `<script>${script}</script>`}
</body>
</html>
`;
}
