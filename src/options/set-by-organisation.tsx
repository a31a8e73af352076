/**
 * The label beside a value the organisation set through managed storage. Such values are read-only on
 * every page (their inputs are disabled), and the worker refuses a save that changes them.
 */
export function SetByOrganisation(props: { id?: string }) {
  return (
    <span id={props.id} class="badge managed">
      set by your organisation
    </span>
  );
}
