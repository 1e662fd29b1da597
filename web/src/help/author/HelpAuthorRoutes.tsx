import { Route, Routes } from 'react-router';
import { ArticleEditorPage } from './ArticleEditor';
import { ArticlesPage } from './ArticlesPage';
import { StructurePage } from '../manage/StructurePage';

/** `/agent/help/*`: writing the help center. */
export function HelpAuthorRoutes() {
  return (
    <Routes>
      <Route index element={<ArticlesPage />} />
      <Route path="articles/:id" element={<ArticleEditorPage />} />
      <Route path="structure" element={<StructurePage />} />
    </Routes>
  );
}
