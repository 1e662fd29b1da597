import { Menu, Switch } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessages } from '../api/queries';
import { useMe, useSetAway } from '../api/oncall';
import { useCurrentAgent } from '../layout/CurrentAgent';

function useAwayToggle() {
  const me = useCurrentAgent();
  const profile = useMe();
  const setAway = useSetAway(me.id);
  // The switch moves with the click; the saved value takes over once the server answers.
  const [pending, setPending] = useState<boolean | null>(null);
  const away = pending ?? profile.data?.away ?? false;
  const toggle = (next: boolean) => {
    setPending(next);
    setAway.mutate(next, {
      onSuccess: () => notifications.show({ color: 'green', message: next ? 'You are away: routing gives you no new tickets' : 'You are back: routing gives you tickets again' }),
      onError: (e) => notifications.show({ color: 'red', title: 'Not changed', message: errorMessages(e).join(' ') }),
      onSettled: () => setPending(null),
    });
  };
  return { away, known: profile.isSuccess, saving: setAway.isPending, toggle };
}

/** The agent's own "Away" switch: away agents are skipped by follow-the-sun routing and handover reassignment. */
export function AwaySwitch() {
  const { away, known, toggle } = useAwayToggle();
  return (
    <Switch
      label="Away"
      description="Routing gives you no new tickets while you are away"
      checked={away}
      disabled={!known}
      onChange={(e) => toggle(e.currentTarget.checked)}
      color="orange"
    />
  );
}

/** The same switch and the on-call page, in the current-agent menu of the header. */
export function AwayMenuItems() {
  const { away, known, saving, toggle } = useAwayToggle();
  return (
    <>
      <Menu.Item disabled={!known || saving} onClick={() => toggle(!away)}>
        {away ? 'Set yourself available' : 'Set yourself away'}
      </Menu.Item>
      <Menu.Item component={Link} to="/agent/on-call">
        On call & shifts
      </Menu.Item>
      <Menu.Divider />
    </>
  );
}
