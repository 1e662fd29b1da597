import { sql, type Insertable } from 'kysely';
import type { Db, Tx } from '../../platform/db.js';
import type { FormKind, Plan, Priority, Status, TicketAuditEventsTable, TicketAuditsTable, TicketCollaboratorsTable, TicketCommentsTable, TicketsTable, TicketType, User } from '../../platform/db-types.js';
import { Problems } from '../../platform/errors.js';
import { groupByKey } from '../accounts/groups.service.js';
import { createUser, type NewUser } from '../accounts/users.service.js';
import { AuditWriter, type AuditEvent } from '../tickets/audit-writer.js';
import { textToHtml } from '../tickets/comment-body.js';
import { checkFieldValues, type CustomValues } from '../tickets/field-values.js';
import { loadForm, type FormWithFields } from '../tickets/forms.repository.js';
import { STATUSES } from '../tickets/status-machine.js';

export const DEMO_PASSWORD = 'demo-password-1';
const HOUR = 3_600_000;
// The default AUTO_CLOSE_AFTER, so closed tickets look as if the auto-close rule had closed them.
const AUTO_CLOSE_MS = 48 * HOUR;
// Reserved TLD (RFC 2606): mail to demo people can never reach anyone real.
const STAFF_DOMAIN = 'sundial-demo.example';

type Region = 'amer' | 'emea' | 'apac';
type Team = 'technical' | 'sales' | 'engineering';

const ORGS: { name: string; plan: Plan; timeZone: string; domain: string; region: Region; details: string; customers: string[] }[] = [
  { name: 'Northwind Logistics', plan: 'professional', timeZone: 'America/New_York', domain: 'northwind.example', region: 'amer', details: 'Freight forwarder, 900 Mattermost users on a single server', customers: ['Dana Whitfield', 'Marcus Reyes', 'Olivia Brandt', 'Sam Okafor', 'Grace Liu'] },
  { name: 'Rheinwerk Energie', plan: 'enterprise', timeZone: 'Europe/Berlin', domain: 'rheinwerk.example', region: 'emea', details: 'Utility, 6,000 users on a three-node cluster with Elasticsearch', customers: ['Jonas Becker', 'Katrin Vogel', 'Emre Yilmaz', 'Sophie Laurent', 'Lukas Hoffmann'] },
  { name: 'Sakura Mobility', plan: 'premier', timeZone: 'Asia/Tokyo', domain: 'sakura-mobility.example', region: 'apac', details: 'Automotive, 18,000 users on Kubernetes; Premier support with a named CSM', customers: ['Haruto Tanaka', 'Yui Nakamura', 'Sora Kobayashi', 'Aiko Watanabe', 'Daniel Kim'] },
];

const AGENTS: { name: string; region: Region; timeZone: string; team: Team }[] = [
  { name: 'Maya Torres', region: 'amer', timeZone: 'America/Chicago', team: 'technical' },
  { name: 'Jordan Ellis', region: 'amer', timeZone: 'America/Denver', team: 'technical' },
  { name: 'Chris Walker', region: 'amer', timeZone: 'America/New_York', team: 'sales' },
  { name: 'Lena Fischer', region: 'emea', timeZone: 'Europe/Berlin', team: 'technical' },
  { name: 'Sipho Dlamini', region: 'emea', timeZone: 'Africa/Johannesburg', team: 'technical' },
  { name: 'Tomasz Nowak', region: 'emea', timeZone: 'Europe/Warsaw', team: 'engineering' },
  { name: 'Amelia Hughes', region: 'emea', timeZone: 'Europe/London', team: 'sales' },
  { name: 'Kenji Sato', region: 'apac', timeZone: 'Asia/Tokyo', team: 'technical' },
  { name: 'Priya Raman', region: 'apac', timeZone: 'Asia/Kolkata', team: 'technical' },
  { name: 'Wei Chen', region: 'apac', timeZone: 'Asia/Singapore', team: 'sales' },
];

interface Scenario { category: string; subject: string; body: string; ask: string; note: string; fix: string; type?: TicketType; device?: 'ios' | 'android' }

