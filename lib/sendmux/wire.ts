import 'server-only';

// The Sendmux wire format (snake_case), as in ../shared/sendmux/openapi-sending.json.
// These types stay inside lib/sendmux and the batch runner; the UI gets the app types in operations.ts.

export type Address = { email: string; name?: string };

export type InlineAttachment = {
  filename: string;
  /** Base64 of the file bytes. */
  content: string;
  type?: string;
  encoding?: 'base64';
};

export type UploadedAttachmentRef = { attachment_id: string };

export type Attachment = InlineAttachment | UploadedAttachmentRef;

export type EmailSendRequest = {
  from: Address;
  /** One address object, not a list. */
  to: Address;
  subject: string;
  html_body: string;
  text_body?: string;
  reply_to?: Address;
  return_path?: string;
  cc?: Address[];
  bcc?: Address[];
  /** Header names must start with X-. */
  custom_headers?: Record<string, string>;
  attachments?: Attachment[];
  delivery_group?: string | string[];
};

export type BatchSendRequest = { messages: EmailSendRequest[] };

export type ErrorIssue = { field: string; code: string; message: string };

export type ErrorDetail = {
  code: string;
  message: string;
  retryable: boolean;
  param?: string;
  doc_url?: string;
  errors?: ErrorIssue[];
};

export type Meta = { request_id: string };

export type SuccessEnvelope<T> = { ok: true; data: T; meta: Meta };
export type ErrorEnvelope = { ok: false; error: ErrorDetail; meta: Meta };

export type SendSuccessData = { message_id: string; status: 'queued' };

export type BatchResultItem = {
  index: number;
  message_id: string | null;
  status: 'queued' | 'failed';
  error?: ErrorDetail;
};

export type BatchSummary = { total: number; queued: number; failed: number };

export type BatchSendSuccessData = { results: BatchResultItem[]; summary: BatchSummary };

export type AttachmentUploadData = {
  attachment_id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  expires_at: string;
};

export type Connection = {
  team: { id: string; name: string };
  credential: { id: string; type: 'api_key' | 'oauth' | 'agent_token'; name: string | null };
  label: string;
  permissions: string[];
  mailboxes: { id: string; email: string }[];
};
