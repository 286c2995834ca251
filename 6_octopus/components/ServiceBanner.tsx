import { bannerText, type ServiceProblem } from "@/lib/problems";

/** A service that is down, slow or failing: named, with what to do; the page goes on. */
export function ServiceBanner({ problem }: { problem: ServiceProblem }) {
  return (
    <p className="banner" role="alert" data-testid="service-banner" data-service={problem.service}>
      {bannerText(problem)}
    </p>
  );
}
