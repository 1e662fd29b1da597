import { NavLink } from '@mantine/core';
import { Link, useLocation } from 'react-router';

/** The sidebar's way to the help-center articles agents write. */
export function HelpCenterNavLink() {
  const { pathname } = useLocation();
  const here = pathname.startsWith('/agent/help');
  return (
    <nav aria-label="Help center">
      <NavLink component={Link} to="/agent/help" active={here} aria-current={here ? 'page' : undefined} label="Help center articles" />
    </nav>
  );
}
