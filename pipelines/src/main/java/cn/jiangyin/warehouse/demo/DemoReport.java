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
    long creditFlags,
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
    out.printf("  credit flags in credit.flag   %,10d%n", creditFlags);
    out.println();
    out.println("Lake:   " + lake);
    out.println("Export: " + export);
    out.println();
    out.println("Try:");
    out.println(
        "  ./warehouse sql \"SELECT flag, count(*) AS subjects FROM credit.flag GROUP BY flag\"");
    out.println(
        "  ./warehouse sql \"SELECT town_code, count(*) AS enterprises FROM lib.enterprise GROUP BY town_code ORDER BY 2 DESC\"");
  }
}
