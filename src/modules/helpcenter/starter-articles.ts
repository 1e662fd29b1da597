/**
 * The articles Sundial ships, written for the customers of a Sundial desk (the Mattermost support
 * handbook it models: its two request forms, priorities, published first-response targets, the
 * C.L.U.E.S. troubleshooting guide and the Support Packet). Seeded once; admins edit or delete them
 * like any article, and a deleted one is not written again.
 */
export interface StarterArticle {
  key: string;
  title: string;
  labels: string[];
  body: string;
}
export interface StarterSection {
  name: string;
  description: string;
  articles: StarterArticle[];
}
export interface StarterCategory {
  name: string;
  description: string;
  sections: StarterSection[];
}

const submitRequest: StarterArticle = {
  key: 'submit-a-request',
  title: 'How to submit a request, and which form to use',
  labels: ['request', 'form', 'ticket'],
  body: `Sign in to the support portal and choose **Submit a request**. There are two forms; picking the right
one sends your request straight to the team that can answer it.

## Technical Support

Use it for anything about running the product: installation and upgrades, configuration, errors,
performance, authentication (SAML, AD/LDAP), mobile and desktop apps, integrations.

| Field | What to enter |
|---|---|
| CC | Colleagues who should receive the updates too |
| Subject | A short description of the problem |
| Priority | Urgent, High, Normal or Low: see [Priority levels and their business impact](starter:priority-levels) |
| Category | The product area affected (AD/LDAP, Mobile, Upgrading, …) |
| Description | Everything we need to reproduce the problem: follow the [troubleshooting checklist](starter:troubleshooting-checklist) |
| Environment | Where it happens (production, staging, …) |
| Mattermost Version | The server version you run, for example \`9.11.2\` |
| Attachments | Logs, the Support Packet, screenshots |

Technical requests are answered within the response time of your support plan
(see [Response-time targets by support plan](starter:response-times)).

## Sales Support

Use it for billing and commercial questions: credit-card payments, licensing, pricing, renewals and
questions about which product fits you. It has no priority or environment fields. See
[What Sales Support handles](starter:what-sales-support-handles).

## After you submit

You receive an email with your request number, and every reply by email. Answer by replying to the
email or on the request page in the portal. A request waiting for your reply is shown as *Awaiting
your reply*; when we solve it, tell us if the solution did not work and it opens again.

Email to the support address also opens a request, but without a priority: use the portal for
anything urgent.`,
};

const salesSupport: StarterArticle = {
  key: 'what-sales-support-handles',
  title: 'What Sales Support handles',
  labels: ['sales', 'billing', 'licensing'],
  body: `The Sales Support team answers commercial questions. Use the **Sales Support** form for:

- **Credit Card Issues**: a payment that failed or was charged twice.
- **Licensing**: what your license covers, adding users, license keys.
- **Pricing**: prices of plans and add-ons.
- **Renewals**: renewing or changing your subscription.
- **Product**: which product or plan fits your needs.
- **General**: anything commercial that fits none of the above.

A Sales Support request is picked up by the first available member of the Sales team. It has no
priority field and no contractual response time; we aim to answer within one business day.

**Technical problems go to Technical Support**, not Sales: a sales agent cannot troubleshoot your
server, and the request would have to be moved, which costs you time.`,
};

const priorities: StarterArticle = {
  key: 'priority-levels',
  title: 'Priority levels and their business impact',
  labels: ['priority', 'urgent', 'sla'],
  body: `Choose the priority by the **impact on your business**, not by how annoying the problem is. The
priority sets how fast we must answer, so an honest choice gets everyone the right attention. An agent
may change the priority after reading your request.

| Priority | Business impact | Examples |
|---|---|---|
| **Urgent** (L1) | A production system is down or business operations are prevented; many users cannot work and there is no workaround. | Server crashes or hangs; critical functionality unavailable; data loss or corruption; impact growing quickly. |
| **High** (L2) | Production is severely impaired. | Significant performance degradation; important functionality unavailable; a few users blocked; impact growing. |
| **Normal** (L3) | Partial or non-critical loss of functionality in production; a few users affected; the situation is stable. | Some functions unavailable; minor degradation. |
| **Low** (L4) | A non-production system, or a question, comment, feature request or documentation issue. | Product questions; behaviour that is wrong but has no impact; enhancements. |

"Production" means an instance your business users actively use; test and staging systems are not
production, so their problems are Low.

Premier customers: Urgent and High requests are also covered over the weekend (see
[Response-time targets by support plan](starter:response-times)).`,
};

