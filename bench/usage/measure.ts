/** What count.ts and floor.ts print, so Roster and its floor are measured the same way. */

/** A clock started now: `print(figures)` prints one JSON line {ms, cpuMs, maxRssMiB, ...figures} since then. */
export function startMeasuring(): { print: (figures: Record<string, number>) => void } {
  const start = performance.now();
  const cpu = process.cpuUsage();
  return {
    print(figures) {
      const used = process.cpuUsage(cpu);
      console.log(
        JSON.stringify({
          ms: Math.round(performance.now() - start),
          cpuMs: Math.round((used.user + used.system) / 1000),
          maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
          ...figures,
        }),
      );
    },
  };
}
