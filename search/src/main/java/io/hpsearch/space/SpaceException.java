package io.hpsearch.space;

/**
 * A space file that cannot be run. The message names the file, the line and the key, compiler style:
 * {@code spaces/x.yaml:12: model.units: choice must not be empty}.
 */
public class SpaceException extends RuntimeException {
    private final String source;
    private final int line;
    private final String key;
    private final String problem;

    public SpaceException(String source, int line, String key, String problem) {
        super(source + ":" + (line > 0 ? line + ": " : " ") + (key.isEmpty() ? "" : key + ": ") + problem);
        this.source = source;
        this.line = line;
        this.key = key;
        this.problem = problem;
    }

    public String source() {
        return source;
    }

    /** 1-based line number, or 0 where the problem has no line (an empty file). */
    public int line() {
        return line;
    }

    /** Dotted path of the key, e.g. {@code model.units}; empty for the document itself. */
    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }
}
