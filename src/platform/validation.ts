import { z } from 'zod';
import { IANAZone } from 'luxon';

const EMAIL = /^[^\s@<>()",;:\\[\]]{1,64}@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export const isEmail = (s: string) => s.length <= 254 && EMAIL.test(s);
export const normalizeEmail = (s: string) => s.trim().toLowerCase();

export const emailField = z
  .string()
  .trim()
  .max(254, 'is too long (maximum is 254 characters)')
  .refine(isEmail, 'is not a valid email address')
  .transform(normalizeEmail);

export const nameField = z.string().trim().min(1, 'cannot be blank').max(255, 'is too long (maximum is 255 characters)');

export const timeZoneField = z
  .string()
  // A named zone only: Luxon would also take offsets such as UTC+99, which no business calendar means.
  .refine((tz) => IANAZone.isValidZone(tz), 'is not a valid IANA time zone (for example Europe/Berlin)');

const COMMON_PASSWORDS = new Set(['password', 'password1', '12345678', '123456789', '1234567890', 'qwertyui', 'qwerty123', 'iloveyou', 'sunshine', 'letmein1', 'welcome1', 'admin123', 'abc12345', 'passw0rd', 'football', 'baseball', 'mattermost', 'sundial1']);

export const passwordField = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(200, 'is too long (maximum is 200 characters)')
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), 'is too common; choose another');

/** Comma/array tolerant integer id in request bodies (clients send numbers or numeric strings). */
export const idField = z.union([z.number().int().positive(), z.string().regex(/^\d{1,15}$/).transform(Number)]);