// `{version}` is replaced by the Mattermost version the requester reports in the form.
const TECHNICAL: Scenario[] = [
  { category: 'notifications_status', device: 'ios', subject: 'Push notifications stopped after upgrading to {version}', body: 'Since we upgraded the server to {version} last night, none of our iOS users receive push notifications. Android looks fine and nothing in the push settings changed.',
    ask: 'Thanks for the report. Could you generate a support packet (System Console > Reporting > Server Logs) and send a test notification from an affected iPhone, noting the time?', note: 'Support packet shows "push notification rejected: 403" from the proxy: the upgrade changed the server ID, so the hosted push service no longer recognises it.',
    fix: 'The upgrade regenerated your server ID, which the hosted push proxy rejected. We re-registered it and test notifications now arrive on iOS. Please confirm with your users.' },
  { category: 'ad_ldap', subject: 'AD/LDAP sync fails with "Size Limit Exceeded"', body: 'The nightly AD/LDAP synchronization has failed for three days. The job log says LDAP Result Code 4 "Size Limit Exceeded". The directory holds about 14,000 accounts.',
    ask: 'Active Directory returns at most 1,000 entries per query unless paging is used. What is the value of AD/LDAP > Maximum Page Size in your System Console?', note: 'MaxPageSize is 0 in their config.json, AD MaxPageSize is the default 1000. Setting 500 will fix it.',
    fix: 'Please set AD/LDAP > Maximum Page Size to 500 and run "AD/LDAP Synchronize Now". With paging the sync completes; we verified it against your support packet.' },
  { category: 'authentication_provisioning', subject: 'SAML login redirects back to the sign-in page', body: 'After our Okta certificate rotation, users who click "Sign in with SAML" land back on the login page without an error. Local accounts still work.',
    ask: 'Could you enable debug logging, reproduce one failed login and attach mattermost.log together with the new IdP metadata XML?', note: 'Log: "SAML login was unsuccessful: Signature validation failed". New IdP certificate is in Okta but was never uploaded to Mattermost.',
    fix: 'Assertions were checked against the old certificate. Upload the new Identity Provider Public Certificate under Authentication > SAML 2.0 and save; logins succeed immediately.' },
  { category: 'database', type: 'incident', subject: 'Database CPU at 100% after upgrade to {version}', body: 'Since the upgrade to {version} our PostgreSQL server sits at 100% CPU during business hours and channels take several seconds to load.',
    ask: 'Please share the top 20 statements from pg_stat_statements by total_exec_time, and check the log for "Migrations completed" after the upgrade.', note: 'Top query is the thread unread count without its index: the ThreadMemberships migration was interrupted by a pod restart.',
    fix: 'The upgrade migration that indexes ThreadMemberships had been interrupted. Running "mattermost db migrate" again completed it; database CPU has been around 15% since.' },
  { category: 'search', subject: 'Search returns nothing for messages older than a week', body: 'Searching for messages older than about seven days returns no results, although the messages are visible in the channels. We use Elasticsearch 8 with {version}.',
    ask: 'Could you check System Console > Environment > Elasticsearch and tell us whether the recent bulk indexing jobs show any failed runs?', note: 'Bulk indexing fails with 413 Request Entity Too Large from the ingress in front of Elasticsearch.',
    fix: 'The proxy in front of Elasticsearch rejected bulk requests over 1 MB. After raising client_max_body_size and rebuilding the index, older messages are found again.' },
  { category: 'upgrading', subject: 'Upgrade from 9.11 to {version} stops at a database migration', body: 'We tried to upgrade staging from 9.11 to {version}. The server does not start and the log ends with "Failed to apply database migrations". We rolled back for now.',
    ask: 'Please attach the full log of the failed start and the output of: SELECT * FROM db_migrations ORDER BY version DESC LIMIT 5;', note: 'Duplicate rows in Preferences block the new unique constraint. Known issue, cleanup query is in the KB.',
    fix: 'Duplicate rows in the Preferences table blocked a new unique constraint. Run the cleanup query from the linked article, then start {version} again; the migration takes a few minutes.' },
  { category: 'installation', subject: 'Pods stuck in CrashLoopBackOff after Helm install', body: 'Fresh install with the Mattermost Helm chart on EKS. Both Mattermost pods restart every minute with CrashLoopBackOff.',
    ask: 'Could you send "kubectl logs --previous" of one crashing pod and your values.yaml with the secrets removed?', note: 'Pod log: "x509: certificate signed by unknown authority". RDS enforces TLS and they set sslmode=verify-full without the CA bundle.',
    fix: 'The pods could not verify the RDS certificate. Mount the AWS RDS CA bundle and keep sslmode=verify-full (or use sslmode=require); the pods then become Ready.' },
  { category: 'connectivity', subject: 'Users disconnected every 60 seconds behind NGINX', body: 'The web app shows "Cannot connect to the server" about once a minute and then reconnects. NGINX runs in front of Mattermost {version}.',
    ask: 'Please share the NGINX server block for Mattermost, in particular the location for /api/v4/websocket.', note: 'No Upgrade/Connection headers on the websocket location and the default 60s proxy_read_timeout.',
    fix: 'The WebSocket location lacked the Upgrade and Connection headers and used the default 60 s read timeout. With the configuration from our NGINX guide connections stay up.' },
  { category: 'desktop', subject: 'Desktop app shows a blank white window on Windows 11', body: 'Several users on Windows 11 laptops only see a white window after starting the desktop app. The browser works fine for them.',
    ask: 'Does it go away with GPU hardware acceleration disabled in the desktop app settings? Which graphics driver do the affected laptops use?', note: 'Matches the known Electron issue with older Intel Iris Xe drivers.',
    fix: 'This is a known problem with older Intel Iris Xe drivers. Updating the graphics driver fixes it; until then users can disable GPU hardware acceleration in the app.' },
  { category: 'mobile', device: 'android', subject: 'Android app crashes when opening channels with images', body: 'On Android 14 the app closes as soon as a user opens a channel with image attachments.',
    ask: 'Could an affected user send the app logs (Settings > Report a problem) and tell us the device model?', note: 'Crash decoding very large images on some Samsung devices; fixed in the upcoming mobile release.',
    fix: 'The crash happened while decoding very large images on some Samsung devices and is fixed in the mobile release published today. Please ask your users to update.' },
  { category: 'compliance_auditing', subject: 'Compliance export to Actiance fails every night', body: 'The daily compliance export in Actiance XML format fails with "unable to write file". It worked until last week.',
    ask: 'Which export directory is configured under Compliance Export, and how much free space is left on that volume?', note: 'Export volume is 100% full, old exports were never pruned. Nothing wrong on our side.',
    fix: 'The export volume was full. After moving old exports to archive storage the job ran again; we recommend a scheduled cleanup of exports past your retention period.' },
  { category: 'data_export_and_import', subject: 'Slack import skipped all file attachments', body: 'We imported our Slack export with mmetl and "mmctl import process". The messages are there but none of the attachments.',
    ask: 'Which mmetl command did you run? Attachments are only included when mmetl runs with --attachments-dir on an export that contains the files.', note: 'They ran mmetl without --attachments-dir. Re-import is safe, posts are deduplicated.',
    fix: 'Please run mmetl again with --attachments-dir and import the new archive. Existing messages are not duplicated and the files are attached to their posts.' },
  { category: 'integrations', subject: 'Jira plugin no longer creates issues from messages', body: 'The "Create Jira issue" message action returns "Failed to create issue" since Jira Cloud moved our site to a new domain.',
    ask: 'Which Jira URL is configured in the plugin, and did users reconnect their Jira accounts after the domain change?', note: 'Plugin still points to the old instance URL; the Jira app link must be installed again.',
    fix: 'The plugin was still configured for the old Jira domain. After "/jira instance install cloud" with the new URL and "/jira connect" by each user, issue creation works.' },
  { category: 'roles_permissions', subject: 'Channel admins cannot remove members from private channels', body: 'Users we promoted to channel admin get "You do not have the appropriate permissions" when removing members from private channels.',
    ask: 'Does that team use a team override scheme? A screenshot of its channel admin permissions would help.', note: 'The team override scheme removes "Manage Private Channel Members" from channel admins. Configuration, not a bug.',
    fix: 'The team override scheme removed "Manage Private Channel Members" from channel admins. Enabling it under System Console > Permissions fixes it.' },
  { category: 'server_issues', type: 'incident', subject: 'Server runs out of memory every night around 02:00', body: 'Mattermost {version} is killed by the OOM killer every night at about 02:00. Memory grows from 2 GB to 8 GB within minutes.',
    ask: 'Which jobs run around 02:00 (data retention, compliance export, LDAP sync)? A heap profile from /debug/pprof/heap during the spike would help.', note: 'Data retention deletes 40M posts in a single batch. Asked SET about safe batch sizes.',
    fix: 'The data retention job deleted millions of posts in one batch. With the smaller batch size we suggested, memory stays below 3 GB during the run.' },
  { category: 'user_team_channel_management', subject: 'Archiving a team with 40,000 channels times out', body: 'We need to archive a legacy team with about 40,000 channels. The System Console request times out after 60 seconds and the team stays active.',
    ask: 'Could you run "mmctl team archive" on the server itself and tell us whether it completes?', note: 'mmctl works, the UI request hits the proxy timeout.',
    fix: 'The request from the UI hits your proxy timeout, while "mmctl team archive" runs server side; it completed in about 20 minutes and the team is archived.' },
  { category: 'invitation_login', subject: 'Guest invite links expire immediately', body: 'Guests opening their invitation email get "The invite link is invalid or has expired" minutes after we send it.',
    ask: 'Do you run more than one app node? Please check that all nodes use the same Site URL and that their clocks are synchronized.', note: 'Two nodes, one nine minutes ahead with NTP disabled.',
    fix: 'One app node clock was nine minutes ahead, so tokens looked expired whenever it served the link. With NTP enabled on both nodes guest invitations work.' },
  { category: 'messaging', subject: 'Messages appear out of order in busy channels', body: 'In our busiest channels replies sometimes appear above the message they answer until the page is reloaded. We run a three-node cluster.',
    ask: 'Please confirm that all nodes run {version} and send the output of "timedatectl" from each of them.', note: 'Clock drift between cluster nodes again; same root cause as the invite link tickets.',
    fix: 'Message order follows server timestamps and two nodes had drifting clocks. After enabling time synchronization on every node the order is stable.' },
  { category: 'customization_branding', subject: 'Custom brand image missing on the login page', body: 'We uploaded our logo under Site Configuration > Customization, but the login page still shows the default image.',
    ask: 'Is "Enable Custom Branding" on, and can the server read from your S3 bucket? The image is served from file storage.', note: 'Bucket policy denies GetObject for the brand/ prefix.',
    fix: 'Your S3 bucket policy blocked reading the brand image. After allowing GetObject for the brand/ prefix the logo is displayed.' },
  { category: 'user_issue', subject: 'Password reset emails never arrive', body: 'Users who request a password reset never get the email. Looking closer, other email notifications are missing too.',
    ask: 'Does "Test Connection" under Environment > SMTP succeed? Please share the error it shows.', note: 'SMTP test: "535 5.7.3 Authentication unsuccessful"; Microsoft 365 disabled basic auth for their tenant.',
    fix: 'Microsoft 365 disabled basic SMTP authentication for your tenant. With SMTP AUTH enabled for the service mailbox, password reset emails are delivered again.' },
  { category: 'general_inquiry', type: 'question', subject: 'Sizing a high availability cluster for 20,000 users', body: 'We plan to roll Mattermost out to 20,000 users next quarter. Which cluster size and database setup do you recommend for high availability?',
    ask: 'Happy to help. How many users do you expect online at the same time, and will you use Calls and Playbooks?', note: 'Large rollout: loop in the CSM for an architecture review.',
    fix: 'For 20,000 users with about 6,000 online we recommend three app nodes with 8 vCPUs each, a PostgreSQL primary with a read replica, and Elasticsearch. Your CSM will schedule a review.' },
  { category: 'onboarding', type: 'question', subject: 'Planning a migration from Slack for 3,000 users', body: 'We are moving from Slack and want to migrate channels and message history for 3,000 users. What is the recommended process?',
    ask: 'Do you have a standard or an Enterprise Grid export, and should direct messages be migrated too?', note: 'Send the migration checklist and offer a test import on staging.',
    fix: 'The recommended path is a full Slack export, an mmetl transformation and a test import on staging before the production cutover; the checklist in our Slack migration guide walks through each step.' },
  { category: 'system_console', subject: 'System Console says the license expired after renewal', body: 'We renewed last week, but Edition and License still shows the old expiry date and a banner says the license has expired.',
    ask: 'Did you upload the new license file from the renewal email, and do you run more than one node?', note: 'New license uploaded on node 1 only; node 2 serves the cached old one until restarted.',
    fix: 'The new license was applied, but one node still cached the old one. After a rolling restart both nodes show the renewed license.' },
  { category: 'user_interface', subject: 'Thread unread badges do not clear', body: 'With Collapsed Reply Threads, the Threads view keeps showing unread replies after users read them, even after a reload.',
    ask: 'Which browsers are affected, and does it happen in the desktop app as well?', note: 'Reproduced on {version}: bug in the thread unread calculation, fixed in the next dot release.',
    fix: 'This was a bug in the thread unread calculation, fixed in the latest dot release. After upgrading the badges clear as expected.' },
];

