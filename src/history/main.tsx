import { z } from 'zod';

z.config({ jitless: true });

import { render } from 'preact';
import { HistoryApp } from './history-app.tsx';
import '../options/options.css';
import './history.css';
import { search } from './history-state.ts';

const root = document.getElementById('app');
if (root) {
  render(<HistoryApp />, root);
  void search();
}
