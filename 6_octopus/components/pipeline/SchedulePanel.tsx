import { getSchedule } from "@/lib/clients/shepherd";
import { dateTime } from "@/lib/format";

/** When the shepherd runs next (GET /schedule). */
export async function SchedulePanel() {
  const schedule = await getSchedule();
  return (
    <section aria-labelledby="schedule-heading" className="panel">
      <h2 id="schedule-heading">Schedule</h2>
      {!schedule.ok ? (
        schedule.problem.kind === "client" ? (
          <p className="note">{schedule.problem.detail}</p>
        ) : (
          // The runs panel names the shepherd when it is down; one banner is enough.
          <p className="note">The schedule is unavailable while 1_shepherd does not answer.</p>
        )
      ) : !schedule.data.enabled ? (
        <p className="note">
          The scheduler is off (SHEPHERD_SCHEDULE={schedule.data.expression}): cycles run only when
          started here or by <code>python -m shepherd run-once</code>.
        </p>
      ) : (
        <>
          <p>
            Cron <code>{schedule.data.expression}</code> in {schedule.data.timezone}.
          </p>
          <ul data-testid="schedule-jobs">
            {schedule.data.jobs.map((job) => (
              <li key={job.id}>
                {job.ticker}: next run {dateTime(job.next_run_time)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
