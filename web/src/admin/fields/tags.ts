/** "Authentication & Provisioning" → "authentication_provisioning", the style of the seeded tags. */
export const slug = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/**
 * The prefix every existing tag of a field shares ("sales_" for the Sales category), so a new option's
 * suggested tag follows the same convention and stays distinct from other fields' tags.
 */
export function sharedPrefix(values: string[]): string {
  if (values.length < 2) return '';
  let prefix = values[0];
  for (const v of values) while (!v.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = prefix.lastIndexOf('_');
  return cut > 0 ? prefix.slice(0, cut + 1) : '';
}

export const TAG_PATTERN = /^[a-z0-9_:-]+$/i;
