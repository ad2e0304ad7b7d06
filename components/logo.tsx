export function Logo({ className }: { className?: string }) {
  return (
    <span className={`inline-flex items-center whitespace-nowrap ${className ?? ''}`}>
      <svg
        viewBox="0 0 24 24"
        aria-hidden
        className="text-primary size-6 shrink-0"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <rect x="3" y="5" width="18" height="14" rx="2" />
        <path d="m3 7 9 6 9-6" />
      </svg>
      <span className="ml-2 font-semibold tracking-tight">Sendmux Console</span>
    </span>
  );
}
