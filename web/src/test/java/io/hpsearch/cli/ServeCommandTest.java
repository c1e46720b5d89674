package io.hpsearch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `serve` on an address it cannot listen on: one line saying which and why, exit 2, before a database is created or a
 * token printed (Javalin called every bind failure "Port already in use").
 */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void aPortAnotherProcessListensOnIsNamedAndNothingIsCreated() throws Exception {
        Path db = dir.resolve("taken/hpsearch");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.execute(new String[]{"serve", "--port", String.valueOf(port), "--db", db.toString()},
                    new PrintWriter(out), new PrintWriter(err));
            assertEquals(Main.BAD_INPUT, code, out + "\n" + err);
            assertEquals("hpsearch: cannot listen on 127.0.0.1:" + port + " (Address already in use): another "
                    + "process listens on port " + port + "; choose another with --port", err.toString().strip());
            assertEquals("", out.toString());
        }
        assertTrue(!Files.exists(db.getParent()), "no database is created");
    }

    @Test
    void aHostThatIsNotThisMachinesIsSaidSoBeforeATokenIsPrinted() {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of a real machine. Before, the warning and a
        // generated token were printed, the database created, then "Port already in use".
        Path db = dir.resolve("foreign/hpsearch");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[]{"serve", "--host", "192.0.2.1", "--port", "8080", "--db", db.toString()},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(Main.BAD_INPUT, code, out + "\n" + err);
        assertEquals("hpsearch: cannot listen on 192.0.2.1:8080 (Cannot assign requested address): --host 192.0.2.1 "
                + "is not an address of this machine; use one of its own, 0.0.0.0 for all of them, or 127.0.0.1",
                err.toString().strip());
        assertTrue(!Files.exists(db.getParent()), "no database is created");
    }
}
