package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.inspection.Draw;
import cn.jiangyin.warehouse.inspection.DrawFile;
import cn.jiangyin.warehouse.inspection.InspectionDrawJob;
import cn.jiangyin.warehouse.inspection.InspectionPublicationJob;
import cn.jiangyin.warehouse.inspection.PlanFile;
import cn.jiangyin.warehouse.inspection.Selection;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.yaml.InvalidFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warehouse inspect …}: 双随机一公开 — draw an inspection plan, verify a recorded draw. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    description =
        "Draw the subjects and inspectors of an inspection plan (双随机抽取) and verify a recorded"
            + " draw.")
final class InspectCommand {
  @Spec private CommandSpec spec;

  @Command(
      name = "draw",
      mixinStandardHelpOptions = true,
      description =
          "Draw a plan: pick subjects per risk-class share and assign inspectors without conflicts;"
              + " record the draw in supervision.draw / supervision.draw_assignment and write the"
              + " draw file; print the draw id.",
      footer = {
        "",
        "seed = SHA-256(public value, plan id, plan file SHA-256, input snapshot ids); the same"
            + " inputs give the same draw (docs/operations/inspections.md)."
      })
  int draw(
      @Parameters(paramLabel = "PLAN", description = "Inspection plan file (YAML).") Path planPath,
      @Option(
              names = "--seed-source",
              required = true,
              paramLabel = "VALUE",
              description =
                  "A public value announced before the draw that the drawer cannot control (e.g."
                      + " a lottery result).")
          String publicValue,
      @Option(
              names = "--output",
              paramLabel = "FILE",
              description = "Draw file to write (default: <draw id>.json here).")
          Path output) {
    WarehouseCommand root = WarehouseCommand.of(spec);
    PlanFile plan;
    try {
      plan = PlanFile.read(planPath);
    } catch (InvalidFileException e) {
      root.err().println("error: " + e.getMessage());
      return WarehouseCommand.EXIT_USER_ERROR;
    }
    try (Platform platform = root.openPlatform()) {
      SparkSession spark = SparkSessions.create(platform.config(), "jiangyin-inspect-draw");
      try {
        InspectionDrawJob job = new InspectionDrawJob(spark);
        root.err().println("drawing plan " + plan.plan().id() + " (" + plan.plan().name() + ")");
        Draw draw = job.draw(plan, publicValue);
        String drawId = DrawFile.drawId(draw);
        boolean recorded = job.record(plan, draw);
        Path file = output != null ? output : Path.of(drawId + ".json");
        DrawFile.write(file, plan, draw);
        root.err().printf("  seed %s%n", draw.seed());
        root.err()
            .printf("  candidates per class %s, excluded %s%n", draw.candidates(), draw.excluded());
        root.err().printf("  %d subjects drawn; draw file %s%n", draw.selections().size(), file);
        if (!recorded) {
          root.err().println("  the same draw was already recorded: nothing written to the tables");
        }
        root.out().println(drawId);
      } catch (IllegalArgumentException e) {
        root.err().println("error: " + e.getMessage());
        return WarehouseCommand.EXIT_USER_ERROR;
      } finally {
        spark.stop();
      }
    }
    return 0;
  }

  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description =
          "Rebuild supervision.publication (一公开): every recorded draw and every captured"
              + " inspection result, without risk classes; print the row count.")
  int publish() {
    WarehouseCommand root = WarehouseCommand.of(spec);
    try (Platform platform = root.openPlatform()) {
      SparkSession spark = SparkSessions.create(platform.config(), "jiangyin-inspect-publish");
      try {
        root.out().println(new InspectionPublicationJob(spark).run());
      } finally {
        spark.stop();
      }
    }
    return 0;
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Re-derive a recorded draw from its seed inputs (reading each input at its recorded"
              + " snapshot) and confirm it, or list every difference and exit 1.")
  int verify(
      @Parameters(paramLabel = "DRAW", description = "A draw file or a draw id (supervision.draw).")
          String drawReference,
      @Option(
              names = "--plan",
              paramLabel = "FILE",
              description = "The plan file (default: the path the draw recorded).")
          Path planPath) {
    WarehouseCommand root = WarehouseCommand.of(spec);
    try (Platform platform = root.openPlatform()) {
      SparkSession spark = SparkSessions.create(platform.config(), "jiangyin-inspect-verify");
      try {
        InspectionDrawJob job = new InspectionDrawJob(spark);
        Path asFile = Path.of(drawReference);
        Optional<DrawFile.Recorded> recorded =
            Files.isRegularFile(asFile)
                ? Optional.of(DrawFile.read(asFile))
                : job.read(drawReference);
        if (recorded.isEmpty()) {
          root.err().println("error: no draw file or recorded draw " + drawReference);
          return WarehouseCommand.EXIT_USER_ERROR;
        }
        PlanFile plan =
            PlanFile.read(planPath != null ? planPath : Path.of(recorded.get().planFile()));
        Draw draw = recorded.get().draw();
        List<String> differences = job.verify(draw, plan);
        for (String difference : differences) {
          root.out().println("DIFFERENCE " + difference);
        }
        if (!differences.isEmpty()) {
          root.out()
              .println(
                  differences.size()
                      + " difference(s): draw "
                      + DrawFile.drawId(draw)
                      + " is NOT confirmed");
          return WarehouseCommand.EXIT_FAILURE;
        }
        root.out()
            .println(
                "OK "
                    + DrawFile.drawId(draw)
                    + ": re-derived "
                    + draw.selections().size()
                    + " subjects and "
                    + draw.selections().stream()
                        .map(Selection::inspectorIds)
                        .mapToInt(List::size)
                        .sum()
                    + " assignments from the recorded inputs");
      } catch (IllegalArgumentException e) {
        root.err().println("error: " + e.getMessage());
        return WarehouseCommand.EXIT_USER_ERROR;
      } finally {
        spark.stop();
      }
    }
    return 0;
  }
}
