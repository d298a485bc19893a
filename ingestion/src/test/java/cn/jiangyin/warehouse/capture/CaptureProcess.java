package cn.jiangyin.warehouse.capture;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.simulator.Department;
import cn.jiangyin.warehouse.simulator.DepartmentalSimulator;
import cn.jiangyin.warehouse.simulator.JdbcTarget;
import cn.jiangyin.warehouse.simulator.SimulatedSources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The capture process that {@link CrashRecoveryIT} kills: follows the simulated sources with one
 * {@link CaptureEngine} each until the process dies. A supervisor loop per source starts a new
 * engine when one stops on an error (a source server that went away for longer than Debezium's own
 * retries), as a service manager would restart the process.
 *
 * <p>Arguments: catalog JDBC URL, lake folder, capture state folder, database prefix, person-key
 * secret, departments (comma-separated {@link Department} names).
 */
public final class CaptureProcess {
  private CaptureProcess() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      throw new IllegalArgumentException(
          "Invalid arguments, expected catalog-url lake state prefix secret departments: "
              + Arrays.toString(args));
    }
    Path lake = Path.of(args[1]);
    Path state = Path.of(args[2]);
    PlatformConfig config =
        PlatformConfig.of(
            Map.of(
                "catalog.jdbc-url", args[0], "catalog.user", "postgres", "lake.location", args[1]),
            name -> "unused-by-trust-auth-0000",
            lake);
    JdbcCatalog catalog = CatalogFactory.open(config);
    PersonKeys keys = new PersonKeys(args[4]);
    List<SourceDefinition> sources = sources(args[3], departments(args[5]));
    List<Thread> threads = new ArrayList<>();
    for (SourceDefinition source : sources) {
      Thread thread =
          new Thread(() -> follow(source, catalog, keys, state), "follow-" + source.name());
      thread.start();
      threads.add(thread);
    }
    System.out.println("capture process following " + sources.size() + " sources");
    // the test JVM holds our standard input: when it is gone, so are we
    Thread orphan =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // nothing is sent; wait for the end of the stream
                }
              } catch (java.io.IOException e) {
                // the same: the parent is gone
              }
              Runtime.getRuntime().halt(3);
            },
            "orphan-watch");
    orphan.setDaemon(true);
    orphan.start();
    for (Thread thread : threads) {
      thread.join();
    }
  }

  /** The sources of {@code departments} under {@code prefix}, as the test created them. */
  static List<SourceDefinition> sources(String prefix, List<Department> departments) {
    Map<Department, JdbcTarget> all =
        DepartmentalSimulator.targets(
            prefix,
            JdbcTarget.postgresql("127.0.0.1", 5432, "postgres", "", "postgres"),
            JdbcTarget.mariadb("127.0.0.1", 3306, "root", "", "mysql"));
    Map<Department, JdbcTarget> targets = new EnumMap<>(Department.class);
    departments.forEach(department -> targets.put(department, all.get(department)));
    List<SourceDefinition> sources = new ArrayList<>();
    for (SourceDefinition source :
        SimulatedSources.definitions(
            targets,
            "capture",
            System.getenv().getOrDefault("CAPTURE_PASSWORD", "capture"),
            Map.of("publication.autocreate.mode", "disabled"))) {
      Map<String, String> options = new HashMap<>(source.connectorOptions());
      // Debezium's own answer to a source that went away: retry the connection, without limit
      options.put("errors.max.retries", "-1");
      options.put("errors.retry.delay.initial.ms", "500");
      options.put("errors.retry.delay.max.ms", "5000");
      if (source.kind().readsBinlog()) {
        // the binlog client notices a server that went away by its keep-alive; Debezium's default
        // of a minute left capture stalled for two after a MariaDB restart
        options.put("connect.keep.alive.interval.ms", "2000");
      }
      sources.add(
          new SourceDefinition(
              source.name(),
              source.kind(),
              source.host(),
              source.port(),
              source.database(),
              source.user(),
              source.password(),
              source.tables(),
              source.personalColumns(),
              source.snapshotMode(),
              options));
    }
    return sources;
  }

  static List<Department> departments(String names) {
    return Arrays.stream(names.split(",")).map(Department::valueOf).toList();
  }

  private static void follow(
      SourceDefinition source, JdbcCatalog catalog, PersonKeys keys, Path state) {
    Duration forever = Duration.ofDays(3650);
    while (true) {
      try (CaptureEngine engine = new CaptureEngine(source, catalog, keys, state)) {
        // never quiet for ten years: returns or throws only when the engine stopped by itself
        engine.runUntilQuiet(forever, forever);
        System.out.println("capture of " + source.name() + " stopped; starting it again");
      } catch (RuntimeException e) {
        System.out.println(
            "capture of " + source.name() + " failed (" + e.getMessage() + "); starting it again");
        e.printStackTrace(System.out);
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
