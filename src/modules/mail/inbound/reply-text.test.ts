import { describe, expect, it } from 'vitest';
import { visibleReply } from './reply-text.js';

describe('visibleReply', () => {
  it('cuts the Gmail quote header and quoted lines', () => {
    const text = 'The restart fixed it, thanks!\n\nOn Tue, 3 Mar 2026 at 10:00, Sundial Support <support@sundial.test> wrote:\n> Please restart the push proxy.\n> \n> Maya';
    expect(visibleReply(text)).toBe('The restart fixed it, thanks!');
  });

  it('cuts a wrapped "On … wrote:" header', () => {
    const text = 'Still broken.\n\nOn Tue, 3 Mar 2026 at 10:00, Sundial Support\n<support@sundial.test> wrote:\n> Please restart.';
    expect(visibleReply(text)).toBe('Still broken.');
  });

  it('cuts Outlook history and keeps a "From:" line that is part of the text', () => {
    expect(visibleReply('Logs attached.\n\n-----Original Message-----\nFrom: Support\nSent: Monday\n\nold text')).toBe('Logs attached.');
    expect(visibleReply('Logs attached.\n________________________________\nFrom: Support <s@x>\nSent: Monday\nold')).toBe('Logs attached.');
    expect(visibleReply('From: the server log, the error is X.\nSecond line')).toBe('From: the server log, the error is X.\nSecond line');
  });

  it('drops signatures', () => {
    expect(visibleReply('Works now.\n-- \nDana Whitfield\nNorthwind')).toBe('Works now.');
    expect(visibleReply('Works now.\n\nSent from my iPhone')).toBe('Works now.');
  });

  it('keeps inline answers between quotes and a mail that is only a quote', () => {
    expect(visibleReply('> Which version?\n9.11.2\n> Which OS?\niOS 18')).toBe('> Which version?\n9.11.2\n> Which OS?\niOS 18');
    expect(visibleReply('> forwarded text only')).toBe('> forwarded text only');
  });
});
