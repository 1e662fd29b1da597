import { Typography } from '@mantine/core';
import classes from './help.module.css';

/** An article's HTML. The server renders markdown and sanitizes it (no script, no handlers), so it is safe to insert. */
export function ArticleBody({ html }: { html: string }) {
  return (
    <Typography>
      <div className="help-article-body" dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  );
}

/** A search snippet: escaped text whose matches the server wrapped in <em>. */
export function Snippet({ html }: { html: string }) {
  return <span className={classes.snippet} dangerouslySetInnerHTML={{ __html: html }} />;
}
