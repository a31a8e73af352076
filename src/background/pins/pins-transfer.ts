import type { z } from 'zod';
import { PinSchema } from '../../core/pins.ts';
import type { GridsideDatabase } from '../db.ts';
import type { PinsPort } from '../history/export.ts';

/**
 * Pins for export and import (export.ts): every stored pin that still parses goes out; an imported pin
 * enters through `PinSchema` and is added only when no pin has its id, so importing twice adds nothing and
 * never overwrites the analyst's own note.
 */
export function createPinsTransfer(db: Promise<GridsideDatabase>): PinsPort {
  return {
    async all() {
      const stored = await (await db).getAll('pins');
      return stored.flatMap((record) => {
        const pin = PinSchema.safeParse(record);
        return pin.success ? [pin.data] : [];
      });
    },

    async add(raw) {
      const pin = PinSchema.safeParse(raw);
      if (!pin.success) return { rejected: firstIssue(pin.error) };
      const tx = (await db).transaction('pins', 'readwrite');
      const present = (await tx.store.getKey(pin.data.id)) !== undefined;
      if (!present) await tx.store.add(pin.data);
      await tx.done;
      return present ? 'present' : 'added';
    },
  };
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The pin is not valid.';
  return `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}
