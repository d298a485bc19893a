package cn.jiangyin.warehouse.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}) for a lake on a local disk, setting permissions with
 * java.nio instead of a {@code chmod} child process. Without Hadoop's native library, {@link
 * RawLocalFileSystem} forks {@code chmod} for every file and folder it creates — about ten per
 * captured batch (data file, manifest, manifest list, metadata, their checksums), which cost more
 * than writing the batch once the JVM is large. Checksums and everything else are unchanged.
 */
public final class LocalLakeFileSystem extends LocalFileSystem {
  public LocalLakeFileSystem() {
    super(new NioPermissions());
  }

  /** The raw local file system with {@link #setPermission} done in-process. */
  static final class NioPermissions extends RawLocalFileSystem {
    @Override
    public void setPermission(Path path, FsPermission permission) throws IOException {
      Files.setPosixFilePermissions(pathToFile(path).toPath(), posix(permission.toShort()));
    }

    private static Set<PosixFilePermission> posix(short mode) {
      PosixFilePermission[] bits = {
        PosixFilePermission.OTHERS_EXECUTE,
        PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ
      };
      Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
      for (int bit = 0; bit < bits.length; bit++) {
        if ((mode & (1 << bit)) != 0) {
          result.add(bits[bit]);
        }
      }
      return result;
    }
  }
}
