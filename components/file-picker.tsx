'use client';

import { useState } from 'react';
import { cn } from '@/lib/cn';

/**
 * A visually hidden file input with its label: a visible button opens it (ref.click()), and the
 * same file can be picked again after it is handled.
 */
export function FilePickerInput({
  ref,
  id,
  label,
  accept,
  multiple,
  onFiles,
}: {
  ref: React.Ref<HTMLInputElement>;
  id: string;
  label: string;
  accept: string;
  multiple?: boolean;
  onFiles: (files: File[]) => void;
}) {
  return (
    <>
      <input
        ref={ref}
        id={id}
        type="file"
        multiple={multiple}
        accept={accept}
        className="sr-only"
        // Keyboard users reach it through its visible button; as a Tab stop it would have no visible focus.
        tabIndex={-1}
        onChange={(e) => {
          onFiles([...(e.target.files ?? [])]);
          e.target.value = '';
        }}
      />
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
    </>
  );
}

/** A dashed box that takes dropped files and shows when a drag is over it. */
export function FileDropZone({
  onFiles,
  invalid,
  className,
  children,
  ...props
}: Omit<React.ComponentProps<'div'>, 'onDrop' | 'onDragOver' | 'onDragLeave'> & {
  onFiles: (files: File[]) => void;
  invalid?: boolean;
}) {
  const [dragging, setDragging] = useState(false);
  return (
    <div
      {...props}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        onFiles([...e.dataTransfer.files]);
      }}
      className={cn(
        'text-muted-foreground flex flex-col items-center gap-2 rounded-lg border border-dashed text-center text-sm transition-colors',
        dragging && 'border-primary bg-primary/5',
        invalid && 'border-destructive',
        className,
      )}
    >
      {children}
    </div>
  );
}
