import '../core/zod-jitless.ts';
import { render } from 'preact';
import { HistoryApp } from './history-app.tsx';
import '../pages/page.css';
import './history.css';
import { search } from './history-state.ts';

const root = document.getElementById('app');
if (root) {
  render(<HistoryApp />, root);
  void search();
}
