/**
 * The part of an emailed reply the person actually wrote: quoted history and signatures removed.
 * Mail clients mark quotes differently; these are the common ones (Gmail, Outlook, Apple Mail,
 * Thunderbird, mobile clients). The full original is kept as an attachment, so cutting too much
 * loses nothing.
 */
const QUOTE_HEADERS: RegExp[] = [
  /^On .{1,300}wrote:\s*$/i, // Gmail, Apple Mail, Thunderbird: "On Tue, 3 Mar 2026 at 10:00, Dana <d@x> wrote:"
  /^Am .{1,300}schrieb .{0,200}:\s*$/i, // German clients
  /^Le .{1,300}a écrit\s*:\s*$/i, // French clients
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i, // Outlook
  /^-{2,}\s*Forwarded message\s*-{2,}\s*$/i,
  /^_{10,}\s*$/, // Outlook's rule above "From: … Sent: …"
  /^From:\s.+$/i, // Outlook without a rule, when followed by Sent:/Date:
];
const SIGNATURE_STARTS: RegExp[] = [
  /^-- ?$/, // RFC 3676 signature delimiter
  /^Sent from my (iPhone|iPad|Android|mobile device|BlackBerry).*$/i,
  /^Get Outlook for (iOS|Android).*$/i,
];

/** Everything before the first quote header, quoted block or signature delimiter. */
export function visibleReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (SIGNATURE_STARTS.some((r) => r.test(line))) {
      end = i;
      break;
    }
    if (QUOTE_HEADERS.some((r) => r.test(line))) {
      // "From:" only counts as a quote header when the next lines look like a forwarded header block.
      if (/^From:/i.test(line) && !/^(Sent|Date|To|Subject):/i.test(lines[i + 1]?.trim() ?? '')) continue;
      end = i;
      break;
    }
    // "On … wrote:" is often wrapped over two lines by clients.
    if (/^On .{1,300}$/i.test(line) && /wrote:\s*$/i.test(lines[i + 1]?.trim() ?? '') && (lines[i + 2] ?? '').trim().startsWith('>')) {
      end = i;
      break;
    }
    if (line.startsWith('>') && lines.slice(i).every((l) => l.trim() === '' || l.trim().startsWith('>'))) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end).join('\n').trim();
  // A reply that is only a quote (a forward without a note) keeps its text rather than becoming empty.
  return kept || text.trim();
}
