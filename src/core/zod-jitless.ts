import { z } from 'zod';

// MV3's CSP forbids eval: zod must not compile parsers with `new Function`. Every extension entry that
// parses with zod (the worker, the options, popup and history pages) imports this module first, so it
// runs before any other module evaluates. The content script has no zod and does not need it.
z.config({ jitless: true });
