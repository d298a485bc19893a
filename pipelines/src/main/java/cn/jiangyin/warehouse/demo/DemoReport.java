package cn.jiangyin.warehouse.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/** Counts per stage of one demo run, and where its results are. */
public record DemoReport(
    long sourceRows,
    long capturedChanges,
    long quarantinedChanges,
    long liveChanges,
    long rawTables,
    long currentStateRows,
    long enterprises,
    long rejectedEnterprises,
    long creditFacts,
    long creditScores,
    long listEntries,
    long verdicts,
    long restrictedSubjects,
    Path lake,
    Path export,
    Duration elapsed) {

  void print(PrintStream out) {
    out.println();
    out.println("Done in " + elapsed.toSeconds() + " s. Counts per stage:");
    out.printf("  departmental source rows      %,10d%n", sourceRows);
    out.printf("  live changes applied          %,10d%n", liveChanges);
    out.printf(
        "  changes captured into raw.*   %,10d  (%d tables; %,d quarantined)%n",
        capturedChanges, rawTables, quarantinedChanges);
    out.printf("  current-state rows in ods.*   %,10d%n", currentStateRows);
    out.printf(
        "  enterprises in lib.enterprise %,10d  (%,d rejected)%n",
        enterprises, rejectedEnterprises);
    out.printf("  credit facts in credit.fact   %,10d%n", creditFacts);
    out.printf("  credit scores in credit.score %,10d%n", creditScores);
    out.printf("  list entries (经营异常, 严重失信) %,8d%n", listEntries);
    out.printf(
        "  published verdicts            %,10d  (%,d restricted; export.verdict)%n",
        verdicts, restrictedSubjects);
    out.println();
    out.println("Lake:   " + lake);
    out.println("Export: " + export);
    out.println();
    out.println("Try:");
    out.println(
        "  ./warehouse sql \"SELECT grade, count(*) AS subjects FROM credit.score GROUP BY grade ORDER BY grade\"");
    out.println(
        "  ./warehouse sql \"SELECT status, count(*) AS subjects FROM export.verdict GROUP BY status\"");
    out.println("  ./warehouse verdict <统一社会信用代码>   # one subject's verdict, measures and reasons");
    out.println(
        "  ./warehouse sql \"SELECT town_code, count(*) AS enterprises FROM lib.enterprise GROUP BY town_code ORDER BY 2 DESC\"");
  }
}
