package cn.jiangyin.warehouse.capture;

import static java.util.Objects.requireNonNull;

/**
 * A clear ID number met during capture, bound for {@code restricted.person_identity} and nowhere
 * else.
 */
public record PersonIdentity(String personKey, String idNumber, String source) {
  public PersonIdentity {
    requireNonNull(personKey, "personKey is null");
    requireNonNull(idNumber, "idNumber is null");
    requireNonNull(source, "source is null");
  }

  @Override
  public String toString() {
    // never the clear number: records end up in logs and exception messages
    return "PersonIdentity[" + personKey + " from " + source + "]";
  }
}
