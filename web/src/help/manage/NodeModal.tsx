import { Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { AdminModal, FormError, useFormSubmit, ModalActions } from '../../admin/ui';
import type { HelpCategory, HelpSection } from '../api';
import { useSaveNode, type Kind, type NodeFields } from './structure-api';

interface Props {
  kind: Kind;
  /** The category or section being edited; none to create one. */
  node?: HelpCategory | HelpSection;
  /** Where a new section goes, and the choices for moving one. */
  categories: HelpCategory[];
  categoryId?: number;
  /** A new node's position: after its siblings. */
  nextPosition: number;
  onClose: () => void;
}

const FIELDS = ['name', 'description', 'category_id'] as const;

/** Creates or edits a category or section; the API's field messages land on their fields. Mounted only while open. */
export function NodeModal({ kind, node, categories, categoryId, nextPosition, onClose }: Props) {
  const noun = kind === 'category' ? 'category' : 'section';
  const form = useForm({
    initialValues: {
      name: node?.name ?? '',
      description: node?.description ?? '',
      category_id: String((node && 'category_id' in node ? node.category_id : categoryId) ?? ''),
    },
  });
  const save = useSaveNode(kind, { id: node?.id, categoryId, onSuccess: onClose });
  const { submit: send, general } = useFormSubmit(form, save, FIELDS);
  // Blank names go to the API too, so its own message ("Name: cannot be blank") shows at the field.
  const submit = form.onSubmit((v) => {
    const fields: NodeFields = { name: v.name.trim(), description: v.description.trim() };
    if (!node) fields.position = nextPosition;
    if (node && kind === 'section' && Number(v.category_id) !== (node as HelpSection).category_id) fields.category_id = Number(v.category_id);
    send(fields);
  });
  const parent = categories.find((c) => c.id === categoryId);
  const title = node ? `Edit ${node.name}` : kind === 'category' ? 'New category' : `New section in ${parent?.name ?? 'category'}`;

  return (
    <AdminModal opened onClose={onClose} title={title}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Name" required data-autofocus maxLength={255} {...form.getInputProps('name')} />
          <Textarea
            label="Description"
            description={`Shown to readers under the ${noun}'s name`}
            autosize
            minRows={2}
            maxRows={6}
            maxLength={5000}
            {...form.getInputProps('description')}
          />
          {node && kind === 'section' && (
            <Select
              label="Category"
              description="Moving a section takes its articles with it"
              allowDeselect={false}
              data={categories.map((c) => ({ value: String(c.id), label: c.name }))}
              {...form.getInputProps('category_id')}
            />
          )}
          <FormError message={general} />
          <ModalActions onCancel={onClose} pending={save.isPending} submitLabel={node ? 'Save changes' : `Create ${noun}`} />
        </Stack>
      </form>
    </AdminModal>
  );
}