const SALES: Scenario[] = [
  { category: 'sales_renewals', subject: 'Renewal quote for 1,500 Enterprise seats', body: 'Our Enterprise subscription renews next month. Please send a renewal quote for 1,500 seats for three years, and tell us whether multi-year pricing is available.',
    ask: 'Thanks for reaching out. Could you confirm the billing contact, and whether the seat count stays at 1,500?', note: 'Three-year discount needs Finance approval.', fix: 'We emailed the three-year renewal quote for 1,500 Enterprise seats to your billing contact. It is valid for 30 days.' },
  { category: 'sales_licensing', subject: 'License shows 500 users but we purchased 750', body: 'We added 250 seats last month, but our license file still says 500 users and we see over-limit warnings.',
    ask: 'Could you send the order number of the add-on purchase so we can match it to your subscription?', note: 'Add-on was booked against the wrong subscription; billing ops is moving it.', fix: 'We emailed a new license file for 750 users to your admin contact. Upload it under Edition and License and the warnings disappear.' },
  { category: 'sales_credit_card_issues', subject: 'Card declined when upgrading to Professional', body: 'The payment form says "Your card was declined" when I upgrade our workspace to Professional, although the card works elsewhere.',
    ask: 'Could you tell us the time of the attempt and the last four digits of the card, so we can find it with our payment provider?', note: 'Payment provider shows "authentication_required": the bank wants 3-D Secure.', fix: 'Your bank required a 3-D Secure approval the form could not complete. The payment link we sent supports it; the upgrade activates once it is paid.' },
  { category: 'sales_pricing', subject: 'Pricing for adding 200 seats mid-term', body: 'We need 200 more seats for a new department next month. How is the price calculated when we add seats in the middle of our term?',
    ask: 'Added seats are prorated to your renewal date. On which date should the new seats start?', note: 'CSM approved keeping the current per-seat price.', fix: 'We emailed the prorated quote for 200 additional seats from the 1st, at your current per-seat price.' },
  { category: 'sales_product', subject: 'Which plan includes Calls recording and transcription?', body: 'We are evaluating call recording and transcription for our support team. Which plan includes them, and can we try them first?',
    ask: 'Recording and transcription are part of Enterprise. How many users would take part in a trial?', note: 'Trial license requested from the account executive.', fix: 'We issued a 30-day Enterprise trial license including Calls recording and transcription; the instructions are in your inbox.' },
  { category: 'sales_general', subject: 'Vendor registration form and W-9', body: 'Our procurement team needs a completed vendor registration form and a current W-9 before paying the invoice.',
    ask: 'Please reply with a link to your vendor registration form and we will complete it.', note: 'W-9 comes from Finance; waiting on them.', fix: 'We completed the vendor registration form and emailed it with our current W-9 to your procurement team.' },
  { category: 'sales_renewals', subject: 'Align our renewal date with the fiscal year', body: 'Could we move our renewal from March to July to match our fiscal year? We would pay for the extra months now.',
    ask: 'Yes, we can co-term the subscription. Should the extension cover all current seats?', note: 'Four-month extension needs deal desk approval.', fix: 'We emailed the quote extending your subscription to July; once signed we reissue the license with the new end date.' },
];

