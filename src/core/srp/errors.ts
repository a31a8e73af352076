import { formatSrpLocation } from './model.ts';

/**
 * An `actions.xml` Gridside refuses to load. The message says what is wrong and what was expected, and
 * `toString()` points at the spot (`actions.xml:12:5: …`) so an admin can open the file there.
 */
export class SrpParseError extends Error {
  override readonly name = 'SrpParseError';
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units from the start of the line. */
  readonly column: number;
  /** The problem alone, without the location (`message` is the same). */
  readonly problem: string;

  constructor(where: { file: string; line: number; column: number }, problem: string) {
    super(problem);
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.problem = problem;
  }

  override toString(): string {
    return `${formatSrpLocation(this)}: ${this.problem}`;
  }
}
