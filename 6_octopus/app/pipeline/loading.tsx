import { Skeleton } from "@/components/Skeleton";

export default function Loading() {
  return <Skeleton label="Loading…" height="100vh" />;
}
