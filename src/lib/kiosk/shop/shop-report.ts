/** The day report as shop mode shows, prints and exports it: the domain's own type and CSV. */
export { dayReportCsv, type DayReport, type DayReportLine } from '$lib/domain/day-report';
