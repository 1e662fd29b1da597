import { Alert, Button, Stack, Text } from '@mantine/core';
import { Component, type ReactNode } from 'react';

/**
 * A page that throws while rendering shows a short apology and a reload button instead of a blank
 * screen or a stack trace; the header stays usable. `resetKey` (the path) clears it on navigation.
 */
export class PageErrorBoundary extends Component<{ resetKey: string; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.failed) this.setState({ failed: false });
  }

  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <Alert color="red" title="This page could not be shown" role="alert" my="md">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">Something went wrong on our side. Reloading usually helps; nothing you submitted was lost.</Text>
          <Button size="xs" variant="light" color="red" onClick={() => window.location.reload()}>Reload the page</Button>
        </Stack>
      </Alert>
    );
  }
}
