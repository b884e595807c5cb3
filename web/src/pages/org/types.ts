import type { z } from 'zod';
import type { Department, Hall, User, Window } from '@shared/org/schemas.ts';

// What the organisation API returns, typed by the server's own response schemas.
export type DepartmentView = z.infer<typeof Department>;
export type WindowView = z.infer<typeof Window>;
export type UserView = z.infer<typeof User>;
export type HallView = z.infer<typeof Hall>;
