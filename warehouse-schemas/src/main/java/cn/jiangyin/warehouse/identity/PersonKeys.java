package cn.jiangyin.warehouse.identity;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code person_key}: the keyed hash (HMAC-SHA256) of a normalised ID number, the only identity of
 * a person outside the restricted table. Keyed, not a plain hash: the ID number space is small
 * enough to enumerate, so without the secret anyone could reverse a plain SHA-256. Also the masked
 * form shown to people.
 */
public final class PersonKeys {
  private static final String ALGORITHM = "HmacSHA256";
  private final SecretKeySpec secret;

  public PersonKeys(String secret) {
    requireNonNull(secret, "secret is null");
    if (secret.length() < 16) {
      throw new IllegalArgumentException(
          "Invalid person key secret: at least 16 characters are needed, found " + secret.length());
    }
    this.secret = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  /**
   * The person_key of an ID number: 64 lower-case hex characters; the same person always gets the
   * same key.
   */
  public String key(String idNumber) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(secret);
      return HexFormat.of()
          .formatHex(mac.doFinal(normalize(idNumber).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot compute HMAC-SHA256", e);
    }
  }

  /** The masked form people may see: first 6 and last 4 characters, 8 stars between. */
  public static String mask(String idNumber) {
    String value = normalize(idNumber);
    if (value.length() < 10) {
      return "*".repeat(value.length());
    }
    return value.substring(0, 6) + "********" + value.substring(value.length() - 4);
  }

  /**
   * The form that is hashed: a valid number in its 18-digit form (a 15-digit legacy number and its
   * 18-digit successor are the same person); anything else trimmed and upper-cased, so an invalid
   * number still gets a stable key and can be found and corrected.
   */
  static String normalize(String idNumber) {
    requireNonNull(idNumber, "idNumber is null");
    String value = idNumber.strip().toUpperCase(Locale.ROOT);
    return ResidentIdNumber.isValid(value) ? ResidentIdNumber.normalize(value) : value;
  }
}
