/**
 * etcd-snapshot-schedule-cron is parsed by robfig/cron/v3's standard parser when k3s starts
 * (five fields, or a descriptor such as @daily / @every 6h). k3s ignores the error AddFunc
 * returns, so a bad schedule means no scheduled snapshots at all, silently
 * (k3s-io/k3s pkg/etcd/snapshot.go setSnapshotFunction). This check is stricter than robfig:
 * numbers, ranges, steps, lists, `*` and `?` only (no month or weekday names).
 */

const FIELDS: Array<{ name: string; min: number; max: number }> = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 6 },
];

const DESCRIPTORS = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/;
const EVERY = /^@every ([1-9]\d*(h|m)){1,2}$/;
const PART = /^(\*|\?|(\d+)(-(\d+))?)(\/([1-9]\d*))?$/;

function fieldError(field: string, spec: (typeof FIELDS)[number]): string | undefined {
  for (const part of field.split(",")) {
    const m = PART.exec(part);
    if (!m) return `"${part}" in the ${spec.name} field is not a number, range, step or *`;
    for (const n of [m[2], m[4]].filter((v): v is string => v !== undefined).map(Number)) {
      if (n < spec.min || n > spec.max)
        return `${n} in the ${spec.name} field is outside ${spec.min}-${spec.max}`;
    }
    if (m[4] !== undefined && Number(m[2]) > Number(m[4]))
      return `the range ${m[1]} in the ${spec.name} field runs backwards`;
  }
  return undefined;
}

/** Why k3s would not schedule snapshots with `schedule` (the fix included), or undefined. Pure. */
export function snapshotCronProblem(schedule: string): string | undefined {
  const s = schedule.trim();
  if (DESCRIPTORS.test(s) || EVERY.test(s)) return undefined;
  const fields = s.split(/\s+/);
  const problem =
    fields.length !== 5
      ? `has ${fields.length} fields; k3s takes five (minute hour day-of-month month day-of-week)`
      : fields.map((f, i) => fieldError(f, FIELDS[i])).find((e) => e !== undefined);
  return problem
    ? `k3s.snapshotSchedule "${schedule}": ${problem}; write it like "0 */6 * * *" (every 6 hours)`
    : undefined;
}

/** Throws with the field and the fix when k3s would not schedule snapshots with `schedule`. */
export function checkSnapshotCron(schedule: string): void {
  const problem = snapshotCronProblem(schedule);
  if (problem) throw new Error(problem);
}
