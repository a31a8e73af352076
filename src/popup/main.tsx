import '../core/zod-jitless.ts';
import { render } from 'preact';
import { App } from './app.tsx';
import './popup.css';
import { focusRuns, loadApprovals, loadSite } from './state.ts';

const root = document.getElementById('app');
if (root) {
  document.body.classList.toggle('window', focusRuns.value.length > 0);
  render(<App />, root);
  void loadSite();
  void loadApprovals();
}
