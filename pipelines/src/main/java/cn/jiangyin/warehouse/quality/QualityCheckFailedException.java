package cn.jiangyin.warehouse.quality;

/**
 * A blocking data-quality check failed: the data must be fixed (or the check relaxed) before the
 * build goes on. Thrown after the run's results are in {@code dq.results}.
 */
public final class QualityCheckFailedException extends RuntimeException {
  public QualityCheckFailedException(String message) {
    super(message);
  }
}
