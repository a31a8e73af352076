import { SwitchSyntaxError, splitSwitch } from './argv.ts';
import { readDefaultInput } from './default-input.ts';
import { ElementReader, tag } from './element-reader.ts';
import { actionId } from './ids.ts';
import type { SrpAction, SrpParam, SrpPlugin, SrpStringParam } from './model.ts';
import { readXmlTree, type XmlElement } from './xml-tree.ts';

export { SrpParseError } from './errors.ts';
export { SRP_MAX_ACTIONS_XML_BYTES } from './xml-tree.ts';

/**
 * Reads an SRP `actions.xml` into the model (model.ts).
 *
 * Lenient where LogRhythm and real plugins are (each leniency leaves a warning on `plugin.warnings`
 * when an admin may want to know): a byte-order mark; comments; the `remv1:` prefix, no prefix, or any
 * prefix bound to RemediationVersion1.xsd (and `remv1:` even when unbound); missing `Version`/`Guid`;
 * `Order` as free text ("Unsorted", repeated numbers); switches kept verbatim, trailing spaces included;
 * unknown attributes, elements in other namespaces and unknown elements outside `<Action>` ignored;
 * an `AlarmDate`/`NormalMessageDate` default without `<TimeFormat>` (the XSD requires one, but the
 * format only shapes a date string, so the value is formatted with the defaults in time-format.ts).
 *
 * Strict (throws `SrpParseError`) where a wrong guess could run the wrong thing: malformed XML; a
 * DOCTYPE; a file over 1 MB; a root other than `<Remediation-Plugin>` or one without `Name`; no
 * `<Action>`; an Action without `Name` or `Command`; two actions whose ids collide; an unknown element
 * inside `<Action>` (a misspelt parameter would silently shift every later argument); a parameter
 * without `Name`; a switch with an unclosed double quote; an `EncryptedParameter` not holding exactly
 * one `StringParameter`; more than one `DefaultInput`; a `DefaultInput` without exactly one input; an
 * unknown alarm-field element.
 */
export function parseActionsXml(xml: string, file = 'actions.xml'): SrpPlugin {
  const { root, warnings } = readXmlTree(xml, file);
  return new PluginReader(file, warnings).readPlugin(root);
}

const PARAMETER_ELEMENTS = ['ConstantParameter', 'StringParameter', 'EncryptedParameter'];

class PluginReader extends ElementReader {
  readPlugin(root: XmlElement): SrpPlugin {
    if (root.local !== 'Remediation-Plugin' || !root.isSrp) {
      this.fail(
        root,
        `the root element is ${tag(root)}${root.isSrp ? '' : ` in namespace "${root.uri}"`}; expected <Remediation-Plugin> (optionally prefixed, e.g. <remv1:Remediation-Plugin xmlns:remv1="RemediationVersion1.xsd">)`,
      );
    }
    const attrs = this.attributes(root, ['Name', 'Version', 'Guid', 'IsLogRhythmPlugin']);
    const plugin: SrpPlugin = {
      name: this.required(root, attrs, 'Name', 'the plugin name shown to analysts'),
      actions: [],
      warnings: this.warnings,
    };
    const version = attrs.get('Version')?.trim();
    if (version !== undefined && version !== '') {
      if (/^[+-]?\d+$/.test(version)) plugin.version = Number(version);
      else this.warn(root, `Version="${version}" is not an integer; ignored`);
    }
    const guid = attrs.get('Guid')?.trim();
    if (guid) plugin.guid = guid;
    const isLogRhythm = attrs.get('IsLogRhythmPlugin')?.trim();
    if (isLogRhythm !== undefined) {
      if (isLogRhythm === 'true' || isLogRhythm === '1') plugin.isLogRhythmPlugin = true;
      else if (isLogRhythm === 'false' || isLogRhythm === '0') plugin.isLogRhythmPlugin = false;
      else this.warn(root, `IsLogRhythmPlugin="${isLogRhythm}" is not true or false; ignored`);
    }

    const seenIds = new Map<string, SrpAction>();
    for (const child of this.children(root)) {
      if (child.local !== 'Action') {
        this.warn(child, `unknown element ${tag(child)} ignored; expected <Action>`);
        continue;
      }
      const action = this.readAction(child);
      const id = actionId(plugin.name, action.name);
      const clash = seenIds.get(id);
      if (clash) {
        this.fail(
          child,
          `the action "${action.name}" gets the same id (${id}) as "${clash.name}" on line ${clash.line}; expected action names that differ in more than punctuation or case`,
        );
      }
      seenIds.set(id, action);
      plugin.actions.push(action);
    }
    if (plugin.actions.length === 0) {
      this.fail(root, `${tag(root)} has no <Action>; expected at least one`);
    }
    return plugin;
  }

