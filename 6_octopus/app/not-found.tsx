import Link from "next/link";

export default function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no such page. Go to the <Link href="/">Overview</Link>.
      </p>
    </section>
  );
}
