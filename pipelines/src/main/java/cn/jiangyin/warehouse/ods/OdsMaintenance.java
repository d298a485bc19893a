package cn.jiangyin.warehouse.ods;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upkeep of the current-state tables (当前状态层维护): the ods tables are merge-on-read, so every
 * increment leaves position-delete files beside the data files it touched, and readers pay for
 * applying them. Compaction rewrites the data files that have deletes (and small files) with the
 * deletes applied, and drops the delete files nothing refers to any more.
 *
 * <p>Snapshots are not expired here: the library jobs read the ods table as of the snapshot their
 * last run saw (old values of changed rows), and the current state job finds the raw snapshot it
 * processed by walking back from the current snapshot past compactions.
 */
public final class OdsMaintenance {
  private static final Logger LOG = LoggerFactory.getLogger(OdsMaintenance.class);

  private final SparkSession spark;
  private final Catalog catalog;

  public OdsMaintenance(SparkSession spark, Catalog catalog) {
    this.spark = requireNonNull(spark, "spark is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  /** What compaction did to one ods table; delete files counted before and after. */
  public record Result(
      String table,
      long dataFilesRewritten,
      long dataFilesAdded,
      long deleteFilesBefore,
      long deleteFilesAfter) {
    public Result {
      requireNonNull(table, "table is null");
    }
  }

  /** Compacts every ods table, and the library and credit tables that are merge-on-read too. */
  public List<Result> run() {
    List<Result> results = new ArrayList<>();
    for (String namespace : List.of("ods", "lib", "credit")) {
      Namespace name = Namespace.of(namespace);
      if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(name)) {
        continue;
      }
      for (TableIdentifier id : catalog.listTables(name)) {
        String mode = catalog.loadTable(id).properties().get(TableProperties.MERGE_MODE);
        if (namespace.equals("ods") || "merge-on-read".equals(mode)) {
          results.add(compact(id));
        }
      }
    }
    return results;
  }

  private Result compact(TableIdentifier id) {
    long deletesBefore = deleteFiles(id);
    String catalogName = spark.conf().get("spark.sql.defaultCatalog");
    List<Row> rows =
        spark
            .sql(
                "CALL "
                    + catalogName
                    + ".system.rewrite_data_files(table => '"
                    + id.namespace()
                    + "."
                    + id.name()
                    + "', options => map('min-input-files', '2', 'delete-file-threshold', '1',"
                    + " 'remove-dangling-deletes', 'true'))")
            .collectAsList();
    long rewritten = rows.isEmpty() ? 0 : ((Number) rows.get(0).get(0)).longValue();
    long added = rows.isEmpty() ? 0 : ((Number) rows.get(0).get(1)).longValue();
    long deletesAfter = deleteFiles(id);
    LOG.info(
        "{}: {} data files rewritten into {}; delete files {} → {}",
        id,
        rewritten,
        added,
        deletesBefore,
        deletesAfter);
    return new Result(id.toString(), rewritten, added, deletesBefore, deletesAfter);
  }

  /** Delete files live in the current snapshot. */
  private long deleteFiles(TableIdentifier id) {
    Table table = catalog.loadTable(id);
    table.refresh();
    if (table.currentSnapshot() == null) {
      return 0;
    }
    long count = 0;
    try (var tasks = table.newScan().planFiles()) {
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (var task : tasks) {
        for (var delete : task.deletes()) {
          if (seen.add(delete.location())) {
            count++;
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot plan " + id, e);
    }
    return count;
  }
}
