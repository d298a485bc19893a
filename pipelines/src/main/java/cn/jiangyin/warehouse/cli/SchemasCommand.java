package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.export.CsvWriter;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableDefinition;
import cn.jiangyin.warehouse.schema.TableRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code warehouse schemas …}: the declared tables (warehouse-schemas) and the lake's match to
 * them.
 */
@Command(
    name = "schemas",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    description = "List the declared tables, or make the lake match them.")
final class SchemasCommand {
  private static final Logger LOG = LoggerFactory.getLogger(SchemasCommand.class);

  @Spec private CommandSpec spec;

  @Command(
      name = "migrate",
      mixinStandardHelpOptions = true,
      description = "Create missing tables and evolve existing ones in place; print each change.")
  int migrate() {
    WarehouseCommand root = WarehouseCommand.of(spec);
    List<TableDefinition> tables = TableRegistry.load().tables();
    try (Platform platform = root.openPlatform();
        JdbcCatalog catalog = CatalogFactory.open(platform.config())) {
      LOG.info("Migrating {} tables on the {}", tables.size(), platform.description());
      List<String> changes = new SchemaMigrator(catalog).migrate(tables);
      if (changes.isEmpty()) {
        root.out().println("up to date");
      }
      changes.forEach(root.out()::println);
    }
    return 0;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List every declared table (CSV): sharing class, owner, update frequency, doc.")
  int list() {
    CsvWriter csv = new CsvWriter(WarehouseCommand.of(spec).out());
    csv.write(List.of("table", "sharing", "owner", "update_frequency", "doc"));
    List<TableDefinition> tables = new ArrayList<>(TableRegistry.load().tables());
    tables.sort(Comparator.comparing(TableDefinition::qualifiedName));
    for (TableDefinition table : tables) {
      csv.write(
          List.of(
              table.qualifiedName(),
              table.sharing().label(),
              table.ownerDepartment(),
              table.updateFrequency(),
              table.doc()));
    }
    return 0;
  }
}
