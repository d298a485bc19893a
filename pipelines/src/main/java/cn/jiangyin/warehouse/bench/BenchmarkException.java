package cn.jiangyin.warehouse.bench;

/** The benchmark could not finish: a capture stalled, a server refused, a phase timed out. */
public final class BenchmarkException extends RuntimeException {
  public BenchmarkException(String message) {
    super(message);
  }

  public BenchmarkException(String message, Throwable cause) {
    super(message, cause);
  }
}
