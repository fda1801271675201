import * as z from 'zod/mini';

/**
 * One schema per response, parsed at the boundary. Deliberately lenient: objects keep unknown fields
 * out of the way instead of failing, enum-like fields are plain strings, and optional fields may be
 * missing or null, because the API drifts between versions. Where the project's specification
 * (§8 of the reference) shows an older shape, both shapes are accepted.
 */

const optionalString = z.nullish(z.string());
const optionalNumber = z.nullish(z.number());
/** Some shapes carry ids as numbers; coerce to string so they can still be used in paths. */
const idLike = z.union([z.string(), z.number()]);

/**
 * A page's envelope. Its rows are only required to be an array here: each row is checked against its
 * own schema afterwards (`DevinClient` skips and reports the ones that fail), so one bad row cannot
 * hide the rest of the page.
 */
const rows = z.array(z.unknown());
export const paginatedSchema = z.object({
  items: rows,
  end_cursor: optionalString,
  has_next_page: z.nullish(z.boolean()),
  total: optionalNumber,
});

export const organizationSchema = z.object({
  org_id: z.optional(idLike),
  id: z.optional(idLike),
  name: optionalString,
  display_name: optionalString,
  created_at: z.nullish(z.union([z.number(), z.string()])),
  max_cycle_acu_limit: optionalNumber,
  max_session_acu_limit: optionalNumber,
  acu_limit: optionalNumber,
});
export type OrganizationWire = z.infer<typeof organizationSchema>;

/** Current: paginated `items[].org_id`. Specification: `organizations[].id`, possibly with a cursor. */
export const organizationListSchema = z.union([
  paginatedSchema,
  z.object({
    organizations: rows,
    end_cursor: optionalString,
    has_next_page: z.nullish(z.boolean()),
    total: optionalNumber,
  }),
]);

export const selfSchema = z.object({
  principal_type: optionalString,
  service_user_id: z.nullish(idLike),
  service_user_name: optionalString,
  user_id: z.nullish(idLike),
  user_name: optionalString,
  api_key_name: optionalString,
  org_id: optionalString,
  name: optionalString,
  role: optionalString,
});
export type SelfWire = z.infer<typeof selfSchema>;

export const pullRequestSchema = z.object({
  pr_url: optionalString,
  url: optionalString,
  pr_state: optionalString,
  state: optionalString,
});

export const sessionSchema = z.object({
  session_id: idLike,
  url: optionalString,
  status: optionalString,
  status_detail: optionalString,
  status_enum: optionalString,
  title: optionalString,
  tags: z.nullish(z.array(z.string())),
  org_id: optionalString,
  created_at: z.nullish(z.union([z.number(), z.string()])),
  updated_at: z.nullish(z.union([z.number(), z.string()])),
  acus_consumed: optionalNumber,
  pull_requests: z.nullish(z.array(pullRequestSchema)),
  pull_request: z.nullish(pullRequestSchema),
  is_archived: z.nullish(z.boolean()),
  origin: optionalString,
  user_id: optionalString,
  service_user_id: optionalString,
});
export type SessionWire = z.infer<typeof sessionSchema>;

export const sessionListSchema = paginatedSchema;

