'use client';

import { useTransition } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { NativeSelect } from '@/components/ui/native-select';
import { ROLES, type Role } from '@/lib/schemas/roles';
import { changeRoleAction, setUserDisabledAction } from './actions';

export function RoleSelect({ userId, email, role }: { userId: string; email: string; role: Role }) {
  const [pending, startTransition] = useTransition();
  return (
    <NativeSelect
      aria-label={`Role of ${email}`}
      defaultValue={role}
      disabled={pending}
      compact
      className="w-32"
      onChange={(e) => {
        const next = e.target.value as Role;
        const select = e.target;
        startTransition(async () => {
          const result = await changeRoleAction({ userId, role: next });
          if (!result.ok) {
            select.value = role;
            toast.error(result.error.message);
          } else toast.success(`${email} is now ${next}`);
        });
      }}
    >
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </NativeSelect>
  );
}

export function DisableButton({
  userId,
  email,
  disabled,
}: {
  userId: string;
  email: string;
  disabled: boolean;
}) {
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant={disabled ? 'outline' : 'ghost'}
      size="sm"
      disabled={pending}
      aria-label={`${disabled ? 'Enable' : 'Disable'} ${email}`}
      onClick={() => {
        if (
          !disabled &&
          !window.confirm(
            `Disable ${email}? They are signed out at once and cannot sign in until enabled again.`,
          )
        )
          return;
        startTransition(async () => {
          const result = await setUserDisabledAction({ userId, disabled: !disabled });
          if (!result.ok) toast.error(result.error.message);
          else toast.success(`${email} ${disabled ? 'enabled' : 'disabled'}`);
        });
      }}
    >
      {disabled ? 'Enable' : 'Disable'}
    </Button>
  );
}
