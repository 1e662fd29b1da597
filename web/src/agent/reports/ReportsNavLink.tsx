import { NavLink } from '@mantine/core';
import { Link, useLocation } from 'react-router';

/** The sidebar's way to the reports, below the views. */
export function ReportsNavLink() {
  const { pathname } = useLocation();
  const here = pathname.startsWith('/agent/reports');
  return (
    <nav aria-label="Reports">
      <NavLink component={Link} to="/agent/reports" active={here} aria-current={here ? 'page' : undefined} label="Reports" />
    </nav>
  );
}