const CUSTOMER_REPLIES: Record<FormKind, string[]> = {
  technical: ['Thanks for the quick reply. We checked what you asked for; the support packet is on your upload link.', 'We checked and can confirm. This affects quite a few people here, so a quick update would be appreciated.', 'Done. Tell us if a screen share would be quicker.'],
  sales: ['Thanks for the quick answer. Yes, that is correct.', 'Confirmed, please go ahead.', 'Thanks, our procurement team confirmed; please proceed.'],
};
const VERSIONS = ['9.11.8', '10.5.4', '10.8.1', '10.9.2', '10.11.1'];
const MOBILE_VERSIONS = ['2.28.1', '2.29.0', '2.30.2'];
// Most history is closed; the rest gives each status of the workflow enough tickets to demo its view.
const STATUS_COUNTS: Record<FormKind, Record<Status, number>> = {
  technical: { new: 18, open: 28, pending: 26, hold: 14, solved: 24, closed: 120 },
  sales: { new: 8, open: 6, pending: 8, hold: 4, solved: 8, closed: 36 },
};
// Hours since a ticket's last change: solved ones stay younger than AUTO_CLOSE_AFTER, closed ones fill the quarter.
const LAST_ACTIVITY_HOURS: Record<Status, [number, number]> = { new: [0.2, 30], open: [1, 240], pending: [1, 336], hold: [12, 336], solved: [1, 36], closed: [72, 85 * 24] };

