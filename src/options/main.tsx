import { render } from 'preact';
import { z } from 'zod';

z.config({ jitless: true });

const root = document.getElementById('app');
if (root) render(<h1>Gridside</h1>, root);
