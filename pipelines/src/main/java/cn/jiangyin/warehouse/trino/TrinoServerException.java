package cn.jiangyin.warehouse.trino;

import static java.util.Objects.requireNonNull;

/**
 * A failure to provide, start or stop the local Trino server (查询服务) that the operator can act on:
 * the {@link #code()} says which, the message says what to do.
 */
public final class TrinoServerException extends RuntimeException {
  /** What went wrong, so a command line can map it to an exit status and a hint. */
  public enum Code {
    /** The server artifacts could not be resolved from Maven or unpacked. */
    DISTRIBUTION_UNAVAILABLE,
    /** No JDK 24 or newer was found to run Trino 476. */
    JAVA_UNAVAILABLE,
    /** A server already runs on the data directory. */
    ALREADY_RUNNING,
    /** The server process exited before it was ready. */
    START_FAILED,
    /** The server did not become ready in time. */
    START_TIMEOUT,
    /** The configuration could not be written or read. */
    CONFIGURATION_FAILED,
  }

  private final Code code;

  TrinoServerException(Code code, String message) {
    super(message);
    this.code = requireNonNull(code, "code is null");
  }

  TrinoServerException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = requireNonNull(code, "code is null");
  }

  public Code code() {
    return code;
  }
}
