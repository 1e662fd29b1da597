import type { Selectable } from 'kysely';
import type { Db } from '../../platform/db.js';
import type { OauthClientsTable } from '../../platform/db-types.js';
import { invalid, notFound } from '../../platform/errors.js';
import { applySlice, type Slice } from '../../platform/pagination.js';
import { digest, newSecret } from '../../platform/secrets.js';
import { changeSet, recordAdminAction } from '../audit-log/audit-log.service.js';
import { timingSafeEqual } from 'node:crypto';

export type OAuthClient = Selectable<OauthClientsTable>;

export interface ClientFields {
  name?: string;
  identifier?: string;
  company?: string | null;
  description?: string | null;
  logo_url?: string | null;
  kind?: 'confidential' | 'public';
  redirect_uri?: string[];
}

async function assertIdentifierFree(db: Db, identifier: string, exceptId?: number): Promise<void> {
  const taken = await db
    .selectFrom('oauth_clients')
    .select('id')
    .where('identifier', '=', identifier)
    .$if(exceptId !== undefined, (q) => q.where('id', '!=', exceptId!))
    .executeTakeFirst();
  if (taken) throw invalid('identifier', `Identifier: ${identifier} has already been taken`, 'DuplicateValue');
}

/** Registers a client; the secret is returned this once and only its digest is kept. */
export async function createOAuthClient(db: Db, input: { userId: number; fields: Required<Pick<ClientFields, 'name' | 'identifier'>> & ClientFields }): Promise<{ client: OAuthClient; secret: string }> {
  await assertIdentifierFree(db, input.fields.identifier);
  const secret = newSecret();
  return db.transaction().execute(async (tx) => {
    const client = await tx
      .insertInto('oauth_clients')
      .values({
        name: input.fields.name,
        identifier: input.fields.identifier,
        company: input.fields.company ?? null,
        description: input.fields.description ?? null,
        logo_url: input.fields.logo_url ?? null,
        kind: input.fields.kind ?? 'confidential',
        redirect_uri: input.fields.redirect_uri ?? [],
        secret_hash: digest(secret),
        user_id: input.userId,
        updated_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAdminAction(tx, { action: 'create', sourceType: 'oauth_client', sourceId: client.id, sourceLabel: client.name, change: `OAuth client ${client.identifier} created`, after: clientSummary(client) });
    return { client, secret };
  });
}

/** What the audit log keeps of an OAuth client (never its secret). */
const clientSummary = (c: OAuthClient) => ({ name: c.name, identifier: c.identifier, kind: c.kind, redirect_uri: c.redirect_uri });

export async function updateOAuthClient(db: Db, input: { id: number; fields: ClientFields }): Promise<OAuthClient> {
  if (input.fields.identifier !== undefined) await assertIdentifierFree(db, input.fields.identifier, input.id);
  const { name, identifier, company, description, logo_url, kind, redirect_uri } = input.fields;
  const changes = Object.fromEntries(Object.entries({ name, identifier, company, description, logo_url, kind, redirect_uri }).filter(([, v]) => v !== undefined));
  return db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom('oauth_clients').selectAll().where('id', '=', input.id).forUpdate().executeTakeFirst();
    if (!before) throw notFound();
    const client = await tx.updateTable('oauth_clients').set({ ...changes, updated_at: new Date() }).where('id', '=', input.id).returningAll().executeTakeFirstOrThrow();
    await recordAdminAction(tx, { action: 'update', sourceType: 'oauth_client', sourceId: client.id, sourceLabel: client.name, ...changeSet(clientSummary(before), clientSummary(client)) });
    return client;
  });
}

/** Replaces the secret (Zendesk's generate_secret); the old one stops working at once. */
export async function regenerateOAuthClientSecret(db: Db, id: number): Promise<{ client: OAuthClient; secret: string }> {
  const secret = newSecret();
  return db.transaction().execute(async (tx) => {
    const client = await tx.updateTable('oauth_clients').set({ secret_hash: digest(secret), updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirst();
    if (!client) throw notFound();
    await recordAdminAction(tx, { action: 'secret_reset', sourceType: 'oauth_client', sourceId: id, sourceLabel: client.name, change: 'Client secret replaced; the old one stopped working' });
    return { client, secret };
  });
}

/** Deleting a client deletes its codes and tokens (ON DELETE CASCADE): its integrations stop at once. */
export async function deleteOAuthClient(db: Db, id: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const gone = await tx.deleteFrom('oauth_clients').where('id', '=', id).returningAll().executeTakeFirst();
    if (!gone) throw notFound();
    await recordAdminAction(tx, { action: 'revoke', sourceType: 'oauth_client', sourceId: id, sourceLabel: gone.name, change: `OAuth client ${gone.identifier} deleted with its tokens`, before: clientSummary(gone) });
  });
}

export async function findOAuthClient(db: Db, id: number): Promise<OAuthClient> {
  const client = await db.selectFrom('oauth_clients').selectAll().where('id', '=', id).executeTakeFirst();
  if (!client) throw notFound();
  return client;
}

export const findOAuthClientByIdentifier = (db: Db, identifier: string): Promise<OAuthClient | undefined> =>
  db.selectFrom('oauth_clients').selectAll().where('identifier', '=', identifier).executeTakeFirst();

export const listOAuthClients = (db: Db, slice: Slice): Promise<OAuthClient[]> => applySlice(db.selectFrom('oauth_clients').selectAll(), 'id', slice).execute();

/** Constant-time comparison of a presented secret with the stored digest. */
export function clientSecretMatches(client: OAuthClient, secret: string): boolean {
  const presented = digest(secret);
  return presented.length === client.secret_hash.length && timingSafeEqual(presented, client.secret_hash);
}
