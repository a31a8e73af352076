import { SrpParseError } from './errors.ts';
import type { SrpWarning } from './model.ts';
import type { XmlElement } from './xml-tree.ts';

/** `<remv1:Foo>` as the file wrote it, for messages. */
export const tag = (element: XmlElement): string => `<${element.qname}>`;

/** "remv1:" when the element was written with that prefix, so hints match the file's own style. */
export const prefixOf = (element: XmlElement): string =>
  element.qname.includes(':') ? `${element.qname.slice(0, element.qname.indexOf(':'))}:` : '';

/**
 * The checks every SRP element goes through: known attributes, SRP-namespace children, and the two
 * outcomes, a warning (kept, parsing goes on) or an `SrpParseError` pointing at the element.
 */
export class ElementReader {
  constructor(
    readonly file: string,
    readonly warnings: SrpWarning[],
  ) {}

  fail(at: XmlElement, problem: string): never {
    throw new SrpParseError({ file: this.file, line: at.line, column: at.column }, problem);
  }

  warn(at: XmlElement, message: string): void {
    this.warnings.push({ file: this.file, line: at.line, column: at.column, message });
  }

  /** The known attributes by local name; unknown unprefixed ones are reported (a typo is likely). */
  attributes(element: XmlElement, known: readonly string[]): Map<string, string> {
    const found = new Map<string, string>();
    for (const attribute of element.attributes) {
      if (known.includes(attribute.local)) {
        found.set(attribute.local, attribute.value);
      } else if (attribute.qname === attribute.local) {
        // Prefixed attributes (xsi:schemaLocation…) belong to other vocabularies: ignored silently.
        const hint = known.find((name) => name.toLowerCase() === attribute.local.toLowerCase());
        this.warn(
          element,
          `unknown attribute ${attribute.local}="…" on ${tag(element)} ignored` +
            (hint ? ` (attribute names are case-sensitive: did you mean ${hint}?)` : ''),
        );
      }
    }
    return found;
  }

  required(element: XmlElement, attrs: Map<string, string>, name: string, what: string): string {
    const value = attrs.get(name);
    if (value === undefined || value.trim() === '') {
      this.fail(element, `${tag(element)} has no ${name}; expected ${name}="…" (${what})`);
    }
    return value;
  }

  /** SRP-namespace children; others are reported and skipped, as is stray text. */
  children(element: XmlElement): XmlElement[] {
    if (element.text !== '') this.warn(element, `text inside ${tag(element)} ignored`);
    return element.children.filter((child) => {
      if (!child.isSrp) this.warn(child, `${tag(child)} is not in the SRP namespace; ignored`);
      return child.isSrp;
    });
  }
}
