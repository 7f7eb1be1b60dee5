// The shapes hmsdr reads from Ambari's answers, checked before use: a proxy's error page, a
// different Ambari version or a wrong endpoint then fails with the request and the field named,
// never as a TypeError deep in the controller. Only the fields hmsdr reads; others are ignored.
import { z } from 'zod';
import { AdapterError } from '../../errors/errors.js';
import { bodyExcerpt } from '../service-control/http.js';

const text = z.string().optional();

export const requestCreatedBody = z.object({ Requests: z.object({ id: z.number() }) });

export const requestStatusBody = z.object({
  Requests: z.object({ request_status: text, progress_percent: z.number().optional() }).optional(),
});

export const tasksBody = z.object({
  items: z
    .array(
      z.object({
        Tasks: z
          .object({ host_name: text, role: text, command: text, status: text, stderr: text, exit_code: z.number().nullable().optional() })
          .optional(),
      }),
    )
    .optional(),
});

export const serviceInfoBody = z.object({ ServiceInfo: z.object({ state: text, maintenance_state: text }).optional() });

export const componentsBody = z.object({
  items: z
    .array(
      z.object({
        ServiceComponentInfo: z.object({ component_name: text, category: text }).optional(),
        host_components: z
          .array(
            z.object({ HostRoles: z.object({ component_name: text, host_name: text, state: text, maintenance_state: text }).optional() }),
          )
          .optional(),
      }),
    )
    .optional(),
});

export const hostRolesBody = z.object({
  items: z.array(z.object({ HostRoles: z.object({ component_name: text, host_name: text, desired_state: text }).optional() })).optional(),
});

export const hostsBody = z.object({
  items: z.array(z.object({ Hosts: z.object({ host_name: text, host_state: text }).optional() })).optional(),
});

/** `body` checked against `schema`, or E_AMBARI_PROTOCOL naming the request, the field and what came. */
export function checkedBody<T>(schema: z.ZodType<T>, body: unknown, description: string, raw: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'the body';
  throw new AdapterError(
    'E_AMBARI_PROTOCOL',
    `Ambari answered "${description}" with a body of an unexpected shape (${where}: ${issue?.message ?? 'invalid'}): ${bodyExcerpt(raw, 200)}`,
    {
      hint: 'check dr.serviceControl.url points at the Ambari server itself (not a proxy or login page) and that its version is supported',
    },
  );
}
