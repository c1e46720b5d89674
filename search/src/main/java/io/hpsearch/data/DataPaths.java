package io.hpsearch.data;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which data paths a space may name. The command line reads whatever its user can; a dashboard reads only under its
 * data root, so that a space sent over HTTP cannot make it read /etc/passwd.
 */
@FunctionalInterface
public interface DataPaths {
    /** Every path: the command line's user already has the files. */
    DataPaths ANY = path -> Optional.empty();

    /**
     * Why {@code path} (absolute and normalised, symbolic links not yet followed) must not be read, or empty
     * when it may be.
     */
    Optional<String> refuse(Path path);
}
