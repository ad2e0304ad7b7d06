'use client';

import { Plus, Trash2 } from 'lucide-react';
import { useFieldArray, useFormContext } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import type { MessageInput } from '@/lib/schemas/message';
import { fieldId } from './fields';

export function HeadersField() {
  const { control, register, formState } = useFormContext<MessageInput>();
  const { fields, append, remove } = useFieldArray({ control, name: 'headers' });
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1 text-sm font-medium">Custom headers</legend>
      <p className="text-muted-foreground text-xs">
        Names must start with X- (e.g. X-Campaign). Values: one line, up to 500 characters.
      </p>
      {fields.map((f, i) => {
        const err = formState.errors.headers?.[i];
        return (
          <div key={f.id} className="grid gap-1">
            <div className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] gap-2">
              <Input
                id={fieldId(`headers.${i}.name`)}
                aria-label={`Header ${i + 1} name`}
                placeholder="X-Campaign"
                className="font-mono text-xs"
                aria-invalid={!!err?.name || undefined}
                aria-describedby={err?.name ? `${fieldId(`headers.${i}.name`)}-error` : undefined}
                {...register(`headers.${i}.name`)}
              />
              <Input
                id={fieldId(`headers.${i}.value`)}
                aria-label={`Header ${i + 1} value`}
                placeholder="spring-launch"
                className="font-mono text-xs"
                aria-invalid={!!err?.value || undefined}
                aria-describedby={err?.value ? `${fieldId(`headers.${i}.value`)}-error` : undefined}
                {...register(`headers.${i}.value`)}
              />
              <Button
                type="button"
                variant="ghost"
                size="icon"
                aria-label={`Remove header ${i + 1}`}
                onClick={() => remove(i)}
              >
                <Trash2 aria-hidden />
              </Button>
            </div>
            {err?.name ? (
              <p id={`${fieldId(`headers.${i}.name`)}-error`} className="text-destructive text-sm">
                {err.name.message}
              </p>
            ) : null}
            {err?.value ? (
              <p id={`${fieldId(`headers.${i}.value`)}-error`} className="text-destructive text-sm">
                {err.value.message}
              </p>
            ) : null}
          </div>
        );
      })}
      <div>
        <Button type="button" variant="outline" size="sm" onClick={() => append({ name: '', value: '' })}>
          <Plus aria-hidden /> Add header
        </Button>
      </div>
    </fieldset>
  );
}
