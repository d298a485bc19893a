package cn.jiangyin.warehouse.simulator;

import static java.util.Objects.requireNonNull;

/**
 * A simulated departmental database could not be created, filled or changed: the server is
 * unreachable, the user lacks rights, or a statement failed. Carries the target (never its
 * password) so the user knows which server to look at.
 */
public class SimulationException extends RuntimeException {
  private final JdbcTarget target;

  public SimulationException(JdbcTarget target, String message, Throwable cause) {
    super(message + " [" + requireNonNull(target, "target is null") + "]", cause);
    this.target = target;
  }

  public JdbcTarget target() {
    return target;
  }
}
