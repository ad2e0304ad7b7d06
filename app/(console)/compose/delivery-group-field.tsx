'use client';

import { useFormContext } from 'react-hook-form';
import { FormField } from '@/components/form-field';
import { Input } from '@/components/ui/input';
import type { MessageInput } from '@/lib/schemas/message';
import { fieldId } from './fields';

/** The API's optional delivery_group: one dgrp_ id, or several sent as a list. */
export function DeliveryGroupField() {
  const { register, formState } = useFormContext<MessageInput>();
  return (
    <FormField
      id={fieldId('deliveryGroup')}
      label="Delivery group"
      hint="Optional · dgrp_… ids, comma-separated"
      error={formState.errors.deliveryGroup?.message}
    >
      <Input
        autoComplete="off"
        spellCheck={false}
        placeholder="dgrp_main"
        className="font-mono text-xs"
        {...register('deliveryGroup')}
      />
    </FormField>
  );
}
