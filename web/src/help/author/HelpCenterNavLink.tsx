import { NavLink } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { useSession } from '../../auth/session';

/** The sidebar's way to the help-center articles agents write, and for admins to its categories and sections. */
export function HelpCenterNavLink() {
  const { pathname } = useLocation();
  const isAdmin = useSession().data?.role === 'admin';
  const structure = pathname.startsWith('/agent/help/structure');
  const here = pathname.startsWith('/agent/help') && !structure;
  return (
    <nav aria-label="Help center">
      <NavLink component={Link} to="/agent/help" active={here} aria-current={here ? 'page' : undefined} label="Help center articles" />
      {isAdmin && <NavLink component={Link} to="/agent/help/structure" active={structure} aria-current={structure ? 'page' : undefined} label="Categories & sections" />}
    </nav>
  );
}
