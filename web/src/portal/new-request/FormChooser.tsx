import { SimpleGrid, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import type { TicketForm } from '../api/types';
import classes from './FormChooser.module.css';

/** One card per form, with the form's own one-line description of what belongs there. */
export function FormChooser({ forms }: { forms: TicketForm[] }) {
  return (
    <nav aria-label="Request types">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        {forms.map((f) => (
          <UnstyledButton key={f.id} component={Link} to={`/requests/new?form=${f.id}`} className={classes.card}>
            <Text fw={700} size="lg">{f.display_name}</Text>
            {f.description && <Text size="sm" c="dimmed" mt={4}>{f.description}</Text>}
          </UnstyledButton>
        ))}
      </SimpleGrid>
      <Text size="sm" c="dimmed" mt="md">
        Not sure? Anything about how Mattermost runs (errors, outages, upgrades, configuration) goes to Technical Support; buying, billing and licences go to
        Sales Support.
      </Text>
    </nav>
  );
}
