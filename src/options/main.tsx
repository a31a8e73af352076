import '../core/zod-jitless.ts';
import { render } from 'preact';
import { App } from './app.tsx';
import '../pages/page.css';
import { loadSettings } from './state.ts';

const root = document.getElementById('app');
if (root) {
  render(<App />, root);
  void loadSettings();
}
