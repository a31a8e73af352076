// The worker's entry as the manifest names it. A separate file name because crxjs 3 resolves the
// service-worker loader by chunk name, and two entries called `main.ts` (this worker and the content
// script it registers) made the loader import the content script instead.
import '../core/zod-jitless.ts';
import './main.ts';
