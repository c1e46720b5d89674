package io.hpsearch.data.csv;

import io.hpsearch.data.DataException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streams the records of an RFC 4180 CSV file, one at a time, without keeping earlier ones: fields may be quoted
 * ({@code "a, b"}), with doubled quotes inside ({@code "say ""hi"""}) and line breaks inside; lines end in LF, CRLF
 * or CR; a UTF-8 byte order mark at the start is skipped. Blank lines (anywhere, trailing ones included) are not
 * records. Spaces and tabs around a field are dropped, so {@code "a, b"} has the fields {@code a} and {@code b}.
 *
 * <p>A record's fields are kept as ranges of one reused char array ({@link #chars()}, {@link #start},
 * {@link #end}) so that numbers can be parsed without making a string per cell; {@link #text} makes one when
 * needed. {@link #line()} is the physical line the record starts on, for messages.
 */
final class CsvReader implements AutoCloseable {
    private static final int EOF = -1;
    private static final int NONE = -2;
    /**
     * The longest row read, in characters (128 MB of chars): beyond it a row is a quote never closed in a large
     * file, or no table at all, and would otherwise grow until the heap ran out.
     */
    static final int MAX_ROW = 1 << 26;

    private final Path file;
    private final Reader in;
    private final char delimiter;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private boolean started;
    private int pending = NONE;

    private char[] chars = new char[256];
    private int length;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private int fields;
    private int line = 1;
    private int recordLine;

    private CsvReader(Path file, Reader in, char delimiter) {
        this.file = file;
        this.in = in;
        this.delimiter = delimiter;
    }

    /** @throws DataException when the file does not exist or cannot be opened */
    static CsvReader open(Path file, char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new DataException(file + ": the delimiter cannot be a quote or a line break");
        }
        try {
            // Malformed UTF-8 is an error rather than silently replaced characters in category names.
            Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
            return new CsvReader(file, reader, delimiter);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot open it (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads the next record.
     *
     * @return false at the end of the file
     * @throws DataException for a quoted field never closed, text after a closing quote, or a read error
     */
    boolean next() {
        try {
            while (true) {
                int c = read();
                if (c == EOF) {
                    return false;
                }
                if (readRecord(c)) {
                    return true;
                }
            }
        } catch (CharacterCodingException e) {
            throw new DataException(file + ": " + firstMalformed(file) + ": the file is not UTF-8 text; save it as "
                    + "UTF-8", e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Where the file's first byte that is not UTF-8 lies: "line 2000 (byte 0xe9)". The reader decodes ahead in
     * blocks and fails on a whole block, so its own line can be thousands of lines early; this decodes again.
     */
    static String firstMalformed(Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
        CharBuffer chars = CharBuffer.allocate(1 << 16);
        long line = 1;
        char previous = 0;
        try (InputStream in = Files.newInputStream(file)) {
            boolean eof = false;
            while (true) {
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (n < 0) {
                    eof = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
                CoderResult result = decoder.decode(bytes, chars, eof);
                chars.flip();
                while (chars.hasRemaining()) {
                    // As the reader counts: LF, CRLF and a lone CR each end a line.
                    char c = chars.get();
                    if (c == '\n' && previous != '\r' || c == '\r') {
                        line++;
                    }
                    previous = c;
                }
                chars.clear();
                if (result.isError()) {
                    return "line " + line + " (byte 0x" + Integer.toHexString(bytes.get(bytes.position()) & 0xff)
                            + ")";
                }
                if (eof) {
                    return "line " + line;
                }
                bytes.compact();
            }
        } catch (IOException e) {
            return "reading it again (" + e.getMessage() + ")";
        }
    }

    /** Reads one record starting with {@code c}; false when it was a blank line. */
    private boolean readRecord(int c) throws IOException {
        recordLine = line;
        fields = 0;
        length = 0;
        boolean quotedAny = false;
        while (true) {
            int start = length;
            boolean quoted = false;
            c = skipSpaces(c);
            if (c == '"') {
                quoted = true;
                quotedAny = true;
                c = readQuoted();
            } else {
                while (c != delimiter && c != '\n' && c != '\r' && c != EOF) {
                    append((char) c);
                    c = read();
                }
            }
            int end = length;
            if (!quoted) {
                while (end > start && (chars[end - 1] == ' ' || chars[end - 1] == '\t')) {
                    end--;
                }
            }
            addField(start, end);
            if (c == delimiter) {
                c = read();
                continue;
            }
            if (c == '\r') {
                int after = read();
                if (after != '\n') {
                    pending = after;
                }
                line++;
            } else if (c == '\n') {
                line++;
            }
            break;
        }
        return !(fields == 1 && length == 0 && !quotedAny);
    }

    private int skipSpaces(int c) throws IOException {
        while ((c == ' ' || c == '\t') && c != delimiter) {
            c = read();
        }
        return c;
    }

    /** Reads a quoted field after its opening quote; returns the first character after the closing quote. */
    private int readQuoted() throws IOException {
        int opened = line;
        while (true) {
            int c = read();
            if (c == EOF) {
                throw new DataException(file + ": line " + opened + ": a quoted field is never closed; "
                        + "every \" that opens a field needs a closing \" (write \"\" for a quote inside it)");
            }
            if (c == '"') {
                int after = read();
                if (after != '"') {
                    after = skipSpaces(after);
                    if (after != delimiter && after != '\n' && after != '\r' && after != EOF) {
                        throw new DataException(file + ": line " + line + ": field " + (fields + 1) + " has text "
                                + "after its closing quote; quote the whole field and write \"\" for a quote "
                                + "inside it");
                    }
                    return after;
                }
            } else if (c == '\n' || (c == '\r' && peekIsNotNewline())) {
                line++;
            }
            append((char) c);
        }
    }

    /** After a CR inside quotes: a CRLF counts as one line break, so only a lone CR counts here. */
    private boolean peekIsNotNewline() throws IOException {
        int after = read();
        pending = after;
        return after != '\n';
    }

    private int read() throws IOException {
        if (pending != NONE) {
            int c = pending;
            pending = NONE;
            return c;
        }
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return EOF;
            }
            if (!started) {
                started = true;
                if (buffer[0] == '\uFEFF') {
                    position = 1;
                    return read();
                }
            }
        }
        return buffer[position++];
    }

    private void append(char c) {
        if (length == MAX_ROW) {
            throw new DataException(file + ": line " + recordLine + ": a row longer than " + String.format(
                    java.util.Locale.ROOT, "%,d", MAX_ROW) + " characters; a quoted field opened on it may never be "
                    + "closed (every \" that opens a field needs a closing \"), or the file is not a table with a "
                    + "row per line");
        }
        if (length == chars.length) {
            chars = Arrays.copyOf(chars, chars.length * 2);
        }
        chars[length++] = c;
    }

    private void addField(int start, int end) {
        if (fields == starts.length) {
            starts = Arrays.copyOf(starts, fields * 2);
            ends = Arrays.copyOf(ends, fields * 2);
        }
        starts[fields] = start;
        ends[fields] = end;
        fields++;
    }

    /** Physical line (1-based) the current record starts on. */
    int line() {
        return recordLine;
    }

    /** Fields in the current record. */
    int size() {
        return fields;
    }

    /** The current record's characters; field {@code i} is {@code chars()[start(i)..end(i))}. */
    char[] chars() {
        return chars;
    }

    int start(int field) {
        return starts[field];
    }

    int end(int field) {
        return ends[field];
    }

    /** Field {@code i}'s text, surrounding spaces removed. */
    String text(int field) {
        return new String(chars, starts[field], ends[field] - starts[field]);
    }

    /**
     * The current row read as a header: its fields, each a column's name. A name the reader looks up
     * ({@code lookedUp}; null: every name, as in a training file) given twice is refused: columns are found by name,
     * and the second would be silently ignored. Other repeats (two empty names of a spreadsheet's trailing commas)
     * are left alone in test and prediction files.
     */
    List<String> header(java.util.Collection<String> lookedUp) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            String name = text(i);
            int earlier = names.indexOf(name);
            if (earlier >= 0 && (lookedUp == null || lookedUp.contains(name))) {
                throw new DataException(file + ": the header names column '" + name + "' twice (fields "
                        + (earlier + 1) + " and " + (i + 1) + "); column names must be unique");
            }
            names.add(name);
        }
        return names;
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // Only read from: nothing is lost if closing fails.
        }
    }
}
