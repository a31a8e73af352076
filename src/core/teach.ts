import { z } from 'zod';
import { isFieldName } from './fields.ts';

/**
 * "Teach Gridside this grid": what the analyst showed Gridside by pointing at a console's grid, sent by the
 * content script after the analyst's own clicks and saved by the background as the same per-site settings
 * the options page edits (a grid selector config and column → field overrides), for the sender's origin
 * only. Every string is bounded: the request comes from a console page's content script.
 */

export const TEACH_LIMITS = {
  selectorChars: 500,
  labelChars: 200,
  /** Column → field choices in one request. */
  fields: 100,
  /** Grid selector configs one console keeps; teaching more replaces the oldest. */
  gridsPerConsole: 10,
} as const;

const selector = z.string().trim().min(1).max(TEACH_LIMITS.selectorChars);

/** The grid's shape as CSS selectors derived from the analyst's clicks (content/teach/derive-selectors.ts). */
export const TaughtGridSchema = z.object({
  root: selector,
  row: selector,
  cell: selector,
  /** Header cells; a cell's column is its position among them. */
  header: selector,
  /** The root selector of the saved config this one corrects, so it replaces that entry. */
  replaces: selector.optional(),
});
export type TaughtGrid = z.infer<typeof TaughtGridSchema>;

/** A canonical field name, `''` for "this column is no field", or `null` to forget the analyst's choice. */
export const TaughtFieldSchema = z.union([
  z.string().refine(isFieldName, 'not a Gridside field'),
  z.literal(''),
  z.null(),
]);

export const TeachRequestSchema = z.object({
  type: z.literal('site.teach'),
  grid: TaughtGridSchema.optional(),
  /** Column label, as the grid shows it → field. */
  fields: z
    .record(z.string().min(1).max(TEACH_LIMITS.labelChars), TaughtFieldSchema)
    .refine((fields) => Object.keys(fields).length <= TEACH_LIMITS.fields, 'too many columns')
    .default({}),
});
export type TeachRequest = z.infer<typeof TeachRequestSchema>;
