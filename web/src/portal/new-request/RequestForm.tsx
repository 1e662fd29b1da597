import { Alert, Button, Grid, Group, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, post } from '../../api/client';
import type { SupportRequest, TicketField, TicketForm } from '../api/types';
import { AttachmentDropzone } from '../attachments/AttachmentDropzone';
import { useUploads } from '../attachments/useUploads';
import { CcInput } from './CcInput';
import { FieldInput } from './FieldInput';
import { conditionalState, emptyDraft, errorKeyOf, fieldsOf, mapServerErrors, requestBody, validateDraft, type Draft, type FieldValue } from './formModel';
import { GuidancePanel } from './GuidancePanel';
import { DeflectedNotice, DeflectionPanel } from '../../help/portal/DeflectionPanel';
import type { Suggestion } from '../../help/api';

const valueIn = (draft: Draft, f: TicketField): FieldValue | null =>
  f.type === 'subject' ? draft.subject : f.type === 'description' ? draft.description : f.type === 'priority' ? draft.priority : (draft.custom[f.id] ?? null);

/** The request form for one ticket form, rendered from the form's field list and conditions. */
export function RequestForm({ form, fields }: { form: TicketForm; fields: Map<number, TicketField> }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const uploads = useUploads();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const [focusTick, setFocusTick] = useState(0);
  const [deflectedBy, setDeflectedBy] = useState<Suggestion | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const all = useMemo(() => fieldsOf(form, fields), [form, fields]);
  const conditions = conditionalState(form, fields, draft);
  const visible = all.filter((f) => !conditions.hidden.has(f.id));
  const isRequired = (f: TicketField) => f.required_in_portal || conditions.required.has(f.id);
  const technical = form.kind ? form.kind === 'technical' : all.some((f) => f.type === 'priority');

  // After a failed submit, take keyboard and screen-reader users to the first field that needs work.
  useEffect(() => {
    if (focusTick) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [role="alert"]')?.focus?.();
  }, [focusTick]);

  const setField = (f: TicketField, value: FieldValue) => {
    setDraft((d) =>
      f.type === 'subject' ? { ...d, subject: value as string }
      : f.type === 'description' ? { ...d, description: value as string }
      : f.type === 'priority' ? { ...d, priority: value as string }
      : { ...d, custom: { ...d.custom, [f.id]: value } },
    );
    setErrors(({ [errorKeyOf(f)]: _, ...rest }) => rest);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const found = validateDraft(visible, isRequired, draft);
    if (uploads.items.some((i) => i.status === 'failed')) found.uploads = 'Remove the files that could not be attached (or add them again) before sending.';
    setErrors(found);
    if (Object.keys(found).length) return setFocusTick((t) => t + 1);
    setSubmitting(true);
    try {
      const res = await post<{ request: SupportRequest }>('/api/v2/requests', requestBody(form, visible, draft, uploads.tokens));
      await queryClient.invalidateQueries({ queryKey: ['requests'] });
      navigate(`/requests/${res.request.id}`, { state: { created: true } });
    } catch (err) {
      setSubmitting(false);
      if (err instanceof ApiError && err.status === 422 && Object.keys(err.details).length) {
        const keys = new Set([...visible.map(errorKeyOf), 'email_ccs', 'uploads']);
        setErrors(mapServerErrors(err.details, draft, keys));
      } else {
        setFailure(err);
        // "Verify your email address…": a fresh session brings up the banner with its resend button.
        if (err instanceof ApiError && err.status === 403) queryClient.invalidateQueries({ queryKey: ['session'] });
      }
      setFocusTick((t) => t + 1);
    }
  };

  if (deflectedBy) return <DeflectedNotice article={deflectedBy} />;

  const urgentWithoutFiles = technical && (draft.priority === 'urgent' || draft.priority === 'high') && uploads.tokens.length === 0;
  const problemCount = Object.keys(errors).length;

  return (
    <Grid gap="xl">
      <Grid.Col span={{ base: 12, md: 8 }} order={{ base: 2, md: 1 }}>
        <form ref={formRef} onSubmit={submit} noValidate aria-label={`${form.display_name} request`}>
          <Stack gap="lg">
            {visible.map((f) => (
              <FieldInput key={f.id} field={f} required={isRequired(f)} value={valueIn(draft, f)} onChange={(v) => setField(f, v)} error={errors[errorKeyOf(f)]} />
            ))}
            <CcInput
              value={draft.ccs}
              onChange={(ccs) => {
                setDraft((d) => ({ ...d, ccs }));
                setErrors(({ email_ccs: _, ...rest }) => rest);
              }}
              error={errors.email_ccs}
            />
            <AttachmentDropzone uploads={uploads} error={errors.uploads} />
            {urgentWithoutFiles && (
              <Alert color="yellow" role="status" title="Add logs or a support packet?">
                Urgent and high priority problems are solved fastest when we can see what happened. You can still send the request without attachments.
              </Alert>
            )}
            {failure !== null && (
              <Alert color="red" role="alert" tabIndex={-1}>
                {failure instanceof ApiError ? failure.message : 'Something went wrong. Please try again.'} Nothing you typed was lost.
              </Alert>
            )}
            {problemCount > 0 && (
              <Alert color="red" role="alert" tabIndex={-1} title={errors.base ? 'The request was not sent' : undefined}>
                {errors.base ?? `Please correct the ${problemCount === 1 ? 'highlighted field' : `${problemCount} highlighted fields`}; nothing you typed was lost.`}
              </Alert>
            )}
            <Group justify="flex-end" gap="sm">
              {uploads.busy && <Text size="sm" c="dimmed">Waiting for attachments to finish uploading…</Text>}
              <Button type="submit" loading={submitting} disabled={uploads.busy}>
                Submit request
              </Button>
            </Group>
          </Stack>
        </form>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }} order={{ base: 1, md: 2 }}>
        <Stack gap="md">
          <DeflectionPanel subject={draft.subject} description={draft.description} formId={form.id} onAnswered={setDeflectedBy} />
          {technical && <GuidancePanel />}
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
