export const ROLES = ['admin', 'sender', 'support'] as const;
export type Role = (typeof ROLES)[number];

// support reads; sender also sends; admin also manages users and the sandbox.
const RANK: Record<Role, number> = { support: 1, sender: 2, admin: 3 };

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'Everything, including users and settings',
  sender: 'Compose, batches and the request log',
  support: 'Reads the request log and batch results; cannot send, retry or change anything',
};

/** Whether a user holding `role` may do what needs `required`. */
export function hasRole(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}
