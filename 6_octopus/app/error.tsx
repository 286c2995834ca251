"use client";

/** Last resort: something failed that the page did not handle itself. No stack trace. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section>
      <h1>Something went wrong</h1>
      <p role="alert" className="banner">
        This page could not be shown{error.digest ? ` (reference ${error.digest})` : ""}. The
        services may be restarting: try again in a moment.
      </p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
