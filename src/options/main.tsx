import { z } from 'zod';

z.config({ jitless: true });

import { render } from 'preact';
import { App } from './app.tsx';
import './options.css';
import { loadSettings } from './state.ts';

const root = document.getElementById('app');
if (root) {
  render(<App />, root);
  void loadSettings();
}
