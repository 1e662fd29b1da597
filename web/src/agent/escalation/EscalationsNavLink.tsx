import { NavLink } from '@mantine/core';
import { Link, useLocation } from 'react-router';

/** The sidebar's way to the engineering board, below the views. */
export function EscalationsNavLink() {
  const { pathname } = useLocation();
  const here = pathname.startsWith('/agent/escalations');
  return (
    <nav aria-label="Engineering">
      <NavLink component={Link} to="/agent/escalations" active={here} aria-current={here ? 'page' : undefined} label="Engineering escalations" mt="sm" />
    </nav>
  );
}
