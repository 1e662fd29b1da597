import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { MailCatcher } from '../mail-catcher.js';
import { captureHelpDesk } from './capture-help-desk.js';
import { newSalesRequest, type HelpDeskManifest } from './fill-help-desk.js';
import { Http } from './http-client.js';

/**
 * What must hold of a Sundial started on restored data: the API shows exactly what it showed before
 * the backup, every account signs in with its old password, new rows continue the sequences (no
 * duplicate key), and the job queue delivers the mail of a new request.
 */
export async function checkRestored(base: string, m: HelpDeskManifest, before: Awaited<ReturnType<typeof captureHelpDesk>>, mail: MailCatcher, admin: Http): Promise<{ newTicketId: number }> {
  // `admin` carries an API token made before the backup: tokens are restored too.
  expect(await captureHelpDesk(admin.at(base), m)).toEqual(before);
  // Attachment bytes are the ones uploaded, not merely equal on both sides.
  for (const a of m.attachments) {
    expect(Object.values(before.attachments)).toContainEqual({ file_name: a.fileName, size: a.size, sha256: a.sha256 });
  }

  // Logins: password hashes came back with the users (staff by Basic, the customers by the portal).
  for (const who of [m.admin, m.agent]) expect((await Http.basic(base, who.email, who.password).get('/api/v2/users/me')).body.user.email).toBe(who.email);
  const customer = await Http.portal(base, m.customers[0].email, m.customers[0].password);
  expect((await customer.get('/api/v2/requests')).body.requests.map((r: { id: number }) => r.id).sort()).toEqual(m.ticketIds.filter((_, i) => i < 2).sort());
  expect((await Http.basic(base, m.admin.email, 'not-the-password').get('/api/v2/tickets')).status).toBe(401);

  // Sequences continue: a new request gets an id above the old ones, and its mail goes out.
  const newTicketId = await newSalesRequest(customer, `After restore ${randomBytes(3).toString('hex')}`);
  expect(newTicketId).toBeGreaterThan(Math.max(...m.ticketIds));
  const deadline = Date.now() + 30_000;
  while (!mail.messages.some((x) => x.subject.includes(`[Request #${newTicketId}]`)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(mail.messages.filter((x) => x.subject.includes(`[Request #${newTicketId}]`)).map((x) => x.to)).toEqual([[m.customers[0].email]]);

  // An old ticket takes a reply with a new file; old and new attachments both download.
  const staff = Http.basic(base, m.agent.email, m.agent.password);
  const bytes = randomBytes(1500);
  const upload = await staff.upload('after-restore.bin', bytes);
  await staff.expect(200, 'PUT', `/api/v2/tickets/${m.ticketIds[0]}`, { ticket: { comment: { body: 'Reply after the restore.', public: true, uploads: [upload] } } });
  const comments = (await staff.get(`/api/v2/tickets/${m.ticketIds[0]}/comments`)).body.comments as { body: string; attachments: { id: number }[] }[];
  expect(comments.at(-1)!.body).toBe('Reply after the restore.');
  const fresh = await staff.bytes(`/api/v2/attachments/${comments.at(-1)!.attachments[0].id}/content`);
  expect(createHash('sha256').update(fresh.bytes).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
  return { newTicketId };
}
