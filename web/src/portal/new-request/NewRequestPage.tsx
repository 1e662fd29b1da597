import { Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, useSearchParams } from 'react-router';
import { useFormsAndFields } from '../api/queries';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';
import { FormChooser } from './FormChooser';
import { RequestForm } from './RequestForm';

/** `/requests/new`: pick Technical or Sales Support (`?form=<id>`), then fill in that form. */
export function NewRequestPage() {
  useDocumentTitle('Submit a request · Sundial Support');
  const [params] = useSearchParams();
  const data = useFormsAndFields();

  if (data.isPending) return <Loading label="Loading the request form…" />;
  if (data.isError) return <ErrorState error={data.error} onRetry={() => data.refetch()} />;
  const { forms, fields } = data.data;
  if (!forms.length) return <EmptyState title="No request forms are available">Please email support instead.</EmptyState>;

  // With a single form there is nothing to choose.
  const chosen = forms.length === 1 ? forms[0] : forms.find((f) => String(f.id) === params.get('form'));
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Submit a request</Title>
        {chosen ? (
          <Group gap="xs" mt={4}>
            <Text c="dimmed">{chosen.display_name}</Text>
            {forms.length > 1 && (
              <Anchor component={Link} to="/requests/new" size="sm">Choose another type</Anchor>
            )}
          </Group>
        ) : (
          <Text c="dimmed" mt={4}>What do you need help with?</Text>
        )}
      </div>
      {chosen ? <RequestForm key={chosen.id} form={chosen} fields={fields} /> : <FormChooser forms={forms} />}
    </Stack>
  );
}