const emailOf = (name: string, domain: string) => `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${domain}`;

/** Seeded, so every install gets the same demo and screenshots stay true. */
function randomSource(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const weighted = <T extends string>(w: Partial<Record<T, number>>): T => {
    let x = next() * Object.values<number>(w as Record<T, number>).reduce((a, b) => a + b, 0);
    for (const [k, v] of Object.entries<number>(w as Record<T, number>)) if ((x -= v) < 0) return k as T;
    return Object.keys(w)[0] as T;
  };
  return { pick, weighted, chance: (p: number) => next() < p, between: (a: number, b: number) => a + (b - a) * next(), shuffle: <T>(xs: T[]) => xs.map((x) => [next(), x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x) };
}
type Random = ReturnType<typeof randomSource>;

type Agent = User & { team: Team; region: Region };
interface Org { id: number; name: string; plan: Plan; region: Region; customers: User[] }
interface Desk { orgs: Org[]; agents: Agent[]; forms: Record<FormKind, FormWithFields>; groups: Record<FormKind, number> }

/**
 * Fills the help desk with demo organizations, agents, customers and a quarter of ticket history, in one
 * transaction. Tickets are written in bulk rather than through createTicket/updateTicket: replaying 300
 * histories through the services would send hundreds of notification emails and schedule auto-close jobs.
 */
export async function seedDemo(db: Db): Promise<string> {
  return db.transaction().execute(async (tx) => {
    // A second concurrent run waits here, then finds the first run's data instead of failing on duplicates.
    await sql`SELECT pg_advisory_xact_lock(hashtext('sundial.seed-demo'))`.execute(tx);
    const present = await demoAlreadyThere(tx);
    if (present) return `Demo data is already present (${present}); nothing was changed.\n${signInHelp()}`;
    const desk = await createPeople(tx);
    const random = randomSource(20240611);
    const now = Date.now();
    const drafts = (['technical', 'sales'] as const).flatMap((kind) =>
      random.shuffle(Object.entries(STATUS_COUNTS[kind]).flatMap(([status, n]) => Array<Status>(n).fill(status as Status))).map((status) => draftTicket(random, desk, kind, status, now)),
    );
    await writeTickets(tx, drafts);
    await createOnCall(tx, desk);
    return summary(desk, drafts);
  });
}

async function demoAlreadyThere(tx: Tx): Promise<string | null> {
  const org = await tx.selectFrom('organizations').select('name').where(sql`lower(name)`, 'in', ORGS.map((o) => o.name.toLowerCase())).where('deleted_at', 'is', null).executeTakeFirst();
  if (org) return `organization ${org.name} exists`;
  const emails = [...AGENTS.map((a) => emailOf(a.name, STAFF_DOMAIN)), ...ORGS.flatMap((o) => o.customers.map((c) => emailOf(c, o.domain)))];
  const user = await tx.selectFrom('users').select('email').where(sql`lower(email)`, 'in', emails).executeTakeFirst();
  return user ? `user ${user.email} exists` : null;
}

async function createPeople(tx: Tx): Promise<Desk> {
  // The workflow groups come with the migrations and cannot be deleted.
  const groupId = async (key: string) => (await groupByKey(tx, key))!.id;
  const groups = { technical: await groupId('technical'), sales: await groupId('sales'), engineering: await groupId('engineering') };
  const user = (name: string, email: string, more: Partial<NewUser>) => createUser(tx, { name, email, password: DEMO_PASSWORD, verified: true, tags: ['demo'], ...more });
  const orgs: Org[] = [];
  for (const o of ORGS) {
    const { id } = await tx
      .insertInto('organizations')
      .values({ name: o.name, support_plan: o.plan, time_zone: o.timeZone, domain_names: [o.domain], shared_tickets: o.plan === 'premier', details: o.details, tags: ['demo'], updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const customers: User[] = [];
    for (const name of o.customers) customers.push(await user(name, emailOf(name, o.domain), { organizationId: id, timeZone: o.timeZone }));
    orgs.push({ id, name: o.name, plan: o.plan, region: o.region, customers });
  }
  const regionIds = new Map((await tx.selectFrom('regions').select(['id', 'name']).execute()).map((r) => [r.name.toLowerCase(), r.id]));
  const agents: Agent[] = [];
  for (const a of AGENTS) {
    const agent = await user(a.name, emailOf(a.name, STAFF_DOMAIN), { role: 'agent', organizationId: null, regionId: regionIds.get(a.region) ?? null, timeZone: a.timeZone });
    await setMemberships(tx, agent.id, a.team === 'sales' ? [groups.sales] : a.team === 'engineering' ? [groups.engineering, groups.technical] : [groups.technical]);
    agents.push({ ...agent, team: a.team, region: a.region });
  }
  const formOf = async (kind: FormKind) => (await loadForm(tx, (await tx.selectFrom('ticket_forms').select('id').where('kind', '=', kind).executeTakeFirstOrThrow()).id))!;
  const forms = { technical: await formOf('technical'), sales: await formOf('sales') };
  // Tickets go where createTicket routes them: the form's default group.
  const routed = async (kind: FormKind) => groupId(forms[kind].default_group_key);
  return { orgs, agents, forms, groups: { technical: await routed('technical'), sales: await routed('sales') } };
}

/**
 * A weekly rotation of the technical agents and the SET engineer, handing off on Mondays 17:00 UTC,
 * with pages emailed to whoever is on call (admins add chat or PagerDuty targets).
 */
async function createOnCall(tx: Tx, desk: Desk): Promise<void> {
  const engineers = desk.agents.filter((a) => a.team === 'technical' || a.team === 'engineering').map((a) => a.id);
  await tx
    .insertInto('on_call_schedules')
    .values({ name: 'Premier on call', rotation_start: new Date('2026-01-05T17:00:00Z'), rotation_hours: 168, participant_ids: engineers, updated_at: new Date() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const email = await tx.selectFrom('paging_targets').select('id').where('kind', '=', 'email').executeTakeFirst();
  if (!email) await tx.insertInto('paging_targets').values({ name: 'Email the engineer on call', kind: 'email', updated_at: new Date() }).execute();
}

/** createUser puts every agent in the default group; the demo roster wants each team in its own groups. */
async function setMemberships(tx: Tx, userId: number, groupIds: number[]): Promise<void> {
  await tx.deleteFrom('group_memberships').where('user_id', '=', userId).where('group_id', 'not in', groupIds).execute();
  await tx
    .insertInto('group_memberships')
    .values(groupIds.map((group_id, i) => ({ user_id: userId, group_id, is_default: i === 0, updated_at: new Date() })))
    .onConflict((oc) => oc.columns(['user_id', 'group_id']).doUpdateSet((eb) => ({ is_default: eb.ref('excluded.is_default') })))
    .execute();
  await tx.updateTable('users').set({ default_group_id: groupIds[0] }).where('id', '=', userId).execute();
}

interface DraftAudit { at: number; authorId: number | null; via: string; metadata: Record<string, unknown>; events: AuditEvent[]; comment?: { authorId: number; body: string; public: boolean } }
interface Draft { kind: FormKind; row: Omit<Insertable<TicketsTable>, 'id'>; createdAt: number; audits: DraftAudit[]; ccs: number[] }
interface Step { hours: number; author: User; changes?: Record<string, unknown>; comment: { body: string; public: boolean } }

const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/** One ticket's life as the workflow would have produced it: submitted, picked up, answered, solved, auto-closed. */
function draftTicket(random: Random, desk: Desk, kind: FormKind, status: Status, now: number): Draft {
  const org = random.pick(desk.orgs);
  const scenario = random.pick(kind === 'technical' ? TECHNICAL : SALES);
  const requester = random.pick(org.customers);
  const team = desk.agents.filter((a) => a.team === kind);
  // Follow the sun: mostly the customer's region, sometimes handed over to another one.
  const assignee = random.pick(random.chance(0.8) ? team.filter((a) => a.region === org.region) : team);
  const version = random.pick(VERSIONS);
  const fill = (text: string) => text.replaceAll('{version}', version);
  const form = desk.forms[kind];
  const priority: Priority = kind === 'sales' ? 'normal' : random.weighted<Priority>(org.plan === 'premier' ? { urgent: 2, high: 4, normal: 3, low: 1 } : { urgent: 1, high: 3, normal: 5, low: 2 });
  const fields: Record<string, string> =
    kind === 'sales'
      ? { sales_category: scenario.category }
      : { technical_category: scenario.category, environment: random.weighted({ production: 6, staging: 2, development: 1, test: 1 }), mattermost_version: version,
          ...(scenario.device ? { mobile_device: scenario.device, mattermost_mobile_version: random.pick(MOBILE_VERSIONS) } : {}) };
  const customFields = validFieldValues(form, fields, priority);

  const steps: Step[] = [];
  const replied = status !== 'new' && status !== 'pending';
  if (status !== 'new') steps.push({ hours: random.between(0.2, org.plan === 'premier' ? 3 : 10), author: assignee, changes: { type: scenario.type ?? (kind === 'sales' ? 'question' : priority === 'urgent' ? 'incident' : 'problem'), status: 'pending', assignee_id: assignee.id }, comment: { body: fill(scenario.ask), public: true } });
  if (replied) steps.push({ hours: random.between(1, 30), author: requester, changes: { status: 'open' }, comment: { body: random.pick(CUSTOMER_REPLIES[kind]), public: true } });
  if (status === 'hold') steps.push({ hours: random.between(0.2, 4), author: assignee, changes: { status: 'hold' }, comment: { body: `${kind === 'technical' ? 'On hold while Sustained Engineering looks at it.' : 'On hold until Finance confirms.'} ${fill(scenario.note)}`, public: false } });
  else if (replied && random.chance(0.35)) steps.push({ hours: random.between(0.2, 4), author: assignee, comment: { body: fill(scenario.note), public: false } });
  const engineer = desk.agents.find((a) => a.team === 'engineering');
  if (status === 'hold' && kind === 'technical' && engineer && random.chance(0.6)) steps.push({ hours: random.between(2, 24), author: engineer, comment: { body: `SET: reproduced on ${version}. The fix is tracked as MM-${Math.floor(random.between(58000, 64000))} and targeted for the next dot release.`, public: false } });
  if (status === 'solved' || status === 'closed') steps.push({ hours: random.between(2, 48), author: assignee, changes: { status: 'solved' }, comment: { body: fill(scenario.fix), public: true } });

  const [recent, oldest] = LAST_ACTIVITY_HOURS[status];
  const createdAt = wholeSecond(now - random.between(recent, oldest) * HOUR - steps.reduce((h, s) => h + s.hours, 0) * HOUR);
  const cc = random.chance(0.2) ? random.pick(org.customers.filter((c) => c.id !== requester.id)) : null;
  const subject = fill(scenario.subject);
  const description = fill(scenario.body);

  const created = new AuditWriter();
  for (const [field, value] of Object.entries({ subject, status: 'new', priority, requester_id: requester.id, group_id: desk.groups[kind], organization_id: org.id, ticket_form_id: form.id })) created.create(field, value);
  for (const [id, value] of Object.entries(customFields)) created.create(id, value);
  created.events.push({ type: 'Comment', value: null });
  if (cc) created.change('collaborator_ids', [], [cc.id]);
  const audits: DraftAudit[] = [{ at: createdAt, authorId: requester.id, via: 'web', metadata: {}, events: created.events, comment: { authorId: requester.id, body: description, public: true } }];

  const state: Record<string, unknown> = { type: null, status: 'new', assignee_id: null };
  let at = createdAt;
  let solvedAt: number | null = null;
  for (const step of steps) {
    at = wholeSecond(at + step.hours * HOUR);
    const audit = new AuditWriter();
    for (const [field, value] of Object.entries(step.changes ?? {})) {
      audit.change(field, state[field], value);
      state[field] = value;
    }
    audit.events.push({ type: 'Comment', value: null });
    audits.push({ at, authorId: step.author.id, via: 'web', metadata: {}, events: audit.events, comment: { authorId: step.author.id, ...step.comment } });
    if (state.status === 'solved') solvedAt = at;
  }
  if (status === 'closed') {
    at = solvedAt! + AUTO_CLOSE_MS;
    const close = new AuditWriter();
    close.change('status', 'solved', 'closed');
    audits.push({ at, authorId: null, via: 'rule', metadata: { rule: 'auto-close', after_ms: AUTO_CLOSE_MS }, events: close.events });
  }

  const row: Draft['row'] = {
    form_id: form.id, subject, description, priority, type: state.type as TicketType | null, status, requester_id: requester.id, submitter_id: requester.id,
    assignee_id: state.assignee_id as number | null, group_id: desk.groups[kind], organization_id: org.id, via_channel: 'web', tags: [], custom_fields: JSON.stringify(customFields),
    created_at: new Date(createdAt), updated_at: new Date(at), solved_at: solvedAt === null ? null : new Date(solvedAt), closed_at: status === 'closed' ? new Date(at) : null,
  };
  return { kind, row, createdAt, audits, ccs: cc ? [cc.id] : [] };
}

/** The values createTicket would store for a portal submission, so the demo can never hold what the form rejects. */
function validFieldValues(form: FormWithFields, byKey: Record<string, string>, priority: Priority): CustomValues {
  const submitted = form.fields.filter((f) => f.key && byKey[f.key] !== undefined).map((f) => ({ id: f.id, value: byKey[f.key!] }));
  const problems = new Problems();
  const values = checkFieldValues({ form, current: {}, submitted, priority, portal: true, enforceRequired: true }, problems);
  problems.throwIfAny();
  return values;
}

/** Reserves ids up front so tickets, audits, comments and events can reference each other in bulk inserts. */
async function reserveIds(tx: Tx, table: 'tickets' | 'ticket_audits' | 'ticket_comments', n: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence(${table}, 'id')) AS id FROM generate_series(1, ${n})`.execute(tx);
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

async function writeTickets(tx: Tx, drafts: Draft[]): Promise<void> {
  // Oldest first, so ticket numbers grow with time as they would have.
  drafts.sort((a, b) => a.createdAt - b.createdAt);
  const ticketIds = await reserveIds(tx, 'tickets', drafts.length);
  const auditIds = await reserveIds(tx, 'ticket_audits', drafts.reduce((n, d) => n + d.audits.length, 0));
  const commentIds = await reserveIds(tx, 'ticket_comments', drafts.reduce((n, d) => n + d.audits.filter((a) => a.comment).length, 0));
  const tickets: Insertable<TicketsTable>[] = [];
  const audits: Insertable<TicketAuditsTable>[] = [];
  const comments: Insertable<TicketCommentsTable>[] = [];
  const events: Insertable<TicketAuditEventsTable>[] = [];
  const ccs: Insertable<TicketCollaboratorsTable>[] = [];
  drafts.forEach((draft, i) => {
    const ticketId = ticketIds[i];
    tickets.push({ ...draft.row, id: ticketId });
    for (const a of draft.audits) {
      const auditId = auditIds[audits.length];
      audits.push({ id: auditId, ticket_id: ticketId, author_id: a.authorId, via_channel: a.via, metadata: JSON.stringify(a.metadata), created_at: new Date(a.at) });
      const commentId = a.comment ? commentIds[comments.length] : null;
      if (a.comment) comments.push({ id: commentId!, ticket_id: ticketId, audit_id: auditId, author_id: a.comment.authorId, body: a.comment.body, html_body: textToHtml(a.comment.body), public: a.comment.public, via_channel: a.via, created_at: new Date(a.at) });
      for (const e of a.events) events.push({ audit_id: auditId, type: e.type, field_name: e.field_name ?? null, value: json(e.value), previous_value: json(e.previous_value), comment_id: e.type === 'Comment' ? commentId : null });
    }
    for (const userId of draft.ccs) ccs.push({ ticket_id: ticketId, user_id: userId, created_at: new Date(draft.createdAt) });
  });
  // Chunks keep each statement well under PostgreSQL's 65,535 bind parameters.
  const chunks = <T>(rows: T[]) => Array.from({ length: Math.ceil(rows.length / 1000) }, (_, i) => rows.slice(i * 1000, (i + 1) * 1000));
  for (const part of chunks(tickets)) await tx.insertInto('tickets').values(part).execute();
  for (const part of chunks(audits)) await tx.insertInto('ticket_audits').values(part).execute();
  for (const part of chunks(comments)) await tx.insertInto('ticket_comments').values(part).execute();
  for (const part of chunks(events)) await tx.insertInto('ticket_audit_events').values(part).execute();
  for (const part of chunks(ccs)) await tx.insertInto('ticket_collaborators').values(part).execute();
}

const REGION_LABEL: Record<Region, string> = { amer: 'AMER', emea: 'EMEA', apac: 'APAC' };
const TEAM_LABEL: Record<Team, string> = { technical: 'Technical Support', sales: 'Sales', engineering: 'Sustained Engineering' };

function signInHelp(): string {
  const staff = ['Maya Torres', 'Chris Walker', 'Tomasz Nowak', 'Kenji Sato'].map((name) => AGENTS.find((a) => a.name === name)!);
  const lines = [
    ...staff.map((a) => `  ${emailOf(a.name, STAFF_DOMAIN).padEnd(42)} agent, ${REGION_LABEL[a.region]}, ${TEAM_LABEL[a.team]}`),
    ...ORGS.map((o) => `  ${emailOf(o.customers[0], o.domain).padEnd(42)} customer, ${o.name}`),
  ];
  return [`Demo agents and customers are verified and sign in with the password ${DEMO_PASSWORD}, for example:`, ...lines, 'No administrator was created; run create-admin for one.'].join('\n');
}

function summary(desk: Desk, drafts: Draft[]): string {
  const count = <T>(xs: T[], key: (x: T) => string) => xs.reduce((m, x) => m.set(key(x), (m.get(key(x)) ?? 0) + 1), new Map<string, number>());
  const statuses = count(drafts, (d) => d.row.status);
  const forms = count(drafts, (d) => d.kind);
  const regions = count(desk.agents, (a) => a.region);
  const comments = drafts.flatMap((d) => d.audits.filter((a) => a.comment).map((a) => a.comment!));
  return [
    'Demo data created:',
    `  ${desk.orgs.length} organizations: ${ORGS.map((o) => `${o.name} (${o.plan}, ${o.timeZone})`).join(', ')}`,
    `  ${desk.agents.length} agents (${Object.entries(REGION_LABEL).map(([r, label]) => `${label} ${regions.get(r) ?? 0}`).join(', ')}) and ${desk.orgs.reduce((n, o) => n + o.customers.length, 0)} customers`,
    `  ${drafts.length} tickets (${forms.get('technical') ?? 0} Technical Support, ${forms.get('sales') ?? 0} Sales Support): ${STATUSES.map((s) => `${statuses.get(s) ?? 0} ${s}`).join(', ')}`,
    `  ${comments.length} comments, ${comments.filter((c) => !c.public).length} of them internal notes`,
    signInHelp(),
  ].join('\n');
}
