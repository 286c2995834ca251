"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { normaliseTicker, withTicker } from "@/lib/ticker";

export const PAGES = [
  { href: "/", name: "Overview" },
  { href: "/model", name: "Model" },
  { href: "/pipeline", name: "Pipeline" },
  { href: "/data", name: "Data" },
] as const;

/** The top navigation; links keep the chosen ticker. */
export function NavLinks() {
  const pathname = usePathname();
  // Only a well-formed ticker is carried on (not whatever `?ticker=` held).
  const ticker = normaliseTicker(useSearchParams().get("ticker"));
  return <NavList pathname={pathname} ticker={ticker} />;
}

export function NavList({ pathname, ticker }: { pathname?: string; ticker?: string | null }) {
  return (
    <ul className="nav-links">
      {PAGES.map((page) => (
        <li key={page.href}>
          <Link
            href={withTicker(page.href, ticker ?? undefined)}
            aria-current={pathname === page.href ? "page" : undefined}
            // Every page is dynamic (live figures): prefetching would only load the services.
            prefetch={false}
          >
            {page.name}
          </Link>
        </li>
      ))}
    </ul>
  );
}
