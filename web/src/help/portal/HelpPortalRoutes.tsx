import { Route } from 'react-router';
import { ArticlePage } from './ArticlePage';
import { HelpHome } from './HelpHome';
import { SearchPage } from './SearchPage';
import { SectionPage } from './SectionPage';

/** The public help center's pages, mounted inside the portal layout (signed in or not). */
export const helpPortalRoutes = (
  <Route path="help">
    <Route index element={<HelpHome />} />
    <Route path="categories/:id" element={<HelpHome />} />
    <Route path="sections/:id" element={<SectionPage />} />
    <Route path="articles/:id" element={<ArticlePage />} />
    <Route path="search" element={<SearchPage />} />
  </Route>
);
