-- Help center (issue 9): categories → sections → articles, in the shape of Zendesk's Help Center API.
-- An article keeps its working copy (what authors edit) apart from its published copy (what readers
-- see), so a draft can be saved on a live article without changing what customers read. Every save and
-- every publish is also appended to help_article_versions, the history authors browse and restore from.
-- Starter articles are written by the help-center service on first boot (they need markdown rendering),
-- not here; settings key 'help_center.starter' records that it happened, so a deleted one stays deleted.

CREATE TABLE help_categories (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
  description text NOT NULL DEFAULT '',
  position    integer NOT NULL DEFAULT 0,
  locale      text NOT NULL DEFAULT 'en-us',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE help_sections (
  id          bigserial PRIMARY KEY,
  category_id bigint NOT NULL REFERENCES help_categories(id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
  description text NOT NULL DEFAULT '',
  position    integer NOT NULL DEFAULT 0,
  locale      text NOT NULL DEFAULT 'en-us',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX help_sections_category_idx ON help_sections (category_id, position, id);

-- visibility: who may read the published copy. 'organizations' and 'plans' use the arrays beside it;
-- 'agents_only' articles are internal (never listed, searched or suggested to customers).
CREATE TABLE help_articles (
  id                bigserial PRIMARY KEY,
  section_id        bigint NOT NULL REFERENCES help_sections(id) ON DELETE CASCADE,
  author_id         bigint REFERENCES users(id) ON DELETE SET NULL,
  locale            text NOT NULL DEFAULT 'en-us',
  position          integer NOT NULL DEFAULT 0,
  promoted          boolean NOT NULL DEFAULT false,
  comments_disabled boolean NOT NULL DEFAULT false,
  label_names       text[] NOT NULL DEFAULT '{}',
  visibility        text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public','signed_in','organizations','plans','agents_only')),
  organization_ids  bigint[] NOT NULL DEFAULT '{}',
  plans             text[] NOT NULL DEFAULT '{}' CHECK (plans <@ ARRAY['free','professional','enterprise','premier']::text[]),
  -- Identifies an article Sundial shipped (the starter set); NULL for articles written here.
  starter_key       text UNIQUE,
  -- Working copy: markdown (HTML allowed, sanitized on render).
  title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 255),
  body_source       text NOT NULL DEFAULT '',
  edited_by         bigint REFERENCES users(id) ON DELETE SET NULL,
  edited_at         timestamptz NOT NULL DEFAULT now(),
  -- Published copy: NULL until first published (a draft). published_text is the HTML as text, for search.
  published_title   text,
  published_source  text,
  published_html    text,
  published_text    text,
  published_at      timestamptz,
  published_by      bigint REFERENCES users(id) ON DELETE SET NULL,
  -- Kept by help_articles_search_sync below: title weighs most, then labels, then the body.
  search_vector     tsvector NOT NULL DEFAULT ''::tsvector,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK ((published_at IS NULL) = (published_html IS NULL)),
  CHECK (visibility <> 'organizations' OR cardinality(organization_ids) > 0),
  CHECK (visibility <> 'plans' OR cardinality(plans) > 0)
);
CREATE INDEX help_articles_section_idx ON help_articles (section_id, position, id);
CREATE INDEX help_articles_search_idx ON help_articles USING gin (search_vector);

-- A trigger rather than a generated column: array_to_string is not immutable. It indexes the published
-- copy only, since search serves readers; a draft's words are found once it is published.
CREATE FUNCTION help_articles_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('english', coalesce(NEW.published_title, '')), 'A') ||
    setweight(to_tsvector('english', array_to_string(NEW.label_names, ' ')), 'B') ||
    setweight(to_tsvector('english', coalesce(NEW.published_text, '')), 'C');
  RETURN NEW;
END $$;
CREATE TRIGGER help_articles_search_insert BEFORE INSERT ON help_articles FOR EACH ROW EXECUTE FUNCTION help_articles_search_sync();
CREATE TRIGGER help_articles_search_update BEFORE UPDATE OF published_title, published_text, label_names ON help_articles FOR EACH ROW
  EXECUTE FUNCTION help_articles_search_sync();

-- History: one row per save of the working copy ('draft') and per publish ('published').
CREATE TABLE help_article_versions (
  id         bigserial PRIMARY KEY,
  article_id bigint NOT NULL REFERENCES help_articles(id) ON DELETE CASCADE,
  number     integer NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('draft','published')),
  title      text NOT NULL,
  body_source text NOT NULL,
  author_id  bigint REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (article_id, number)
);

-- Images and files of an article; bytes in the blob store (DATA_DIR/attachments) like ticket files.
CREATE TABLE help_article_attachments (
  id           bigserial PRIMARY KEY,
  article_id   bigint NOT NULL REFERENCES help_articles(id) ON DELETE CASCADE,
  uploader_id  bigint REFERENCES users(id) ON DELETE SET NULL,
  file_name    text NOT NULL,
  content_type text NOT NULL,
  size         bigint NOT NULL,
  sha256       text NOT NULL,
  storage_key  text NOT NULL,
  inline       boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX help_article_attachments_article_idx ON help_article_attachments (article_id, id);

-- "Was this helpful?": anonymous readers may answer too; a signed-in reader has one vote per article
-- (a new answer replaces the old one).
CREATE TABLE help_article_feedback (
  id         bigserial PRIMARY KEY,
  article_id bigint NOT NULL REFERENCES help_articles(id) ON DELETE CASCADE,
  user_id    bigint REFERENCES users(id) ON DELETE SET NULL,
  helpful    boolean NOT NULL,
  comment    text CHECK (length(comment) <= 5000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX help_article_feedback_user_idx ON help_article_feedback (article_id, user_id) WHERE user_id IS NOT NULL;

-- Deflection: 'suggested' when articles were offered beside the request form, 'answered' when the
-- customer said one answered the question and left without creating a ticket. article_id is kept
-- as a plain number so the count survives the article's deletion.
CREATE TABLE help_deflection_events (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('suggested','answered')),
  user_id     bigint REFERENCES users(id) ON DELETE SET NULL,
  article_id  bigint,
  article_ids bigint[] NOT NULL DEFAULT '{}',
  subject     text NOT NULL DEFAULT '' CHECK (length(subject) <= 1000),
  form_id     bigint,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'answered' OR article_id IS NOT NULL)
);
CREATE INDEX help_deflection_events_time_idx ON help_deflection_events (kind, created_at);
