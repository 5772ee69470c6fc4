import { z } from 'zod';
import { isoDate, text } from '../platform/http/schemas.ts';

/** The staff API of the public front door: who runs the service, the logo, the information pages. */
const phone = z.string().trim().max(40).regex(/^\+?[0-9 ()-]{5,40}$/, 'digits, spaces, parentheses, hyphens and a leading +');

export const siteSettingsBody = z.strictObject({
  operator_name: text(200),
  phone: phone.nullable(),
  whatsapp: phone.nullable(),
  address: text(500).nullable(),
  privacy_notice: text(30000).nullable().describe('null: the default notice, filled with the operator and address'),
});

export const siteSettingsView = z.object({
  operator_name: z.string(),
  phone: z.string().nullable(),
  whatsapp: z.string().nullable(),
  address: z.string().nullable(),
  privacy_notice: z.string().nullable(),
  default_privacy_notice: z.string().describe('the notice published while privacy_notice is null'),
  has_logo: z.boolean(),
  updated_at: z.date().nullable(),
});

export const logoBody = z.strictObject({ data_base64: z.base64().max(300_000).describe('PNG or JPEG, at most 200 KB; its metadata is removed') });

export const slugParams = z.strictObject({ slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(80) });

export const pageVersionView = z.object({
  version: z.number().int(),
  title: z.string(),
  summary: z.string(),
  body: z.string(),
  sources: z.string(),
  reviewed_on: z.string(),
  note: z.string().nullable(),
  created_at: z.date(),
  created_by_name: z.string().nullable().describe('null: the default text written by Amparo’s developers'),
});

export const pageView = pageVersionView.extend({ slug: z.string(), versions: z.number().int() });

export const pageEditBody = z.strictObject({
  base_version: z.number().int().min(1).describe('the version the edit started from; another saved in between is a 409'),
  title: text(200),
  summary: text(500, 0),
  body: text(40000),
  sources: text(5000),
  reviewed_on: isoDate,
  note: text(500).nullable().optional().describe('what changed and why, shown in the history'),
});
