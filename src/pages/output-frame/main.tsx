import '../../core/zod-jitless.ts';
import { render } from 'preact';
import { OutputFrameApp } from './output-frame-app.tsx';
import './output-frame.css';

const root = document.getElementById('app');
if (root) render(<OutputFrameApp />, root);
