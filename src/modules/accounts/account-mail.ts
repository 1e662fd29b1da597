import type { User } from '../../platform/db-types.js';
import type { MailDraft } from '../mail/outbox.js';
import { escapeHtml } from '../../platform/html.js';


function linkMail(user: User, kind: string, subject: string, intro: string, action: string, link: string): MailDraft {
  const text = `Hello ${user.name},\n\n${intro}\n\n${action}:\n${link}\n\nThe link works once and expires in 24 hours. If you did not ask for it, ignore this message.\n\n-- Sundial Support`;
  const html = `<p>Hello ${escapeHtml(user.name)},</p><p>${escapeHtml(intro)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p><p>The link works once and expires in 24 hours. If you did not ask for it, ignore this message.</p><p>-- Sundial Support</p>`;
  return { to: user.email, subject, text, html, kind };
}

export const verificationMail = (user: User, link: string) =>
  linkMail(user, 'verify', 'Verify your Sundial Support account', 'Thanks for signing up for Sundial Support. Confirm that this is your email address to finish setting up your account.', 'Verify your email address', link);

export const resetMail = (user: User, link: string) =>
  linkMail(user, 'reset', 'Reset your Sundial Support password', 'Someone (hopefully you) asked to set a new password for your Sundial Support account.', 'Choose a new password', link);

/** Sent when someone signs up with an address that already has an account: no enumeration, and the owner can recover. */
export const existingAccountMail = (user: User, link: string) =>
  linkMail(user, 'existing-account', 'You already have a Sundial Support account', 'Someone tried to sign up with this email address, which already has an account. If that was you, set a password with the link below.', 'Set your password', link);

export const inviteMail = (user: User, link: string) =>
  linkMail(user, 'invite', 'You are invited to Sundial Support', 'An administrator created a Sundial Support account for you. Choose a password to sign in.', 'Set your password', link);
