/**
 * Permissions an API key may carry (the api's `API_KEY_SCOPES`: never `member:*`, `api_key:*`,
 * `org:update|delete|transfer`). The api refuses anything else, and a scope the creator's own
 * role does not hold.
 */
export const API_KEY_SCOPES = [
  { scope: 'org:read', label: 'Read the organisation' },
  { scope: 'audit_log:read', label: 'Read the audit log' },
  { scope: 'agent:read', label: 'Read agents' },
  { scope: 'agent:write', label: 'Create and edit agents' },
  { scope: 'run:read', label: 'Read runs' },
  { scope: 'run:create', label: 'Start runs' },
  { scope: 'run:cancel', label: 'Cancel runs' },
  { scope: 'run:approve', label: 'Approve run steps' },
  { scope: 'schedule:read', label: 'Read schedules' },
  { scope: 'schedule:write', label: 'Edit schedules' },
  { scope: 'billing:read', label: 'Read billing' },
  { scope: 'billing:manage', label: 'Manage billing' },
  { scope: 'file:read', label: 'Read files' },
  { scope: 'file:write', label: 'Upload files' },
] as const;
