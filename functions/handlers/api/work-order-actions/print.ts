import { escapeHtml as e } from '../../../domain/shared/mail';
import { customerLines, describeRecord, labelOf } from '../../../domain/work-orders/forward';
import type { PrintView } from '../../../domain/work-orders/print-work-order';

/** A printout is a document in its own right: no script, no remote resource, nothing cached on the way. */
export const PRINT_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
  'x-content-type-options': 'nosniff',
  'cache-control': 'private, no-store',
  'referrer-policy': 'no-referrer',
};

const STYLE = `
body{font:11pt/1.4 system-ui,sans-serif;margin:2em;color:#111}
h1{font-size:16pt;margin:0 0 .2em}h2{font-size:12pt;border-bottom:1px solid #999;margin:1.4em 0 .4em}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.15em .6em .15em 0}
th{width:12em;font-weight:600}.timeline th,.timeline td{border-bottom:1px solid #ddd;width:auto}
.muted{color:#555}.pre{white-space:pre-wrap}
@media print{body{margin:0}a{color:inherit;text-decoration:none}}`;

const rows = (pairs: [string, string | undefined][]) =>
  pairs
    .filter((pair): pair is [string, string] => pair[1] !== undefined && pair[1] !== '')
    .map(([label, value]) => `<tr><th>${e(label)}</th><td>${e(value)}</td></tr>`)
    .join('\n');

/** The printable work order. Every value is escaped: titles, notes and names are user input. */
export function renderPrintPage(view: PrintView): string {
  const { workOrder: wo, people, customer } = view;
  const name = (id: string | undefined) => (id ? (people[id] ?? id) : undefined);
  const address = wo.address
    ? [
        wo.address.street,
        [wo.address.postalCode, wo.address.city].filter(Boolean).join(' '),
        wo.address.region,
        wo.address.country,
      ]
        .filter(Boolean)
        .join(', ')
    : undefined;
  const team = wo.team.map(
    (member) => `<tr><td>${e(name(member.userId))}</td><td>${e(labelOf(member.access))}</td></tr>`,
  );
  const customerRows = customerLines(customer);
  const timeline = view.records.map(
    (record) =>
      `<tr><td>${e(record.at)}</td><td>${e(name(record.actorId) ?? 'System')}</td><td class="pre">${e(describeRecord(record))}</td></tr>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${e(wo.number)} ${e(wo.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${e(wo.number)} · ${e(wo.title)}</h1>
<p class="muted">Printed ${e(view.printedAt)} by ${e(name(view.printedBy))}</p>
</header>
<section>
<h2>Work order</h2>
<table>
${rows([
  ['Number', wo.number],
  ['Status', labelOf(wo.status)],
  ['Priority', labelOf(wo.priority)],
  ['Type', view.type?.name],
  ['Channel', labelOf(wo.channel)],
  ['Lifecycle', wo.lifecycle === 'obsolete' ? 'Obsolete (voided)' : undefined],
  ['Locked', wo.locked ? 'Yes' : undefined],
  ['Created', `${wo.createdAt} by ${name(wo.createdBy)}`],
  ['Updated', wo.updatedAt],
  ['Resolved', wo.resolvedAt],
  ['Closed', wo.closedAt],
  ['Address', address],
])}
</table>
${wo.description ? `<h2>Description</h2>\n<p class="pre">${e(wo.description)}</p>` : ''}
</section>
<section>
<h2>Customer</h2>
${customerRows.length > 0 ? `<table>\n${rows(customerRows)}\n</table>` : '<p class="muted">No customer</p>'}
</section>
<section>
<h2>Team</h2>
<table>
${rows([['Person in charge', name(wo.ownerId) ?? 'Nobody yet']])}
</table>
${team.length > 0 ? `<table>\n<tr><th>Member</th><th>Access</th></tr>\n${team.join('\n')}\n</table>` : ''}
</section>
<section>
<h2>Timeline</h2>
<table class="timeline">
<tr><th>When</th><th>Who</th><th>What</th></tr>
${timeline.join('\n')}
</table>
${view.truncated ? `<p class="muted">Only the first ${view.records.length} entries are shown.</p>` : ''}
</section>
</body>
</html>
`;
}
