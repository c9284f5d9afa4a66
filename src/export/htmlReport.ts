// A self-contained HTML report: the data as JSON and the report script (dist/report.js) inlined, a CSP that allows
// no network at all, so it opens offline, from an e-mail attachment or a paper's supplement. Pure.
import type { ReportData } from '../../shared/reportData';
import { escapeXml } from './svgFigure';

/** JSON safe inside <script>: no "</script", no "<!--", no line separators that old parsers choke on. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function reportHtml(data: ReportData, script: string): string {
  const safeScript = script.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n').replace(/<\/(script)/gi, '<\\/$1');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(data.title.join(' — '))}</title>`,
    '</head>',
    '<body>',
    '<noscript>This report draws its heatmaps with JavaScript; allow scripts for this file to see them.</noscript>',
    `<script type="application/json" id="report-data">${scriptJson(data)}</script>`,
    `<script>${safeScript}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
