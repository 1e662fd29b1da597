import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { ArticleVisibility, Database, Plan } from '../platform/db-types.js';
import { isAdmin, isAgent, type Actor } from '../modules/accounts/actor.js';

/**
 * THE help-center visibility rule, used by every list, show, search and suggestion. Agents and admins
 * read every article, drafts included. Everyone else reads published articles only, and of those:
 * `public` → anyone, anonymous included; `signed_in` → any signed-in user; `organizations` → members
 * of the listed organizations; `plans` → members of organizations on the listed support plans;
 * `agents_only` → nobody (internal articles). What a reader may not see is "not found", never 403.
 */
type ArticleAccess = { visibility: ArticleVisibility; organization_ids: number[]; plans: Plan[]; published_at: Date | null };

export function canSeeArticle(actor: Actor | null, a: ArticleAccess): boolean {
  if (isAgent(actor)) return true;
  if (!a.published_at) return false;
  switch (a.visibility) {
    case 'public':
      return true;
    case 'signed_in':
      return !!actor;
    case 'organizations':
      return !!actor?.organization && a.organization_ids.map(Number).includes(actor.organization.id);
    case 'plans':
      return !!actor?.organization && a.plans.includes(actor.organization.support_plan);
    case 'agents_only':
      return false;
  }
}

/** The same rule as a WHERE expression over `help_articles`, for set-based reads. */
export function visibleArticles(actor: Actor | null) {
  return (eb: ExpressionBuilder<Database, 'help_articles'>): Expression<SqlBool> => {
    if (isAgent(actor)) return eb.val(true);
    const published = eb('help_articles.published_at', 'is not', null);
    const allowed: Expression<SqlBool>[] = [eb('help_articles.visibility', '=', 'public')];
    if (actor) allowed.push(eb('help_articles.visibility', '=', 'signed_in'));
    const org = actor?.organization;
    if (org) {
      allowed.push(eb.and([eb('help_articles.visibility', '=', 'organizations'), sql<SqlBool>`${org.id}::bigint = ANY(help_articles.organization_ids)`]));
      allowed.push(eb.and([eb('help_articles.visibility', '=', 'plans'), sql<SqlBool>`${org.support_plan}::text = ANY(help_articles.plans)`]));
    }
    return eb.and([published, eb.or(allowed)]);
  };
}

/**
 * Sections (and through them categories) follow their articles: agents see all of them, everyone else
 * only those holding at least one article they may read, so the name of an internal section never
 * reaches a customer. A section or category a reader may not see is "not found", its article list too.
 */
export function visibleSections(actor: Actor | null) {
  return (eb: ExpressionBuilder<Database, 'help_sections'>): Expression<SqlBool> => {
    if (isAgent(actor)) return eb.val(true);
    return eb('help_sections.id', 'in', eb.selectFrom('help_articles').select('help_articles.section_id').where(visibleArticles(actor)));
  };
}

/** Agents and admins write articles (and their drafts, versions and files) and read feedback. */
export const canAuthorArticles = (actor: Actor | null) => isAgent(actor);

/** The structure of the help center (categories and sections) is the admins'. */
export const canManageHelpCenterStructure = (actor: Actor | null) => isAdmin(actor);
