import { Badge, NavLink } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { useWaitingHandovers } from '../api/handovers';
import { useMe } from '../api/oncall';

/** The sidebar's way to on-call and shifts, and to handovers (with the count waiting for the agent's region). */
export function ShiftsNavLinks() {
  const { pathname } = useLocation();
  const me = useMe();
  const waiting = useWaitingHandovers(me.data?.region_id);
  const links = [
    { to: '/agent/on-call', label: 'On call & shifts', badge: null },
    { to: '/agent/handovers', label: 'Handovers', badge: waiting.data ? waiting.data : null },
  ];
  return (
    <nav aria-label="Shifts">
      {links.map((l) => {
        const here = pathname.startsWith(l.to);
        return (
          <NavLink
            key={l.to}
            component={Link}
            to={l.to}
            active={here}
            aria-current={here ? 'page' : undefined}
            label={l.label}
            rightSection={
              l.badge ? (
                <Badge size="sm" color="red" title="Handovers to your region waiting for acknowledgement">
                  {l.badge}
                </Badge>
              ) : undefined
            }
          />
        );
      })}
    </nav>
  );
}