  private readAction(element: XmlElement): SrpAction {
    const attrs = this.attributes(element, ['Name', 'Command']);
    const action: SrpAction = {
      name: this.required(element, attrs, 'Name', 'the action name shown to analysts'),
      command: this.required(element, attrs, 'Command', 'the program to run, e.g. powershell.exe'),
      params: [],
      line: element.line,
    };
    for (const child of this.children(element)) {
      if (child.local === 'ConstantParameter') {
        action.params.push(this.readConstant(child));
      } else if (child.local === 'StringParameter') {
        action.params.push(this.readString(child, false));
      } else if (child.local === 'EncryptedParameter') {
        action.params.push(this.readEncrypted(child));
      } else {
        this.fail(
          child,
          `unknown element ${tag(child)} in an Action; expected ${PARAMETER_ELEMENTS.join(', ')}`,
        );
      }
    }
    return action;
  }

  /** Name, Switch, Order, shared by both parameter kinds. */
  private readParamHeader(element: XmlElement): { name: string; switch: string; order: string } {
    const attrs = this.attributes(element, ['Name', 'Switch', 'Order']);
    const name = this.required(element, attrs, 'Name', 'the parameter label');
    const switchText = attrs.get('Switch') ?? '';
    try {
      splitSwitch(switchText);
    } catch (error) {
      if (error instanceof SwitchSyntaxError) {
        this.fail(element, `${error.message}; expected a closing " in Switch`);
      }
      throw error;
    }
    const order = attrs.get('Order');
    if (order === undefined) {
      this.warn(element, `${tag(element)} "${name}" has no Order; placed after the numbered parameters`);
    } else if (!/^[+-]?\d+$/.test(order.trim()) && order.trim() !== 'Unsorted') {
      this.warn(element, `Order="${order}" is not a number; placed after the numbered parameters`);
    }
    return { name, switch: switchText, order: order ?? '' };
  }

  private readConstant(element: XmlElement): SrpParam {
    const header = this.readParamHeader(element);
    for (const child of this.children(element))
      this.warn(child, `${tag(child)} in a ConstantParameter ignored`);
    if (header.switch.trim() === '') {
      this.warn(element, `the ConstantParameter "${header.name}" has an empty Switch; it adds nothing`);
    }
    return { kind: 'constant', ...header, line: element.line };
  }

  private readString(element: XmlElement, encrypted: boolean): SrpStringParam {
    const header = this.readParamHeader(element);
    const param: SrpStringParam = { kind: 'string', ...header, encrypted, line: element.line };
    const inputs = this.children(element).filter((child) => {
      if (child.local !== 'DefaultInput')
        this.warn(child, `unknown element ${tag(child)} ignored; expected <DefaultInput>`);
      return child.local === 'DefaultInput';
    });
    if (inputs.length > 1) {
      this.fail(
        inputs[1]!,
        `the StringParameter "${header.name}" has ${inputs.length} <DefaultInput>; expected at most one`,
      );
    }
    if (inputs[0]) param.default = readDefaultInput(this, inputs[0]);
    return param;
  }

  private readEncrypted(element: XmlElement): SrpParam {
    this.attributes(element, []);
    const inner = this.children(element);
    const only = inner[0];
    if (inner.length !== 1 || only?.local !== 'StringParameter') {
      const found = inner.length === 0 ? 'nothing' : inner.map(tag).join(', ');
      this.fail(element, `<EncryptedParameter> holds ${found}; expected exactly one <StringParameter>`);
    }
    return this.readString(only, true);
  }
}
