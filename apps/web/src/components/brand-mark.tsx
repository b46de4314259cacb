export function BrandMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <rect width="64" height="64" rx="14" fill="#1f3a5f" />
      <path
        d="M14 28 32 15l18 13"
        fill="none"
        stroke="#ffd27a"
        strokeWidth="5"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
      <path d="M20 30v18M32 30v18M44 30v18" stroke="#fff" strokeWidth="5" strokeLinecap="round" />
      <path d="M14 51h36" stroke="#fff" strokeWidth="5" strokeLinecap="round" />
    </svg>
  );
}
