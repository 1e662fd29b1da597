/**
 * Text banks of the data generator (bench/load.ts): support-desk sentences the SQL picks from at random,
 * so subjects, descriptions and comments read like a help desk's and full-text search meets a skewed,
 * realistic vocabulary (a few very common words, a long tail of product terms) instead of noise.
 * No `<`, `>` or `&` anywhere: bodies are wrapped in <p> as html_body without escaping.
 */

export const TECHNICAL_SYMPTOMS = [
  'users cannot log in after the upgrade',
  'sync stops every night at 2 am',
  'push notifications arrive late on iOS',
  'the server restarts under load',
  'LDAP group sync removes members',
  'SAML login loops back to the sign-in page',
  'messages are missing from the channel history',
  'file uploads fail with a timeout',
  'search returns no results for recent posts',
  'the desktop app shows a blank window',
  'database migration hangs at 60 percent',
  'high CPU on the application nodes',
  'compliance export is empty',
  'plugin fails to start after enabling it',
  'bulk import rejects the export file',
  'emails are not delivered to guests',
  'the mobile app crashes when opening a thread',
  'websocket connections drop behind the proxy',
  'custom branding is lost after restart',
  'slow page loads for large teams',
  'permissions reset when a team is archived',
  'cluster nodes disagree on user status',
  'Elasticsearch indexing job never finishes',
  'guest accounts can see private channels',
  'MFA enrolment fails for some users',
  'license expiry warning shown although renewed',
  'message reactions disappear',
  'channel members list is incomplete',
  'audit log is missing events',
  'upgrade from 9.11 to 10.2 fails',
];

export const SALES_SUBJECTS = [
  'Quote for 500 additional seats',
  'Credit card payment declined at renewal',
  'Question about Enterprise licensing for subsidiaries',
  'Invoice needs our VAT number',
  'Pricing for the Premier support add-on',
  'Renewal date moved after the merger',
  'Can we switch from monthly to annual billing',
  'True-up of active users this quarter',
  'Difference between Professional and Enterprise',
  'Purchase order process for public sector',
  'License key not received after payment',
  'Discount for non-profit organizations',
];

export const CUSTOMER_SENTENCES = [
  'Since the upgrade last week several users report the same problem.',
  'We have attached the server logs and a support packet.',
  'This affects our production environment and about 400 users.',
  'The issue started right after we changed the proxy configuration.',
  'Restarting the service helps for a few hours only.',
  'We run a three node cluster behind an nginx load balancer.',
  'Our database is PostgreSQL 14 on a dedicated host.',
  'Could you please advise on the next steps?',
  'We tried clearing the cache and reinstalling the client without success.',
  'The error message in the browser console says request failed with status 500.',
  'Users in the Tokyo office are affected more often than others.',
  'We need this resolved before our go-live on Monday.',
  'It works fine on the staging server with the same version.',
  'Is this a known issue in this release?',
  'We followed the documentation for high availability deployments.',
  'Our security team requires SAML with Azure AD.',
  'The nightly job log shows a deadlock detected message.',
  'The mobile users are on the latest app version from the store.',
  'Please let us know if you need more information.',
  'Thanks for the quick response so far.',
  'We can schedule a screen share at any time this week.',
  'The problem is still happening after applying your suggestion.',
  'That fixed it for most users, only two still see the error.',
  'We upgraded the operating system packages at the same time.',
  'Memory usage grows until the process is killed by the kernel.',
];

export const AGENT_SENTENCES = [
  'Thanks for reaching out and for the detailed logs.',
  'Could you send us a support packet from the System Console?',
  'This looks like a known issue fixed in the next dot release.',
  'Please set the log level to debug and reproduce the problem once.',
  'As a workaround, disable the plugin and restart the server.',
  'I have reproduced the behaviour on our test cluster.',
  'Please check that the proxy forwards websocket upgrade headers.',
  'Can you confirm which database version you are running?',
  'We recommend upgrading to the latest extended support release.',
  'I am escalating this to our engineering team and will update you tomorrow.',
  'The configuration you shared looks correct to me.',
  'Let me know if the workaround helps on your side.',
  'I will set this ticket to pending while we wait for your logs.',
  'Our documentation describes the recommended settings for large deployments.',
  'Please try clearing the file store cache and run the job again.',
];

