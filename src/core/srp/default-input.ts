import { isFieldName } from '../fields.ts';
import { type ElementReader, prefixOf, tag } from './element-reader.ts';
import {
  isSrpAlarmField,
  SRP_ALARM_FIELDS,
  SRP_DATE_FIELDS,
  type SrpDefault,
  type SrpTimeFormat,
} from './model.ts';
import { formatDotNetDate, TimeFormatError } from './time-format.ts';
import { resolveTimeZone } from './time-zones.ts';
import type { XmlElement } from './xml-tree.ts';

/**
 * `<DefaultInput>`: where a StringParameter's value comes from when nobody types one. Exactly one
 * input, a `<StaticInput Value="…"/>` or one alarm-field element; date fields carry a `<TimeFormat>`,
 * checked here so an unusable zone or format is reported when the plugin is loaded, not at run time.
 */
export function readDefaultInput(reader: ElementReader, element: XmlElement): SrpDefault {
  reader.attributes(element, []);
  const inputs = reader.children(element);
  const expected = `expected <StaticInput Value="…"/> or one alarm field such as <${prefixOf(element)}SIP/>`;
  if (inputs.length !== 1) {
    reader.fail(element, `<DefaultInput> holds ${inputs.length} inputs; ${expected}`);
  }
  const input = inputs[0]!;
  if (input.local === 'StaticInput') {
    const value = reader.attributes(input, ['Value']).get('Value');
    if (value === undefined) reader.warn(input, '<StaticInput> has no Value; the default is an empty string');
    return { static: value ?? '' };
  }
  const field = input.local;
  if (!isSrpAlarmField(field) && isFieldName(field)) {
    // Gridside's field model extends the XSD's list (Hash, CVE, UserAgent, …: src/core/fields.ts) because
    // analysts' rows carry them. Accepted, with a warning: LogRhythm's own importer would refuse the file.
    reader.attributes(input, []);
    reader.warn(
      input,
      `${tag(input)} is a Gridside field, not in RemediationVersion1.xsd; LogRhythm would refuse it`,
    );
    return { field };
  }
  if (!isSrpAlarmField(field)) {
    const hint = SRP_ALARM_FIELDS.find((known) => known.toLowerCase() === field.toLowerCase());
    reader.fail(
      input,
      `unknown alarm field ${tag(input)}` +
        (hint ? ` (element names are case-sensitive: did you mean ${hint}?)` : `; ${expected}`),
    );
  }
  reader.attributes(input, []);
  const children = reader.children(input);
  if (!SRP_DATE_FIELDS.has(field)) {
    for (const child of children) reader.warn(child, `${tag(child)} in ${tag(input)} ignored`);
    return { field };
  }
  const formats = children.filter((child) => child.local === 'TimeFormat');
  for (const child of children) {
    if (child !== formats[0])
      reader.warn(child, `${tag(child)} in ${tag(input)} ignored; expected one <TimeFormat>`);
  }
  if (!formats[0]) {
    reader.warn(input, `${tag(input)} has no <TimeFormat>; the date is formatted with Gridside's defaults`);
    return { field };
  }
  return { field, timeFormat: readTimeFormat(reader, formats[0]) };
}

function readTimeFormat(reader: ElementReader, element: XmlElement): SrpTimeFormat {
  const attrs = reader.attributes(element, ['TimeZone', 'FormattingString']);
  const timeFormat: SrpTimeFormat = {};
  const timeZone = attrs.get('TimeZone');
  if (timeZone !== undefined && timeZone.trim() !== '') {
    timeFormat.timeZone = timeZone;
    if (!resolveTimeZone(timeZone)) {
      reader.warn(
        element,
        `TimeZone="${timeZone}" is neither a known Windows nor an IANA time zone; runs will fail`,
      );
    }
  }
  const formattingString = attrs.get('FormattingString');
  if (formattingString !== undefined && formattingString !== '') {
    timeFormat.formattingString = formattingString;
    try {
      formatDotNetDate(new Date(0), formattingString);
    } catch (error) {
      if (!(error instanceof TimeFormatError)) throw error;
      reader.warn(
        element,
        `FormattingString is not a valid .NET date format (${error.message}); runs will fail`,
      );
    }
  }
  for (const child of reader.children(element)) reader.warn(child, `${tag(child)} in <TimeFormat> ignored`);
  return timeFormat;
}
