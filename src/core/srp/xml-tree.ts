import { SaxesParser, type SaxesTagNS } from 'saxes';
import { SrpParseError } from './errors.ts';
import type { SrpWarning } from './model.ts';

/**
 * Step one of reading an actions.xml: well-formed XML → a small element tree that remembers where each
 * element starts. Step two (parse.ts) checks that tree against the SRP schema. Keeping the XML rules
 * here keeps the SRP rules there readable.
 */

/** actions.xml files are a few KB; anything this large is a mistake or an attack on the parser. */
export const SRP_MAX_ACTIONS_XML_BYTES = 1024 * 1024;

/** The namespace every real actions.xml binds (`xmlns:remv1="RemediationVersion1.xsd"`). */
export const SRP_NAMESPACE = 'RemediationVersion1.xsd';
/** Also accept the schema named by a path or URL (`…/RemediationVersion1.xsd`); case as Windows does. */
const SRP_NAMESPACE_PATTERN = /(^|[\\/:])RemediationVersion1\.xsd$/i;
/** The prefix real files use; accepted even when a hand-written file forgets to bind it. */
const SRP_PREFIX = 'remv1';

export interface XmlAttribute {
  /** Without prefix. */
  local: string;
  /** As written, prefix included. */
  qname: string;
  value: string;
}

export interface XmlElement {
  local: string;
  qname: string;
  /** Namespace URI ('' for none). */
  uri: string;
  /** In the SRP namespace, or in none: both mean "an SRP element" (files with no prefix exist). */
  isSrp: boolean;
  attributes: XmlAttribute[];
  children: XmlElement[];
  /** Non-whitespace text directly inside the element; SRP elements carry none. */
  text: string;
  /** Position of the element's `<`, 1-based. */
  line: number;
  column: number;
}

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/** Turns a UTF-16 offset into a 1-based line and column. */
const makeLocator = (text: string) => {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return (offset: number): { line: number; column: number } => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - lineStarts[low]! + 1 };
  };
};

/** Comments, CDATA and processing instructions may hold '&'; elsewhere '&' starts a reference. */
const AMPERSAND_SCAN =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|&(?!(?:#\d+|#x[\da-fA-F]+|[A-Za-z_:][\w.:-]*);)/g;

/**
 * "Scan & Report" is the likeliest mistake in a hand-written actions.xml. saxes reads an unescaped '&'
 * as the start of an entity up to the next ';', possibly the end of the file, and then reports an
 * unrelated error far below; point at the '&' instead.
 */
function refuseBareAmpersand(
  text: string,
  file: string,
  locate: (offset: number) => { line: number; column: number },
): void {
  for (const match of text.matchAll(AMPERSAND_SCAN)) {
    if (match[0] === '&') {
      throw new SrpParseError(
        { file, ...locate(match.index) },
        'malformed XML: an unescaped "&"; expected &amp; (or another entity reference such as &lt;)',
      );
    }
  }
}

export const isSrpNamespace = (uri: string): boolean => uri === '' || SRP_NAMESPACE_PATTERN.test(uri);

export function readXmlTree(xml: string, file: string): { root: XmlElement; warnings: SrpWarning[] } {
  const warnings: SrpWarning[] = [];
  // Length first: a string longer than the limit in UTF-16 units is longer in UTF-8 bytes too.
  if (xml.length > SRP_MAX_ACTIONS_XML_BYTES || utf8Length(xml) > SRP_MAX_ACTIONS_XML_BYTES) {
    throw new SrpParseError(
      { file, line: 1, column: 1 },
      `the file is larger than ${SRP_MAX_ACTIONS_XML_BYTES / 1024 / 1024} MB; an actions.xml is a few KB, expected a much smaller file`,
    );
  }
  // Visual Studio and Notepad save UTF-8 with a byte-order mark (the VirusTotal sample has one).
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  const locate = makeLocator(text);

  refuseBareAmpersand(text, file, locate);

  let warnedUnboundPrefix = false;
  const parser = new SaxesParser({
    xmlns: true,
    resolvePrefix: (prefix: string) => {
      if (prefix !== SRP_PREFIX) return undefined;
      if (!warnedUnboundPrefix) {
        warnedUnboundPrefix = true;
        warnings.push({
          file,
          ...locate(parser.position),
          message: `the prefix "${SRP_PREFIX}:" is used without xmlns:${SRP_PREFIX}="${SRP_NAMESPACE}"; read as the SRP namespace`,
        });
      }
      return SRP_NAMESPACE;
    },
  });

  const fail = (problem: string, at = { line: parser.line, column: parser.column }): never => {
    throw new SrpParseError({ file, ...at }, problem);
  };

  let root: XmlElement | undefined;
  const open: XmlElement[] = [];
  let tagStart = { line: 1, column: 1 };

  parser.on('error', (error) => {
    // saxes prefixes "line:column: "; we report our own location.
    fail(`malformed XML: ${error.message.replace(/^\d+:\d+: /, '')}`);
  });
  parser.on('doctype', (doctype) => {
    // saxes expands no external entities, but a DOCTYPE has no business in an actions.xml and is how
    // XXE and entity-expansion ("billion laughs") attacks start: refuse it outright.
    const startOffset = parser.position - doctype.length - '<!DOCTYPE>'.length;
    fail(
      'a DOCTYPE declaration is not allowed in actions.xml (it can declare entities); expected the file to start with <Remediation-Plugin>',
      locate(Math.max(0, startOffset)),
    );
  });
  parser.on('opentagstart', (tag) => {
    // saxes has read "<", the name and one more character.
    tagStart = locate(Math.max(0, parser.position - tag.name.length - 2));
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const element: XmlElement = {
      local: tag.local,
      qname: tag.name,
      uri: tag.uri,
      isSrp: isSrpNamespace(tag.uri),
      attributes: Object.values(tag.attributes)
        // Namespace declarations are XML plumbing, not SRP attributes.
        .filter((a) => a.prefix !== 'xmlns' && a.name !== 'xmlns')
        .map((a) => ({ local: a.local, qname: a.name, value: a.value })),
      children: [],
      text: '',
      ...tagStart,
    };
    const parent = open.at(-1);
    if (parent) parent.children.push(element);
    else root = element;
    open.push(element);
  });
  parser.on('closetag', () => {
    open.pop();
  });
  const onText = (chunk: string) => {
    const parent = open.at(-1);
    if (parent && chunk.trim() !== '' && parent.text.length < 200) parent.text += chunk.trim();
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  parser.write(text).close();
  if (!root) return fail('the file has no root element; expected <Remediation-Plugin>');
  return { root, warnings };
}
