import { z } from 'zod';

// MV3's CSP forbids eval: zod must not compile parsers with `new Function`. Imported first by the popup
// entry so it runs before any other module evaluates.
z.config({ jitless: true });