/** A download address: absolute or relative to the API, and only over HTTP(S). */
const downloadUrl = z.string().check(
  z.refine((value) => {
    try {
      const url = new URL(value, 'https://api.invalid/');
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'not an http(s) address'),
);

export const sessionAttachmentSchema = z.object({
  attachment_id: z.nullish(idLike),
  name: optionalString,
  source: optionalString,
  url: downloadUrl,
  content_type: optionalString,
});
export const uploadedAttachmentSchema = z.object({
  attachment_id: z.nullish(idLike),
  name: optionalString,
  url: z.string(),
});

/**
 * The reference shows a bare array; one page of the docs wraps it in `{items}`. Both are accepted; each row is
 * checked on its own against sessionAttachmentSchema, so one unreadable attachment does not hide the others.
 */
export const sessionAttachmentListSchema = z.union([rows, z.object({ items: rows })]);

/** `GET|POST|PUT …/sessions/{id}/tags`; older shapes answer `{detail}` only, which the caller treats as "no echo". */
export const sessionTagsSchema = z.object({ tags: z.nullish(z.array(z.string())) });

export const sessionMessageSchema = z.object({
  event_id: z.nullish(idLike),
  source: optionalString,
  message: z.string(),
  created_at: z.nullish(z.union([z.number(), z.string()])),
});
export type SessionMessageWire = z.infer<typeof sessionMessageSchema>;
export const sessionMessageListSchema = paginatedSchema;

export const knowledgeNoteSchema = z.object({
  note_id: z.optional(idLike),
  id: z.optional(idLike),
  name: optionalString,
  body: optionalString,
  trigger: optionalString,
  trigger_description: optionalString,
  folder_path: optionalString,
  folder_id: z.nullish(idLike),
  pinned_repo: optionalString,
  is_enabled: z.nullish(z.boolean()),
  updated_at: z.nullish(z.union([z.number(), z.string()])),
});
export type KnowledgeNoteWire = z.infer<typeof knowledgeNoteSchema>;
export const knowledgeNoteListSchema = paginatedSchema;

export const auditLogSchema = z.object({
  audit_log_id: z.nullish(idLike),
  action: optionalString,
  created_at: z.nullish(z.union([z.number(), z.string()])),
  org_id: optionalString,
  user_id: optionalString,
  user_email: optionalString,
  service_user_id: optionalString,
  service_user_name: optionalString,
  data: z.nullish(z.record(z.string(), z.unknown())),
});
export type AuditLogWire = z.infer<typeof auditLogSchema>;
export const auditLogListSchema = paginatedSchema;

/** Current: `{service_user: {...}, token}`. Specification: `{id, name, api_key}`. */
export const createdServiceUserSchema = z.object({
  service_user: z.nullish(z.object({ service_user_id: idLike, name: optionalString })),
  token: optionalString,
  id: z.nullish(idLike),
  name: optionalString,
  api_key: optionalString,
});
export type CreatedServiceUserWire = z.infer<typeof createdServiceUserSchema>;

export const playbookSchema = z.object({
  playbook_id: idLike,
  title: optionalString,
  macro: optionalString,
});
export const playbookListSchema = paginatedSchema;

/** Organization members (beta, §4.11): only the id is certain; the rest is shown when present. */
export const memberSchema = z.object({
  user_id: idLike,
  name: optionalString,
  display_name: optionalString,
  email: optionalString,
});
export const memberListSchema = paginatedSchema;
// Consumption: the current per-organization daily series (§3.4 of the reference) and the specification's bulk list
// with `start_date`/`end_date` (§8).

/** Consumption numbers may arrive as strings. */
const looseNumber = z.nullish(z.union([z.number(), z.string()]));

export const productSchema = z.object({
  devin: looseNumber,
  cascade: looseNumber,
  terminal: looseNumber,
  review: looseNumber,
});

export const dailyConsumptionSchema = z.object({
  total_acus: looseNumber,
  consumption_by_date: z.nullish(
    z.array(
      z.object({
        date: z.union([z.number(), z.string()]),
        acus: looseNumber,
        acus_by_product: z.nullish(productSchema),
      }),
    ),
  ),
});

export const bulkConsumptionSchema = z.object({
  data: z.array(
    z.object({
      organization_id: z.nullish(idLike),
      org_id: z.nullish(idLike),
      organization_name: z.nullish(z.string()),
      date: z.nullish(z.union([z.string(), z.number()])),
      acus_used: looseNumber,
      acus: looseNumber,
      acus_by_product: z.nullish(productSchema),
    }),
  ),
  has_next_page: z.nullish(z.boolean()),
  end_cursor: z.nullish(z.string()),
});

/** Roles for the service-user picker: paginated on the current API; a bare array (or `{roles}`) on the older one. */
const roleSchema = z.object({
  role_id: idLike,
  role_name: optionalString,
  role_type: optionalString,
});
export const roleListSchema = z.union([
  z.object({ items: z.array(roleSchema) }),
  z.object({ roles: z.array(roleSchema) }),
  z.array(roleSchema),
]);

/** Billing cycles (`{after, before}` in Unix seconds) and Devin ACU limits, §3.4. */
const requiredLooseNumber = z.union([z.number(), z.string()]);
export const billingCyclesSchema = z.object({
  items: z.array(z.object({ after: requiredLooseNumber, before: requiredLooseNumber })),
});
export const acuLimitsSchema = z.object({
  items: z.array(z.object({ cycle_acu_limit: looseNumber, scope: optionalString, org_id: optionalString })),
});

/** Scheduled sessions, §4.10; their timestamps are ISO strings. */
export const scheduleSchema = z.object({
  scheduled_session_id: idLike,
  name: optionalString,
  prompt: optionalString,
  enabled: z.nullish(z.boolean()),
  schedule_type: optionalString,
  frequency: optionalString,
  scheduled_at: optionalString,
  last_executed_at: optionalString,
  last_error_message: optionalString,
  last_error_at: optionalString,
  consecutive_failures: optionalNumber,
  playbook: z.nullish(z.object({ playbook_id: optionalString, title: optionalString })),
  created_at: optionalString,
});
export type ScheduleWire = z.infer<typeof scheduleSchema>;
export const scheduleListSchema = paginatedSchema;
