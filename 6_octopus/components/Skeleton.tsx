/** A panel's placeholder while its data loads. Tall enough that what streams in below it
 * starts off screen, so the page does not jump (layout shift) when the panel arrives. */
export function Skeleton({ label, height = "10rem" }: { label: string; height?: string }) {
  return (
    <div className="skeleton" style={{ minHeight: height }} role="status" aria-live="polite">
      <span>{label}</span>
    </div>
  );
}