export const INTERNAL_SENTENCES = [
  'Internal: customer is on an old ESR, check the upgrade path first.',
  'Internal: probably the same regression as the one SET is fixing.',
  'Internal: asked engineering in the support channel, waiting for an answer.',
  'Internal: account manager asked us to prioritise this customer.',
  'Internal: logs show connection pool exhaustion on node two.',
  'Internal: reproduced locally with the customer config.',
  'Internal: renewal is due next month, keep sales in the loop.',
  'Internal: handing over to EMEA for the morning shift.',
  'Internal: JIRA ticket created, linking it here.',
  'Internal: not a bug, configuration issue with the reverse proxy.',
];

export const FIRST_NAMES = ['Ana', 'Ben', 'Chen', 'Dana', 'Emeka', 'Fatima', 'Goran', 'Hana', 'Ivan', 'Jonas', 'Kenji', 'Lena', 'Maya', 'Nikhil', 'Olga', 'Pedro', 'Quinn', 'Rosa', 'Sipho', 'Tomas', 'Uma', 'Victor', 'Wen', 'Yara', 'Zoe'];
export const LAST_NAMES = ['Adams', 'Becker', 'Costa', 'Dlamini', 'Evans', 'Fischer', 'Garcia', 'Huang', 'Ito', 'Jensen', 'Kowalski', 'Lopez', 'Moreau', 'Nakamura', 'Okafor', 'Patel', 'Rossi', 'Sato', 'Tanaka', 'Underwood', 'Varga', 'Walker', 'Xu', 'Yilmaz', 'Zimmer'];
export const ORG_WORDS = ['Northwind', 'Rheinwerk', 'Sakura', 'Atlas', 'Borealis', 'Cobalt', 'Delta', 'Evergreen', 'Fjord', 'Granite', 'Helix', 'Ionic', 'Juniper', 'Kestrel', 'Lumen', 'Meridian', 'Nimbus', 'Orion', 'Pioneer', 'Quartz'];
export const ORG_KINDS = ['Logistics', 'Energie', 'Mobility', 'Health', 'Bank', 'Telecom', 'Retail', 'Labs', 'Defense', 'University', 'Insurance', 'Media'];

/** IANA zones customers work in (their organizations' business-hours calendars). */
export const TIME_ZONES = [
  'America/Los_Angeles', 'America/Denver', 'America/Chicago', 'America/New_York', 'America/Toronto', 'America/Sao_Paulo', 'America/Mexico_City',
  'Europe/London', 'Europe/Berlin', 'Europe/Paris', 'Europe/Madrid', 'Europe/Warsaw', 'Europe/Helsinki', 'Europe/Istanbul', 'Africa/Johannesburg', 'Africa/Lagos',
  'Asia/Dubai', 'Asia/Kolkata', 'Asia/Singapore', 'Asia/Shanghai', 'Asia/Tokyo', 'Asia/Seoul', 'Australia/Sydney', 'Pacific/Auckland',
];

export const ATTACHMENTS: [string, string][] = [
  ['support-packet.zip', 'application/zip'],
  ['mattermost.log', 'text/plain'],
  ['screenshot.png', 'image/png'],
  ['config.json', 'application/json'],
  ['error.txt', 'text/plain'],
  ['invoice.pdf', 'application/pdf'],
];

/** A SQL text array literal of `items` (our own constants: quotes are doubled, nothing else is special). */
export const sqlArray = (items: readonly string[]) => `ARRAY[${items.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}]::text[]`;
