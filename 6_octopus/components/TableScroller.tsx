/** A table that may be wider than a phone: it scrolls sideways, and the keyboard can scroll it
 * too (focusable, named after the table). */
export function TableScroller({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
