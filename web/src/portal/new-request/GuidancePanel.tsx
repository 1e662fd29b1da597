import { Accordion, Code, List, Paper, Text, Title, useMantineTheme } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useState } from 'react';

/** What support needs to solve a technical problem quickly: C.L.U.E.S. and the support packet (spec §8.4). */
const CLUES = [
  { letter: 'C', name: 'Configurations', text: 'config.json (or the Configurations table when it is stored in the database), your reverse-proxy site file, and SAML, LDAP or MDM settings when they are involved.' },
  { letter: 'L', name: 'Logs', text: 'mattermost.log and notification.log with file logging at DEBUG, plus proxy and database logs from around the time. Compress them (tar -czf); split anything still too big into 20 MB parts.' },
  { letter: 'U', name: 'Users affected', text: 'How many, and what they share: teams and channels, sign-in method, client OS and app versions, how they connect.' },
  { letter: 'E', name: 'Environment', text: 'Mattermost version on each node, server OS, Docker or Kubernetes, reverse proxy, database type and version, SAML or LDAP provider, VPNs and firewalls.' },
  { letter: 'S', name: 'Steps to reproduce', text: 'Exactly what to do to see the problem; screenshots or a recording help most.' },
];

export function GuidancePanel() {
  const theme = useMantineTheme();
  const wide = useMediaQuery(`(min-width: ${theme.breakpoints.md})`);
  const [open, setOpen] = useState<string[]>([]);
  // Open beside the form on wide screens; on a phone it sits above the form, so it starts folded.
  useEffect(() => setOpen(wide ? ['clues'] : []), [wide]);

  return (
    <Paper withBorder p="md" radius="md" component="aside" aria-labelledby="guidance-title" pos={{ base: 'static', md: 'sticky' }} top={76}>
      <Title order={2} size="h4" id="guidance-title">What to include</Title>
      <Text size="sm" c="dimmed" mb="xs">
        We solve problems fastest when the first message has the C.L.U.E.S.
      </Text>
      <Accordion variant="contained" multiple value={open} onChange={setOpen}>
        <Accordion.Item value="clues">
          <Accordion.Control>C.L.U.E.S. checklist</Accordion.Control>
          <Accordion.Panel>
            <List spacing="xs" size="sm" listStyleType="none" pl={0}>
              {CLUES.map((c) => (
                <List.Item key={c.letter}>
                  <Text size="sm" fw={600} span>{c.letter} · {c.name}: </Text>
                  <Text size="sm" span>{c.text}</Text>
                </List.Item>
              ))}
            </List>
          </Accordion.Panel>
        </Accordion.Item>
        <Accordion.Item value="packet">
          <Accordion.Control>Generate a support packet</Accordion.Control>
          <Accordion.Panel>
            <Text size="sm" mb="xs">A support packet bundles logs, sanitized configuration and diagnostics from every node. It is the best single attachment.</Text>
            <List type="ordered" size="sm" spacing={4}>
              <List.Item>Set file logging to DEBUG (System Console › Environment › Logging) and reproduce the problem.</List.Item>
              <List.Item>Open System Console › Commercial Support and choose <b>Download Support Packet</b>, or run <Code>mmctl system supportpacket</Code>.</List.Item>
              <List.Item>Attach the ZIP file here.</List.Item>
            </List>
            <Text size="xs" c="dimmed" mt="xs">Passwords and secrets in the configuration are removed automatically. Remove usernames or other personal data you do not want to share.</Text>
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </Paper>
  );
}
