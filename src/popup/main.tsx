import './zod-jitless.ts';
import { render } from 'preact';
import { App } from './app.tsx';
import './popup.css';
import { loadApprovals, loadSite } from './state.ts';

const root = document.getElementById('app');
if (root) {
  render(<App />, root);
  void loadSite();
  void loadApprovals();
}