const responseTimes: StarterArticle = {
  key: 'response-times',
  title: 'Response-time targets by support plan',
  labels: ['sla', 'response time', 'plan', 'premier', 'enterprise', 'professional'],
  body: `Our targets are for the **first response** to your request, not for its resolution. Times are in
business hours unless they say otherwise. Business hours are 9:00 to 17:00, Monday to Friday, in your
organization's time zone; "1 business day" is 8 business hours.

| Priority | Professional | Enterprise | Premier |
|---|---|---|---|
| Urgent (L1) | 4 business hours | 2 hours | 1 hour |
| High (L2) | 8 business hours | 4 hours | 2 hours |
| Normal (L3) | 1 business day | 8 business hours | 4 business hours |
| Low (L4) | 2 business days | 1 business day | 8 business hours |

- **Premier weekend coverage**: Urgent and High requests are also worked from Friday 17:00 to Monday
  09:00 US Pacific time.
- **Free plan**: requests are not part of the free plan; the documentation and the community forum are
  there for you.
- After the first response we keep you updated regularly until the request is solved.

Your plan is the one of your organization; ask your account administrator if you are not sure which it is.`,
};

const checklist: StarterArticle = {
  key: 'troubleshooting-checklist',
  title: 'Troubleshooting checklist: what to include in a technical request',
  labels: ['troubleshooting', 'logs', 'configuration', 'clues'],
  body: `The fastest requests are the ones we can reproduce from the first message. Before you submit,
collect the **C.L.U.E.S.**; a [Support Packet](starter:support-packet) gathers most of them in one file.

## C: Configurations

- The server configuration (\`config.json\`, by default \`/opt/mattermost/config/config.json\`, or from the
  database when the configuration is stored there).
- The reverse proxy configuration (for NGINX, \`nginx.conf\` and the site file in
  \`/etc/nginx/sites-available\`).
- For SAML or LDAP problems, the identity-provider settings (screenshots are fine).

## L: Logs

- \`mattermost.log\` and \`notification.log\` (in \`/opt/mattermost/logs\`), with file logging set to
  **DEBUG** before you reproduce the problem.
- Proxy and database logs from around the time of the problem.
- Send whole files rather than excerpts. Compress them (\`tar -czf logs.tgz …\`); split anything still
  larger than 20 MB.

## U: Users affected

How many users, and what they have in common: teams and channels, authentication method, client app
and operating system, how they connect.

## E: Environment

Server version on every node, operating system, Docker or Kubernetes, reverse proxy and its version,
database and its version, SAML or LDAP provider, proxies, VPNs and firewalls in between.

## S: Steps to reproduce

Numbered steps from a clean start, what you expected and what happened instead. Screenshots or a screen
recording help a lot.

**Before you send anything, remove secrets**: passwords, tokens and private user data.`,
};

const supportPacket: StarterArticle = {
  key: 'support-packet',
  title: 'How to generate a Support Packet',
  labels: ['support packet', 'logs', 'diagnostics'],
  body: `A Support Packet is a zip file with what we need to diagnose a server problem: the server log, the
plugin list, a configuration with its secrets removed, diagnostic data and performance profiles. It
covers every node of a high-availability cluster.

1. Set file logging to **DEBUG** (System Console → Environment → Logging) and reproduce the problem.
2. Go to **System Console → Commercial Support** (or the **?** help menu) and choose
   **Download Support Packet**. From the command line, \`mmctl system supportpacket\` does the same.
3. Attach the zip file to your request. If it is larger than 20 MB, split it.
4. Set logging back to your usual level.

Passwords and keys in the configuration (database connection, SMTP, LDAP bind password, OAuth and
Elasticsearch secrets) are removed automatically. The packet does not include user messages.`,
};

export const STARTER_HELP_CENTER: StarterCategory[] = [
  {
    name: 'Getting support',
    description: 'How to reach us, what to expect and how fast.',
    sections: [
      { name: 'Submitting requests', description: 'The two request forms and what happens next.', articles: [submitRequest, salesSupport] },
      { name: 'Priorities and response times', description: 'Choosing a priority and the targets of each plan.', articles: [priorities, responseTimes] },
    ],
  },
  {
    name: 'Troubleshooting',
    description: 'Information that gets a technical request solved faster.',
    sections: [{ name: 'Before you open a request', description: 'What to collect and send.', articles: [checklist, supportPacket] }],
  },
];
