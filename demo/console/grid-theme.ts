import type * as AgGrid from 'ag-grid-community';

/**
 * A dense dark Balham theme, close to a SIEM console at work: small type, short rows, many columns.
 * Takes the ag-Grid namespace so the v36 and v35 pages (different globals' builds) share it.
 */
export function consoleTheme(ag: Pick<typeof AgGrid, 'themeBalham' | 'colorSchemeDarkBlue'>) {
  return ag.themeBalham.withPart(ag.colorSchemeDarkBlue).withParams({
    backgroundColor: '#141b24',
    foregroundColor: '#d5dde6',
    headerBackgroundColor: '#1d2733',
    headerTextColor: '#aebccb',
    oddRowBackgroundColor: '#18212c',
    borderColor: '#2a3645',
    accentColor: '#3d8fd6',
    selectedRowBackgroundColor: '#21405f',
    rowHoverColor: '#1f2d3d',
    fontFamily: ['Segoe UI', 'Roboto', 'Helvetica Neue', 'Arial', 'sans-serif'],
    fontSize: 12,
    headerFontSize: 12,
    headerFontWeight: 600,
    rowHeight: 26,
    headerHeight: 30,
    spacing: 4,
    wrapperBorderRadius: 0,
  });
}
