import type { FieldErrors } from 'react-hook-form';

/** Every message in a react-hook-form errors tree as [dot path, message], in form order, once each. */
export function flattenErrors(errors: FieldErrors, prefix = ''): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(errors)) {
    if (!value || key === 'ref') continue;
    const path = key === 'root' ? prefix : prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'object' && 'message' in value && typeof value.message === 'string' && value.message)
      out.push([path, value.message]);
    if (typeof value === 'object' && key !== 'root') out.push(...flattenErrors(value as FieldErrors, path));
  }
  return out.filter(([p, m], i, all) => all.findIndex(([p2, m2]) => p2 === p && m2 === m) === i);
}
