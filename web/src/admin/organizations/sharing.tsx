import { Checkbox, Radio, Stack } from '@mantine/core';

/** The three ways an organization's members can see each other's tickets, as two API booleans. */
export type Sharing = 'own' | 'view' | 'comment';

export const SHARING: Record<Sharing, { label: string; description: string; shared_tickets: boolean; shared_comments: boolean }> = {
  own: {
    label: 'Own tickets only',
    description: 'Each member sees only the tickets they opened or are copied on.',
    shared_tickets: false,
    shared_comments: false,
  },
  view: {
    label: 'View organization tickets',
    description: "Members can read every ticket of the organization, but only comment on their own.",
    shared_tickets: true,
    shared_comments: false,
  },
  comment: {
    label: 'View and comment on organization tickets',
    description: "Members can read and add comments to every ticket of the organization.",
    shared_tickets: true,
    shared_comments: true,
  },
};

const RANK: Record<Sharing, number> = { own: 0, view: 1, comment: 2 };

export const sharingOf = (o: { shared_tickets: boolean; shared_comments: boolean }): Sharing =>
  !o.shared_tickets ? 'own' : o.shared_comments ? 'comment' : 'view';

/** Opening tickets to colleagues cannot be undone for what they have already read, so it needs a conscious yes. */
export const needsConfirmation = (before: Sharing, after: Sharing) => RANK[after] > RANK[before];

interface Props {
  value: Sharing;
  saved: Sharing;
  onChange: (v: Sharing) => void;
  confirmed: boolean;
  onConfirmedChange: (v: boolean) => void;
  confirmError?: string;
}

export function SharingSetting({ value, saved, onChange, confirmed, onConfirmedChange, confirmError }: Props) {
  return (
    <Stack gap="xs">
      <Radio.Group
        label="Ticket sharing"
        description="What members of this organization can see of each other's tickets. Internal notes are never shown to customers."
        value={value}
        onChange={(v) => onChange(v as Sharing)}
      >
        <Stack gap="xs" mt="xs">
          {(Object.keys(SHARING) as Sharing[]).map((k) => (
            <Radio key={k} value={k} label={SHARING[k].label} description={SHARING[k].description} />
          ))}
        </Stack>
      </Radio.Group>
      {needsConfirmation(saved, value) && (
        <Checkbox
          color="red"
          checked={confirmed}
          onChange={(e) => onConfirmedChange(e.currentTarget.checked)}
          error={confirmError}
          label={value === 'comment' ? "I understand that members will see each other's tickets and can comment on them" : "I understand that members will see each other's tickets"}
        />
      )}
    </Stack>
  );
}
